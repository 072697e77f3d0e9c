"""The full analysis of a scenario (its JSON form is :func:`dealcraft.service.analysis.analysis_json`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.backend import Backend
from dealcraft.analysis.methods import space_summary
from dealcraft.analysis.observations import ObservationCheck, check_observations
from dealcraft.analysis.proposals import Proposal, proposals
from dealcraft.engine.frontier import SOLUTIONS
from dealcraft.engine.scan import Progress, SpaceSummary
from dealcraft.engine.space import DEFAULT_BLOCK, DEFAULT_LIMIT
from dealcraft.model.scenario import Scenario


@dataclass(frozen=True)
class Analysis:
    """Everything `dealcraft analyze` finds in one scenario: the space summary, the bargaining
    solutions, the proposals and the observation checks."""

    scenario: Scenario
    summary: SpaceSummary
    solutions: dict[str, int | None]  # frontier index of each solution
    proposals: list[Proposal]
    observations: list[ObservationCheck]

    @property
    def binding(self) -> list[int]:
        """Stakeholders whose removal grows the agreement set the most (none if no growth)."""
        growth = self.summary.growth
        if growth.size == 0 or growth.max() <= 0:
            return []
        return [int(s) for s in np.flatnonzero(growth == growth.max())]

    def solution_package(self, name: str) -> tuple[int, ...] | None:
        """The package behind a named bargaining solution, or None when that solution does not exist."""
        k = self.solutions[name]
        if k is None:
            return None
        return tuple(int(x) for x in self.summary.frontier.witnesses(k, self.scenario.radices)[0])


def analyze(
    scenario: Scenario,
    k: int = 3,
    *,
    progress: Progress | None = None,
    block: int = DEFAULT_BLOCK,
    max_packages: int = DEFAULT_LIMIT,
    method: str = "auto",
    seed: int = 0,
    backend: Backend | None = None,
) -> Analysis:
    """Summarise the package space once (enumerated or folded, ``method``: see
    :mod:`dealcraft.analysis.methods`; ``seed`` for estimated counts; ``backend``: where any
    enumeration runs), then solve, propose ``k``
    packages and check the observations: every exact result about a scenario in one call."""
    summary = space_summary(
        scenario,
        method,
        progress=progress,
        block=block,
        max_packages=max_packages,
        seed=seed,
        backend=backend,
    )
    d, power = scenario.disagreement, scenario.power
    utilities = summary.frontier.utilities
    solutions = {name: solve(utilities, d, power) for name, solve in SOLUTIONS.items()}
    return Analysis(
        scenario, summary, solutions, proposals(scenario, summary, k), check_observations(scenario)
    )

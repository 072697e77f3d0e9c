"""The full analysis of a scenario and its JSON form (a documented contract: extend, never rename)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dealcraft.analysis.methods import agreement_json, space_summary
from dealcraft.analysis.observations import ObservationCheck, check_observations
from dealcraft.analysis.proposals import Proposal, proposals
from dealcraft.engine.folded import FoldedFrontier
from dealcraft.engine.frontier import SOLUTIONS
from dealcraft.engine.scan import Progress, SpaceSummary
from dealcraft.engine.space import DEFAULT_BLOCK, DEFAULT_LIMIT
from dealcraft.model.scenario import Scenario

ROUND = 6


@dataclass(frozen=True)
class Analysis:
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
) -> Analysis:
    """``method``: see :mod:`dealcraft.analysis.methods` (``seed`` for estimated counts)."""
    summary = space_summary(
        scenario, method, progress=progress, block=block, max_packages=max_packages, seed=seed
    )
    d = scenario.disagreement
    utilities = summary.frontier.utilities
    solutions = {name: solve(utilities, d) for name, solve in SOLUTIONS.items()}
    return Analysis(
        scenario, summary, solutions, proposals(scenario, summary, k), check_observations(scenario)
    )


def _utilities(scenario: Scenario, values: np.ndarray) -> dict[str, float]:
    return {p.id: round(float(v), ROUND) for p, v in zip(scenario.parties, values, strict=True)}


def to_json(analysis: Analysis) -> dict[str, Any]:
    sc = analysis.scenario
    s = analysis.summary
    frontier = s.frontier
    binding = set(analysis.binding)

    def package_of(k: int) -> dict[str, str]:
        return sc.describe(frontier.witnesses(k, sc.radices)[0])

    solutions: dict[str, Any] = {}
    for name, k in analysis.solutions.items():
        solutions[name] = (
            None
            if k is None
            else {
                "package": package_of(k),
                "utilities": _utilities(sc, frontier.utilities[k]),
            }
        )
    return {
        "scenario": sc.id,
        "title": sc.title,
        "packages": s.size,
        "feasible": s.feasible,
        "agreement": agreement_json(s),
        "method": "fold" if isinstance(frontier, FoldedFrontier) else "enumerate",
        "parties": [
            {
                "id": p.id,
                "accepts": int(s.party_accepts[k]),
                "disagreement": round(float(sc.disagreement[k]), ROUND),
            }
            for k, p in enumerate(sc.parties)
        ],
        "stakeholders": [
            {"id": h.key, "accepts": int(s.accepts[k]), "binding": k in binding, "growth": int(s.growth[k])}
            for k, h in enumerate(sc.stakeholders)
        ],
        "frontier": [
            {
                "package": package_of(k),
                "utilities": _utilities(sc, frontier.utilities[k]),
                "count": int(frontier.counts[k]),
            }
            for k in range(len(frontier))
        ],
        "solutions": solutions,
        "proposals": [
            {
                "package": sc.describe(p.package),
                "changes": sc.changes(p.package),
                "utilities": _utilities(sc, p.evaluation.party_utilities),
                "slack": {v.key: round(v.slack, ROUND) for v in p.evaluation.stakeholders},
                "closest_to_walking_away": p.evaluation.closest_to_walking_away().key,
                "gives": {x.party: [c.text() for c in x.gives] for x in p.exchanges},
                "gets": {x.party: [c.text() for c in x.gets] for x in p.exchanges},
                "distance": p.distance,
            }
            for p in analysis.proposals
        ],
        "observations": [
            {
                "id": o.id,
                "by": o.by,
                "expected": o.expected,
                "model": o.model,
                "reproduced": o.reproduced,
                "deciders": list(o.deciders),
            }
            for o in analysis.observations
        ],
    }

"""The full analysis of a scenario and its JSON form (a documented contract: extend, never rename)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dealcraft.analysis.observations import ObservationCheck, check_observations
from dealcraft.analysis.proposals import Proposal, proposals
from dealcraft.engine.frontier import SOLUTIONS
from dealcraft.engine.scan import Progress, SpaceSummary, scan
from dealcraft.engine.space import DEFAULT_BLOCK, DEFAULT_LIMIT, decode
from dealcraft.model.scenario import Scenario

ROUND = 6


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
        number = self.summary.frontier.representative(k)
        return tuple(int(x) for x in decode(np.array([number]), self.scenario.radices)[0])


def analyze(
    scenario: Scenario,
    k: int = 3,
    *,
    progress: Progress | None = None,
    block: int = DEFAULT_BLOCK,
    max_packages: int = DEFAULT_LIMIT,
) -> Analysis:
    """Scan the whole package space once, then solve, propose ``k`` packages and check the
    observations: every exact result about a scenario in one call."""
    summary = scan(scenario, progress=progress, block=block, max_packages=max_packages)
    d = scenario.disagreement
    utilities = summary.frontier.utilities
    solutions = {name: solve(utilities, d) for name, solve in SOLUTIONS.items()}
    return Analysis(
        scenario, summary, solutions, proposals(scenario, summary, k), check_observations(scenario)
    )


def _utilities(scenario: Scenario, values: np.ndarray) -> dict[str, float]:
    return {p.id: round(float(v), ROUND) for p, v in zip(scenario.parties, values, strict=True)}


def to_json(analysis: Analysis) -> dict[str, Any]:
    """The analysis as JSON, without the seed: a leftover copy of
    :func:`dealcraft.service.analysis.analysis_json` (what the CLI prints) that nothing calls."""
    sc = analysis.scenario
    s = analysis.summary
    frontier = s.frontier
    binding = set(analysis.binding)

    def package_of(number: int) -> dict[str, str]:
        return sc.describe(decode(np.array([number]), sc.radices)[0])

    solutions: dict[str, Any] = {}
    for name, k in analysis.solutions.items():
        solutions[name] = (
            None
            if k is None
            else {
                "package": package_of(frontier.representative(k)),
                "utilities": _utilities(sc, frontier.utilities[k]),
            }
        )
    return {
        "scenario": sc.id,
        "title": sc.title,
        "packages": s.size,
        "feasible": s.feasible,
        "agreement": {"count": s.agreement, "share": round(s.share, 12)},
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
                "package": package_of(frontier.representative(k)),
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

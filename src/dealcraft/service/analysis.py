"""The `analyze` job: the whole picture of a scenario, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dealcraft.analysis.analyze import Analysis
from dealcraft.analysis.analyze import analyze as run_analysis
from dealcraft.analysis.backend import backend as make_backend
from dealcraft.analysis.methods import enumerates
from dealcraft.analysis.proposals import Proposal
from dealcraft.engine.folded import FoldedFrontier
from dealcraft.engine.scan import SpaceSummary
from dealcraft.engine.space import DEFAULT_LIMIT
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario
from dealcraft.service.output import ROUND, by_party
from dealcraft.service.progress import SILENT, Tracker


@dataclass(frozen=True)
class AnalyzeOutput:
    """An analysis and the seed it was asked for (the exact analysis itself uses none); ``notes``
    are remarks about the run for the person (not part of the JSON), e.g. unused workers."""

    analysis: Analysis
    seed: int = 0
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft analyze --json` prints."""
        data = analysis_json(self.analysis)
        data["seed"] = self.seed
        return data


def analyze(
    scenario: Scenario,
    *,
    proposals: int = 3,
    seed: int = 0,
    max_packages: int = DEFAULT_LIMIT,
    method: str = "auto",
    workers: int | None = None,
    cluster: str | None = None,
    tracker: Tracker = SILENT,
) -> AnalyzeOutput:
    """Agreement set, binding stakeholders, frontier, fair solutions, proposals, observations;
    ``method``: enumerate, fold (beyond enumeration) or auto (see :mod:`dealcraft.analysis.methods`).
    Exact enumeration runs on ``workers`` local Dask processes or the scheduler at ``cluster``
    (the same result as in this process); when nothing is enumerated no cluster is started."""
    notes: tuple[str, ...] = ()
    if (workers or cluster) and not enumerates(scenario, method, max_packages):
        notes = (
            f"--workers/--cluster not used: the {scenario.size:,} packages are beyond --max-packages "
            f"{max_packages:,}, so the frontier is folded and the counts estimated in this process "
            f"(raise --max-packages to {scenario.size} to count exactly on the cluster)",
        )
        workers = cluster = None
    with (
        make_backend(workers, cluster) as runner,
        tracker.stage("analysing the package space", scenario.size) as advance,
    ):
        result = run_analysis(
            scenario,
            proposals,
            progress=advance,
            max_packages=max_packages,
            method=method,
            seed=seed,
            backend=runner,
        )
    return AnalyzeOutput(result, seed, notes)


def core_proposals(
    scenario: Scenario, k: int, max_packages: int = DEFAULT_LIMIT, tracker: Tracker = SILENT
) -> list[Proposal]:
    """The first ``k`` proposals at the point values (what other jobs re-score or sequence)."""
    with tracker.stage("proposals at the point values", scenario.size) as advance:
        return run_analysis(scenario, k, progress=advance, max_packages=max_packages).proposals


def nth_proposal(
    scenario: Scenario, n: int, max_packages: int = DEFAULT_LIMIT, tracker: Tracker = SILENT
) -> tuple[int, ...]:
    """The package of proposal ``n`` (1: the Nash one), or a clear error when there is none."""
    if n < 1:
        raise DealcraftError(f"--proposal {n}: proposals are numbered from 1 (1 is the Nash proposal)")
    found = core_proposals(scenario, n, max_packages, tracker)
    if not found:
        raise DealcraftError(
            f"scenario {scenario.id!r} has no package every party accepts, so there is no proposal: "
            "give the package as issue=option changes instead"
        )
    if n > len(found):
        raise DealcraftError(
            f"--proposal {n}: scenario {scenario.id!r} has only {len(found)} different proposal(s); "
            f"use 1..{len(found)} (see `dealcraft analyze`)"
        )
    return found[n - 1].package


def agreement_json(summary: SpaceSummary) -> dict[str, Any]:
    """The ``agreement`` entry: count and share, whether exact, and the interval if estimated."""
    out: dict[str, Any] = {
        "count": summary.agreement,
        "share": round(summary.share, 12),
        "exact": summary.estimate is None,
    }
    if summary.estimate is not None:
        out["interval"] = list(summary.estimate.interval)
    return out


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    """The documented JSON form of an analysis (extend, never rename)."""
    sc = analysis.scenario
    s = analysis.summary
    frontier = s.frontier
    binding = set(analysis.binding)
    ids = [p.id for p in sc.parties]

    def package_of(k: int) -> dict[str, str | int | float]:
        return sc.describe(frontier.witnesses(k, sc.radices)[0])

    solutions: dict[str, Any] = {}
    for name, k in analysis.solutions.items():
        solutions[name] = (
            None
            if k is None
            else {
                "package": package_of(k),
                "utilities": by_party(ids, frontier.utilities[k]),
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
                "power": round(float(p.power), ROUND),
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
                "utilities": by_party(ids, frontier.utilities[k]),
                "count": int(frontier.counts[k]),
            }
            for k in range(len(frontier))
        ],
        "solutions": solutions,
        "proposals": [
            {
                "package": sc.describe(p.package),
                "changes": sc.changes(p.package),
                "utilities": by_party(ids, p.evaluation.party_utilities),
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

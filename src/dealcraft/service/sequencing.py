"""The `roadmap` job: sequence a package's steps (action for action), and its JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dealcraft.analysis.roadmap import Roadmap, at_once
from dealcraft.analysis.roadmap import roadmap as sequence
from dealcraft.analysis.roadmap.limits import DEFAULT_THREADS, DEFAULT_TIME_LIMIT
from dealcraft.engine.space import DEFAULT_LIMIT
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario
from dealcraft.service.output import ROUND, by_party
from dealcraft.service.package import PackageRef, chosen_package
from dealcraft.service.progress import SILENT, Tracker


@dataclass(frozen=True)
class RoadmapOutput:
    """The best roadmap found for one package (or every step at once, when asked)."""

    roadmap: Roadmap

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft roadmap --json` prints."""
        return roadmap_json(self.roadmap)


def roadmap(
    scenario: Scenario,
    package: PackageRef | None = None,
    *,
    proposal: int | None = None,
    trust: Mapping[str, float] | None = None,
    opening: str | None = None,
    solver: str = "auto",
    time_limit: float = DEFAULT_TIME_LIMIT,
    threads: int = DEFAULT_THREADS,
    seed: int = 0,
    everything_at_once: bool = False,
    max_packages: int = DEFAULT_LIMIT,
    tracker: Tracker = SILENT,
) -> RoadmapOutput:
    """Phases for ``package`` (default: proposal ``proposal``, else the Nash proposal) that keep
    every party's exposure within its trust; ``everything_at_once`` skips the optimisation."""
    digits = chosen_package(scenario, package, proposal, max_packages, tracker)
    if everything_at_once:
        if opening is not None:
            raise DealcraftError("--at-once and --opening do not combine: --at-once does not optimise")
        return RoadmapOutput(at_once(scenario, digits, trust))
    with tracker.stage("sequencing steps", None):
        found = sequence(
            scenario,
            digits,
            trust,
            opening,
            solver=solver,  # type: ignore[arg-type]  # checked by the analysis
            time_limit=time_limit,
            workers=threads,
            seed=seed,
        )
    return RoadmapOutput(found)


def roadmap_json(result: Roadmap) -> dict[str, Any]:
    """The documented JSON form of a roadmap (extend, never rename)."""
    pb = result.problem
    knot = result.knot
    ids = pb.party_ids
    return {
        "package": result.changes,
        "feasible": result.feasible,
        "phases": [
            {
                "steps": [pb.ids[s] for s in ph.steps],
                "weeks": ph.weeks,
                "exposure": by_party(ids, ph.exposure),
                "defect_incentive": by_party(ids, ph.incentive),
                "by_party": {
                    party: [pb.ids[s] for s in ph.steps if pb.actor[s] == k] for k, party in enumerate(ids)
                },
            }
            for ph in result.phases
        ],
        "total_weeks": result.total_weeks,
        "max_exposure": by_party(ids, result.max_exposure),
        "required_trust": None if result.required_trust is None else by_party(ids, result.required_trust),
        "trust": by_party(ids, pb.trust),
        "gain": by_party(ids, pb.total),
        "opening": None if pb.opening is None else ids[pb.opening],
        "solver": {"name": result.solver, "status": result.status, "seconds": round(result.seconds, 3)},
        "knot": None
        if knot is None
        else {
            "party": ids[knot.party],
            "phase": knot.phase + 1,
            "exposure": round(knot.exposure, ROUND),
            "trust": round(knot.trust, ROUND),
            "unavoidable": knot.unavoidable,
            "steps": [pb.ids[s] for s in knot.steps],
        },
        "unmet_prerequisites": [{"step": s, "after": a} for s, a in pb.unmet],
        "steps": [
            {
                "id": pb.ids[s],
                "name": pb.names[s],
                "issue": pb.issue[s],
                "actor": ids[pb.actor[s]],
                "effect": by_party(ids, pb.delta[s]),
                "reversible": float(pb.reversible[s]),
                "verify_weeks": float(pb.weeks[s]),
                "after": [pb.ids[a] for a in pb.prereqs[s]],
            }
            for s in range(pb.n)
        ],
    }

"""The `robust`, `sensitivity` and `calibrate` jobs: how sure the answers are, and their JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dealcraft.analysis.backend import backend as make_backend
from dealcraft.analysis.proposals import Proposal
from dealcraft.analysis.uncertainty.calibrate import CalibrationResult, WeightBounds
from dealcraft.analysis.uncertainty.calibrate import calibrate as run_calibrate
from dealcraft.analysis.uncertainty.robust import PackageOdds, RobustResult
from dealcraft.analysis.uncertainty.robust import robust as run_robust
from dealcraft.analysis.uncertainty.sensitivity import SensitivityResult, Swing
from dealcraft.analysis.uncertainty.sensitivity import sensitivity as run_sensitivity
from dealcraft.analysis.uncertainty.stats import wilson
from dealcraft.engine.sampling import Parameter, ParameterSpace
from dealcraft.engine.space import DEFAULT_LIMIT
from dealcraft.model.scenario import Scenario
from dealcraft.service.analysis import core_proposals
from dealcraft.service.output import rounded
from dealcraft.service.package import PackageRef, chosen_package
from dealcraft.service.progress import SILENT, Tracker

# --- robust ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RobustOutput:
    """P(accept) of every package under the ranges, the most robust proposals, P(no deal)."""

    result: RobustResult

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft robust --json` prints."""
        return robust_json(self.result)


def robust(
    scenario: Scenario,
    *,
    samples: int = 1000,
    seed: int = 0,
    proposals: int = 3,
    workers: int | None = None,
    cluster: str | None = None,
    max_packages: int = DEFAULT_LIMIT,
    tracker: Tracker = SILENT,
    core: list[Proposal] | None = None,
) -> RobustOutput:
    """Monte Carlo over the judgment numbers: in-process, on ``workers`` local Dask processes,
    or on the Dask scheduler at ``cluster`` (the same numbers on every backend). ``core``: the
    point-value proposals when the caller has them already (else they are computed)."""
    if core is None:
        core = core_proposals(scenario, proposals, max_packages, tracker)
    with (
        make_backend(workers, cluster) as runner,
        tracker.stage("sampling packages", samples * scenario.size) as advance,
    ):
        result = run_robust(
            scenario,
            samples,
            seed,
            proposals,
            backend=runner,
            progress=advance,
            core=core,
            max_packages=max_packages,
        )
    return RobustOutput(result)


def parameter_json(p: Parameter, sc: Scenario) -> dict[str, Any]:
    """Which judgment number a row is about, and how uncertain it is."""
    return {
        "id": p.label,
        "kind": p.kind,
        "stakeholder": sc.stakeholders[p.stakeholder].key,
        "distribution": p.dist.to_data(),
    }


def _odds_json(sc: Scenario, o: PackageOdds, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "package": sc.describe(o.package),
        "changes": sc.changes(o.package),
        "p_accept": rounded(o.p),
        "interval": [rounded(x) for x in o.interval],
        "expected_nash": rounded(o.expected_nash),
        "parties": {p.id: rounded(o.parties[k] / o.samples) for k, p in enumerate(sc.parties)},
        "stakeholders": {
            h.key: rounded(o.stakeholders[k] / o.samples) for k, h in enumerate(sc.stakeholders)
        },
    }


def robust_json(r: RobustResult) -> dict[str, Any]:
    """The documented JSON form of a robust run (extend, never rename)."""
    sc = r.scenario
    empty = int((~r.counts.any_agree).sum())
    return {
        "scenario": sc.id,
        "seed": r.seed,
        "samples": r.samples,
        "packages": sc.size,
        "parameters": [parameter_json(p, sc) for p in r.space.uncertain],
        "p_empty": rounded(r.p_empty),
        "p_empty_interval": [rounded(x) for x in wilson(empty, r.samples)],
        "expected_agreement": rounded(r.expected_agreement),
        "robust_proposals": [_odds_json(sc, o, k + 1) for k, o in enumerate(r.robust)],
        "core_proposals": [_odds_json(sc, o, p.rank) for p, o in r.core],
    }


# --- sensitivity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SensitivityOutput:
    """Tornado data for one package."""

    result: SensitivityResult

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft sensitivity --json` prints."""
        return sensitivity_json(self.result)

    def shown(self) -> list[Swing]:
        """The rows worth showing: numbers that move the verdict, flip it, or are uncertain."""
        return [w for w in self.result.swings if matters(w)]


def sensitivity(
    scenario: Scenario,
    package: PackageRef | None = None,
    *,
    proposal: int | None = None,
    samples: int = 2000,
    seed: int = 0,
    swing: float = 0.1,
    max_packages: int = DEFAULT_LIMIT,
    tracker: Tracker = SILENT,
) -> SensitivityOutput:
    """Which number moves P(accepted) of ``package`` (default: proposal ``proposal``, else 1)
    most, and where each flips the verdict."""
    digits = chosen_package(scenario, package, proposal, max_packages, tracker)
    n_params = len(ParameterSpace(scenario).all)
    work = samples * n_params * 2
    with tracker.stage("swinging each number", n_params, work=work) as advance:
        result = run_sensitivity(scenario, digits, samples, seed, swing, progress=advance)
    return SensitivityOutput(result)


def matters(w: Swing) -> bool:
    """A row worth reporting: it swings P(accept), flips the verdict, or is uncertain."""
    return w.swing > 0 or w.threshold is not None or w.uncertain


def sensitivity_json(r: SensitivityResult) -> dict[str, Any]:
    """The documented JSON form of a sensitivity run (extend, never rename)."""
    sc = r.scenario
    shown = [w for w in r.swings if matters(w)]
    return {
        "scenario": sc.id,
        "seed": r.seed,
        "samples": r.samples,
        "package": sc.describe(r.package),
        "changes": sc.changes(r.package),
        "p_accept": rounded(r.p),
        "interval": [rounded(x) for x in r.interval],
        "accepted_at_point": r.point_accepted,
        "deciders": [sc.stakeholders[s].key for s in r.deciders],
        "closest_to_walking_away": sc.stakeholders[r.closest].key,
        "rejecting": [sc.stakeholders[s].key for s in np.flatnonzero(~r.point_accepts)],
        "parameters": [
            {
                **parameter_json(w.parameter, sc),
                "uncertain": w.uncertain,
                "point": rounded(w.point),
                "low": rounded(w.low),
                "high": rounded(w.high),
                "p_low": rounded(w.p_low),
                "p_high": rounded(w.p_high),
                "swing": rounded(w.swing),
                "threshold": None if w.threshold is None else rounded(w.threshold),
            }
            for w in shown
        ],
        "omitted": len(r.swings) - len(shown),
    }


# --- calibrate ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrateOutput:
    """Samples that reproduce every observation: posteriors, P(accept) before/after, LP bounds."""

    result: CalibrationResult

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft calibrate --json` prints."""
        return calibrate_json(self.result)


def calibrate(
    scenario: Scenario,
    *,
    samples: int = 10000,
    seed: int = 0,
    proposals: int = 3,
    max_packages: int = DEFAULT_LIMIT,
    tracker: Tracker = SILENT,
) -> CalibrateOutput:
    """Condition the judgment numbers on the scenario's observations."""
    core = core_proposals(scenario, proposals, max_packages, tracker)
    work = samples * len(scenario.observations)
    with tracker.stage("conditioning on the observations", samples, work=work) as advance:
        result = run_calibrate(scenario, samples, seed, core, progress=advance)
    return CalibrateOutput(result)


def proportion_json(pair: tuple[int, int]) -> dict[str, Any]:
    """hits/n with its 95 % Wilson interval."""
    hits, n = pair
    return {
        "p": rounded(hits / n) if n else None,
        "interval": [rounded(x) for x in wilson(hits, n)],
        "samples": n,
    }


def calibrate_json(r: CalibrationResult) -> dict[str, Any]:
    """The documented JSON form of a calibration (extend, never rename)."""
    sc = r.scenario
    return {
        "scenario": sc.id,
        "seed": r.seed,
        "samples": r.samples,
        "kept": r.kept,
        "acceptance_rate": rounded(r.rate),
        "warning": r.warning,
        "observations": [
            {
                "id": o.id,
                "by": o.by,
                "expected": o.expected,
                "reproduced_at_point": o.reproduced_at_point,
                "prior_rate": rounded(o.prior_rate),
            }
            for o in r.observations
        ],
        "parameters": [
            {
                **parameter_json(p.parameter, sc),
                "prior": {k: rounded(v) for k, v in p.prior.items()},
                "posterior": {k: rounded(v) for k, v in p.posterior.items()},
            }
            for p in r.posteriors
        ],
        "proposals": [
            {
                "rank": o.proposal.rank,
                "package": sc.describe(o.proposal.package),
                "changes": sc.changes(o.proposal.package),
                "prior": proportion_json(o.prior),
                "posterior": proportion_json(o.posterior),
            }
            for o in r.proposals
        ],
        "weight_bounds": [_bounds_json(sc, b) for b in r.bounds],
    }


def _bounds_json(sc: Scenario, b: WeightBounds) -> dict[str, Any]:
    return {
        "stakeholder": sc.stakeholders[b.stakeholder].key,
        "status": b.status,
        "constraining": list(b.constraining),
        "unreachable": list(b.unreachable),
        "weights": {
            sc.issues[i].id: {
                "point": rounded(b.point[k]),
                "low": rounded(b.low[k]),
                "high": rounded(b.high[k]),
            }
            for k, i in enumerate(b.issues)
        }
        if b.status in ("ok", "partial")
        else {},
        "reservation": [rounded(x) for x in b.reservation],
    }

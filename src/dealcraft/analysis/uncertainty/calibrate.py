"""Condition the uncertain numbers on the documented observations.

Rejection: draw from the ranges, keep the samples under which the model reproduces every
observation; the kept ones are the posterior. Linear programming: for a stakeholder whose
values are fixed, utility is linear in its (normalised) weights, so the set of weights (and
reservation within its range) under which every observation still holds, the others held at
their point values, is a polytope; its extent along each weight is two small LPs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from dealcraft.analysis.observations import check_observations, observed_by
from dealcraft.analysis.proposals import Proposal
from dealcraft.analysis.uncertainty.montecarlo import SAMPLE_CHUNK
from dealcraft.analysis.uncertainty.stats import summary
from dealcraft.engine.acceptance import TOLERANCE, Rules
from dealcraft.engine.sampled import package_verdicts
from dealcraft.engine.sampling import Parameter, ParameterSpace
from dealcraft.model.scenario import ObservationInfo, Scenario

MARGIN = 1e-7  # a "rejects" constraint asks u <= r - TOLERANCE - MARGIN (strictness for the LP)
FEW_KEPT = 100
LOW_RATE = 0.01


@dataclass(frozen=True)
class ObservationFit:
    """How one observation fares: reproduced at the point values or not, and the share of prior
    samples that reproduce it."""

    id: str
    by: str
    expected: str
    reproduced_at_point: bool
    prior_rate: float  # share of samples that reproduce this observation


@dataclass(frozen=True)
class Posterior:
    """One uncertain number summarised before and after conditioning on the observations."""

    parameter: Parameter
    prior: dict[str, float]
    posterior: dict[str, float]


@dataclass(frozen=True)
class ProposalOdds:
    """A proposal's acceptance over all samples (prior) and over the kept ones (posterior)."""

    proposal: Proposal
    prior: tuple[int, int]  # (accepted, samples)
    posterior: tuple[int, int]  # (accepted, kept samples)


@dataclass(frozen=True)
class WeightBounds:
    """How far one stakeholder's normalised weights (and reservation) can move with every
    observation it decides still holding, found by linear programming."""

    stakeholder: int
    status: str  # "ok", "partial" (some observations out of reach), "infeasible", "uncertain values"
    constraining: tuple[str, ...]  # observations that constrain this stakeholder's weights
    unreachable: tuple[str, ...]  # unreproduced observations no weight of this stakeholder can fix
    issues: tuple[int, ...]  # issues whose weight is free
    point: np.ndarray  # normalised point weights of those issues
    low: np.ndarray  # smallest / largest normalised weight with every observation holding
    high: np.ndarray
    reservation: tuple[float, float]  # feasible reservations (within its given range)


@dataclass(frozen=True)
class CalibrationResult:
    """What conditioning on the observations gives: the samples kept, each observation's fit, the
    posteriors, the proposals' odds and the weight bounds."""

    scenario: Scenario
    samples: int
    seed: int
    kept: int
    observations: list[ObservationFit]
    posteriors: list[Posterior]
    proposals: list[ProposalOdds]
    bounds: list[WeightBounds]

    @property
    def rate(self) -> float:
        """Share of samples that reproduce every observation."""
        return self.kept / self.samples

    @property
    def warning(self) -> str | None:
        """Why the posterior figures should not be relied on (no observations, nothing uncertain, too
        few samples kept), or None."""
        if not self.scenario.observations:
            return "the scenario has no observations: nothing to calibrate on"
        if not self.posteriors:
            return (
                "no number in the scenario is uncertain: every sample is the same, so conditioning "
                "has nothing to narrow; only the LP weight bounds are informative"
            )
        if self.kept == 0:
            return (
                f"no sample out of {self.samples:,} reproduces every observation: within these ranges the "
                "model cannot explain the record; widen the ranges or revisit the observations"
            )
        if self.kept < FEW_KEPT or self.rate < LOW_RATE:
            return (
                f"only {self.kept:,} of {self.samples:,} samples ({self.rate:.2%}) reproduce every "
                "observation: posterior figures are rough; draw more samples (--samples) or check the ranges"
            )
        return None


def reproduced(scenario: Scenario, verdicts, observations: tuple[ObservationInfo, ...]) -> np.ndarray:
    """(K, O) whether each sample reproduces each observation (verdicts over their packages)."""
    out = np.empty((verdicts.agree.shape[0], len(observations)), dtype=bool)
    for j, obs in enumerate(observations):
        if obs.party is not None:
            said = verdicts.parties[:, obs.party, j]
        else:
            said = verdicts.accepts[:, obs.stakeholder, j]
        out[:, j] = said == obs.expected_accept
    return out


def calibrate(
    scenario: Scenario,
    samples: int = 10000,
    seed: int = 0,
    proposals: list[Proposal] | None = None,
    progress: Callable[[int], None] | None = None,
) -> CalibrationResult:
    """``proposals``: packages whose P(accept) to report before and after conditioning;
    ``progress(n)`` is called after each chunk of n samples."""
    space = ParameterSpace(scenario)
    obs = scenario.observations
    obs_packages = np.array([o.package for o in obs], dtype=np.int64).reshape(len(obs), len(scenario.issues))
    prop_packages = np.array([p.package for p in proposals or []], dtype=np.int64).reshape(
        -1, len(scenario.issues)
    )
    x = space.draw(seed, samples)
    keep = np.ones(samples, dtype=bool)
    hits = np.zeros(len(obs), dtype=np.int64)
    accepted = np.zeros((samples, len(prop_packages)), dtype=bool)
    for a in range(0, samples, SAMPLE_CHUNK):
        sampled = space.arrays(x[a : a + SAMPLE_CHUNK])
        if len(obs):
            rep = reproduced(scenario, package_verdicts(scenario, sampled, obs_packages), obs)
            hits += rep.sum(axis=0)
            keep[a : a + SAMPLE_CHUNK] = rep.all(axis=1)
        if len(prop_packages):
            accepted[a : a + SAMPLE_CHUNK] = package_verdicts(scenario, sampled, prop_packages).agree
        if progress:
            progress(len(sampled))
    kept = int(keep.sum())
    point = check_observations(scenario)
    fits = [
        ObservationFit(o.id, observed_by(scenario, o), c.expected, c.reproduced, float(hits[j] / samples))
        for j, (o, c) in enumerate(zip(obs, point, strict=True))
    ]
    posteriors = [Posterior(p, summary(x[:, j]), summary(x[keep, j])) for j, p in enumerate(space.uncertain)]
    odds = [
        ProposalOdds(p, (int(accepted[:, j].sum()), samples), (int(accepted[keep, j].sum()), kept))
        for j, p in enumerate(proposals or [])
    ]
    bounds = [weight_bounds(scenario, space, s) for s in range(len(scenario.stakeholders))]
    return CalibrationResult(scenario, samples, seed, kept, fits, posteriors, odds, bounds)


def weight_bounds(scenario: Scenario, space: ParameterSpace, s: int) -> WeightBounds:
    """Extent of each of s's normalised weights over the polytope where every observation holds
    (s's reservation free within its range; everyone else at point values). Observations that
    s cannot reproduce whatever its weights (its verdict does not decide them, or a red line
    blocks the needed yes) are set aside and listed."""
    issues = _free_issues(scenario, s)
    point_w = scenario.params.weights[s, list(issues)]
    empty = np.zeros(0)
    shapes = scenario.uncertain.shapes
    if any(not u.is_fixed for (t, *_), u in scenario.uncertain.values.items() if t == s) or any(
        not u.is_fixed for (t, _), shape in shapes.items() if t == s for u in shape.numbers.values()
    ):
        return WeightBounds(
            s, "uncertain values", (), (), issues, point_w, empty, empty, (math.nan, math.nan)
        )
    r_param = next(p for p in space.all if p.kind == "reservation" and p.stakeholder == s)
    rows, rhs, constraining, unreachable = _observation_rows(scenario, space, s, issues)
    n = len(issues)
    status = "partial" if unreachable else "ok"
    low, high = np.full(n, math.nan), np.full(n, math.nan)
    r_range = (math.nan, math.nan)
    if n:
        extent = _polytope_extent(rows, rhs, n, r_param.ends())
        if extent is None:
            status = "infeasible"
        else:
            low, high, r_range = extent
    return WeightBounds(
        s, status, tuple(constraining), tuple(unreachable), issues, point_w, low, high, r_range
    )


def _free_issues(scenario: Scenario, s: int) -> tuple[int, ...]:
    """The issues on which s has values (so a weight the observations can bound)."""
    return tuple(
        i
        for i, issue in enumerate(scenario.issues)
        if (s, i) in scenario.uncertain.shapes
        or all((s, i, o) in scenario.uncertain.values for o in range(issue.radix))
    )


def _observation_rows(
    scenario: Scenario, space: ParameterSpace, s: int, issues: tuple[int, ...]
) -> tuple[list[np.ndarray], list[float], list[str], list[str]]:
    """LP rows ``a . (w, r) <= b`` for the observations s's verdict decides, with their ids, and
    the ids of the unreproduced observations s cannot fix."""
    rules = Rules.of(scenario)
    pkgs = np.array([o.package for o in scenario.observations], dtype=np.int64).reshape(
        len(scenario.observations), len(scenario.issues)
    )
    rows, rhs, constraining, unreachable = [], [], [], []
    if not len(pkgs):
        return rows, rhs, constraining, unreachable
    at_point = package_verdicts(scenario, space.point(), pkgs)
    for j, obs in enumerate(scenario.observations):
        ok = _can_accept(scenario, s, pkgs[j])
        outcome = _outcome_by_verdict(rules, at_point.accepts[0, :, j].copy(), s, obs)
        fine_yes = ok and outcome[True] == obs.expected_accept
        fine_no = outcome[False] == obs.expected_accept
        v = np.array([scenario.params.values[i][s, pkgs[j][i]] for i in issues])
        if outcome[True] == outcome[False] or not ok:
            # s's weights cannot change this verdict (it does not decide it, or a red line
            # forces its no): no constraint, and the observation holds iff the no fits it
            if not fine_no:
                unreachable.append(obs.id)
            continue
        constraining.append(obs.id)  # s decides: exactly one of its verdicts fits
        if fine_yes:  # s must accept: v.w - r >= -TOL
            rows.append(np.r_[-v, 1.0])
            rhs.append(TOLERANCE)
        else:  # s must reject: v.w - r <= -TOL - MARGIN
            rows.append(np.r_[v, -1.0])
            rhs.append(-TOLERANCE - MARGIN)
    return rows, rhs, constraining, unreachable


def _outcome_by_verdict(rules: Rules, accepts: np.ndarray, s: int, obs: ObservationInfo) -> dict[bool, bool]:
    """The observed verdict (a party's or a stakeholder's) if s says yes and if s says no,
    everyone else at point values."""
    outcome = {}
    for verdict in (True, False):
        accepts[s] = verdict
        if obs.party is not None:
            outcome[verdict] = bool(rules.party(accepts[:, None], obs.party)[0])
        else:
            outcome[verdict] = bool(accepts[obs.stakeholder])
    return outcome


def _polytope_extent(
    rows: list[np.ndarray], rhs: list[float], n: int, r_ends: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, tuple[float, float]] | None:
    """Smallest and largest of each of the n weights (summing to 1) and of the reservation
    over the polytope, two LPs each; None if the polytope is empty."""
    a_ub = np.array(rows) if rows else None
    b_ub = np.array(rhs) if rows else None
    a_eq, b_eq = np.r_[np.ones(n), 0.0][None, :], np.array([1.0])
    box = [(0.0, 1.0)] * n + [r_ends]
    low, high = np.full(n, math.nan), np.full(n, math.nan)
    r_range = (math.nan, math.nan)
    for k in range(n + 1):
        found = []
        for sign in (1.0, -1.0):
            c = np.zeros(n + 1)
            c[k] = sign
            res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=box, method="highs")
            if res.status != 0:
                return None
            found.append(float(res.x[k]))
        if k < n:
            low[k], high[k] = found
        else:
            r_range = (found[0], found[1])
    return low, high, r_range


def _can_accept(scenario: Scenario, s: int, package: np.ndarray) -> bool:
    return all(c.holds(package) for c in scenario.constraints) and all(
        c.holds(package) for c in scenario.stakeholder_constraints[s]
    )

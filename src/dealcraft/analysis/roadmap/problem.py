"""The roadmap model: a package's steps, their effects on each party, exposure and defect incentive.

Two forms of one problem: :class:`StepProblem` keeps the floats and names for reporting, and
:class:`Instance` holds the integer-scaled data both solvers optimise, so the exact reference
and CP-SAT solve the very same discrete problem and their objectives compare exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from dealcraft.engine.utility import issue_tables
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

SCALE = 1_000_000  # utility units -> integers: exposures are exact to 1e-6
WEEK_SCALE = 100  # weeks -> integers: phase lengths are exact to 1/100 week
ZERO_TRUST = 1  # a trust of 0 counts as 1e-6 in the exposure/trust ratio (finite, still binding)
MAX_RATIO_SCALE = 10**6


@dataclass(frozen=True)
class Instance:
    """What the solvers see: integers only.

    ``kept[s, P]`` is the part of step s's effect on P that stays if everyone stops and takes
    back what can be taken back (delta_P(s) * (1 - reversible_s), times SCALE).
    """

    kept: np.ndarray  # (n, P) int64
    weeks: np.ndarray  # (n,) int64
    trust: np.ndarray  # (P,) int64
    prereqs: tuple[tuple[int, ...], ...]  # per step, the steps that must sit in an earlier phase
    actor: np.ndarray  # (n,) int64: the party that carries the step out
    opening: int | None = None  # party that must take phase 1 alone (GRIT)

    @property
    def n(self) -> int:
        """Number of steps."""
        return int(self.kept.shape[0])

    @property
    def parties(self) -> int:
        """Number of parties."""
        return int(self.kept.shape[1])

    @cached_property
    def ratio_trust(self) -> np.ndarray:
        """Trust as the denominator of the exposure/trust ratio (0 counts as 1e-6)."""
        return np.maximum(self.trust, ZERO_TRUST)

    @cached_property
    def final_exposure(self) -> np.ndarray:
        """(P,) exposure once every step is done: the last phase's, which no order avoids."""
        return np.maximum(0, -self.kept.sum(axis=0))

    @cached_property
    def residual_trust(self) -> np.ndarray:
        """Trust raised to the exposure left once every step is done."""
        return np.maximum(self.ratio_trust, self.final_exposure)

    @cached_property
    def ratio_scale(self) -> int:
        """Integer scale R that keeps the exposure/trust ratio objective exact (see :func:`_scale`)."""
        return _scale(self.ratio_trust)

    @cached_property
    def residual_scale(self) -> int:
        """The same scale for ratios against :attr:`residual_trust`."""
        return _scale(self.residual_trust)


def _scale(trust: np.ndarray) -> int:
    """R in ratio objectives max_P ceil(R * M_P / trust_P): the lcm of the trusts makes them
    exact; a larger lcm falls back to 1e6 (ratios exact to 1e-6)."""
    lcm = math.lcm(*(int(t) for t in trust)) if trust.size else 1
    return lcm if lcm <= MAX_RATIO_SCALE else MAX_RATIO_SCALE


def ceil_ratio(scale: int, exposure: np.ndarray, trust: np.ndarray) -> int:
    """max_P ceil(scale * exposure_P / trust_P), in exact integer arithmetic."""
    return max((-(-scale * int(m) // int(t)) for m, t in zip(exposure, trust, strict=True)), default=0)


@dataclass(frozen=True)
class Score:
    """A roadmap's integer objective terms (shared by both solvers and the tests)."""

    weeks: int
    max_exposure: tuple[int, ...]
    phases: int
    ratio: int  # max_P ceil(R * max exposure_P / trust_P)
    residual: int  # the same ratio against trust raised to the unavoidable end exposure
    feasible: bool

    def key(self, feasible_mode: bool) -> tuple[int, ...]:
        """Lexicographic objective: weeks, sum of largest exposures, phases. When no roadmap is
        feasible, first the largest exposure/trust ratio, then the largest ratio against trust
        raised to what completion leaves unavoidably (so avoidable excess is kept small too)."""
        base = (self.weeks, sum(self.max_exposure), self.phases)
        return base if feasible_mode else (self.ratio, self.residual, *base)


def score(inst: Instance, phase_of: Sequence[int]) -> Score:
    """Score a roadmap given as the 0-based phase of each step (phases must be 0..K-1, none empty)."""
    phase_of = np.asarray(phase_of, dtype=np.int64)
    if inst.n == 0:
        return Score(0, (0,) * inst.parties, 0, 0, 0, True)
    k = int(phase_of.max()) + 1
    weeks = 0
    cum = np.zeros(inst.parties, dtype=np.int64)
    worst = np.zeros(inst.parties, dtype=np.int64)
    for t in range(k):
        members = phase_of == t
        weeks += int(inst.weeks[members].max())
        cum = cum + inst.kept[members].sum(axis=0)
        worst = np.maximum(worst, -cum)
    return score_from_totals(inst, weeks, worst, k)


def score_from_totals(inst: Instance, weeks: int, worst: np.ndarray, k: int) -> Score:
    """A roadmap's score from its totals (weeks, each party's largest exposure, phases): the exact
    solver keeps totals along its paths, not phase assignments."""
    return Score(
        weeks,
        tuple(int(x) for x in worst),
        k,
        ceil_ratio(inst.ratio_scale, worst, inst.ratio_trust),
        ceil_ratio(inst.residual_scale, worst, inst.residual_trust),
        bool(np.all(worst <= inst.trust)),
    )


def check_order(inst: Instance, phase_of: Sequence[int]) -> list[str]:
    """What is wrong with a roadmap's structure (empty phases, prerequisites, the opening)."""
    problems = []
    phase_of = list(phase_of)
    used = set(phase_of)
    if inst.n and used != set(range(max(used) + 1)):
        problems.append("empty phase")
    for s, pre in enumerate(inst.prereqs):
        problems += [f"step {s} not after {a}" for a in pre if phase_of[a] >= phase_of[s]]
    if inst.opening is not None and inst.n:
        problems += [
            f"step {s} in the opening"
            for s in range(inst.n)
            if phase_of[s] == 0 and inst.actor[s] != inst.opening
        ]
    return problems


@dataclass(frozen=True)
class StepProblem:
    """The steps of one package with their effects, in floats and names (for reports)."""

    party_ids: tuple[str, ...]
    ids: tuple[str, ...]
    names: tuple[str, ...]
    issue: tuple[str, ...]  # issue id of each step
    actor: np.ndarray  # (n,) party index (the issue's giver)
    delta: np.ndarray  # (n, P): delta_P(s)
    reversible: np.ndarray  # (n,)
    weeks: np.ndarray  # (n,)
    prereqs: tuple[tuple[int, ...], ...]
    trust: np.ndarray  # (P,)
    opening: int | None = None
    unmet: tuple[tuple[str, str], ...] = ()  # (step, prerequisite outside the package): ignored
    package: tuple[int, ...] = ()
    instance: Instance = field(init=False, repr=False)

    def __post_init__(self) -> None:
        kept = np.rint(self.delta * (1.0 - self.reversible)[:, None] * SCALE).astype(np.int64)
        inst = Instance(
            kept.reshape(len(self.ids), len(self.party_ids)),
            np.rint(self.weeks * WEEK_SCALE).astype(np.int64),
            np.floor(self.trust * SCALE + 1e-6).astype(np.int64),
            self.prereqs,
            self.actor.astype(np.int64),
            self.opening,
        )
        object.__setattr__(self, "instance", inst)

    @property
    def n(self) -> int:
        """Number of steps."""
        return len(self.ids)

    @property
    def kept(self) -> np.ndarray:
        """(n, P) effect left after everyone takes back what can be taken back."""
        return self.delta * (1.0 - self.reversible)[:, None]

    @property
    def total(self) -> np.ndarray:
        """(P,) each party's gain when every step is done: U_P(package) - U_P(status quo)."""
        return self.delta.sum(axis=0)

    def exposure(self, done: np.ndarray) -> np.ndarray:
        """(P,) exposure once the steps in the boolean mask ``done`` are carried out."""
        return np.maximum(0.0, -self.kept[done].sum(axis=0))

    def incentive(self, done: np.ndarray) -> np.ndarray:
        """(P,) gain from stopping now (everyone takes back what can be taken back) versus
        completing: > 0 means the party is better off walking out at this point."""
        return self.kept[done].sum(axis=0) - self.total


def party_deltas(scenario: Scenario, package: Sequence[int]) -> np.ndarray:
    """(I, P) change in each party's utility when issue i moves from the status quo to the
    package's option (zero for unchanged issues)."""
    tables = issue_tables(scenario.params)
    sq = scenario.status_quo
    rows = [
        table[:, int(p)] - table[:, sq[i]] for i, (table, p) in enumerate(zip(tables, package, strict=True))
    ]
    return np.stack([scenario.party_matrix @ r for r in rows])


def trust_levels(scenario: Scenario, override: Mapping[str, float] | None = None) -> np.ndarray:
    """Each party's trust: ``override``, else the scenario's ``roadmap.trust``, else 0 (no
    exposure tolerated)."""
    ids = [p.id for p in scenario.parties]
    given = dict(scenario.trust)
    for party, value in (override or {}).items():
        if party not in ids:
            raise DealcraftError(f"unknown party {party!r} in the trust levels: use one of {', '.join(ids)}")
        if not math.isfinite(value) or value < 0:
            raise DealcraftError(f"trust of {party!r} is {value}: give a number >= 0 (party-utility units)")
        given[party] = float(value)
    return np.array([float(given.get(p, 0.0)) for p in ids])


def build_problem(
    scenario: Scenario,
    package: Sequence[int],
    trust: Mapping[str, float] | None = None,
    opening: str | None = None,
) -> StepProblem:
    """The steps of ``package`` (those of every option that leaves the status quo) with their
    effects on each party. Prerequisites outside the package are reported and ignored."""
    package = tuple(int(x) for x in package)
    steps = scenario.steps
    deltas = party_deltas(scenario, package)
    chosen = [s for i, p in enumerate(package) if p != scenario.status_quo[i] for s in steps[(i, p)]]
    index = {s.id: k for k, s in enumerate(chosen)}
    prereqs, unmet = [], []
    for s in chosen:
        prereqs.append(tuple(sorted(index[a] for a in s.after if a in index)))
        unmet += [(s.id, a) for a in s.after if a not in index]
    party_ids = tuple(p.id for p in scenario.parties)
    opener = None
    if opening is not None:
        if opening not in party_ids:
            raise DealcraftError(
                f"unknown party {opening!r} for the opening gesture: use one of {', '.join(party_ids)}"
            )
        opener = party_ids.index(opening)
    no_giver = sorted({scenario.issues[s.issue].id for s in chosen if scenario.issues[s.issue].giver is None})
    if no_giver:
        raise DealcraftError(
            f"{scenario.source}: issue(s) {', '.join(no_giver)} have no giver, and a roadmap needs the party "
            "that takes each step: add giver: PARTY to those issues"
        )
    n, parties = len(chosen), len(party_ids)
    return StepProblem(
        party_ids=party_ids,
        ids=tuple(s.id for s in chosen),
        names=tuple(s.name for s in chosen),
        issue=tuple(scenario.issues[s.issue].id for s in chosen),
        actor=np.array([scenario.issues[s.issue].giver for s in chosen], dtype=np.int64),
        delta=np.array([s.share * deltas[s.issue] for s in chosen]).reshape(n, parties),
        reversible=np.array([s.reversible for s in chosen], dtype=float),
        weeks=np.array([s.verify_weeks for s in chosen], dtype=float),
        prereqs=tuple(prereqs),
        trust=trust_levels(scenario, trust),
        opening=opener,
        unmet=tuple(unmet),
        package=package,
    )

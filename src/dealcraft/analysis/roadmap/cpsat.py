"""CP-SAT solver for roadmaps of any size, with the lexicographic objective solved in stages.

Each stage minimises one objective term, then fixes it (to its optimum, or to the best value
found when time runs out) for the next, starting from the previous stage's roadmap. The
model itself is in :mod:`cpmodel`; what makes large instances fast is offering it few
phases: once the terms before the weeks are fixed, a bound on the weeks bounds the phases of
the optimum (:func:`bounds.max_phases`), typically to a third of the general bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from dealcraft.analysis.roadmap import bounds
from dealcraft.analysis.roadmap.cpmodel import CpModel, build
from dealcraft.analysis.roadmap.exact import Solution
from dealcraft.analysis.roadmap.limits import DEFAULT_THREADS, DEFAULT_TIME_LIMIT
from dealcraft.analysis.roadmap.problem import Instance, ceil_ratio, score, score_from_totals

BUDGETS = (100, 110, 125, 150)  # week budgets tried first, in % of the weeks lower bound
BUDGET_SHARE = 0.3  # of the time left, at most, for each budget
LINEARIZATION = 0  # CP-SAT linearization_level
STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}
Found = tuple[tuple[int, ...], int]  # a roadmap (phase of each step) and its objective value


def solve_cpsat(
    inst: Instance,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    workers: int = DEFAULT_THREADS,
    seed: int = 0,
    max_phases: int | None = None,
) -> Solution:
    """Lexicographically optimal roadmap (see :func:`exact.solve_exact` for the objective).

    ``status`` is OPTIMAL when every stage was proven optimal, FEASIBLE when time ran out
    with a roadmap in hand, UNKNOWN when none was found, INFEASIBLE when no order at all
    exists (the opening party cannot move first)."""
    n = inst.n
    if n == 0:
        return Solution((), score_from_totals(inst, 0, np.zeros(inst.parties, np.int64), 0), True, "OPTIMAL")
    run = _Run(
        inst, time.monotonic() + time_limit, workers, seed, min(bounds.max_phases(inst), max_phases or n)
    )
    final = inst.final_exposure
    if np.any(final > inst.trust):  # exposed beyond trust once everything is done: no order helps
        proven_infeasible = True
    else:
        first = _stages(run, True)
        if first is not None and first[1] in ("OPTIMAL", "FEASIBLE"):
            return Solution(first[0], score(inst, first[0]), True, first[1])
        proven_infeasible = first is not None and first[1] == "INFEASIBLE"
    second = _stages(run, False)
    if second is None or second[1] not in ("OPTIMAL", "FEASIBLE"):
        if second is not None and second[1] == "INFEASIBLE":
            return Solution(
                (), score_from_totals(inst, 0, np.zeros(inst.parties, np.int64), 0), False, "INFEASIBLE"
            )
        fallback = run.start  # out of time with nothing found: the unoptimised order, flagged UNKNOWN
        sc = score(inst, fallback)
        return Solution(fallback, sc, sc.feasible, "UNKNOWN")
    # without proof that no feasible roadmap exists, the verdict itself is open: UNKNOWN
    status = second[1] if proven_infeasible else "UNKNOWN"
    return Solution(second[0], score(inst, second[0]), False, status)


@dataclass
class _Run:
    """What every stage of one solve shares: the instance, the clock, the solver settings,
    the phase cap (general bound, or the user's) and the instance's bounds, computed once."""

    inst: Instance
    end: float  # time.monotonic() deadline
    workers: int
    seed: int
    cap: int
    floor: int = field(init=False)  # lower bound on weeks
    start: tuple[int, ...] = field(init=False)  # as-soon-as-possible order

    def __post_init__(self) -> None:
        self.floor = bounds.weeks_floor(self.inst)
        self.start = bounds.asap(self.inst)

    def final_ratio(self, name: str) -> int:
        """The ratio term of the final state, which every roadmap reaches: a lower bound."""
        final = self.inst.final_exposure
        if name == "ratio":
            return ceil_ratio(self.inst.ratio_scale, final, self.inst.ratio_trust)
        return ceil_ratio(self.inst.residual_scale, final, self.inst.residual_trust)

    def left(self) -> float:
        return max(0.05, self.end - time.monotonic())

    def phases_for(self, weeks: int) -> int:
        """Phases to offer when the optimum takes at most ``weeks``."""
        return min(self.cap, bounds.max_phases(self.inst, weeks))

    def model(
        self, phases: int, feasible_mode: bool, fixed: dict[str, int], hint: tuple[int, ...]
    ) -> CpModel:
        """The model with ``phases`` phases, the terms fixed so far and a roadmap to start from."""
        built = build(self.inst, phases, feasible_mode, self.floor)
        for term, value in fixed.items():
            built.model.add(built.terms[term] <= value)
        _hint(built, hint)
        return built

    def solve(self, built: CpModel, term: str, share: float = 1.0) -> tuple[str, Found | None]:
        """Minimise ``term`` with ``share`` of the time left: status, roadmap and value."""
        built.model.minimize(built.terms[term])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = self.left() * share
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed
        # no LP: with the bounds of the model, propagation alone proves faster, and more evenly
        # across seeds (bench instances: about 2x less time at 40 and 80 steps)
        solver.parameters.linearization_level = LINEARIZATION
        stage = STATUS[solver.solve(built.model)]
        if stage not in ("OPTIMAL", "FEASIBLE"):
            return stage, None
        values = [[solver.boolean_value(v) for v in row] for row in built.y]
        return stage, (_phase_of(values), round(solver.objective_value))


def _stages(run: _Run, feasible_mode: bool) -> tuple[tuple[int, ...], str] | None:
    """Minimise the objective terms one after the other, each fixed for the next. After the
    weeks stage, the model keeps only the phases the optimal weeks allow."""
    order = ([] if feasible_mode else ["ratio", "residual"]) + ["weeks", "exposure", "phases"]
    fixed: dict[str, int] = {}
    known = None  # the best roadmap so far; it meets every fixed term
    if feasible_mode and score(run.inst, run.start).feasible:
        known = run.start
    status = "OPTIMAL"
    for name in order:
        if name == "weeks":
            stage, found = _weeks_stage(run, feasible_mode, fixed, known)
        elif name in ("ratio", "residual"):
            stage, found = _ratio_stage(run, name, fixed, known or run.start)
        else:
            phases = run.phases_for(fixed["weeks"]) if "weeks" in fixed else run.cap
            stage, found = run.solve(run.model(phases, feasible_mode, fixed, known or run.start), name)
        if found is None:
            if known is None:
                return None if stage == "UNKNOWN" else ((), stage)
            status = "FEASIBLE"  # keep the roadmap in hand, not proven best on this term
            break
        if stage == "FEASIBLE":
            status = "FEASIBLE"
        known, fixed[name] = found
    return (known, status) if known is not None else None


def _weeks_stage(
    run: _Run, feasible_mode: bool, fixed: dict[str, int], known: tuple[int, ...] | None
) -> tuple[str, Found | None]:
    """Least weeks, trying budgets from the lower bound up: under "weeks <= W" the model only
    needs the phases W allows, so it is small. A roadmap found within W puts the optimum
    within W too, hence in that model: the result is exact. A budget proven infeasible, or
    out of time, passes to the next; the last resort, with all the time left, offers the
    phases that the best roadmap in hand allows (all terms before the weeks are fixed, so its
    weeks bound the optimum's), or the general bound."""
    phases = run.cap if known is None else run.phases_for(score(run.inst, known).weeks)
    hint = known or run.start
    tried, best = 0, None
    for percent in BUDGETS:
        budget = run.floor * percent // 100
        few = run.phases_for(budget)
        if few >= phases:
            break
        if few <= tried:
            continue
        tried = few
        built = run.model(few, feasible_mode, fixed, hint)
        built.model.add(built.terms["weeks"] <= budget)
        stage, found = run.solve(built, "weeks", BUDGET_SHARE)
        if stage == "OPTIMAL":
            return stage, found
        if found is not None:  # out of its share: go on with all the time, from this roadmap
            best, hint, phases = found, found[0], run.phases_for(found[1])
            break
    stage, found = run.solve(run.model(phases, feasible_mode, fixed, hint), "weeks")
    return (stage, found) if found is not None or best is None else ("FEASIBLE", best)


def _ratio_stage(
    run: _Run, name: str, fixed: dict[str, int], hint: tuple[int, ...]
) -> tuple[str, Found | None]:
    """Least exposure/trust ratio (when no roadmap is within trust). Nothing bounds the phases
    yet, but the ratio can never be below that of the final state, and a small model usually
    reaches it: then it is proven optimal without the large model."""
    few, best = run.phases_for(run.floor), None
    if few < run.cap:
        best = run.solve(run.model(few, False, fixed, hint), name, BUDGET_SHARE)[1]
        if best is not None and best[1] <= run.final_ratio(name):
            return "OPTIMAL", best
        hint = best[0] if best is not None else hint
    stage, found = run.solve(run.model(run.cap, False, fixed, hint), name)
    return (stage, found) if found is not None or best is None else ("FEASIBLE", best)


def _hint(built: CpModel, phase_of: tuple[int, ...]) -> None:
    """Start the search from a roadmap (phases beyond the model's are folded into its last)."""
    last = len(built.used) - 1
    built.model.clear_hints()
    for row, start in zip(built.y, phase_of, strict=True):
        for t, v in enumerate(row):
            built.model.add_hint(v, t >= min(start, last))


def _phase_of(values: list[list[bool]]) -> tuple[int, ...]:
    """0-based phase of each step from the y values, renumbered without gaps."""
    done = [next(t for t, v in enumerate(row) if v) for row in values]
    order = {t: k for k, t in enumerate(sorted(set(done)))}
    return tuple(order[t] for t in done)

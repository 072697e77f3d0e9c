"""CP-SAT solver for roadmaps of any size, with the lexicographic objective solved in stages.

Variables: y[s][t] = step s done by the end of phase t (monotone in t), so a step sits in
phase t when y[s][t] - y[s][t-1] = 1. Cumulative kept effects are linear in y, which keeps
the exposure constraints small. Each stage minimises one objective term, then fixes it (to
its optimum, or to the best value found when time runs out) for the next stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from dealcraft.analysis.roadmap.exact import Solution
from dealcraft.analysis.roadmap.model import Instance, _score, score

DEFAULT_TIME_LIMIT = 20.0  # seconds for all stages together
DEFAULT_WORKERS = 1
STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}


@dataclass
class _Model:
    model: cp_model.CpModel
    y: list[list[cp_model.IntVar]]
    terms: dict[str, cp_model.LinearExpr]


def _build(inst: Instance, phases: int, feasible_mode: bool) -> _Model:
    n, parties = inst.n, inst.parties
    m = cp_model.CpModel()
    y = [[m.new_bool_var(f"y{s}_{t}") for t in range(phases)] for s in range(n)]
    used = [m.new_bool_var(f"u{t}") for t in range(phases)]
    # phase length by levels (the distinct verification lags): b[t][l] = "phase t lasts at
    # least levels[l]"; boolean clauses propagate far better than length >= weeks * placed
    levels = sorted({int(w) for w in inst.weeks if w > 0})
    level_of = {w: k for k, w in enumerate(levels)}
    at_least = [[m.new_bool_var(f"b{t}_{k}") for k in range(len(levels))] for t in range(phases)]
    steps_up = [w - (levels[k - 1] if k else 0) for k, w in enumerate(levels)]
    length = [sum(d * b for d, b in zip(steps_up, row, strict=True)) for row in at_least]
    for s in range(n):
        m.add(y[s][phases - 1] == 1)
        for t in range(1, phases):
            m.add_implication(y[s][t - 1], y[s][t])
        for a in inst.prereqs[s]:
            m.add(y[s][0] == 0)
            for t in range(1, phases):
                m.add_implication(y[s][t], y[a][t - 1])
    for t in range(phases):
        for k in range(1, len(levels)):
            m.add_implication(at_least[t][k], at_least[t][k - 1])
        for s in range(n):
            starts = [y[s][t].Not()] + ([y[s][t - 1]] if t else [])  # "s is not placed in phase t" or ...
            m.add_bool_or([*starts, used[t]])
            if inst.weeks[s] > 0:
                m.add_bool_or([*starts, at_least[t][level_of[int(inst.weeks[s])]]])
        m.add(sum(y[s][t] - (y[s][t - 1] if t else 0) for s in range(n)) >= used[t])
        if t + 1 < phases:
            m.add_implication(used[t + 1], used[t])
    m.add(sum(length) >= critical_path(inst))
    if inst.opening is not None:
        for s in range(n):
            if inst.actor[s] != inst.opening:
                m.add(y[s][0] == 0)
    cum = [
        [sum(int(inst.kept[s, p]) * y[s][t] for s in range(n) if inst.kept[s, p]) for t in range(phases)]
        for p in range(parties)
    ]
    bound = int(np.maximum(0, -inst.kept).sum(axis=0).max(initial=0))
    worst = [m.new_int_var(0, bound, f"m{p}") for p in range(parties)]
    for p in range(parties):
        for t in range(phases):
            m.add(worst[p] + cum[p][t] >= 0)
            if feasible_mode:
                m.add(cum[p][t] >= -int(inst.trust[p]))
    terms: dict[str, cp_model.LinearExpr] = {}
    if not feasible_mode:
        for name, scale, trust in (
            ("ratio", inst.ratio_scale, inst.ratio_trust),
            ("residual", inst.residual_scale, inst.residual_trust),
        ):
            top = max((-(-scale * bound // int(t)) for t in trust), default=0)
            z = m.new_int_var(0, top, name)
            for p in range(parties):
                for t in range(phases):
                    m.add(z * int(trust[p]) + scale * cum[p][t] >= 0)
            terms[name] = z
    terms["weeks"] = sum(length)
    terms["exposure"] = sum(worst)
    terms["phases"] = sum(used)
    return _Model(m, y, terms)


def critical_path(inst: Instance) -> int:
    """Longest prerequisite chain by verification weeks: a lower bound on total weeks, since
    each step of a chain sits in its own, later phase."""
    finish = [0] * inst.n
    for _ in range(inst.n):  # n rounds settle any acyclic graph
        finish = [
            int(inst.weeks[s]) + max((finish[a] for a in pre), default=0)
            for s, pre in enumerate(inst.prereqs)
        ]
    return max(finish, default=0)


def asap(inst: Instance) -> tuple[int, ...]:
    """Every step as early as its prerequisites allow (after the opening, if any): the hint
    CP-SAT starts from, and the answer when it finds nothing in time."""
    depth = [0] * inst.n
    for _ in range(inst.n):
        depth = [max((depth[a] + 1 for a in pre), default=0) for pre in inst.prereqs]
    if inst.opening is None:
        return tuple(depth)
    first = [s for s in range(inst.n) if not inst.prereqs[s] and inst.actor[s] == inst.opening]
    shifted = [0 if s in first else d + 1 for s, d in enumerate(depth)]
    order = {t: k for k, t in enumerate(sorted(set(shifted)))}  # no empty phase
    return tuple(order[t] for t in shifted)


def solve_cpsat(
    inst: Instance,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    workers: int = DEFAULT_WORKERS,
    seed: int = 0,
    max_phases: int | None = None,
) -> Solution:
    """Lexicographically optimal roadmap (see :func:`exact.solve_exact` for the objective).

    ``status`` is OPTIMAL when every stage was proven optimal, FEASIBLE when time ran out
    with a roadmap in hand, UNKNOWN when none was found, INFEASIBLE when no order at all
    exists (the opening party cannot move first)."""
    n = inst.n
    if n == 0:
        return Solution((), _score(inst, 0, np.zeros(inst.parties, np.int64), 0), True, "OPTIMAL")
    phases = min(n, max_phases or n)
    deadline = _Clock(time_limit)
    final = np.maximum(0, -inst.kept.sum(axis=0))
    if np.any(final > inst.trust):  # exposed beyond trust once everything is done: no order helps
        proven_infeasible = True
    else:
        first = _stages(inst, phases, True, deadline, workers, seed)
        if first is not None and first[1] in ("OPTIMAL", "FEASIBLE"):
            return Solution(first[0], score(inst, first[0]), True, first[1])
        proven_infeasible = first is not None and first[1] == "INFEASIBLE"
    second = _stages(inst, phases, False, deadline, workers, seed)
    if second is None or second[1] not in ("OPTIMAL", "FEASIBLE"):
        if second is not None and second[1] == "INFEASIBLE":
            return Solution((), _score(inst, 0, np.zeros(inst.parties, np.int64), 0), False, "INFEASIBLE")
        fallback = asap(inst)  # out of time with nothing found: the unoptimised order, flagged UNKNOWN
        sc = score(inst, fallback)
        return Solution(fallback, sc, sc.feasible, "UNKNOWN")
    # without proof that no feasible roadmap exists, the verdict itself is open: UNKNOWN
    status = second[1] if proven_infeasible else "UNKNOWN"
    return Solution(second[0], score(inst, second[0]), False, status)


class _Clock:
    def __init__(self, seconds: float):
        import time

        self._time = time.monotonic
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.05, self.end - self._time())


def _stages(
    inst: Instance, phases: int, feasible_mode: bool, clock: _Clock, workers: int, seed: int
) -> tuple[tuple[int, ...], str] | None:
    built = _build(inst, phases, feasible_mode)
    start = asap(inst)
    for s, row in enumerate(built.y):
        for t, v in enumerate(row):
            built.model.add_hint(v, t >= start[s])
    order = ([] if feasible_mode else ["ratio", "residual"]) + ["weeks", "exposure", "phases"]
    status = "OPTIMAL"
    values = None
    for name in order:
        term = built.terms[name]
        built.model.minimize(term)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = clock.left()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        code = solver.solve(built.model)
        stage = STATUS[code]
        if stage not in ("OPTIMAL", "FEASIBLE"):
            if values is None:
                return None if stage == "UNKNOWN" else ((), stage)
            status = "FEASIBLE"  # keep the previous stage's roadmap, not proven best on this term
            break
        if stage == "FEASIBLE":
            status = "FEASIBLE"
        values = [[solver.boolean_value(v) for v in row] for row in built.y]
        best = round(solver.objective_value)
        built.model.add(term <= best)
        built.model.clear_hints()
        for row, vals in zip(built.y, values, strict=True):
            for v, val in zip(row, vals, strict=True):
                built.model.add_hint(v, val)
    if values is None:
        return None
    return _phase_of(values), status


def _phase_of(values: list[list[bool]]) -> tuple[int, ...]:
    """0-based phase of each step from the y values, renumbered without gaps."""
    done = [next(t for t, v in enumerate(row) if v) for row in values]
    order = {t: k for k, t in enumerate(sorted(set(done)))}
    return tuple(order[t] for t in done)

"""The CP-SAT model of a roadmap with a given number of phases.

Variables: y[s][t] = step s done by the end of phase t (monotone in t), so a step sits in
phase t when y[s][t] - y[s][t-1] = 1. Cumulative kept effects are linear in y, which keeps
the exposure constraints small. Phase lengths go through one boolean per (phase, length
level), which propagates far better than length >= weeks * placed. A dominance rule (merge
unlinked phases) and bounds from the prerequisite graph (:mod:`bounds`) cut what the linear
relaxation cannot: without them CP-SAT proves little beyond the critical path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from dealcraft.analysis.roadmap import bounds
from dealcraft.analysis.roadmap.problem import Instance


@dataclass
class CpModel:
    """A built model: y[s][t] (step s done by the end of phase t), the phase-used flags and
    the objective terms as linear expressions."""

    model: cp_model.CpModel
    y: list[list[cp_model.IntVar]]
    used: list[cp_model.IntVar]
    terms: dict[str, cp_model.LinearExpr]


def build(inst: Instance, phases: int, feasible_mode: bool, weeks_floor: int) -> CpModel:
    """The roadmap model with ``phases`` phases. ``feasible_mode``: exposures within trust as
    constraints (else the ratio terms to minimise); ``weeks_floor``: a lower bound on weeks."""
    n = inst.n
    m = cp_model.CpModel()
    y = [[m.new_bool_var(f"y{s}_{t}") for t in range(phases)] for s in range(n)]
    used = [m.new_bool_var(f"u{t}") for t in range(phases)]
    levels, at_least, length = _length_levels(m, inst, phases)
    _order_steps(m, inst, y, phases)
    _fill_phases(m, inst, y, used, at_least, levels)
    _link_phases(m, inst, y, used)
    _add_bounds(m, inst, at_least, levels, used, weeks_floor)
    _keep_opening(m, inst, y)
    cum = _cumulative_kept(inst, y, phases)
    bound = int(np.maximum(0, -inst.kept).sum(axis=0).max(initial=0))
    worst = _worst_exposures(m, inst, cum, bound, feasible_mode)
    terms = {} if feasible_mode else _ratio_terms(m, inst, cum, bound)
    terms["weeks"] = sum(length)
    terms["exposure"] = sum(worst)
    terms["phases"] = sum(used)
    return CpModel(m, y, used, terms)


def _length_levels(
    m: cp_model.CpModel, inst: Instance, phases: int
) -> tuple[list[int], list[list[cp_model.IntVar]], list[cp_model.LinearExpr]]:
    """Phase lengths by level (the distinct verification lags): b[t][l] = "phase t lasts at
    least levels[l]"; boolean clauses propagate far better than length >= weeks * placed."""
    levels = sorted({int(w) for w in inst.weeks if w > 0})
    at_least = [[m.new_bool_var(f"b{t}_{k}") for k in range(len(levels))] for t in range(phases)]
    steps_up = [w - (levels[k - 1] if k else 0) for k, w in enumerate(levels)]
    length = [sum(d * b for d, b in zip(steps_up, row, strict=True)) for row in at_least]
    return levels, at_least, length


def _order_steps(m: cp_model.CpModel, inst: Instance, y: list[list[cp_model.IntVar]], phases: int) -> None:
    """Every step done by the last phase, once done stays done, and only after its prerequisites."""
    for s in range(inst.n):
        m.add(y[s][phases - 1] == 1)
        for t in range(1, phases):
            m.add_implication(y[s][t - 1], y[s][t])
        for a in inst.prereqs[s]:
            m.add(y[s][0] == 0)
            for t in range(1, phases):
                m.add_implication(y[s][t], y[a][t - 1])


def _fill_phases(
    m: cp_model.CpModel,
    inst: Instance,
    y: list[list[cp_model.IntVar]],
    used: list[cp_model.IntVar],
    at_least: list[list[cp_model.IntVar]],
    levels: list[int],
) -> None:
    """A phase is used iff some step sits in it, lasts at least as long as each of its steps,
    and used phases come first."""
    n, phases = inst.n, len(used)
    level_of = {w: k for k, w in enumerate(levels)}
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


def _keep_opening(m: cp_model.CpModel, inst: Instance, y: list[list[cp_model.IntVar]]) -> None:
    """With an opening party, phase 0 holds only that party's steps (it moves first)."""
    if inst.opening is not None:
        for s in range(inst.n):
            if inst.actor[s] != inst.opening:
                m.add(y[s][0] == 0)


def _cumulative_kept(
    inst: Instance, y: list[list[cp_model.IntVar]], phases: int
) -> list[list[cp_model.LinearExpr]]:
    """cum[p][t]: party p's kept effects of the steps done by the end of phase t (linear in y)."""
    return [
        [sum(int(inst.kept[s, p]) * y[s][t] for s in range(inst.n) if inst.kept[s, p]) for t in range(phases)]
        for p in range(inst.parties)
    ]


def _worst_exposures(
    m: cp_model.CpModel,
    inst: Instance,
    cum: list[list[cp_model.LinearExpr]],
    bound: int,
    feasible_mode: bool,
) -> list[cp_model.IntVar]:
    """Each party's largest exposure over the phases (and, in feasible mode, every exposure
    within that party's trust)."""
    final = inst.final_exposure
    worst = [m.new_int_var(int(final[p]), bound, f"m{p}") for p in range(inst.parties)]
    for p in range(inst.parties):
        for t in range(len(cum[p])):
            m.add(worst[p] + cum[p][t] >= 0)
            if feasible_mode:
                m.add(cum[p][t] >= -int(inst.trust[p]))
    return worst


def _ratio_terms(
    m: cp_model.CpModel, inst: Instance, cum: list[list[cp_model.LinearExpr]], bound: int
) -> dict[str, cp_model.LinearExpr]:
    """When no roadmap fits trust: the largest exposure/trust ratio (and residual ratio) to
    minimise, scaled to integers."""
    terms: dict[str, cp_model.LinearExpr] = {}
    for name, scale, trust in (
        ("ratio", inst.ratio_scale, inst.ratio_trust),
        ("residual", inst.residual_scale, inst.residual_trust),
    ):
        top = max((-(-scale * bound // int(t)) for t in trust), default=0)
        z = m.new_int_var(0, top, name)
        for p in range(inst.parties):
            for t in range(len(cum[p])):
                m.add(z * int(trust[p]) + scale * cum[p][t] >= 0)
        terms[name] = z
    return terms


def _link_phases(
    m: cp_model.CpModel, inst: Instance, y: list[list[cp_model.IntVar]], used: list[cp_model.IntVar]
) -> None:
    """Dominance: a used phase t >= 1 holds a step with a prerequisite in phase t - 1 (or,
    right after an opening, a step of another party). Otherwise merging phases t - 1 and t
    gives a roadmap no longer, never more exposed (one state fewer) and with one phase fewer,
    so some optimal roadmap always satisfies this; it cuts the many equivalent splittings."""
    for t in range(1, len(used)):
        reasons = []
        for s, pre in enumerate(inst.prereqs):
            if pre:  # z: s sits in phase t and one of its prerequisites in phase t - 1
                z = m.new_bool_var(f"l{s}_{t}")
                m.add_implication(z, y[s][t])
                m.add_implication(z, y[s][t - 1].Not())
                if t >= 2:  # the prerequisites are done by t - 1, so: one of them not yet by t - 2
                    m.add_bool_or([z.Not(), *(y[a][t - 2].Not() for a in pre)])
                reasons.append(z)
            elif t == 1 and inst.opening is not None and inst.actor[s] != inst.opening:
                reasons.append(y[s][1])  # phase 0 is the opening: merging would break it
        m.add_bool_or([used[t].Not(), *reasons])


def _add_bounds(
    m: cp_model.CpModel,
    inst: Instance,
    at_least: list[list[cp_model.IntVar]],
    levels: list[int],
    used: list[cp_model.IntVar],
    weeks_floor: int,
) -> None:
    """Redundant bounds from the prerequisite graph (see :mod:`bounds`): phases per length
    level, total weeks, number of phases. Every roadmap meets them, so no optimum changes."""
    chains = bounds.level_chains(inst, levels)
    for k, need in enumerate(chains):
        m.add(sum(row[k] for row in at_least) >= need)
    increments = [w - (levels[k - 1] if k else 0) for k, w in enumerate(levels)]
    weeks = sum(d * row[k] for row in at_least for k, d in enumerate(increments))
    m.add(weeks >= weeks_floor)
    m.add(sum(used) >= bounds.longest_chain(inst, [1] * inst.n))

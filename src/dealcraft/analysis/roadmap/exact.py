"""Exact reference solver: dynamic programming over the sets of steps already done.

Exposure after a phase depends only on the set of steps done so far, so a roadmap is a path
of growing sets. Total weeks and phases add up along the path but each party's largest
exposure is a maximum over it, so every set keeps its Pareto-optimal labels
(weeks, phases, largest exposure per party); the lexicographic objective is monotone in each,
hence the optimum survives. About 3^n transitions: meant for n <= 10 (tests, benchmarks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.roadmap.problem import Instance, Score, score_from_totals
from dealcraft.errors import DealcraftError

MAX_STEPS = 12


@dataclass(frozen=True)
class Solution:
    """The exact solver's answer: each step's phase, the score, whether every exposure stays within
    trust, and the solver status."""

    phase_of: tuple[int, ...]  # 0-based phase of each step
    score: Score
    feasible: bool  # some roadmap keeps every exposure within trust
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE (no roadmap at all), UNKNOWN


def solve_exact(inst: Instance) -> Solution:
    """The optimal roadmap: feasible with least (weeks, sum of largest exposures, phases), or
    if none is feasible, least (largest exposure/trust ratio, then the same)."""
    n = inst.n
    if n == 0:
        return Solution((), score_from_totals(inst, 0, np.zeros(inst.parties, np.int64), 0), True, "OPTIMAL")
    if n > MAX_STEPS:
        raise DealcraftError(
            f"the exact solver handles at most {MAX_STEPS} steps and this package has {n}: "
            "use the CP-SAT solver (--solver cpsat)"
        )
    tables = _tables(inst)
    for feasible_mode in (True, False):
        best = _search(inst, tables, feasible_mode)
        if best is not None:
            return Solution(best[0], best[1], feasible_mode, "OPTIMAL")
    return Solution((), score_from_totals(inst, 0, np.zeros(inst.parties, np.int64), 0), False, "INFEASIBLE")


def _tables(inst: Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per subset mask: exposure (2^n, P), longest verification; per step: prerequisite mask."""
    n = inst.n
    masks = np.arange(1 << n, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(np.int64)
    exposure = np.maximum(0, -(bits @ inst.kept))
    longest = np.max(np.where(bits == 1, inst.weeks[None, :], 0), axis=1)
    pre = np.array([sum(1 << a for a in p) for p in inst.prereqs], dtype=np.int64)
    allowed = np.ones(1 << n, dtype=bool)
    if inst.opening is not None:
        allowed = np.zeros(1 << n, dtype=bool)
        own = sum(1 << s for s in range(n) if inst.actor[s] == inst.opening)
        allowed[masks[(masks & ~own) == 0]] = True
    return exposure, longest, pre, allowed


def _search(inst: Instance, tables, feasible_mode: bool) -> tuple[tuple[int, ...], Score] | None:
    """The best roadmap over growing sets of done steps, or None if no path reaches all of them
    (in feasible mode, only through sets whose exposure stays within trust)."""
    exposure, longest, pre, opening_ok = tables
    n = inst.n
    full = (1 << n) - 1
    # label: (weeks, phases, worst exposure tuple, parent mask, parent label index, phase mask)
    labels: dict[int, list[tuple]] = {0: [(0, 0, (0,) * inst.parties, -1, -1, 0)]}
    exp_rows = [tuple(int(x) for x in row) for row in exposure]
    fits = np.all(exposure <= inst.trust, axis=1) if feasible_mode else np.ones(1 << n, dtype=bool)
    for mask in range(full + 1):
        here = labels.get(mask)
        if not here or mask == full:
            continue
        ready = _ready_steps(mask, pre, n)
        sub = ready
        while sub:
            if (mask or opening_ok[sub]) and fits[mask | sub]:
                new = mask | sub
                _extend(labels.setdefault(new, []), here, mask, sub, exp_rows[new], int(longest[sub]))
            sub = (sub - 1) & ready
    final = labels.get(full)
    if not final:
        return None
    best_path, best_score = _best_label(inst, final, feasible_mode)
    return _unwind(labels, full, best_path, n), best_score


def _ready_steps(mask: int, pre: np.ndarray, n: int) -> int:
    """Mask of the steps not yet done whose prerequisites are all in ``mask``."""
    ready = 0
    for s in range(n):
        if not (mask >> s) & 1 and (pre[s] & ~mask) == 0:
            ready |= 1 << s
    return ready


def _extend(target: list[tuple], here: list[tuple], mask: int, sub: int, e: tuple, w: int) -> None:
    """Add to ``target`` every label of ``mask`` followed by the phase ``sub`` (lasting ``w``
    weeks, reaching exposure ``e``), keeping only Pareto-optimal ones."""
    for k, (weeks, phases, worst, *_rest) in enumerate(here):
        label = (weeks + w, phases + 1, tuple(max(a, b) for a, b in zip(worst, e, strict=True)))
        _insert(target, (*label, mask, k, sub))


def _best_label(inst: Instance, final: list[tuple], feasible_mode: bool) -> tuple[int, Score]:
    """Index and score of the best complete roadmap; ties keep the first label."""
    scores = [
        score_from_totals(inst, weeks, np.array(worst, dtype=np.int64), phases)
        for weeks, phases, worst, *_rest in final
    ]
    best = min(range(len(scores)), key=lambda k: scores[k].key(feasible_mode))
    return best, scores[best]


def _insert(labels: list[tuple], label: tuple) -> None:
    """Add ``label`` unless an existing one is at least as good in every term; drop the ones
    it beats. Equal labels keep the first (deterministic)."""
    w, k, m = label[0], label[1], label[2]
    for other in labels:
        if other[0] <= w and other[1] <= k and all(a <= b for a, b in zip(other[2], m, strict=True)):
            return
    labels[:] = [
        o
        for o in labels
        if not (w <= o[0] and k <= o[1] and all(a <= b for a, b in zip(m, o[2], strict=True)))
    ]
    labels.append(label)


def _unwind(labels: dict[int, list[tuple]], mask: int, k: int, n: int) -> tuple[int, ...]:
    phases = []
    while mask:
        label = labels[mask][k]
        phases.append(label[5])
        mask, k = label[3], label[4]
    phases.reverse()
    phase_of = [0] * n
    for t, sub in enumerate(phases):
        for s in range(n):
            if (sub >> s) & 1:
                phase_of[s] = t
    return tuple(phase_of)

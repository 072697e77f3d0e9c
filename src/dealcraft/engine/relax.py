"""The agreement set's frontier with reservations brought in lazily.

Comparing partial packages stakeholder by stakeholder (what acceptance needs) makes the fold's
partial frontiers as many-dimensional as there are stakeholders, and they grow fast with each
numeric issue. Usually only a few stakeholders bind, and only on part of the frontier. So fold a
*relaxation* first, in which only the ``active`` stakeholders must meet their reservation (red
lines always count: they cost no coordinate) and the others' party utility is compared as one
number (:meth:`dealcraft.engine.fold.Problem.dominance`). Its agreement set R contains the true
one A, so:

* a point of R's frontier reached by an accepted package is on A's frontier, with the same
  packages (the fold keeps every package of R at a frontier point);
* every other point of A's frontier lies below a refused point of R's frontier.

With two parties, a run of refused points (by the first party's utility) between accepted
points ``prev`` and ``next`` can only hide A-frontier points whose first utility is at least
``prev``'s and second at least ``next``'s: anything else is dominated by ``prev`` or ``next``.
That box is folded again, restricted to it by party floors (lower bounds stay exact: they prune
monotonically) and with the stakeholders who refused there made active; it recurses until
no refused point is left. Each fold makes at least one more stakeholder active, so this ends; at
worst every stakeholder is active, which is the plain fold. With three or more parties the
refusals are usually spread over most stakeholders (measured: 3 parties x 2 stakeholders), so
after the first relaxation the whole space is folded once more with everyone active.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from dealcraft.engine.bounds import NO_FLOOR, SCALE
from dealcraft.engine.fold import Problem, States, fold, issue_order
from dealcraft.engine.frontier import DECIMALS, nondominated


@dataclass
class Search:
    """What every fold of one staged search shares, and what the folds found."""

    problem: Problem
    order: Sequence[int]
    memory: int
    target: Sequence[int] | None = None  # bridges: distance from this package is an objective
    max_distance: int | None = None  # bridges: only packages this close to ``target``
    found: list[tuple[States, np.ndarray]] = field(default_factory=list)

    def fold(self, active: np.ndarray, floors: np.ndarray) -> States:
        """One fold of the relaxation (``active``, ``floors``)."""
        witnesses = {} if self.target is None else {"witnesses": 1}
        return fold(
            self.problem.relaxed(active, floors),
            order=self.order,
            memory=self.memory,
            incumbents=True,
            target=self.target,
            max_distance=self.max_distance,
            **witnesses,
        )


def efficient_states(
    problem: Problem,
    order: Sequence[int] | None,
    memory: int,
    *,
    target: Sequence[int] | None = None,
    max_distance: int | None = None,
) -> tuple[States, np.ndarray]:
    """The accepted states on the agreement set's frontier, and their rounded party utilities;
    with ``target`` and ``max_distance``, of the agreement set within that many issue changes
    of ``target`` (one witness, the smallest package number, per state)."""
    order = issue_order(problem, few_options_first=True) if order is None else order
    search = Search(problem, order, memory, target, max_distance)
    _solve(search, first_active(problem), np.full(len(problem.party), NO_FLOOR, dtype=np.int64))
    return _merge(search.found)


def first_active(problem: Problem) -> np.ndarray:
    """(S,) who must meet their reservation in the first relaxation: the sole stakeholder of a
    party of one (it costs no extra coordinate), nobody else."""
    start = np.zeros(len(problem.thresholds), dtype=bool)
    for members in problem.rules.members:
        start[members] = len(members) == 1
    return start


def _solve(search: Search, active: np.ndarray, floors: np.ndarray) -> None:
    """Fold the relaxation (``active``, ``floors``), keep its accepted frontier points, and fold
    again where refused points may hide others.

    A point counts as settled only when every package found at it is accepted: with a distance
    objective (bridges), a refused package may have pushed an accepted one at the same point out
    by being closer, so such a point is looked at again with the refusers active."""
    problem = search.problem
    states = search.fold(active, floors)
    points = np.round(problem.party_utilities(states.vectors), DECIMALS)
    keep = nondominated(points) if len(points) else np.zeros(0, dtype=bool)
    states, points = states.take(keep), points[keep]
    accepted = problem.ratifies(states.vectors, states.broken)  # by the full rules
    distinct, inverse = np.unique(points, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    settled = np.zeros(len(distinct), dtype=bool)  # a point reached by an accepted package
    np.logical_or.at(settled, inverse, accepted)
    if search.target is not None:
        np.logical_and.at(settled, inverse, accepted)
    search.found.append((states.take(settled[inverse] & accepted), points[settled[inverse] & accepted]))
    if settled.all():
        return
    for more, box in _next_folds(
        problem, active, states, accepted, inverse, _boxes(distinct, settled, floors, problem)
    ):
        _solve(search, more, box)


def _next_folds(problem: Problem, active, states: States, accepted, point_of, boxes):
    """(active, floors) of each fold still needed: per box, every stakeholder short of a
    reservation in one of its refused packages becomes active (with three or more parties,
    everyone: refusals there are usually spread over most stakeholders, and one plain fold beats
    several). Boxes that bring in the same stakeholders are folded once, as the smallest box
    holding them all (neighbouring runs of refused points often differ by one accepted point).
    Bringing in one stakeholder at a time was measured slower: more folds, rarely smaller ones."""
    plans: dict[tuple[bool, ...], np.ndarray] = {}
    for box, rows in boxes:
        short = states.vectors[np.isin(point_of, rows) & ~accepted] < problem.thresholds
        noes = np.where(active, 0, short.sum(axis=0))
        if noes.max() <= 0:
            raise AssertionError("a refused package had every stakeholder short of a reservation active")
        more = active.copy()
        if len(problem.party) == 2:
            more |= noes > 0
        else:
            more[:] = True
        key = tuple(bool(x) for x in more)
        plans[key] = np.minimum(plans[key], box) if key in plans else box
    return [(np.array(key), box) for key, box in plans.items()]


def _boxes(points: np.ndarray, ok: np.ndarray, floors: np.ndarray, problem: Problem):
    """(floors, point rows) per region that may hide frontier points below refused ones: with two
    parties one box per run of refused points; otherwise the whole current region."""
    if points.shape[1] != 2:
        yield floors, np.flatnonzero(~ok)
        return
    order = np.argsort(points[:, 0], kind="stable")
    run: list[int] = []
    prev: int | None = None
    for k in [*order, None]:
        if k is not None and not ok[k]:
            run.append(int(k))
            continue
        if run:
            box = floors.copy()
            if prev is not None:
                box[0] = max(box[0], _integer_floor(points[prev, 0], problem))
            if k is not None:
                box[1] = max(box[1], _integer_floor(points[k, 1], problem))
            yield box, np.array(run)
            run = []
        prev = k


def _integer_floor(value: float, problem: Problem) -> int:
    """An integer party floor at or below ``value`` (a utility rounded to DECIMALS) by more than
    that rounding and the fold's own."""
    return int(np.floor((value - 10.0**-DECIMALS) * SCALE)) - problem.margin - 2


def _merge(found: list[tuple[States, np.ndarray]]) -> tuple[States, np.ndarray]:
    """All folds' accepted frontier states, each point taken from the first fold that found it
    (every fold that finds a point finds all its packages), and the non-dominated ones kept."""
    seen: set[tuple[float, ...]] = set()
    parts: list[tuple[States, np.ndarray]] = []
    for states, points in found:
        fresh = np.array([tuple(p) not in seen for p in points], dtype=bool)
        seen.update(tuple(p) for p in points[fresh])
        parts.append((states.take(fresh), points[fresh]))
    if len(parts) == 1:  # one fold: its points are already its frontier
        return parts[0]
    states = States.concat([s for s, _ in parts])
    points = np.vstack([p for _, p in parts])
    keep = nondominated(points) if len(points) else np.zeros(0, dtype=bool)
    return states.take(keep), points[keep]

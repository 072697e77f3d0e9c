"""What the fold's surviving states answer: the party-utility frontier and the bridge.

Both are read off the accepted states of :func:`dealcraft.engine.fold.fold`, which contain every
package that can matter for them (see that module for why), so both are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from dealcraft.engine.fold import INT64_NUMBERS, MEMORY, Problem, States, fold, lex_order
from dealcraft.engine.frontier import PACKAGES_PER_POINT, Frontier, nash_scores
from dealcraft.engine.relax import efficient_states, first_active
from dealcraft.engine.space import strides
from dealcraft.model.scenario import Parameters, Scenario


@dataclass
class FoldedFrontier(Frontier):
    """A frontier whose packages are kept as option indices (spaces beyond int64 numbers)."""

    digits: list[np.ndarray] = field(default_factory=list)  # per vector (w, I), smallest number first

    def witnesses(self, k: int, radices: np.ndarray) -> np.ndarray:
        """Option digits of the stored packages with utility vector ``k``, smallest number first."""
        return self.digits[k].astype(np.int64)


def fold_frontier(
    scenario: Scenario,
    params: Parameters | None = None,
    *,
    order: Sequence[int] | None = None,
    memory: int = MEMORY,
) -> FoldedFrontier:
    """The exact Pareto frontier of the agreement set, ordered like the enumerated one (largest
    sum first, then smallest package number)."""
    states, points = efficient_states(Problem.of(scenario, params), order, memory)
    radices = tuple(int(r) for r in scenario.radices)
    if len(points) == 0:
        return FoldedFrontier(np.zeros((0, len(scenario.parties))), np.zeros(0, dtype=np.int64), [], [])
    vals, inverse = np.unique(points, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    counts = np.zeros(len(vals), dtype=object)
    np.add.at(counts, inverse, states.counts)
    owner = inverse[states.owner]
    rows = lex_order(states.digits, radices, owner)
    owner, digits = owner[rows], states.digits[rows]
    starts = np.searchsorted(owner, np.arange(len(vals)))
    groups = np.split(digits, starts[1:])
    groups = [g[:PACKAGES_PER_POINT] for g in groups]
    firsts = np.vstack([g[0] for g in groups])
    by_number = np.empty(len(vals), dtype=np.int64)
    by_number[lex_order(firsts, radices)] = np.arange(len(vals))
    order_out = np.lexsort((by_number, -vals.sum(axis=1)))
    if scenario.size < INT64_NUMBERS:
        packages = [g.astype(np.int64) @ strides(radices) for g in groups]
    else:
        packages = [np.array([_number(row, radices) for row in g], dtype=object) for g in groups]
    return FoldedFrontier(
        vals[order_out],
        np.array([int(c) for c in counts[order_out]], dtype=object),
        [packages[k] for k in order_out],
        [groups[k] for k in order_out],
    )


def _number(digits: np.ndarray, radices: Sequence[int]) -> int:
    n = 0
    for d, r in zip(digits, radices, strict=True):
        n = n * int(r) + int(d)
    return n


def fold_bridge(
    scenario: Scenario, target: Sequence[int], params: Parameters | None = None, *, memory: int = MEMORY
) -> tuple[int, ...] | None:
    """The accepted package with the fewest issues changed from ``target``; ties: the largest Nash
    product, then the smallest package number. None when nothing is accepted."""
    problem = Problem.of(scenario, params)
    found = _nearest_accepted(problem, target, memory)
    if found is None:
        return None
    nearest, distance = found
    radices = tuple(int(r) for r in scenario.radices)
    chosen = params or scenario.params
    d = scenario.disagreement_of(chosen)
    score = nash_scores(problem.party_utilities(nearest.vectors), d, scenario.power_of(chosen))
    if np.isfinite(score).any():
        best = nearest.take(score == score.max())
        first = lex_order(best.digits, radices)[0]
        return tuple(int(x) for x in best.digits[first])
    return smallest_accepted(problem, target, distance, memory)


def _nearest_accepted(problem: Problem, target: Sequence[int], memory: int) -> tuple[States, int] | None:
    """The frontier states of the accepted packages fewest changes from ``target``, and that
    number of changes; None when nothing is accepted.

    A relaxation (only parties of one need their reservation) gives a lower bound on the
    distance; from there, each distance is tried with the staged search of
    :mod:`dealcraft.engine.relax` restricted to it, and the first with an accepted package wins."""
    # the default order here: with the distance as an objective and no bound on it, numeric grids
    # first were measured 3x faster than last (the staged searches below keep grids last)
    relaxed = fold(problem.relaxed(first_active(problem)), target=target, witnesses=1, memory=memory)
    if len(relaxed) == 0:
        return None
    for distance in range(int(relaxed.distance.min()), len(problem.radices) + 1):
        states, _ = efficient_states(problem, None, memory, target=target, max_distance=distance)
        if len(states):
            return states, distance
    return None


def smallest_accepted(problem: Problem, target: Sequence[int], distance: int, memory: int) -> tuple[int, ...]:
    """The smallest package number accepted within ``distance`` changes of ``target`` (one
    exists): fix issues in package-number order to the smallest option that still has an
    accepted completion, each tested with a fold."""
    allowed: list[np.ndarray | None] = [None] * len(problem.radices)
    for i, radix in enumerate(problem.radices):
        for option in range(radix):
            allowed[i] = np.arange(radix) == option
            found = fold(
                problem, allowed=allowed, target=target, max_distance=distance, witnesses=1, memory=memory
            )
            if len(found):
                break
    return tuple(int(np.flatnonzero(a)[0]) for a in allowed)

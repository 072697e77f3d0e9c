"""The offers agents choose from.

Small spaces are enumerated (every feasible package). Large ones are reduced to the packages
a sensible agent could want to offer: the efficient packages of the feasible space, of each
party's own ratifiable set (what an anticipating agent may offer) and of the agreement set,
plus the status quo and any scripted openings. With two parties these frontiers are exact;
with more they are the best packages along a grid of weightings of the parties' utilities.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dealcraft.engine.block_verdicts import BlockEvaluator
from dealcraft.engine.frontier import Frontier
from dealcraft.engine.space import decode, encode, grid_digits
from dealcraft.model.scenario import Scenario

ENUMERATE_LIMIT = 4096  # packages: below this every feasible package is a candidate
MAX_CANDIDATES = 1500  # frontiers longer than this are thinned evenly
MAX_DIRECTIONS = 60
SLICE = 1 << 17  # packages scored against all directions at once


@dataclass(frozen=True)
class Candidates:
    """The packages agents may offer, numbered and sorted so a package's index is a binary search."""

    numbers: np.ndarray  # (K,) package numbers, sorted
    digits: np.ndarray  # (K, I) option indices
    enumerated: bool  # True: the whole feasible space

    def __len__(self) -> int:
        return int(self.numbers.size)

    def index(self, package: Sequence[int], radices: np.ndarray) -> int:
        """Position of ``package`` among the candidates; KeyError when it is not one (e.g. an opening
        the reduced space left out)."""
        number = encode(np.asarray(package)[None], radices)[0]
        k = int(np.searchsorted(self.numbers, number))
        if k >= self.numbers.size or self.numbers[k] != number:
            raise KeyError(f"package {tuple(package)} is not a candidate")
        return k

    def including(self, packages: Sequence[Sequence[int]], radices: np.ndarray) -> Candidates:
        """These candidates plus ``packages`` (e.g. openings)."""
        if not packages:
            return self
        numbers = np.unique(
            np.concatenate([self.numbers, encode(np.array(packages, dtype=np.int64), radices)])
        )
        if numbers.size == self.numbers.size:
            return self
        return Candidates(numbers, decode(numbers, radices), self.enumerated)


def candidates(
    scenario: Scenario,
    extra: Sequence[Sequence[int]] = (),
    *,
    limit: int = ENUMERATE_LIMIT,
    progress: Callable[[int], None] | None = None,
) -> Candidates:
    """Candidate offers for ``scenario``; ``extra`` packages (openings) are always included."""
    radices = scenario.radices
    must = [scenario.status_quo, *extra]
    if scenario.size <= limit:
        numbers = _feasible_numbers(scenario)
        enumerated = True
    else:
        numbers = _efficient_numbers(scenario, progress)
        enumerated = False
    numbers = np.unique(numbers)
    return Candidates(numbers, decode(numbers, radices), enumerated).including(must, radices)


def _feasible_numbers(scenario: Scenario) -> np.ndarray:
    numbers = np.arange(scenario.size, dtype=np.int64)
    digits = grid_digits(scenario.radices)
    columns = [digits[:, i] for i in range(digits.shape[1])]
    ok = np.ones(numbers.size, dtype=bool)
    for c in scenario.constraints:
        ok &= np.asarray(c.evaluate(columns), dtype=bool)
    return numbers[ok]


def directions(parties: int) -> np.ndarray:
    """Weightings of the parties' utilities spread evenly over the simplex (unit vectors included)."""
    steps = 1
    while parties > 1 and math.comb(steps + 1 + parties - 1, parties - 1) <= MAX_DIRECTIONS:
        steps += 1
    grid = [c for c in itertools.product(range(steps + 1), repeat=parties) if sum(c) == steps]
    return np.array(grid, dtype=float) / steps


def _efficient_numbers(scenario: Scenario, progress) -> np.ndarray:
    evaluator = BlockEvaluator(scenario)
    n_p = len(scenario.parties)
    exact = n_p == 2
    frontiers = [Frontier.empty(n_p) for _ in range(n_p + 2)]
    lam = directions(n_p)
    best_score = np.full((n_p + 2, len(lam)), -np.inf)
    best_number = np.full((n_p + 2, len(lam)), -1, dtype=np.int64)
    for result in evaluator:
        pu = np.tensordot(evaluator.party_matrix, result.utilities, axes=(1, 0))  # (P, rows, T)
        feasible = result.feasible
        masks = [feasible, result.agree, *(feasible & result.parties[p] for p in range(n_p))]
        for m, mask in enumerate(masks):
            if not mask.any():
                continue
            if exact:
                rows, cols = np.nonzero(mask)
                frontiers[m].merge(pu[:, rows, cols].T, result.block.numbers(rows, cols))
                continue
            rows, cols = np.nonzero(mask)
            points = pu[:, rows, cols]  # (P, n)
            for lo in range(0, points.shape[1], SLICE):
                scores = lam @ points[:, lo : lo + SLICE]  # (D, n)
                top = np.argmax(scores, axis=1)
                value = scores[np.arange(len(lam)), top]
                better = value > best_score[m]
                best_score[m] = np.where(better, value, best_score[m])
                picked = result.block.numbers(rows[lo + top], cols[lo + top])
                best_number[m] = np.where(better, picked, best_number[m])
        if progress:
            progress(result.block.size)
    if exact:
        parts = [_thin(f) for f in frontiers]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    return np.unique(best_number[best_number >= 0])


def _thin(frontier: Frontier) -> np.ndarray:
    """One package per frontier point, at most MAX_CANDIDATES of them spread along the frontier."""
    if len(frontier) == 0:
        return np.zeros(0, dtype=np.int64)
    reps = np.array([frontier.representative(k) for k in range(len(frontier))], dtype=np.int64)
    if reps.size <= MAX_CANDIDATES:
        return reps
    order = np.argsort(frontier.utilities[:, 0], kind="stable")
    pick = np.unique(np.linspace(0, reps.size - 1, MAX_CANDIDATES).round().astype(int))
    return reps[order[pick]]

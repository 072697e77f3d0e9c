"""Pareto frontier over party utilities, kept incrementally, and the bargaining solutions.

The frontier keeps one entry per distinct utility vector (rounded to ``DECIMALS``), how many
packages share it, and up to ``PACKAGES_PER_POINT`` of those packages (smallest numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dealcraft.engine.pareto import pareto_mask
from dealcraft.engine.space import decode
from dealcraft.finite import require_finite

DECIMALS = 12
PACKAGES_PER_POINT = 32
GAIN_EPS = 1e-12
FAST_FROM = 512  # rows from which the blocked integer filter beats the one-row-at-a-time loop


def nondominated(points: np.ndarray) -> np.ndarray:
    """Boolean mask of rows not weakly dominated by another row (equal rows all survive)."""
    n, dims = points.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if dims == 1:
        return points[:, 0] == points[:, 0].max()
    if dims == 2:
        return _nondominated_2d(points)
    if n > FAST_FROM and _on_grid(points):
        # rows rounded to DECIMALS are integers in units of 10**-DECIMALS: "weakly dominated"
        # is then "at least as high everywhere and higher by one unit somewhere"
        units = np.rint(points * 10.0**DECIMALS).astype(np.int64)
        return pareto_mask(np.zeros(n, dtype=np.int64), units, np.ones(dims, dtype=np.int64))
    keep = np.zeros(n, dtype=bool)
    remaining = np.lexsort(tuple(-points[:, k] for k in range(dims - 1, -1, -1)) + (-points.sum(axis=1),))
    while remaining.size:
        top = points[remaining[0]]
        candidates = points[remaining]
        below = np.all(candidates <= top, axis=1)
        equal = below & np.all(candidates == top, axis=1)
        below[0] = equal[0] = True  # progress guarantee: the top row always leaves (even if NaN)
        keep[remaining[equal]] = True
        remaining = remaining[~below]
    return keep


def _on_grid(points: np.ndarray) -> bool:
    """Finite, moderate and already rounded to ``DECIMALS`` (what every frontier caller passes)."""
    return bool(
        np.isfinite(points).all()
        and np.abs(points).max() < 1e6
        and np.array_equal(np.round(points, DECIMALS), points)
    )


def _nondominated_2d(points: np.ndarray) -> np.ndarray:
    x, y = points[:, 0], points[:, 1]
    order = np.lexsort((-y, -x))  # x descending, then y descending
    xs, ys = x[order], y[order]
    new_group = np.r_[True, xs[1:] != xs[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(xs.size), 0))
    best_before = np.r_[-np.inf, np.maximum.accumulate(ys)[:-1]]
    # best y among points with strictly greater x = running max just before the group starts
    higher_x_best = best_before[group_start]
    group_best = ys[group_start]  # groups are sorted by y descending
    keep_sorted = (ys > higher_x_best) & (ys == group_best)
    keep = np.zeros(xs.size, dtype=bool)
    keep[order] = keep_sorted
    return keep


def dominated_by(points: np.ndarray, front: np.ndarray) -> np.ndarray:
    """Mask of points strictly dominated by some row of ``front`` (equal rows are not).

    Used as a cheap pre-filter: any subset of real points can serve as ``front``."""
    n = points.shape[0]
    if n == 0 or front.shape[0] == 0:
        return np.zeros(n, dtype=bool)
    if points.shape[1] == 2:
        f = front[nondominated(front)]
        f = f[np.lexsort((-f[:, 1], f[:, 0]))]  # x ascending; on a 2-D frontier y then descends
        k = np.searchsorted(f[:, 0], points[:, 0], side="left")
        inside = k < len(f)
        fx = np.where(inside, f[np.minimum(k, len(f) - 1), 0], -np.inf)
        fy = np.where(inside, f[np.minimum(k, len(f) - 1), 1], -np.inf)
        return inside & (fy >= points[:, 1]) & ((fx > points[:, 0]) | (fy > points[:, 1]))
    out = np.zeros(n, dtype=bool)
    for row in front[:: max(1, len(front) // 64)]:
        out |= np.all(row >= points, axis=1) & np.any(row > points, axis=1)
    return out


SAMPLE = 4096


@dataclass
class Frontier:
    """Distinct non-dominated utility vectors, their package counts and sample packages."""

    utilities: np.ndarray  # (F, P)
    counts: np.ndarray  # (F,) int64
    packages: list[np.ndarray]  # F sorted arrays of package numbers (capped)

    @classmethod
    def empty(cls, parties: int) -> Frontier:
        """A frontier with no points yet, for ``parties`` parties (the start of a merge)."""
        return cls(np.zeros((0, parties)), np.zeros(0, dtype=np.int64), [])

    def __len__(self) -> int:
        return len(self.counts)

    def merge(self, utilities: np.ndarray, numbers: np.ndarray) -> None:
        """Add packages (numbers, with their (n, P) party utilities) and re-filter."""
        if numbers.size == 0:
            return
        require_finite(utilities, "a party utility entering the Pareto frontier")
        points = np.round(utilities, DECIMALS)
        if len(points) > SAMPLE:  # pre-filter with known frontier points and a sample's frontier
            sample = points[:: len(points) // SAMPLE]
            seeds = np.vstack([self.utilities, sample[nondominated(sample)]])
            keep = ~dominated_by(points, seeds)
            points, numbers = points[keep], numbers[keep]
        mask = nondominated(points)
        points, numbers = points[mask], numbers[mask]
        vals, inverse, counts = np.unique(points, axis=0, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
        order = np.lexsort((numbers, inverse))
        groups = np.split(numbers[order], np.cumsum(counts)[:-1])
        self._combine(vals, counts.astype(np.int64), [g[:PACKAGES_PER_POINT] for g in groups])

    def absorb(self, other: Frontier) -> None:
        """Merge another frontier (of disjoint packages) into this one: the frontier of the union,
        counts added, each point's smallest package numbers kept."""
        if len(other):
            self._combine(other.utilities, other.counts, other.packages)

    def _combine(self, vals: np.ndarray, counts: np.ndarray, packages: list[np.ndarray]) -> None:
        all_vals = np.vstack([self.utilities, vals])
        all_counts = np.concatenate([self.counts, counts])
        all_packages = self.packages + packages
        mask = nondominated(all_vals)
        keep = np.flatnonzero(mask)
        uniq, inverse = np.unique(all_vals[keep], axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        new_counts = np.zeros(len(uniq), dtype=np.int64)
        np.add.at(new_counts, inverse, all_counts[keep])
        merged: list[list[np.ndarray]] = [[] for _ in range(len(uniq))]
        for k, g in zip(keep, inverse, strict=True):
            merged[g].append(all_packages[k])
        new_packages = [np.unique(np.concatenate(m))[:PACKAGES_PER_POINT] for m in merged]
        order = sorted(range(len(uniq)), key=lambda g: (-uniq[g].sum(), int(new_packages[g][0])))
        self.utilities = uniq[order]
        self.counts = new_counts[order]
        self.packages = [new_packages[g] for g in order]

    def representative(self, k: int) -> int:
        """The smallest package number with utility vector k."""
        return int(self.packages[k][0])

    def witnesses(self, k: int, radices: np.ndarray) -> np.ndarray:
        """(w, I) option indices of the packages kept for vector k, smallest number first."""
        return decode(self.packages[k], radices)


def nash_scores(utilities: np.ndarray, d: np.ndarray, power: np.ndarray | None = None) -> np.ndarray:
    """The log of the generalised Nash product, sum_P power_P * log(U_P - d_P), over the last
    axis where every gain is positive, else -inf. ``power`` (P,) or broadcastable, None: all 1.

    The one place the Nash criterion is computed (the fair point, proposal and bridge ties, the
    robust ranking). Logs turn unequal powers into a weighted sum and keep products of many small
    gains from underflowing; the ordering is the product's."""
    gains = utilities - d
    valid = np.all(gains > GAIN_EPS, axis=-1)
    logs = np.log(np.where(valid[..., None], gains, 1.0))
    if power is not None:
        logs = logs * power
    return np.where(valid, logs.sum(axis=-1), -np.inf)


def nash_products(utilities: np.ndarray, d: np.ndarray, power: np.ndarray | None = None) -> np.ndarray:
    """prod_P (U_P - d_P)^power_P where every gain is positive, else 0 (exp of :func:`nash_scores`)."""
    return np.exp(nash_scores(utilities, d, power))


def nash(utilities: np.ndarray, d: np.ndarray, power: np.ndarray | None = None) -> int | None:
    """Index of the (asymmetric, with ``power``) Nash solution: maximises
    prod (U - d)^power among points where every gain is positive."""
    score = nash_scores(utilities, d, power)
    if not np.isfinite(score).any():
        return None
    return int(np.argmax(score))


def kalai_smorodinsky(utilities: np.ndarray, d: np.ndarray, power: np.ndarray | None = None) -> int | None:
    """Index maximising the smallest gain normalised by each party's best gain available.
    Parties that cannot gain at all are left out of the minimum. ``power`` is not used: the
    solution is defined without bargaining power."""
    if len(utilities) == 0:
        return None
    span = utilities.max(axis=0) - d
    active = span > GAIN_EPS
    if not active.any():
        return int(np.argmax(utilities.sum(axis=1)))
    normalised = (utilities[:, active] - d[active]) / span[active]
    return int(np.argmax(normalised.min(axis=1)))


def egalitarian(utilities: np.ndarray, d: np.ndarray, power: np.ndarray | None = None) -> int | None:
    """Index maximising the smallest gain U_P - d_P (``power`` is not used)."""
    if len(utilities) == 0:
        return None
    return int(np.argmax((utilities - d).min(axis=1)))


def utilitarian(utilities: np.ndarray, d: np.ndarray, power: np.ndarray | None = None) -> int | None:
    """Index maximising the sum of party utilities (``power`` is not used)."""
    if len(utilities) == 0:
        return None
    return int(np.argmax(utilities.sum(axis=1)))


SOLUTIONS = {  # each solve(utilities (F, P), d (P,), power (P,)) -> frontier index or None
    "nash": nash,
    "kalai_smorodinsky": kalai_smorodinsky,
    "egalitarian": egalitarian,
    "utilitarian": utilitarian,
}

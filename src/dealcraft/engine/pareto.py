"""Non-dominated rows within groups, with a dominance margin, on integer vectors.

Why a margin: the fold keeps utilities as integers of a fine fixed unit, and two sums that are
equal in exact arithmetic may differ by a few units after the tables were rounded to that unit.
Dropping a row only when another of its group is at least as good everywhere and better by the
margin somewhere never drops a row for rounding noise. "Better by a margin" is transitive, and a
dominating row always has a strictly larger coordinate sum, so rows sorted by sum descending can
only be dominated by earlier rows: one pass in chunks, each compared with the rows kept so far.
"""

from __future__ import annotations

import numpy as np

CHUNK = 128  # candidate rows per comparison block (measured best with KEPT_BLOCK on 6-D folds)
KEPT_BLOCK = 4096  # kept rows per comparison block: CHUNK x KEPT_BLOCK booleans (fit a cache)


def pareto_mask(groups: np.ndarray, values: np.ndarray, margin: np.ndarray) -> np.ndarray:
    """Mask of rows of ``values`` (n, D) int64 that no row of the same group dominates by
    ``margin`` (D,): q dominates p iff q >= p everywhere and q - p >= margin somewhere."""
    n, dims = values.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if dims == 2:
        return _pareto_2d(groups, values, margin)
    order = np.lexsort((-values.sum(axis=1), groups))
    g, v = groups[order], values[order]
    r = np.empty((dims, n), dtype=np.int32)  # rank of each value
    r_plus = np.empty((dims, n), dtype=np.int32)  # smallest rank of a value >= it + margin
    for d in range(dims):
        uniq, inverse = np.unique(v[:, d], return_inverse=True)
        r[d] = inverse.reshape(-1)
        r_plus[d] = np.searchsorted(uniq, v[:, d] + margin[d], side="left")
    keep_sorted = np.zeros(n, dtype=bool)
    kept_g = np.zeros(0, dtype=np.int64)
    kept_r = np.zeros((dims, 0), dtype=np.int32)
    for start in range(0, n, CHUNK):
        cg = g[start : start + CHUNK]
        cr, cr_plus = r[:, start : start + CHUNK], r_plus[:, start : start + CHUNK]
        dominated = np.zeros(len(cg), dtype=bool)
        lo = np.searchsorted(kept_g, cg[0], side="left")
        hi = np.searchsorted(kept_g, cg[-1], side="right")
        for k in range(lo, hi, KEPT_BLOCK):
            # rows already found dominated leave: later blocks compare only the others
            alive = np.flatnonzero(~dominated)
            if alive.size == 0:
                break
            stop = min(hi, k + KEPT_BLOCK)
            dominated[alive] |= _dominated(
                (cr[:, alive], cr_plus[:, alive], cg[alive]), (kept_r[:, k:stop], kept_g[k:stop])
            )
        dominated |= _dominated((cr, cr_plus, cg), (cr, cg))
        survivors = np.flatnonzero(~dominated)
        keep_sorted[start + survivors] = True
        kept_g = np.concatenate([kept_g, cg[survivors]])
        kept_r = np.hstack([kept_r, cr[:, survivors]])
    keep = np.zeros(n, dtype=bool)
    keep[order] = keep_sorted
    return keep


def _dominated(rows: tuple, others: tuple) -> np.ndarray:
    """(rows,) does some row of ``others`` (same group) dominate each row by the margin?

    Rows are (ranks (D, n), margin ranks (D, n), groups); others are (ranks (D, m), groups).
    Per-coordinate int32 ranks order like the values but compare faster; a margin rank is the
    smallest rank of a value at least the row's plus the margin, so "q - p >= margin" is one
    rank comparison too."""
    pr, pr_plus, pg = rows
    qr, qg = others
    ge = pg[:, None] == qg[None, :] if pg[0] != pg[-1] or qg[0] != qg[-1] or pg[0] != qg[0] else None
    for d in range(pr.shape[0]):
        step = qr[d][None, :] >= pr[d][:, None]
        ge = step if ge is None else np.logical_and(ge, step, out=ge)
        if not ge.any():
            return np.zeros(len(pg), dtype=bool)
    flagged = np.flatnonzero(ge.any(axis=1))  # the margin is checked on these rows only
    ge = ge[flagged]
    better = np.zeros_like(ge)
    for d in range(pr.shape[0]):
        better |= qr[d][None, :] >= pr_plus[d][flagged][:, None]
    out = np.zeros(len(pg), dtype=bool)
    out[flagged] = np.any(ge & better, axis=1)
    return out


def _pareto_2d(groups: np.ndarray, values: np.ndarray, margin: np.ndarray) -> np.ndarray:
    """Two coordinates: sort by (group, x descending); p is dominated iff among rows of its
    group with x >= px + mx some y >= py, or among rows with x >= px some y >= py + my."""
    n = len(values)
    x, y = values[:, 0], values[:, 1]
    order = np.lexsort((-y, -x, groups))
    g, xs, ys = groups[order], x[order], y[order]
    # running max of y within each group, as a composite key that never crosses groups
    _, y_rank = np.unique(ys, return_inverse=True)
    y_rank = y_rank.reshape(-1)
    _, g_rank = np.unique(g, return_inverse=True)
    g_rank = g_rank.reshape(-1).astype(np.int64)
    width = np.int64(n + 1)
    running = np.maximum.accumulate(g_rank * width + y_rank)
    uniq_y = np.unique(ys)

    def best_y_up_to(last: np.ndarray) -> np.ndarray:
        """Largest y among sorted rows [group start, last] of each row's group, or -inf rank."""
        valid = last >= 0
        last = np.maximum(last, 0)
        composite = running[last]
        same = valid & (composite // width == g_rank)
        return np.where(same, composite % width, -1)

    # rows of the same group are contiguous, x descending: find the last row with x >= bound
    key = g_rank * width  # group offset; x ranks make the search within the group
    _, x_rank = np.unique(-xs, return_inverse=True)  # ascending in -x: larger x first
    x_rank = x_rank.reshape(-1).astype(np.int64)
    composite_x = key + x_rank  # non-decreasing along the sorted rows
    uniq_negx = np.unique(-xs)

    def last_row_with_x_at_least(bound: np.ndarray) -> np.ndarray:
        # rows with -x <= -bound: rank of the largest -x value <= -bound
        r = np.searchsorted(uniq_negx, -bound, side="right") - 1
        return np.searchsorted(composite_x, key + r, side="right") - 1

    y_at_least = np.searchsorted(uniq_y, ys, side="left")  # rank of ys itself
    y_plus = np.searchsorted(uniq_y, ys + margin[1], side="left")  # first rank >= y + my
    far = best_y_up_to(last_row_with_x_at_least(xs + margin[0]))
    near = best_y_up_to(last_row_with_x_at_least(xs))
    dominated = (far >= y_at_least) | (near >= y_plus)
    keep = np.zeros(n, dtype=bool)
    keep[order] = ~dominated
    return keep

"""What an agent believes the others want, and how it picks an offer from that belief.

``complete``: the true preferences (normalised utilities of the others). ``learned``: a
frequency model built only from the offers received (HardHeaded-style: options a party keeps
offering are valued, issues it never moves on weigh more).
"""

from __future__ import annotations

import numpy as np

TOL = 1e-9
INFORMATION = ("complete", "learned")


def rows_take(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """table (n, K) with n = 1 or N, index (N,) -> (N,) table[run, index[run]]."""
    safe = np.maximum(index, 0)
    if table.shape[0] == 1:
        return table[0, safe]
    if table.flags.c_contiguous:  # one flat gather: about twice as fast as (rows, columns) indexing
        return table.reshape(-1)[safe + table.shape[1] * np.arange(index.size)]
    return table[np.arange(index.size), safe]


class PrefixSelector:
    """Offer choice under complete information in O(log K) per run and round.

    Candidates are sorted by the agent's own utility (best first); for every prefix we keep the
    one best for the others (ties: the earlier, i.e. better for the agent). The packages at or
    above an aspiration are exactly a prefix, so choosing is a binary search.
    """

    def __init__(self, own: np.ndarray, allowed: np.ndarray, others: np.ndarray):
        n, k = own.shape
        key = np.where(allowed, own, -np.inf)
        order = stable_descending(key)
        at = order + (k * np.arange(n))[:, None]  # flat positions: a gather cheaper than take_along_axis
        sorted_key = key.ravel()[at]
        score = np.where(allowed, others, -np.inf).ravel()[at]
        running = np.maximum.accumulate(score, axis=1)
        improves = np.empty((n, k), dtype=bool)  # a new best for the others at this rank
        np.greater(score[:, 0], -np.inf, out=improves[:, 0])
        np.greater(score[:, 1:], running[:, :-1], out=improves[:, 1:])
        position = np.maximum.accumulate(np.where(improves, np.arange(k), 0), axis=1)
        self.best = order.ravel()[position + (k * np.arange(n))[:, None]]  # (n, K)
        self.keys = np.where(np.isfinite(sorted_key), -sorted_key, 1.5)  # ascending, in [-1, 1.5]
        self.search = RowSearch(self.keys)

    def select(self, level: np.ndarray) -> np.ndarray:
        """(N,) candidate index best for the others among those with own utility >= level, or -1."""
        if self.best.shape[0] == 1:
            count = np.searchsorted(self.keys[0], -level + TOL, side="right")
            chosen = self.best[0, np.maximum(count - 1, 0)]
        else:
            count = self.search.count_at_most(-level + TOL)
            chosen = rows_take(self.best, count - 1)
        return np.where(count > 0, chosen, -1)


def stable_descending(key: np.ndarray) -> np.ndarray:
    """Per row, ``np.argsort(-key, kind="stable")`` (ties: lower index first), 2-3 times as fast.

    The rows are the same candidates under different sampled preferences, so their orders are
    alike: put the columns in the first row's order, and the stable sort (a binary insertion
    sort at this length) has little left to do. Ties then come out in that order, not by index;
    where a row has any, number its runs of equal keys and restore index order inside each run
    with one sort of small integers (run number * K + index).
    """
    n, k = key.shape
    neg = -key
    hint = np.argsort(neg[0], kind="stable")
    rough = hint[np.argsort(neg[:, hint], axis=1, kind="stable")]
    ordered = neg.ravel()[rough + (k * np.arange(n))[:, None]]
    fresh = np.empty((n, k), dtype=bool)
    fresh[:, 0] = True
    np.not_equal(ordered[:, 1:], ordered[:, :-1], out=fresh[:, 1:])
    tied = np.flatnonzero(~fresh.all(axis=1))
    if tied.size:
        group = np.cumsum(fresh[tied], axis=1, dtype=np.int64)
        composite = group * k + rough[tied]
        composite.sort(axis=1)
        rough[tied] = composite % k
    return rough


class RowSearch:
    """Per row of an ascending (n, K) table, how many entries are <= a per-row bound; exact.

    Two levels instead of a binary search: every BLOCK-th key tells how many whole blocks lie
    at or below the bound, then one block is read. A handful of array passes over ~2 sqrt(K)
    columns, where one searchsorted over all rows laid end to end would cost a cache miss per
    step (and round the row offsets it needs).
    """

    BLOCK = 16

    def __init__(self, keys: np.ndarray):
        n, k = keys.shape
        b = self.BLOCK
        width = -(-k // b) * b
        padded = np.full((n, width), np.inf)  # padding is above any bound: never counted
        padded[:, :k] = keys
        self.flat = padded.ravel()
        self.coarse = np.ascontiguousarray(padded[:, b - 1 :: b].T)  # (blocks, n): last key of each
        self.starts = width * np.arange(n)
        self.window = np.arange(b)[:, None]

    def count_at_most(self, x: np.ndarray) -> np.ndarray:
        """(n,) number of keys <= x[row]. Comparisons are laid out (column, row) so the counts
        are sums of whole rows of booleans, not many short per-row reductions."""
        b = self.BLOCK
        whole = np.sum(self.coarse <= x, axis=0, dtype=np.int64)  # blocks entirely <= x
        first = b * np.minimum(whole, self.coarse.shape[0] - 1)
        block = self.flat[self.starts + first + self.window]  # (BLOCK, n)
        return first + np.sum(block <= x, axis=0, dtype=np.int64)


def masked_choice(own: np.ndarray, allowed: np.ndarray, score: np.ndarray, level: np.ndarray) -> np.ndarray:
    """The same choice by brute force (for beliefs that change every round): (N,) index or -1."""
    ok = allowed & (own >= level[:, None] - TOL)
    masked = np.where(ok, score, -np.inf)
    top = masked.max(axis=1, keepdims=True)
    ties = ok & (masked >= top - 1e-12)
    chosen = np.argmax(np.where(ties, own, -np.inf), axis=1)
    return np.where(ok.any(axis=1), chosen, -1)


class FrequencyModel:
    """For each run, observer and opponent: how often each option was offered, and how often
    each issue stayed put between consecutive offers."""

    def __init__(self, runs: int, parties: int, digits: np.ndarray, radices: np.ndarray):
        self.digits = digits  # (K, I)
        n_i, r_max = digits.shape[1], int(radices.max())
        self.counts = np.zeros((runs, parties, parties, n_i, r_max))
        self.kept = np.zeros((runs, parties, parties, n_i))
        self.last = np.full((runs, parties, parties), -1, dtype=np.int64)

    def observe(self, observer: int, opponent: int, offer: np.ndarray, live: np.ndarray) -> None:
        """Count what ``opponent`` offered in the live runs, as seen by ``observer`` (no offer: nothing
        learned)."""
        runs = np.flatnonzero(live & (offer >= 0))
        if runs.size == 0:
            return
        d = self.digits[offer[runs]]  # (m, I)
        issues = np.arange(d.shape[1])
        self.counts[runs[:, None], observer, opponent, issues[None, :], d] += 1
        previous = self.last[runs, observer, opponent]
        seen = previous >= 0
        same = (self.digits[np.maximum(previous, 0)] == d) & seen[:, None]
        self.kept[runs, observer, opponent] += same
        self.last[runs, observer, opponent] = offer[runs]

    def score(self, observer: int, parties: int) -> np.ndarray:
        """(N, K) estimated sum of the other parties' utilities for every candidate."""
        n, k = self.counts.shape[0], self.digits.shape[0]
        total = np.zeros((n, k))
        for q in range(parties):
            if q == observer:
                continue
            counts = self.counts[:, observer, q]  # (N, I, R)
            values = (counts + 1.0) / (counts.max(axis=2, keepdims=True) + 1.0)
            weights = 1.0 + self.kept[:, observer, q]
            weights /= weights.sum(axis=1, keepdims=True)
            for i in range(self.digits.shape[1]):
                total += weights[:, i, None] * values[:, i, self.digits[:, i]]
        return total

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
        order = np.argsort(-key, axis=1, kind="stable")
        sorted_key = np.take_along_axis(key, order, axis=1)
        score = np.take_along_axis(np.where(allowed, others, -np.inf), order, axis=1)
        running = np.maximum.accumulate(score, axis=1)
        before = np.concatenate([np.full((n, 1), -np.inf), running[:, :-1]], axis=1)
        ranks = np.broadcast_to(np.arange(k), (n, k))
        position = np.maximum.accumulate(np.where(score > before, ranks, 0), axis=1)
        self.best = np.take_along_axis(order, position, axis=1)  # (n, K)
        self.keys = np.where(np.isfinite(sorted_key), -sorted_key, 1.5)  # ascending, in [-1, 1.5]
        self.offsets = 4.0 * np.arange(n)[:, None]
        self.flat = (self.keys + self.offsets).ravel()
        self.k = k

    def select(self, level: np.ndarray) -> np.ndarray:
        """(N,) candidate index best for the others among those with own utility >= level, or -1."""
        if self.best.shape[0] == 1:
            count = np.searchsorted(self.keys[0], -level + TOL, side="right")
            chosen = self.best[0, np.maximum(count - 1, 0)]
        else:
            rows = np.arange(level.size)
            q = -level + TOL + 4.0 * rows
            count = np.searchsorted(self.flat, q, side="right") - rows * self.k
            chosen = self.best[rows, np.maximum(count - 1, 0)]
        return np.where(count > 0, chosen, -1)


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

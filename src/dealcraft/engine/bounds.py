"""Upper bounds on each stakeholder's utility in any accepted completion of a partial package.

Alone, a stakeholder can at most gain every remaining issue's best option for it. Together,
stakeholders compete for the same issues: over any group of stakeholders, the sum of their
utilities can at most gain, per remaining issue, the option best for the group's sum, which is
far less than the sum of each one's best when they want opposite things. In an accepted package
every stakeholder of a party that ratifies by `all` meets its reservation, and every stakeholder
has at least its partial utility plus the remaining issues' worst options; so stakeholder s of a
group G can at most have

    (sum over G of partial utilities + best the remaining issues give G's sum)
    - (sum over the others in G of those lower bounds).

The tightest of these over the groups (every set of parties) bounds s. All in the fold's integer
units, so the bounds are exact: a partial package that cannot reach the reservations its parties
need even under them has no accepted completion, and a party's influence-weighted bound caps
its party utility for the frontier bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from dealcraft.engine.fold import Problem

SCALE = float(2**48)  # the fold's utility unit: tables rounded to 2**-49 at most, sums exact in int64
NO_FLOOR = -(1 << 61)  # a party floor every utility reaches
MAX_GROUPS = 64  # every set of parties up to 6 parties; beyond, single parties, pairs and all


class Bounds:
    """Per fold step, suffix sums of the remaining issues' best and worst options, alone and per group."""

    def __init__(self, problem: Problem, order: Sequence[int], options: Sequence[np.ndarray]):
        n_s, n_t = len(problem.thresholds), len(order)
        members = problem.rules.members
        groups = party_sets(len(members))
        masks = np.zeros((len(groups), n_s), dtype=bool)
        for g, parties in enumerate(groups):
            for p in parties:
                masks[g, members[p]] = True
        self.masks = masks[masks.sum(axis=1) >= 2]  # one stakeholder: the plain maximum is as tight
        self.must = np.zeros(n_s, dtype=bool)  # must meet its reservation in any accepted package
        for p, threshold in enumerate(problem.rules.thresholds):
            if threshold is None:
                self.must[members[p]] = True
        self.must &= problem.counted  # a stakeholder left out of a relaxation need not accept
        self.thresholds = problem.thresholds
        self.best = np.zeros((n_t + 1, n_s), dtype=np.int64)
        self.worst = np.zeros((n_t + 1, n_s), dtype=np.int64)
        self.group_best = np.zeros((n_t + 1, len(self.masks)), dtype=np.int64)
        self.party_best = np.zeros((n_t + 1, len(problem.party)), dtype=np.int64)
        self.party_floor = problem.party_floor()
        self.floored = self.party_floor > NO_FLOOR  # parties with a floor
        for t in range(n_t - 1, -1, -1):
            table = problem.tables[order[t]][:, options[order[t]]]  # (S, options)
            if table.shape[1] == 0:
                continue  # an issue without options: the fold stops there anyway
            self.best[t] = self.best[t + 1] + table.max(axis=1)
            self.worst[t] = self.worst[t + 1] + table.min(axis=1)
            self.group_best[t] = self.group_best[t + 1] + (self.masks.astype(np.int64) @ table).max(axis=1)
            # + 2 units per issue: the float weighted sum never undercuts the exact one
            self.party_best[t] = self.party_best[t + 1] + np.ceil((problem.party @ table).max(axis=1)) + 2

    def limits(self, vectors: np.ndarray, step: int) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper), each (n, S): bounds on the stakeholder utilities of accepted completions
        of states with partial utilities ``vectors`` (n, S) after fold step ``step`` (issues after
        it remain)."""
        t = step + 1
        upper = vectors + self.best[t]
        lower = vectors + self.worst[t]
        lower = np.where(self.must, np.maximum(lower, self.thresholds), lower)
        for g, mask in enumerate(self.masks):
            total = vectors[:, mask].sum(axis=1) + self.group_best[t, g]
            others = lower[:, mask].sum(axis=1)[:, None] - lower[:, mask]
            upper[:, mask] = np.minimum(upper[:, mask], total[:, None] - others)
        return lower, upper

    def parties_reach(self, party_partials: np.ndarray, step: int) -> np.ndarray:
        """(n,) can each state still reach every :meth:`Problem.party_floor`? ``party_partials``
        (n, P) are integer party utilities (monotone in what :meth:`Problem.dominance` compares)."""
        reach = party_partials + self.party_best[step + 1] >= self.party_floor
        return np.all(reach[:, self.floored], axis=1)


def party_sets(parties: int) -> list[tuple[int, ...]]:
    """Every nonempty set of parties, smallest first, or (many parties) single ones, pairs and all."""
    every = [c for k in range(1, parties + 1) for c in combinations(range(parties), k)]
    if len(every) <= MAX_GROUPS:
        return every
    return [(p,) for p in range(parties)] + list(combinations(range(parties), 2)) + [tuple(range(parties))]

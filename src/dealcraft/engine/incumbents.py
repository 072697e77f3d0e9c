"""Accepted packages found along the fold, used to drop partial packages that cannot reach the
frontier at all.

Accepted packages come cheaply from completing the current states with the per-issue best
options for a few weightings of the stakeholders (additive utilities make that completion one
argmax per issue); every candidate is checked against the reservations, red lines and
constraints. Their party-utility vectors, lowered by ``MARGIN``, dominate a region of party
space; what is left is a union of boxes {y > l} over their *local lower bounds* l (Klamroth,
Lacour and Vanderpooten's search region, mirrored for maximisation). A state's completions lie
in a polytope: each party between a lower and an upper bound, and for every set G of parties the
sum of their utilities at most its partial sum plus what the remaining issues can give G's sum
together. If that polytope meets none of the boxes, every completion is dominated by an accepted
package by ``MARGIN`` in every party (even after rounding to the frontier's decimals), so the
state is dropped. Bounds are padded by ``PAD`` per issue so float rounding never tightens them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from dealcraft.engine.bounds import SCALE, party_sets
from dealcraft.engine.frontier import DECIMALS, nondominated

if TYPE_CHECKING:
    from dealcraft.engine.fold import Problem, States

MARGIN = 1e-9  # far above rounding noise, far below any difference worth reporting
PAD = 1e-12  # per issue: float bounds computed from integer ones stay bounds after rounding
PROBES = 256  # states completed per step (largest total utility first)
CHUNK = 2048
LOCAL_BLOCK = 64
LOCAL_MAX = (4096, 512)  # local lower bounds kept at most, up to 3 parties / more (measured best)


class Incumbents:
    """Party-utility vectors of accepted packages (non-dominated ones only)."""

    def __init__(self, problem: Problem, order: Sequence[int], options: Sequence[np.ndarray]):
        self.problem = problem
        n_s = len(problem.thresholds)
        # stakeholder weightings: all alike, and each stakeholder favoured (helps it accept)
        directions = np.vstack([np.ones(n_s), np.ones((n_s, n_s)) + 4 * np.eye(n_s)])
        n_steps = len(order)
        self.completions = np.zeros((len(directions), n_steps + 1, len(problem.radices)), dtype=np.int16)
        self.gains = np.zeros((len(directions), n_steps + 1, n_s), dtype=np.int64)
        for d, weights in enumerate(directions):
            for t in range(n_steps - 1, -1, -1):
                i = order[t]
                table = problem.tables[i][:, options[i]]
                pick = int(np.argmax(weights @ table))
                self.completions[d, t] = self.completions[d, t + 1]
                self.completions[d, t, i] = options[i][pick]
                self.gains[d, t] = self.gains[d, t + 1] + table[:, pick]
        self.points = np.zeros((0, problem.party.shape[0]))
        self.local = np.full((1, problem.party.shape[0]), -np.inf)  # local lower bounds, widest first
        # every set of parties (single ones first): what the remaining issues give its sum at most
        n_p = problem.party.shape[0]
        sets = party_sets(n_p)
        self.singles = [g for g in sets if len(g) == 1]
        self.groups = np.zeros((len(sets), n_p))
        for g, parties in enumerate(sets):
            self.groups[g, list(parties)] = 1.0
        self.group_best = np.zeros((n_steps + 1, len(sets)))
        for t in range(n_steps - 1, -1, -1):
            i = order[t]
            gains = self.groups @ (problem.party @ problem.tables[i][:, options[i]]) / SCALE  # (G, options)
            self.group_best[t] = self.group_best[t + 1] + gains.max(axis=1, initial=0) + PAD

    def offer(self, states: States, step: int, fixed: Sequence[int]) -> None:
        """Complete up to PROBES states after ``step`` (issues ``fixed`` done) and keep the
        accepted packages' party utilities."""
        if len(states) == 0:
            return
        probe = np.argsort(-states.vectors.sum(axis=1), kind="stable")[:PROBES]
        first = np.searchsorted(states.owner, probe)  # each state's smallest-number witness
        base = states.digits[first].astype(np.int64)
        done = np.zeros(base.shape[1], dtype=bool)
        done[list(fixed)] = True
        found = []
        for d in range(len(self.completions)):
            digits = np.where(done, base, self.completions[d, step + 1])
            vectors = states.vectors[probe] + self.gains[d, step + 1]
            accepted = self.problem.accepts(vectors, digits)
            found.append(self.problem.party_utilities(vectors[accepted]))
        if sum(len(f) for f in found):
            self._add(np.vstack(found))

    def _add(self, points: np.ndarray) -> None:
        points = np.vstack([self.points, np.round(points, DECIMALS)])
        points = np.unique(points[nondominated(points)], axis=0)
        known = {tuple(p) for p in self.points}
        new = np.array([p for p in points if tuple(p) not in known]).reshape(-1, points.shape[1])
        self.points = points
        limit = LOCAL_MAX[0] if points.shape[1] <= 3 else LOCAL_MAX[1]
        self.local = local_lower_bounds(new - MARGIN, self.local, limit)

    def beaten(self, vectors: np.ndarray, lower: np.ndarray, upper: np.ndarray, step: int) -> np.ndarray:
        """(n,) can no completion of each state leave the region the kept packages dominate?
        ``vectors``: partial stakeholder utilities; ``lower``/``upper``: their bounds in accepted
        completions (:mod:`dealcraft.engine.bounds`), all (n, S) integers."""
        out = np.zeros(len(vectors), dtype=bool)
        if len(self.points) == 0 or len(vectors) == 0:
            return out
        pad = PAD * (len(self.group_best) + 1)
        party = self.problem.party_utilities
        partial = party(vectors)
        hi = np.minimum(party(upper), partial + self.group_best[step + 1, : len(self.singles)]) + pad
        lo = party(lower) - pad
        several = self.groups[len(self.singles) :]  # single parties: ``hi`` already has them
        sums = partial @ several.T + self.group_best[step + 1, len(self.singles) :] + pad  # (n, G)
        ranked = np.argsort(hi[:, 0], kind="stable")  # neighbours in a chunk share the boxes they may meet
        for start in range(0, len(vectors), CHUNK):
            open_ = ranked[start : start + CHUNK]  # states that have met no box yet
            # boxes no state of the chunk can meet even at its most permissive bounds leave first
            floor = np.maximum(self.local, lo[open_].min(axis=0))
            near = np.all(floor < hi[open_].max(axis=0), axis=1)
            near &= np.all(floor @ several.T <= sums[open_].max(axis=0), axis=1)
            local = self.local[near]
            for k in range(0, len(local), LOCAL_BLOCK):  # widest boxes first: most states stop early
                block = local[k : k + LOCAL_BLOCK]
                # per party a (c, L) array: the box's floor raised to the state's lower bound
                floor = [np.maximum(block[None, :, p], lo[open_, p, None]) for p in range(block.shape[1])]
                inside = hi[open_, 0, None] > floor[0]
                for p in range(1, len(floor)):
                    inside &= hi[open_, p, None] > floor[p]
                for g, row in enumerate(several):
                    total = sum(floor[p] for p in np.flatnonzero(row))
                    inside &= total <= sums[open_, g, None]
                open_ = open_[~inside.any(axis=1)]
                if open_.size == 0:
                    break
            out[open_] = True
        return out


def local_lower_bounds(points: np.ndarray, bounds: np.ndarray, limit: int | None = None) -> np.ndarray:
    """(L, d) bounds l such that {y : no point p has y <= p} is the union of the boxes {y > l},
    updated from ``bounds`` (the boxes before ``points``; (-inf, ...) for none): each point splits
    every box it cuts into one box per coordinate (that coordinate raised to the point's), and
    boxes inside another box are dropped. Widest boxes (smallest sums) first. Stops taking points
    at ``limit`` boxes: in four or more dimensions their number grows much faster than the
    points', and so does the cost of testing states against them."""
    d = points.shape[1]
    for z in points:
        if limit is not None and len(bounds) >= limit:
            break  # the boxes of the points so far stay valid, only less tight
        cut = np.all(z > bounds, axis=1)
        if not cut.any():
            continue
        split = np.repeat(bounds[cut], d, axis=0)
        coord = np.tile(np.arange(d), int(cut.sum()))
        split[np.arange(len(split)), coord] = z[coord]
        every = np.vstack([bounds[~cut], split])
        below = np.all(every[None, :, :] <= split[:, None, :], axis=2)
        below &= np.any(every[None, :, :] < split[:, None, :], axis=2)
        bounds = np.unique(np.vstack([bounds[~cut], split[~below.any(axis=1)]]), axis=0)
    with np.errstate(invalid="ignore"):
        return bounds[np.argsort(bounds.sum(axis=1), kind="stable")]

"""Accepted packages found along the fold, used to drop partial packages that cannot reach the
frontier at all.

A state's party utilities can at most reach ``U(state) = party shares x (partial utilities +
remaining issues' maxima)``. If an accepted package has party utilities at least that high for
every party and higher by ``MARGIN`` for one, every completion of the state is strictly
dominated (even after rounding to the frontier's decimals), so the state is dropped. Accepted
packages come cheaply from completing the current states with the per-issue best options for
a few weightings of the stakeholders (additive utilities make that completion one argmax per
issue); every candidate is checked against the reservations, red lines and constraints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from dealcraft.engine.frontier import DECIMALS, nondominated

if TYPE_CHECKING:
    from dealcraft.engine.fold import Problem, States

MARGIN = 1e-9  # far above rounding noise, far below any difference worth reporting
PROBES = 256  # states completed per step (largest total utility first)
BOUNDS = 256  # accepted packages used to test bounds (any subset is valid; more costs more)
CHUNK = 4096


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
        for d in range(len(self.completions)):
            digits = np.where(done, base, self.completions[d, step + 1])
            vectors = states.vectors[probe] + self.gains[d, step + 1]
            accepted = self.problem.accepts(vectors, digits)
            if accepted.any():
                self._add(self.problem.party_utilities(vectors[accepted]))

    def _add(self, points: np.ndarray) -> None:
        points = np.vstack([self.points, np.round(points, DECIMALS)])
        self.points = np.unique(points[nondominated(points)], axis=0)

    def beaten(self, upper: np.ndarray) -> np.ndarray:
        """(n,) is each upper bound (n, P) strictly dominated, by MARGIN, by an accepted package?"""
        out = np.zeros(len(upper), dtype=bool)
        if len(self.points) == 0:
            return out
        q = self.points[np.linspace(0, len(self.points) - 1, min(BOUNDS, len(self.points))).astype(int)]
        q = q[None, :, :]
        for start in range(0, len(upper), CHUNK):
            p = upper[start : start + CHUNK, None, :]
            out[start : start + CHUNK] = np.any(
                np.all(q >= p, axis=2) & np.any(q >= p + MARGIN, axis=2), axis=1
            )
        return out

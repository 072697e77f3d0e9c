"""Per-run agent state, driven by the strategy registry: the protocols ask the agents, the
agents ask each seat's strategy (grouped once per batch, so every hook runs vectorised over
all the seats that play it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.simulate.opponent import TOL, rows_take
from dealcraft.analysis.simulate.state import Settings
from dealcraft.analysis.simulate.strategies import Strategy
from dealcraft.analysis.simulate.tables import Tables


@dataclass(frozen=True)
class Lineup:
    """Who plays what: ``strategies[code[run, party]]`` is that seat's strategy."""

    strategies: tuple[Strategy, ...]
    code: np.ndarray  # (N, P) index into strategies

    @classmethod
    def draw(cls, mixes: Sequence[Sequence[Strategy]], choice: np.ndarray) -> Lineup:
        """Seat strategies from each party's mix and the drawn ``choice`` (N, P) into it."""
        roster: list[Strategy] = []
        for mix in mixes:
            roster += [s for s in mix if all(s is not x for x in roster)]
        code = np.stack(
            [np.array([roster.index(s) for s in mix])[choice[:, q]] for q, mix in enumerate(mixes)], axis=1
        )
        return cls(tuple(roster), code)

    def rows(self, start: int, stop: int) -> Lineup:
        return Lineup(self.strategies, self.code[start:stop])

    @property
    def shape(self) -> tuple[int, int]:
        return self.code.shape

    def seats(self, q: int) -> list[tuple[Strategy, slice | np.ndarray]]:
        """Party q's strategies with the runs that use each (a slice when all of them do)."""
        column = self.code[:, q]
        out: list[tuple[Strategy, slice | np.ndarray]] = []
        for i, s in enumerate(self.strategies):
            runs = np.flatnonzero(column == i)
            if runs.size == column.size:
                out.append((s, slice(None)))
            elif runs.size:
                out.append((s, runs))
        return out


class Agents:
    """Per-run strategy state: aspirations in each party's own normalised utility."""

    def __init__(self, tables: Tables, lineup: Lineup, settings: Settings):
        self.tables, self.settings = tables, settings
        n, p = lineup.shape
        self.seats = [lineup.seats(q) for q in range(p)]
        self.allowed = [
            np.broadcast_to(
                tables.feasible[None] & (tables.ratified[:, q] if settings.anticipate[q] else True),
                tables.ratified[:, q].shape,
            )
            for q in range(p)
        ]
        self.r = np.broadcast_to(np.maximum(tables.r_norm, 0.0), (n, p)).copy()
        start = np.zeros((n, p))
        for q in range(p):
            opening = settings.openings[q]
            if opening is not None:
                start[:, q] = np.broadcast_to(tables.norm[:, q, opening], (n,))
            else:
                best = np.where(self.allowed[q], tables.norm[:, q], -np.inf).max(axis=1)
                start[:, q] = np.broadcast_to(np.where(np.isfinite(best), best, 0.0), (n,))
        self.start = start
        self.level = start.copy()  # running aspiration, moved only by Strategy.mirror
        # r and start never change: gather them once per group, not every round
        self.fixed = [
            [(self.r[:, q][runs], start[:, q][runs]) for _, runs in seats]
            for q, seats in enumerate(self.seats)
        ]
        self.mirrors = [[(s, runs) for s, runs in self.seats[q] if _overrides(s, "mirror")] for q in range(p)]
        self.offers = [[(s, runs) for s, runs in self.seats[q] if _overrides(s, "offer")] for q in range(p)]

    def aspirations(self, t: int) -> np.ndarray:
        """(N, P) every party's aspiration at round t."""
        out = np.empty_like(self.start)
        rounds = self.settings.rounds
        for q, seats in enumerate(self.seats):
            column, level = out[:, q], self.level[:, q]  # 1-D views: cheaper to index than (runs, q)
            for (s, runs), (r, start) in zip(seats, self.fixed[q], strict=True):
                # without a mirror hook the running level never leaves the start
                moved = level[runs] if _overrides(s, "mirror") else start
                column[runs] = s.aspiration(t, rounds, r, start, moved)
        return out

    def mirror(self, q: int, concession: np.ndarray) -> None:
        """Party q's strategies react to what the others conceded (in q's own utility)."""
        level, start = self.level[:, q], self.start[:, q]
        for s, runs in self.mirrors[q]:
            level[runs] = s.mirror(level[runs], start[runs], concession[runs])

    def offer(self, q: int, proposed: np.ndarray, first: np.ndarray) -> np.ndarray:
        """Party q's offer per run: the protocol's choice, as each strategy overrides it."""
        if not self.offers[q]:
            return proposed
        out = np.array(proposed, copy=True)
        for s, runs in self.offers[q]:
            out[runs] = s.offer(proposed[runs], first[runs])
        return out

    def own(self, q: int, offer: np.ndarray) -> np.ndarray:
        return rows_take(self.tables.norm[:, q], offer)

    def accepts(self, q: int, offer: np.ndarray, level: np.ndarray) -> np.ndarray:
        """Party q's verdict at the table: at or above its aspiration and its reservation (and
        ratifiable at home when it anticipates)."""
        t = self.tables
        ok = (self.own(q, offer) >= level - TOL) & (
            rows_take(t.utility[:, q], offer) >= t.reservation[:, q] - TOL
        )
        ok &= rows_take(self.allowed[q], offer)
        return ok & (offer >= 0)

    def below_reservation(self, level: np.ndarray, q: int | None = None) -> np.ndarray:
        """Aspiration under the reservation: the agent would rather walk out."""
        r = self.r if q is None else self.r[:, q]
        return level < r - TOL


def _overrides(s: Strategy, hook: str) -> bool:
    """The strategy changes the base class's do-nothing ``hook`` (else the agents skip it)."""
    return getattr(type(s), hook) is not getattr(Strategy, hook)

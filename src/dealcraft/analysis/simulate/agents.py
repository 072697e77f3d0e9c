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
        """The seats of runs [start, stop) only: batches are played in chunks of runs to bound memory."""
        return Lineup(self.strategies, self.code[start:stop])

    @property
    def shape(self) -> tuple[int, int]:
        """(runs, parties) of the batch."""
        return self.code.shape

    def seats(self, q: int | None = None) -> list[tuple[Strategy, slice | np.ndarray]]:
        """Party q's strategies with the runs that use each; without q, every strategy with its
        seats as flat indices into (N, P) arrays (a slice when all of them use it)."""
        codes = self.code.ravel() if q is None else self.code[:, q]
        out: list[tuple[Strategy, slice | np.ndarray]] = []
        for i, s in enumerate(self.strategies):
            where = np.flatnonzero(codes == i)
            if where.size == codes.size:
                out.append((s, slice(None)))
            elif where.size:
                out.append((s, where))
        return out


class Agents:
    """Per-run strategy state: aspirations in each party's own normalised utility."""

    def __init__(self, tables: Tables, lineup: Lineup, settings: Settings):
        self.tables, self.settings = tables, settings
        n, p = lineup.shape
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
        # One aspiration call per strategy over all its seats; r and start never change, so they
        # are gathered once. Without a mirror hook the level never leaves the start, so such a
        # strategy's aspiration depends on t alone and is computed once per round.
        self.groups = [
            (s, seats, self.r.ravel()[seats], start.ravel()[seats], _overrides(s, "mirror"))
            for s, seats in lineup.seats()
        ]
        self.memo: tuple[int, np.ndarray] | None = None  # (t, aspirations at t)
        by_party = [lineup.seats(q) for q in range(p)]
        self.mirrors = [[(s, runs) for s, runs in seats if _overrides(s, "mirror")] for seats in by_party]
        self.offers = [[(s, runs) for s, runs in seats if _overrides(s, "offer")] for seats in by_party]

    def aspirations(self, t: int) -> np.ndarray:
        """(N, P) every party's aspiration at round t."""
        again = self.memo is not None and self.memo[0] == t  # the mediator asks twice a round
        out = self.memo[1].copy() if again else np.empty_like(self.start)
        flat, level = out.ravel(), self.level.ravel()  # views: both arrays are contiguous
        rounds = self.settings.rounds
        for s, seats, r, start, moves in self.groups:
            if moves or not again:
                flat[seats] = s.aspiration(t, rounds, r, start, level[seats] if moves else start)
        self.memo = (t, out.copy())
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
        """Party q's own normalised utility of each run's offer (a -1 offer reads candidate 0: mask it)."""
        return rows_take(self.tables.norm[:, q], offer)

    def accepts(self, q: int, offer: np.ndarray, level: np.ndarray, wait: int = 1) -> np.ndarray:
        """Party q's verdict at the table: at or above its aspiration and its reservation (and
        ratifiable at home when it anticipates). A discounting party, whose own next chance
        comes ``wait`` rounds later, compares the offer with its aspiration discounted by
        those rounds (:meth:`patient_level`)."""
        t = self.tables
        if self.settings.discounted(q):
            level = self.patient_level(q, level, wait)
        ok = (self.own(q, offer) >= level - TOL) & (
            rows_take(t.utility[:, q], offer) >= t.reservation[:, q] - TOL
        )
        ok &= rows_take(self.allowed[q], offer)
        return ok & (offer >= 0)

    def patient_level(self, q: int, level: np.ndarray, wait: int) -> np.ndarray:
        """The normalised level an offer must reach now for q to prefer it to its aspiration
        ``wait`` rounds later: u(offer) >= f * u(level), f = discount^(wait/T), on the normalised
        scale f * level + (f - 1) * lo / span. Utilities and reservations both shrink by the same
        factor, so only this comparison across rounds changes what an agent does."""
        f = self.settings.factor(q, wait)
        t = self.tables
        return f * level + (f - 1) * t.lo[:, q] / t.span[:, q]

    def below_reservation(self, level: np.ndarray, q: int | None = None) -> np.ndarray:
        """Aspiration under the reservation: the agent would rather walk out."""
        r = self.r if q is None else self.r[:, q]
        return level < r - TOL


def _overrides(s: Strategy, hook: str) -> bool:
    """The strategy changes the base class's do-nothing ``hook`` (else the agents skip it)."""
    return getattr(type(s), hook) is not getattr(Strategy, hook)

"""Negotiation strategies and their registry: how an agent's aspiration (in its own normalised
utility) moves, and what it offers.

Adding a strategy is one class here (or anywhere, registered with :func:`register`); the
protocols never name a strategy, they call its hooks through :class:`~.agents.Agents`.

Time-dependent tactics (Faratin, Sierra & Jennings 1998) concede on a fixed clock:
``aspiration(t) = 1 - (1 - r) * (t/T)^(1/e)``, with ``r`` the agent's reservation in the same
normalised terms; ``e < 1`` is Boulware (holds firm, concedes late), ``e = 1`` linear,
``e > 1`` Conceder. When the agent opens with a given package the curve starts from that
opening's utility instead of 1, so a replayed opening is never retracted.
Tit-for-tat mirrors the other side's last concession measured in the agent's own utility;
a hardliner holds its opening.
"""

from __future__ import annotations

import numpy as np

from dealcraft.errors import DealcraftError


class Strategy:
    """One bargaining strategy: vectorised hooks over the seats (run, party) that play it.

    Every array argument is 1-D over those seats, all in the agent's own normalised utility:
    ``reservation`` (r, at least 0), ``start`` (the opening level: its scripted opening's
    utility, else the best package it may offer) and ``level`` (a running aspiration that starts
    at ``start`` and only :meth:`mirror` moves). Hooks return new arrays and never write into
    their arguments (the agents reuse them). The base class holds its start for ever.
    """

    name: str = ""
    description: str = ""

    def aspiration(
        self, t: int, rounds: int, reservation: np.ndarray, start: np.ndarray, level: np.ndarray
    ) -> np.ndarray:
        """Aspiration in round t (0-based) of ``rounds``: offers and accepts only at or above it."""
        return start

    def mirror(self, level: np.ndarray, start: np.ndarray, concession: np.ndarray) -> np.ndarray:
        """New running level after the others conceded ``concession`` (their last move's gain
        in this agent's utility under alternating offers, the drop in their stated demands
        under a mediator)."""
        return level

    def offer(self, proposed: np.ndarray, first: np.ndarray) -> np.ndarray:
        """Candidate to offer (alternating offers) given the protocol's choice ``proposed`` at the
        aspiration and the agent's own first offer (``-1`` before it made one)."""
        return proposed


class TimeDependent(Strategy):
    """Concedes on a clock from its start to r at the deadline, with exponent e."""

    def __init__(self, name: str, e: float, description: str):
        self.name, self.e, self.description = name, e, description
        # (t/T)^(1/e) is one number for all seats: a length-1 array keeps numpy's array power
        # (bit-identical to computing it per seat), a 0-d one would not
        self.exponent = np.full(1, max(e, 1e-9))

    def aspiration(self, t, rounds, reservation, start, level):
        """Boulware/conceder clock: from the start to r at the deadline, shaped by the exponent."""
        return aspiration(t, rounds, reservation, self.exponent, start)


class TitForTat(Strategy):
    """Gives back what the others conceded, never rising above its start."""

    name = "tit-for-tat"
    description = "mirrors the other side's last concession"

    def aspiration(self, t, rounds, reservation, start, level):
        """Keeps the running level, which only :meth:`mirror` moves."""
        return level

    def mirror(self, level, start, concession):
        """Concede as much as the others did, never above the start."""
        return np.minimum(level - concession, start)


class Hardliner(Strategy):
    """Repeats its first offer and accepts nothing worse (its aspiration stays at its start)."""

    name = "hardliner"
    description = "repeats its opening and accepts nothing worse"

    def offer(self, proposed, first):
        """The first offer again once there is one; before that, the protocol's choice."""
        return np.where(first >= 0, first, proposed)


#: The strategies ``--strategy party=name`` can name, filled by :func:`register`.
STRATEGIES: dict[str, Strategy] = {}
ALIASES: dict[str, str] = {}


def register(item, aliases: tuple[str, ...] = ()):
    """Make a strategy available by name (``--strategy party=name``). Takes an instance, or a
    class whose constructor needs no arguments (so it works as a class decorator); returns it."""
    s = item() if isinstance(item, type) else item
    key = s.name.strip().lower()
    if not key or key in STRATEGIES or key in ALIASES:
        raise ValueError(f"strategy name {s.name!r} is empty or already taken")
    STRATEGIES[key] = s
    for alias in aliases:
        ALIASES[alias] = key
    return item


def unregister(name: str) -> None:
    """Remove a strategy and its aliases (tests register throw-away strategies)."""
    key = name.strip().lower()
    STRATEGIES.pop(key, None)
    for alias in [a for a, k in ALIASES.items() if k == key]:
        del ALIASES[alias]


def strategy(name: str) -> Strategy:
    """The registered strategy called ``name`` (case-insensitive; aliases such as ``tft`` too)."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in STRATEGIES:
        raise DealcraftError(f"unknown strategy {name!r}: use one of {', '.join(STRATEGIES)}")
    return STRATEGIES[key]


def time_fraction(t: int | np.ndarray, rounds: int) -> float | np.ndarray:
    """t/T with the last round (t = rounds - 1) at 1, so the agent reaches r by the deadline."""
    if isinstance(t, int | np.integer):  # one round (every hook call): the same IEEE division,
        return min(max(int(t) / max(rounds - 1, 1), 0.0), 1.0)  # ~20x cheaper than np.clip
    return np.clip(np.asarray(t, dtype=float) / max(rounds - 1, 1), 0.0, 1.0)


def aspiration(
    t: int | np.ndarray, rounds: int, reservation: np.ndarray | float, e: np.ndarray | float, start=1.0
) -> np.ndarray:
    """The time-dependent curve ``start - (start - r) * (t/T)^(1/e)`` (start = 1 without an opening)."""
    tau = time_fraction(t, rounds)
    e = np.asarray(e, dtype=float)
    return start - (start - np.asarray(reservation)) * tau ** (1.0 / e)


# The built-in strategies, in the order the CLI lists them.
register(TimeDependent("boulware", 0.2, "time-dependent, e = 0.2: holds firm, concedes near the deadline"))
register(TimeDependent("linear", 1.0, "time-dependent, e = 1: concedes the same amount every round"))
register(TimeDependent("conceder", 5.0, "time-dependent, e = 5: concedes early, then holds"))
register(TitForTat, aliases=("tft", "titfortat"))
register(Hardliner, aliases=("hardline",))

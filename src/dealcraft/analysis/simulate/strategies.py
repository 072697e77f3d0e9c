"""Negotiation strategies: how an agent's aspiration (in its own normalised utility) moves.

Time-dependent tactics (Faratin, Sierra & Jennings 1998) concede on a fixed clock:
``aspiration(t) = 1 - (1 - r) * (t/T)^(1/e)``, with ``r`` the agent's reservation in the same
normalised terms; ``e < 1`` is Boulware (holds firm, concedes late), ``e = 1`` linear,
``e > 1`` Conceder. When the agent opens with a given package the curve starts from that
opening's utility instead of 1, so a replayed opening is never retracted.
Tit-for-tat mirrors the other side's last concession measured in the agent's own utility;
a hardliner holds its opening.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dealcraft.errors import DealcraftError

TIME, TIT_FOR_TAT, HARDLINER = 0, 1, 2


@dataclass(frozen=True)
class Strategy:
    name: str
    kind: int  # TIME, TIT_FOR_TAT or HARDLINER
    e: float = 1.0  # concession exponent (time-dependent only)
    description: str = ""


STRATEGIES: dict[str, Strategy] = {
    s.name: s
    for s in (
        Strategy("boulware", TIME, 0.2, "time-dependent, e = 0.2: holds firm, concedes near the deadline"),
        Strategy("linear", TIME, 1.0, "time-dependent, e = 1: concedes the same amount every round"),
        Strategy("conceder", TIME, 5.0, "time-dependent, e = 5: concedes early, then holds"),
        Strategy("tit-for-tat", TIT_FOR_TAT, 1.0, "mirrors the other side's last concession"),
        Strategy("hardliner", HARDLINER, 0.0, "repeats its opening and accepts nothing worse"),
    )
}
ALIASES = {"tft": "tit-for-tat", "titfortat": "tit-for-tat", "hardline": "hardliner"}


def strategy(name: str) -> Strategy:
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in STRATEGIES:
        raise DealcraftError(f"unknown strategy {name!r}: use one of {', '.join(STRATEGIES)}")
    return STRATEGIES[key]


def time_fraction(t: int | np.ndarray, rounds: int) -> np.ndarray:
    """t/T with the last round (t = rounds - 1) at 1, so the agent reaches r by the deadline."""
    return np.clip(np.asarray(t, dtype=float) / max(rounds - 1, 1), 0.0, 1.0)


def aspiration(
    t: int | np.ndarray, rounds: int, reservation: np.ndarray | float, e: np.ndarray | float, start=1.0
) -> np.ndarray:
    """The time-dependent curve ``start - (start - r) * (t/T)^(1/e)`` (start = 1 without an opening)."""
    tau = time_fraction(t, rounds)
    e = np.asarray(e, dtype=float)
    return start - (start - np.asarray(reservation)) * tau ** (1.0 / e)

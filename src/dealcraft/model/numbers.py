"""Judgment numbers: a fixed value, a ``[lo, hi]`` range or a named distribution.

Deterministic analyses use :attr:`Uncertain.point` (the midpoint of a range, the mode of a
triangular, the mean of a normal); Monte Carlo analyses call :meth:`Uncertain.sample`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

DISTRIBUTIONS = ("uniform", "triangular", "normal")


@dataclass(frozen=True)
class Uncertain:
    """One scenario number and how uncertain it is."""

    kind: str  # "fixed", "uniform", "triangular", "normal"
    lo: float
    hi: float
    mode: float = math.nan  # triangular only
    sd: float = 0.0  # normal only (lo = hi = mean)

    @property
    def point(self) -> float:
        """The best single guess: a triangular's mode, else the middle of [lo, hi] (a normal's mean)."""
        if self.kind == "triangular":
            return self.mode
        return (self.lo + self.hi) / 2

    @property
    def is_fixed(self) -> bool:
        """Whether the number has no uncertainty (every sample draws the same value)."""
        return self.kind == "fixed"

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` values (unclipped; callers clip where the quantity has bounds)."""
        if self.kind == "fixed":
            return np.full(n, self.lo)
        if self.kind == "uniform":
            return rng.uniform(self.lo, self.hi, n)
        if self.kind == "triangular":
            if self.lo == self.hi:
                return np.full(n, self.lo)
            return rng.triangular(self.lo, self.mode, self.hi, n)
        return rng.normal(self.lo, self.sd, n)

    def to_data(self) -> Any:
        """The form it is written in a scenario file."""
        if self.kind == "fixed":
            return self.lo
        if self.kind == "uniform":
            return [self.lo, self.hi]
        if self.kind == "triangular":
            return {"dist": "triangular", "lo": self.lo, "mode": self.mode, "hi": self.hi}
        return {"dist": "normal", "mean": self.lo, "sd": self.sd}


def fixed(value: float) -> Uncertain:
    """A number known exactly."""
    return Uncertain("fixed", float(value), float(value))


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    try:
        number = float(value)  # an int beyond the float range overflows here
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        shown = value if isinstance(value, float) else f"an integer of {len(str(abs(value)))} digits"
        raise ValueError(f"{what} must be a finite number, got {shown}: write a number such as 0.5")
    return number


def _span(lo: float, hi: float, what: str) -> None:
    """Sampling draws lo + (hi - lo) * u: a span beyond the float range gives infinite draws."""
    if not math.isfinite(hi - lo):
        raise ValueError(f"{what} [{lo}, {hi}] is wider than the float range: narrow it")


def parse_uncertain(value: Any) -> Uncertain:
    """Read a number, ``[lo, hi]`` or ``{dist: ..., ...}``; raise ValueError saying how to fix it."""
    if isinstance(value, Uncertain):
        return value
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise ValueError(f"a range must be [lo, hi] with two numbers, got {list(value)!r}")
        lo, hi = _number(value[0], "lo"), _number(value[1], "hi")
        if lo > hi:
            raise ValueError(f"range [{lo}, {hi}] has lo > hi: write it as [{hi}, {lo}]")
        _span(lo, hi, "range")
        return Uncertain("uniform", lo, hi)
    if isinstance(value, dict):
        return _parse_distribution(value)
    return fixed(_number(value, "value"))


def _parse_distribution(spec: dict) -> Uncertain:
    dist = spec.get("dist")
    if dist not in DISTRIBUTIONS:
        raise ValueError(
            f"unknown distribution {dist!r}: use dist: uniform (lo, hi), "
            "triangular (lo, mode, hi) or normal (mean, sd)"
        )
    needed = {"uniform": {"lo", "hi"}, "triangular": {"lo", "mode", "hi"}, "normal": {"mean", "sd"}}
    keys = set(spec) - {"dist"}
    if keys != needed[dist]:
        missing = sorted(needed[dist] - keys)
        extra = sorted(keys - needed[dist])
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"unknown {', '.join(extra)}"] if extra else []
        raise ValueError(
            f"{dist} distribution needs exactly {', '.join(sorted(needed[dist]))} ({'; '.join(parts)})"
        )
    if dist == "normal":
        mean, sd = _number(spec["mean"], "mean"), _number(spec["sd"], "sd")
        if sd < 0:
            raise ValueError(f"normal distribution has sd {sd} < 0: sd must be >= 0")
        _span(mean - 10 * sd, mean + 10 * sd, "normal distribution's mean ± 10 sd")
        return Uncertain("normal", mean, mean, sd=sd)
    lo, hi = _number(spec["lo"], "lo"), _number(spec["hi"], "hi")
    if lo > hi:
        raise ValueError(f"{dist} distribution has lo {lo} > hi {hi}: swap them")
    _span(lo, hi, f"{dist} distribution")
    if dist == "uniform":
        return Uncertain("uniform", lo, hi)
    mode = _number(spec["mode"], "mode")
    if not lo <= mode <= hi:
        raise ValueError(f"triangular mode {mode} must lie between lo {lo} and hi {hi}")
    return Uncertain("triangular", lo, hi, mode=mode)


def check_within(u: Uncertain, lo: float, hi: float | None, what: str) -> None:
    """Raise ValueError when a fixed value or a range leaves [lo, hi] (normal tails are clipped)."""
    low, high = (u.lo, u.hi) if u.kind != "normal" else (u.lo, u.lo)
    if low < lo or (hi is not None and high > hi):
        bounds = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise ValueError(f"{what} must be in {bounds}, got {u.to_data()!r}")

"""Range-checked numeric command-line options: NaN, infinity and out-of-range values are usage
errors (exit code 2) naming the option and the allowed range, never accepted silently.

Use :func:`number_option` instead of ``typer.Option`` for any number: Typer's own ``min``/``max``
let ``nan`` through (every comparison with NaN is false) and allow ``inf``.
"""

from __future__ import annotations

import math
from typing import Any

import typer


def check_number(
    value: float | int | None,
    name: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
) -> float | int | None:
    """``value`` if it is finite and within [lo, hi] (``(lo, hi]`` with ``lo_open``), else a
    typer.BadParameter saying what is allowed. None (an option left out) passes."""
    if value is None:
        return None
    allowed = _describe(lo, hi, lo_open)
    if isinstance(value, float) and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number we can use: give {allowed}", param_hint=name)
    too_low = lo is not None and (value <= lo if lo_open else value < lo)
    too_high = hi is not None and value > hi
    if too_low or too_high:
        raise typer.BadParameter(f"{value} is out of range: give {allowed}", param_hint=name)
    return value


def _describe(lo: float | None, hi: float | None, lo_open: bool) -> str:
    low = None if lo is None else f"{'>' if lo_open else '>='} {lo:g}"
    if low and hi is not None:
        return f"a number {low} and <= {hi:g}"
    if low:
        return f"a number {low}"
    return f"a finite number <= {hi:g}" if hi is not None else "a finite number"


def number_option(
    default: Any,
    *names: str,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    help: str | None = None,  # noqa: A002  (Typer's own name)
    **extra: Any,
) -> Any:
    """A ``typer.Option`` whose value is checked with :func:`check_number` before the command runs."""
    name = next((n for n in names if n.startswith("--")), names[0] if names else "option")

    def callback(value: Any) -> Any:
        return check_number(value, name, lo=lo, hi=hi, lo_open=lo_open)

    return typer.Option(default, *names, callback=callback, help=help, **extra)

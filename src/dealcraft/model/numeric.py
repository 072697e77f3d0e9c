"""Numeric issues: the grid of a ``range``/``step`` issue and the value forms that score it.

A numeric issue is compiled into an ordinary issue whose options are its grid points, so the
engine, the fold and every analysis see a plain radix-N issue and stay exact. The grid is
computed in decimal arithmetic (``0.1 * 3`` is ``0.3``, not ``0.30000000000000004``), and each
point's option id is its shortest text (``30``, ``2.5``): ``str`` of the number JSON prints.

A value form turns a stakeholder's few numbers (an ideal point and a width, or the values at
some points) into one value per grid point. Its numbers may be uncertain; a sample re-evaluates
the form with the sampled numbers (:meth:`ValueShape.rows`), so a swing of ``ideal`` moves the
whole curve, not one cell of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np

from dealcraft.model.numbers import Uncertain

MAX_GRID = 10_001  # points on one numeric issue (0 to 100 in steps of 0.01)
LOSSES = ("linear", "quadratic")
WIDTH_FLOOR = 1e-12  # a sampled width is clipped to at least this (the curve stays defined)


def _decimal(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def grid_size(lo: float, hi: float, step: float) -> tuple[int, bool]:
    """(number of points, whether ``step`` divides ``hi - lo`` exactly) for lo < hi, step > 0."""
    try:
        count = (_decimal(hi) - _decimal(lo)) / _decimal(step)
    except InvalidOperation:  # pragma: no cover - finite inputs only
        return 0, False
    whole = count.to_integral_value()
    return int(whole) + 1, count == whole


def grid_points(lo: float, step: float, n: int) -> tuple[float, ...]:
    """The ``n`` grid points lo, lo + step, ... computed in decimal (no drift)."""
    return tuple(grid_point(lo, step, k) for k in range(n))


def grid_point(lo: float, step: float, k: int) -> float:
    """The k-th grid point lo + k * step, computed in decimal."""
    return float(_decimal(lo) + k * _decimal(step))


def number_text(x: float) -> str:
    """The option id of a grid point: an integral value without ``.0``, else Python's shortest
    repr (``2.5``, ``0.1``, ``1e-05``)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def written_options(issue: Mapping) -> tuple[list[str], tuple[float, ...] | None]:
    """An issue as written in a file (a plain mapping, already validated): its option ids, and the
    grid numbers when it is numeric. For tools that see the shared structure, not a compiled scenario."""
    if "options" in issue:
        return [o["id"] for o in issue["options"]], None
    lo, hi = issue["range"]
    n, _ = grid_size(lo, hi, issue["step"])
    grid = grid_points(lo, issue["step"], n)
    return [number_text(x) for x in grid], grid


def shown(value: str | int | float) -> str:
    """A package value as text: an option id as it is, a number as its option id (``2`` not ``2.0``)."""
    return value if isinstance(value, str) else number_text(value)


def json_number(x: float, integral: bool) -> int | float:
    """The number JSON prints for a grid point: an int when the whole grid is integral."""
    return int(x) if integral else float(x)


def find_point(grid: Sequence[float], x: float, step: float) -> int | None:
    """Index of the grid point within a millionth of a step of ``x``, or None (off the grid)."""
    g = np.asarray(grid)
    k = int(np.argmin(np.abs(g - x)))
    return k if abs(g[k] - x) <= 1e-6 * step else None


@dataclass(frozen=True)
class ValueShape:
    """A compiled value form: how a stakeholder values each point of a numeric issue.

    ``kind`` is ``"loss"`` (an ideal point, a loss and a width), ``"points"`` (piecewise linear
    through ``xs``) or ``"monotone"`` (``increasing`` or ``decreasing``). ``numbers`` names the
    form's numbers (``ideal``, ``width``, or the point values keyed by their x as text), each
    possibly uncertain."""

    kind: str
    loss: str | None
    xs: tuple[float, ...]  # points: the x of each point (fixed numbers)
    increasing: bool
    numbers: Mapping[str, Uncertain]

    def bounds(self, name: str) -> tuple[float, float]:
        """Where a sampled number may lie: widths positive, point values in [0, 1], ideals anywhere."""
        if name == "ideal":
            return (-math.inf, math.inf)
        if name == "width":
            return (WIDTH_FLOOR, math.inf)
        return (0.0, 1.0)

    def point_row(self, grid: np.ndarray) -> np.ndarray:
        """(G,) values at the numbers' point estimates."""
        given = {k: np.array([u.point]) for k, u in self.numbers.items()}
        return self.rows(grid, given)[0]

    def rows(self, grid: np.ndarray, given: Mapping[str, np.ndarray]) -> np.ndarray:
        """(n, G) values for n samples of the numbers (each ``given[name]`` has shape (n,))."""
        grid = np.asarray(grid, dtype=float)
        if self.kind == "monotone":
            t = (grid - grid[0]) / (grid[-1] - grid[0])
            return (t if self.increasing else 1.0 - t)[None, :]
        if self.kind == "loss":
            ideal = np.asarray(given["ideal"], dtype=float)[:, None]
            width = np.maximum(np.asarray(given["width"], dtype=float), WIDTH_FLOOR)[:, None]
            d = (grid[None, :] - ideal) / width
            loss = np.abs(d) if self.loss == "linear" else d * d
            return np.clip(1.0 - loss, 0.0, 1.0)
        ys = np.column_stack([np.asarray(given[number_text(x)], dtype=float) for x in self.xs])
        return _interpolate(np.asarray(self.xs), ys, grid)


def _interpolate(xs: np.ndarray, ys: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Piecewise-linear interpolation of each row of ys (n, K) at the grid points."""
    k = np.clip(np.searchsorted(xs, grid, side="right") - 1, 0, len(xs) - 2)
    t = (grid - xs[k]) / (xs[k + 1] - xs[k])
    return np.clip(ys[:, k] * (1.0 - t) + ys[:, k + 1] * t, 0.0, 1.0)

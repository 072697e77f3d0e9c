"""Results must be finite: a NaN makes every comparison false and prints as invalid JSON.

The loader rejects non-finite input, so a non-finite result is a bug; these checks turn it
into a clear :class:`InternalError` at the point it appears instead of a silent wrong answer.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dealcraft.errors import InternalError


def require_finite(values: Any, what: str) -> None:
    """Raise InternalError if any of ``values`` (a number or array) is NaN or infinite."""
    array = np.asarray(values, dtype=float)
    if not np.isfinite(array).all():
        raise InternalError(f"{what} is not finite ({_first_bad(array)})")


def _first_bad(array: np.ndarray) -> str:
    flat = array.reshape(-1)
    k = int(np.flatnonzero(~np.isfinite(flat))[0])
    return f"{flat[k]} at position {k}"


def first_non_finite(data: Any) -> str | None:
    """Path (``frontier[3].utilities.us``) of the first NaN/infinite float in JSON-like data, or None
    (an explicit stack: results can be deep)."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return path or "(top level)"
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k)) for k, v in reversed(list(value.items())))
        elif isinstance(value, list | tuple):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
    return None

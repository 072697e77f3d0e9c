"""Small statistics shared by the uncertainty analyses."""

from __future__ import annotations

import math

import numpy as np

from dealcraft.engine.frontier import nash_products
from dealcraft.engine.proportions import Z95, wilson

__all__ = ["Z95", "Proportion", "expected_nash", "wilson"]


class Proportion:
    """Mixin for results that count ``accepted`` out of ``samples``: the share and its interval."""

    accepted: int
    samples: int

    @property
    def p(self) -> float:
        """The share of samples that accept."""
        return self.accepted / self.samples

    @property
    def interval(self) -> tuple[float, float]:
        """95% Wilson interval of :attr:`p`."""
        return wilson(self.accepted, self.samples)


def expected_nash(utilities: np.ndarray, d: np.ndarray, power: np.ndarray | None = None) -> np.ndarray:
    """Mean over samples of prod_P (U_P - d_P)^power_P when every gain is positive, 0 otherwise.
    utilities (K, P, n), d (K, P), power (K, P) or (P,) or None (all 1) -> (n,)."""
    if power is not None:
        power = np.broadcast_to(power, d.shape)[:, None, :]
    return nash_products(np.moveaxis(utilities, 1, -1), d[:, None, :], power).mean(axis=0)  # (K, n) -> (n,)


def summary(x: np.ndarray) -> dict[str, float]:
    """Mean and 5/50/95% quantiles of a sample (NaN when empty)."""
    if x.size == 0:
        return {"mean": math.nan, "q05": math.nan, "median": math.nan, "q95": math.nan}
    q = np.quantile(x, [0.05, 0.5, 0.95])
    return {"mean": float(x.mean()), "q05": float(q[0]), "median": float(q[1]), "q95": float(q[2])}

"""Small statistics shared by the uncertainty analyses."""

from __future__ import annotations

import math

import numpy as np

from dealcraft.engine.frontier import nash_products

Z95 = 1.959963984540054


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


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for a binomial proportion: honest near 0 and 1, unlike p ± z·se."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return lo, hi


def expected_nash(utilities: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Mean over samples of prod_P (U_P - d_P) when every gain is positive, 0 otherwise.
    utilities (K, P, n), d (K, P) -> (n,)."""
    products = nash_products(np.moveaxis(utilities, 1, -1), d[:, None, :])  # (K, n)
    return np.where(np.isfinite(products), products, 0.0).mean(axis=0)


def summary(x: np.ndarray) -> dict[str, float]:
    """Mean and 5/50/95% quantiles of a sample (NaN when empty)."""
    if x.size == 0:
        return {"mean": math.nan, "q05": math.nan, "median": math.nan, "q95": math.nan}
    q = np.quantile(x, [0.05, 0.5, 0.95])
    return {"mean": float(x.mean()), "q05": float(q[0]), "median": float(q[1]), "q95": float(q[2])}

"""Draw preference parameters for many runs at once (a local sampler, kept independent of
``analysis.uncertainty`` so the two can be merged later).

Each uncertain number is drawn with :meth:`Uncertain.sample`; values and reservations are
clipped to [0, 1], weights to >= 0 and re-normalised per stakeholder, as the model requires.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dealcraft.model.scenario import Scenario


@dataclass(frozen=True)
class Draws:
    """Parameters with a leading run axis (length ``n`` or 1 when nothing is uncertain)."""

    weights: np.ndarray  # (n, S, I)
    values: tuple[np.ndarray, ...]  # per issue (n, S, radix)
    reservations: np.ndarray  # (n, S)

    @property
    def runs(self) -> int:
        return self.weights.shape[0]


def is_uncertain(scenario: Scenario) -> bool:
    u = scenario.uncertain
    return any(not x.is_fixed for m in (u.weights, u.values, u.reservations) for x in m.values())


def point_draws(scenario: Scenario) -> Draws:
    """The point estimates as a one-run draw (broadcasts against any number of runs)."""
    p = scenario.params
    return Draws(p.weights[None].copy(), tuple(v[None].copy() for v in p.values), p.reservations[None].copy())


def sample_draws(scenario: Scenario, n: int, rng: np.random.Generator) -> Draws:
    """``n`` independent parameter sets; a scenario without ranges gives the point estimates."""
    if not is_uncertain(scenario):
        return point_draws(scenario)
    u = scenario.uncertain
    n_s, n_i = len(scenario.stakeholders), len(scenario.issues)
    weights = np.zeros((n, n_s, n_i))
    for (s, i), x in sorted(u.weights.items()):
        weights[:, s, i] = np.clip(x.sample(rng, n), 0.0, None)
    totals = weights.sum(axis=2, keepdims=True)
    fallback = np.broadcast_to(scenario.params.weights[None], weights.shape)
    weights = np.where(totals > 0, weights / np.where(totals > 0, totals, 1.0), fallback)
    values = [np.repeat(v[None], n, axis=0) for v in scenario.params.values]
    for (s, i, o), x in sorted(u.values.items()):
        values[i][:, s, o] = np.clip(x.sample(rng, n), 0.0, 1.0)
    reservations = np.repeat(scenario.params.reservations[None], n, axis=0)
    for s, x in sorted(u.reservations.items()):
        reservations[:, s] = np.clip(x.sample(rng, n), 0.0, 1.0)
    return Draws(weights, tuple(values), reservations)


def stakeholder_utilities(draws: Draws, digits: np.ndarray) -> np.ndarray:
    """(n, S, K) utilities of the packages ``digits`` (K, I) under every run's parameters."""
    n, n_s, _ = draws.weights.shape
    out = np.zeros((n, n_s, digits.shape[0]))
    for i, table in enumerate(draws.values):
        out += draws.weights[:, :, i, None] * table[:, :, digits[:, i]]
    return out

"""Draw parameter sets: one column per uncertain number, reproducible whatever the worker count.

Sample j always comes from generator ``SeedSequence(seed, spawn_key=(j // BATCH,))``, drawing
BATCH values per parameter in a fixed order, so any slice of samples can be re-drawn anywhere
(another process, another machine) and gives the same numbers. Values and reservations are
clipped to [0, 1], weights to >= 0, and weights are re-normalised per sample.

Uncertain bargaining powers (``parties[].power``) only move the Nash criterion, never a verdict,
so they are not among the parameters that sensitivity swings or calibration weighs: they are
drawn from a stream of their own (spawn key ``(batch, 1)``), which leaves every other draw as it
was, and clipped to at least ``POWER_FLOOR``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from dealcraft.engine.sampled import SampledParameters
from dealcraft.model.numbers import Uncertain
from dealcraft.model.scenario import Scenario

BATCH = 1024  # samples per generator; part of the reproducibility contract: never change it
POWER_FLOOR = 1e-3  # smallest bargaining power a draw can give (a normal's tail may reach 0)


@dataclass(frozen=True)
class Parameter:
    """One judgment number of the scenario and where it lives."""

    kind: str  # "weight", "value", "shape" (a number of a value form) or "reservation"
    index: tuple[int, ...]  # (s, i) for weights, (s, i, o) for values, (s, i, k) for shapes, (s,)
    label: str  # e.g. "us.hawks value peace=end_of_war", "us.hawks value tariff ideal"
    dist: Uncertain
    bounds: tuple[float, float] | None = None  # shapes: where the number may lie

    @property
    def stakeholder(self) -> int:
        """Index of the stakeholder the number belongs to."""
        return self.index[0]

    @property
    def domain(self) -> tuple[float, float]:
        """Where the number may lie: weights are non-negative, values and reservations in [0, 1]
        (a value form's numbers: see ValueShape.bounds)."""
        if self.bounds is not None:
            return self.bounds
        return (0.0, math.inf) if self.kind == "weight" else (0.0, 1.0)

    def clip(self, x: np.ndarray | float) -> np.ndarray:
        """``x`` clipped into :attr:`domain`, so no draw leaves it."""
        lo, hi = self.domain
        return np.clip(x, lo, hi)

    def ends(self) -> tuple[float, float]:
        """The low and high ends used for swings: the range, or mean -/+ 2 sd for a normal."""
        if self.dist.kind == "normal":
            lo, hi = self.dist.lo - 2 * self.dist.sd, self.dist.lo + 2 * self.dist.sd
        else:
            lo, hi = self.dist.lo, self.dist.hi
        return float(self.clip(lo)), float(self.clip(hi))


def parameters(scenario: Scenario) -> list[Parameter]:
    """Every number given in the file, in a fixed order: per stakeholder its reservation, then
    its weights by issue, then its values by issue and option."""
    u = scenario.uncertain
    out = []
    for s, h in enumerate(scenario.stakeholders):
        if s in u.reservations:
            out.append(Parameter("reservation", (s,), f"{h.key} reservation", u.reservations[s]))
        for i, issue in enumerate(scenario.issues):
            if (s, i) in u.weights:
                out.append(Parameter("weight", (s, i), f"{h.key} weight {issue.id}", u.weights[(s, i)]))
        for i, issue in enumerate(scenario.issues):
            for o, option in enumerate(issue.options):
                if (s, i, o) in u.values:
                    out.append(
                        Parameter(
                            "value", (s, i, o), f"{h.key} value {issue.id}={option}", u.values[(s, i, o)]
                        )
                    )
            shape = u.shapes.get((s, i))
            for k, (name, dist) in enumerate(shape.numbers.items() if shape else ()):
                label = f"{h.key} value {issue.id} {name if name in ('ideal', 'width') else 'at ' + name}"
                out.append(Parameter("shape", (s, i, k), label, dist, shape.bounds(name)))
    return out


class ParameterSpace:
    """The scenario's numbers: the uncertain ones are sampled, the fixed ones stay at their value."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.all = parameters(scenario)
        self.uncertain = [p for p in self.all if not p.dist.is_fixed]
        n_s, n_i = len(scenario.stakeholders), len(scenario.issues)
        self.raw_weights = np.zeros((n_s, n_i))  # unnormalised, as written in the file
        self.values = tuple(v.copy() for v in scenario.params.values)
        self.reservations = scenario.params.reservations.copy()
        self.powers = [(p, u) for p, u in sorted(scenario.uncertain.power.items()) if not u.is_fixed]
        for p in self.all:
            self._set_base(p, p.dist.point)

    def _set_base(self, p: Parameter, x: float) -> None:
        if p.kind == "shape":
            return  # the point rows of value forms are compiled already
        if p.kind == "weight":
            self.raw_weights[p.index] = x
        elif p.kind == "value":
            s, i, o = p.index
            self.values[i][s, o] = x
        else:
            self.reservations[p.index[0]] = x

    @property
    def dimension(self) -> int:
        """Number of uncertain parameters: the columns of a draw."""
        return len(self.uncertain)

    def draw(self, seed: int, n: int, start: int = 0) -> np.ndarray:
        """Samples start .. start+n-1 as an (n, D) matrix, one column per uncertain parameter."""
        out = np.empty((n, self.dimension))
        if n == 0 or self.dimension == 0:
            return out
        first, last = start // BATCH, (start + n - 1) // BATCH
        for b in range(first, last + 1):
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(b,)))
            block = np.column_stack([p.clip(p.dist.sample(rng, BATCH)) for p in self.uncertain])
            lo, hi = max(start, b * BATCH), min(start + n, (b + 1) * BATCH)
            out[lo - start : hi - start] = block[lo - b * BATCH : hi - b * BATCH]
        return out

    def arrays(
        self, x: np.ndarray, overrides: Mapping[int, float | np.ndarray] | None = None
    ) -> SampledParameters:
        """Parameter arrays for the samples ``x`` (n, D). ``overrides`` maps an index into
        :attr:`all` to a value (or one per sample) that replaces it, fixed or not."""
        n = x.shape[0]
        weights = np.broadcast_to(self.raw_weights, (n, *self.raw_weights.shape)).copy()
        values = tuple(np.broadcast_to(v, (n, *v.shape)).copy() for v in self.values)
        reservations = np.broadcast_to(self.reservations, (n, self.reservations.size)).copy()
        columns = {id(p): j for j, p in enumerate(self.uncertain)}
        chosen = dict(overrides or {})
        moved: dict[tuple[int, int], dict[int, np.ndarray]] = {}  # value forms to re-evaluate
        for k, p in enumerate(self.all):
            if k in chosen:
                column = p.clip(np.broadcast_to(np.asarray(chosen[k], dtype=float), (n,)))
            elif id(p) in columns:
                column = x[:, columns[id(p)]]
            else:
                continue
            if p.kind == "shape":
                moved.setdefault(p.index[:2], {})[p.index[2]] = column
            elif p.kind == "weight":
                weights[:, p.index[0], p.index[1]] = column
            elif p.kind == "value":
                s, i, o = p.index
                values[i][:, s, o] = column
            else:
                reservations[:, p.index[0]] = column
        for (s, i), columns_of in moved.items():
            values[i][:, s, :] = self._shape_rows(s, i, columns_of, n)
        totals = weights.sum(axis=2, keepdims=True)
        weights = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
        return SampledParameters(weights, values, reservations)

    def _shape_rows(self, s: int, i: int, columns_of: Mapping[int, np.ndarray], n: int) -> np.ndarray:
        """(n, G) values of stakeholder s's value form on numeric issue i, its numbers taken from
        ``columns_of`` (by position) where given, else at their point values."""
        shape = self.scenario.uncertain.shapes[(s, i)]
        given = {
            name: columns_of[k] if k in columns_of else np.full(n, dist.point)
            for k, (name, dist) in enumerate(shape.numbers.items())
        }
        grid = self.scenario.issues[i].grid
        assert grid is not None
        return shape.rows(np.asarray(grid), given)

    def draw_power(self, seed: int, n: int, start: int = 0) -> np.ndarray | None:
        """(n, P) bargaining powers of samples start .. start+n-1, the point values where fixed;
        None when no party's power is uncertain. Reproducible by slice like :meth:`draw`."""
        if not self.powers:
            return None
        out = np.broadcast_to(self.scenario.power, (n, len(self.scenario.parties))).copy()
        if n == 0:
            return out
        first, last = start // BATCH, (start + n - 1) // BATCH
        for b in range(first, last + 1):
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(b, 1)))
            block = np.column_stack([np.maximum(u.sample(rng, BATCH), POWER_FLOOR) for _, u in self.powers])
            lo, hi = max(start, b * BATCH), min(start + n, (b + 1) * BATCH)
            out[lo - start : hi - start, [p for p, _ in self.powers]] = block[lo - b * BATCH : hi - b * BATCH]
        return out

    def sample(self, seed: int, n: int, start: int = 0) -> SampledParameters:
        """Parameter arrays for samples start .. start+n-1 (:meth:`draw`, then :meth:`arrays`),
        with their bargaining powers (:meth:`draw_power`)."""
        return replace(self.arrays(self.draw(seed, n, start)), power=self.draw_power(seed, n, start))

    def point(self) -> SampledParameters:
        """The point values as a single sample."""
        return self.arrays(np.array([[p.dist.point for p in self.uncertain]]).reshape(1, -1))

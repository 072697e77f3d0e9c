"""Which assumption, if wrong, flips the answer for one package (tornado data).

For each parameter: P(package accepted) with that parameter held at its low end and at its
high end while every other uncertain number is sampled (common random numbers: the same draws
for every parameter, so differences are not noise). Uncertain parameters swing across their
range (a normal: mean -/+ 2 sd); fixed ones by +/- ``swing`` (weights: ``swing`` times the
stakeholder's total weight, i.e. about ``swing`` on the normalised scale). The threshold is
the value of the parameter, everything else at its point value, at which the package's
verdict flips; it exists only when the parameter's stakeholder decides the package there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.uncertainty.stats import Proportion
from dealcraft.engine.acceptance import Rules
from dealcraft.engine.sampled import package_verdicts
from dealcraft.engine.sampling import Parameter, ParameterSpace
from dealcraft.model.scenario import Scenario

SWING = 0.1


@dataclass(frozen=True)
class Swing:
    """How one number moves a package's acceptance: the probability at its low and high end (the
    others sampled), and where the verdict flips."""

    parameter: Parameter
    point: float
    low: float  # values tried
    high: float
    p_low: float  # P(package accepted) at low / high
    p_high: float
    threshold: float | None  # where the verdict flips (others at point), None if nowhere in range

    @property
    def swing(self) -> float:
        """How much this number matters: the change in P(accepted) from its low to its high end."""
        return abs(self.p_high - self.p_low)

    @property
    def uncertain(self) -> bool:
        """Whether the file gives the number as uncertain (else it is swung around its fixed value)."""
        return not self.parameter.dist.is_fixed


@dataclass(frozen=True)
class SensitivityResult(Proportion):
    """Which numbers decide one package: its acceptance over the samples, the verdicts at the
    point values, and the swing of every number, largest first."""

    scenario: Scenario
    package: tuple[int, ...]
    samples: int
    seed: int
    accepted: int  # samples in which every party ratifies the package
    point_accepted: bool
    deciders: tuple[int, ...]  # stakeholders whose verdict alone flips the package at the point
    slack: np.ndarray  # (S,) u_s - r_s at the point values
    point_accepts: np.ndarray  # (S,) each stakeholder's verdict at the point values
    swings: list[Swing]  # every parameter, largest swing first

    @property
    def closest(self) -> int:
        """The stakeholder with the least slack at the point values."""
        return int(np.argmin(self.slack))


def sensitivity(
    scenario: Scenario,
    package: Sequence[int],
    samples: int = 2000,
    seed: int = 0,
    swing: float = SWING,
    progress: Callable[[int], None] | None = None,
) -> SensitivityResult:
    """``progress(1)`` is called after each parameter (there are len(ParameterSpace.all))."""
    space = ParameterSpace(scenario)
    digits = np.asarray(package, dtype=np.int64)[None, :]
    x = space.draw(seed, samples)
    base = package_verdicts(scenario, space.arrays(x), digits)
    point = package_verdicts(scenario, space.point(), digits)
    deciders = _deciders(scenario, point.accepts[0, :, 0])
    out = []
    for k, p in enumerate(space.all):
        low, high = _ends(space, p, swing)
        p_low = float(package_verdicts(scenario, space.arrays(x, {k: low}), digits).agree.mean())
        p_high = float(package_verdicts(scenario, space.arrays(x, {k: high}), digits).agree.mean())
        threshold = _threshold(space, p, digits[0]) if p.stakeholder in deciders else None
        out.append(Swing(p, p.dist.point, low, high, p_low, p_high, threshold))
        if progress:
            progress(1)
    out.sort(key=lambda w: (-round(w.swing, 12), not w.uncertain, w.parameter.label))
    return SensitivityResult(
        scenario,
        tuple(int(d) for d in digits[0]),
        samples,
        seed,
        int(base.agree.sum()),
        bool(point.agree[0, 0]),
        tuple(deciders),
        point.utilities[0, :, 0] - space.reservations,
        point.accepts[0, :, 0].copy(),
        out,
    )


def _ends(space: ParameterSpace, p: Parameter, swing: float) -> tuple[float, float]:
    if not p.dist.is_fixed:
        return p.ends()
    if p.kind == "weight":
        step = swing * space.raw_weights[p.stakeholder].sum()
    elif p.kind == "shape" and p.domain[1] == np.inf:  # an ideal or a width: on the issue's scale
        grid = space.scenario.issues[p.index[1]].grid or (0.0, 1.0)
        step = swing * (grid[-1] - grid[0])
    else:
        step = swing
    return float(p.clip(p.dist.point - step)), float(p.clip(p.dist.point + step))


def _deciders(scenario: Scenario, accepts: np.ndarray) -> list[int]:
    """Stakeholders whose verdict, toggled alone, changes whether every party ratifies."""
    rules = Rules.of(scenario)
    agreed = bool(rules.parties(accepts[:, None]).all())
    out = []
    for s in range(accepts.size):
        toggled = accepts.copy()
        toggled[s] = not toggled[s]
        if bool(rules.parties(toggled[:, None]).all()) != agreed:
            out.append(s)
    return out


def _threshold(space: ParameterSpace, p: Parameter, package: np.ndarray) -> float | None:
    """Solve u_s(theta) = r_s(theta) for the parameter theta (closed forms: u is linear in values
    and reservations, linear-fractional in a raw weight)."""
    sc = space.scenario
    s = p.stakeholder
    raw = space.raw_weights[s]
    v = np.array([space.values[i][s, package[i]] for i in range(len(sc.issues))])
    total = raw.sum()
    u = float(raw @ v / total) if total > 0 else 0.0
    r = float(space.reservations[s])
    own = all(c.holds(package) for c in sc.stakeholder_constraints[s])
    if not own or not all(c.holds(package) for c in sc.constraints):
        return None  # it rejects whatever the numbers are
    if p.kind == "shape":
        return None  # a value form's number moves a whole curve: no closed form here
    if p.kind == "reservation":
        theta = u
    elif p.kind == "value":
        _, i, o = p.index
        if package[i] != o or total <= 0 or raw[i] == 0:
            return None
        theta = v[i] + (r - u) * total / raw[i]
    else:
        i = p.index[1]
        a = float(raw @ v - raw[i] * v[i])
        b = float(total - raw[i])
        if v[i] == r or np.isclose(v[i] * b, a):
            return None
        theta = (r * b - a) / (v[i] - r)
        if b + theta <= 0:
            return None
    lo, hi = p.domain
    return float(theta) if lo < theta < hi else None  # at an end of the domain nothing flips

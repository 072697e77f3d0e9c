"""Sensitivity: swings are ranked, thresholds really flip the verdict, closed forms hold."""

from __future__ import annotations

import numpy as np
import pytest

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.evaluate import evaluate
from dealcraft.analysis.uncertainty.sensitivity import sensitivity
from dealcraft.engine.sampled import package_verdicts
from dealcraft.engine.sampling import ParameterSpace
from dealcraft.engine.space import decode

from uncertainty_scenarios import mc


@pytest.fixture(scope="module")
def case():
    sc = mc(reservation="[0.3, 0.5]")
    package = analyze(sc, 1).proposals[0].package
    return sc, package, sensitivity(sc, package, samples=1500, seed=5)


def _accepted_with(sc, k: int, value: float, package) -> bool:
    space = ParameterSpace(sc)
    x = np.array([[p.dist.point for p in space.uncertain]]).reshape(1, -1)
    return bool(package_verdicts(sc, space.arrays(x, {k: value}), np.array([package])).agree[0, 0])


def test_swings_are_ranked_and_bounded(case):
    sc, package, result = case
    swings = [w.swing for w in result.swings]
    assert swings == sorted(swings, reverse=True)
    assert all(0 <= w.p_low <= 1 and 0 <= w.p_high <= 1 for w in result.swings)
    assert result.point_accepted and result.deciders
    assert result.interval[0] <= result.p <= result.interval[1]
    # a number for an option the package does not use moves nothing and flips nothing
    unused = [
        w
        for w in result.swings
        if w.parameter.kind == "value" and package[w.parameter.index[1]] != w.parameter.index[2]
    ]
    assert unused and all(w.swing == 0 and w.threshold is None for w in unused)


def test_thresholds_flip_the_verdict():
    """For every package of the space, accepted or not: just below and just above each
    reported threshold the verdict differs, and the point value is on the reported side."""
    sc = mc(reservation="[0.3, 0.5]")
    space = ParameterSpace(sc)
    index = {p.label: k for k, p in enumerate(space.all)}
    kinds = set()
    for number in range(sc.size):
        package = tuple(int(d) for d in decode(np.array([number]), sc.radices)[0])
        result = sensitivity(sc, package, samples=20, seed=0)
        for w in result.swings:
            if w.threshold is None:
                continue
            kinds.add(w.parameter.kind)
            k = index[w.parameter.label]
            below = _accepted_with(sc, k, w.threshold - 1e-6, package)
            above = _accepted_with(sc, k, w.threshold + 1e-6, package)
            assert below != above, (sc.describe(package), w.parameter.label)
            assert _accepted_with(sc, k, w.point, package) == result.point_accepted
    assert kinds == {"reservation", "weight", "value"}


def test_reservation_threshold_is_the_utility(case):
    sc, package, result = case
    ev = evaluate(sc, package)
    for w in result.swings:
        if w.parameter.kind == "reservation" and w.threshold is not None:
            assert w.threshold == pytest.approx(ev.stakeholders[w.parameter.stakeholder].utility)


def test_uncertain_reservation_swing_is_exact():
    """Only the hawk's reservation varies ([0.3, 0.5]); at its ends the verdict is certain."""
    sc = mc(reservation="[0.3, 0.5]")
    package = analyze(sc, 1).proposals[0].package
    space = ParameterSpace(sc)
    result = sensitivity(sc, package, samples=400, seed=1)
    hawk = next(w for w in result.swings if w.parameter.label == "a.hawk reservation")
    assert (hawk.low, hawk.high) == (0.3, 0.5)
    k = [p.label for p in space.all].index("a.hawk reservation")
    x = space.draw(1, 400)
    for end, p in ((0.3, hawk.p_low), (0.5, hawk.p_high)):
        direct = package_verdicts(sc, space.arrays(x, {k: end}), np.array([package])).agree.mean()
        assert p == direct


def test_same_seed_same_tornado(case):
    sc, package, result = case
    again = sensitivity(sc, package, samples=1500, seed=5)
    assert [(w.parameter.label, w.p_low, w.p_high) for w in again.swings] == [
        (w.parameter.label, w.p_low, w.p_high) for w in result.swings
    ]

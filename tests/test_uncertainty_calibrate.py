"""Calibration: rejection conditioning against exact rates, LP bounds against a brute-force grid."""

from __future__ import annotations

import math

import numpy as np

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.uncertainty.calibrate import calibrate, weight_bounds
from dealcraft.engine.acceptance import TOLERANCE
from dealcraft.engine.sampling import ParameterSpace

from uncertainty_scenarios import lp, mc

REJECTED = """
observations:
  - {id: turned-down, package: {money: some, nukes: freeze}, outcome: rejected, by: a.hawk}
"""


def test_acceptance_rate_and_posterior_match_the_exact_conditioning():
    """Hawk: u = (v + 0.4) / 2 with v ~ U[0.2, 0.8], r ~ U[0.35, 0.75]; kept iff r > u."""
    sc = mc(observations=REJECTED)
    n = 20000
    result = calibrate(sc, n, seed=3)
    v = 0.2 + 0.6 * (np.arange(4000) + 0.5) / 4000
    u = (v + 0.4) / 2
    exact = np.clip((0.75 - u) / 0.4, 0, 1).mean()
    assert abs(result.rate - exact) < 4.5 * 0.5 / math.sqrt(n)
    assert result.warning is None
    post = {p.parameter.label: p for p in result.posteriors}
    hawk = post["a.hawk reservation"]
    assert hawk.posterior["mean"] > hawk.prior["mean"] + 0.02  # rejecting needs a higher bar
    value = post["a.hawk value money=some"]
    assert value.posterior["mean"] < value.prior["mean"] - 0.02  # ... or valuing the offer less
    army = post["b.army reservation"]
    assert abs(army.posterior["mean"] - army.prior["mean"]) < 0.01  # unrelated: unchanged
    # every kept sample really reproduces the observation
    space = ParameterSpace(sc)
    x = space.draw(3, n)
    kept = x[(x[:, 0] > (x[:, 1] + 0.4) / 2 + TOLERANCE)]
    assert abs(kept.shape[0] - result.kept) <= 2  # ties within the tolerance band only


def test_warnings_when_few_or_no_samples_survive():
    impossible = "observations:\n  - {id: x, package: {nukes: freeze}, outcome: rejected, by: a.boss}\n"
    sc = mc(observations=impossible)
    result = calibrate(sc, 500, seed=1)
    assert result.kept == 0 and "no sample" in result.warning
    rough = calibrate(mc(observations=REJECTED), 60, seed=1)
    assert 0 < rough.kept < 60 and "only" in rough.warning
    assert "no observations" in calibrate(mc(), 10, seed=1).warning


def test_proposals_get_prior_and_posterior_probabilities():
    sc = mc(reservation="[0.3, 0.5]", observations=REJECTED)
    proposals = analyze(sc, 2).proposals
    result = calibrate(sc, 3000, seed=2, proposals=proposals)
    assert len(result.proposals) == len(proposals) >= 1
    for o in result.proposals:
        assert o.prior[1] == 3000 and o.posterior[1] == result.kept
        assert 0 <= o.posterior[0] <= o.posterior[1]


def _brute_force(values: np.ndarray, accept: np.ndarray, r_range: tuple[float, float], step: int = 400):
    """Grid over the weight simplex x reservations; min/max of each weight where all hold."""
    a, b = np.meshgrid(np.arange(step + 1) / step, np.arange(step + 1) / step, indexing="ij")
    keep = a + b <= 1 + 1e-12
    w = np.column_stack([a[keep], b[keep], 1 - a[keep] - b[keep]])
    r = np.linspace(*r_range, 31)
    u = w @ values.T  # (W, O)
    ok = np.ones((w.shape[0], r.size), dtype=bool)
    for j in range(values.shape[0]):
        yes = u[:, j, None] >= r[None, :] - TOLERANCE
        ok &= yes if accept[j] else ~yes
    feasible = ok.any(axis=1)
    return w[feasible].min(axis=0), w[feasible].max(axis=0)


def test_lp_bounds_match_a_brute_force_grid():
    sc = lp()
    bounds = weight_bounds(sc, ParameterSpace(sc), 0)
    assert bounds.status == "ok" and bounds.constraining == ("o1", "o2", "o3", "o4")
    values = np.array([[0.6, 0.7, 1.0], [0.0, 1.0, 0.2], [1.0, 0.0, 0.2], [0.0, 0.7, 1.0]])
    low, high = _brute_force(values, np.array([True, False, False, True]), (0.4, 0.55))
    assert np.all(high - low > 0.05)  # a real polytope, not a point
    # the grid lies inside the exact bounds, and comes within two grid steps of them
    assert np.all(bounds.low <= low + 1e-9) and np.all(bounds.high >= high - 1e-9)
    np.testing.assert_allclose(bounds.low, low, atol=2 / 400)
    np.testing.assert_allclose(bounds.high, high, atol=2 / 400)
    lo_r, hi_r = bounds.reservation
    assert 0.4 <= lo_r <= hi_r <= 0.55


def test_lp_leaves_unconstrained_stakeholders_free_and_flags_the_unreachable():
    sc = lp()
    other = weight_bounds(sc, ParameterSpace(sc), 1)
    assert other.status == "ok" and other.constraining == ()
    np.testing.assert_allclose(other.low, 0, atol=1e-9)
    np.testing.assert_allclose(other.high, 1, atol=1e-9)
    bad = mc(
        observations="observations:\n  - {id: x, package: {nukes: freeze}, outcome: rejected, by: a.boss}\n"
    )
    hawk = weight_bounds(bad, ParameterSpace(bad), 1)
    assert hawk.status == "uncertain values"
    army = weight_bounds(bad, ParameterSpace(bad), 3)
    assert army.status == "partial" and army.unreachable == ("x",)


def test_a_stakeholder_whose_verdict_cannot_matter_is_not_constrained():
    """tiny's observation is about party b and its package is infeasible (a global
    constraint breaks): nobody's weights can change that rejection, so nobody is bounded."""
    from pathlib import Path

    from dealcraft.analysis.uncertainty.calibrate import weight_bounds
    from dealcraft.engine.sampling import ParameterSpace
    from dealcraft.model.load import load

    sc = load(str(Path(__file__).parent / "data" / "tiny.yaml"))
    space = ParameterSpace(sc)
    for s in range(len(sc.stakeholders)):
        bounds = weight_bounds(sc, space, s)
        assert bounds.constraining == () and bounds.unreachable == ()
        assert bounds.status in {"ok", "uncertain values"}

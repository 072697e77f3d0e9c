"""Monte Carlo against exact probabilities; the batched kernel against a plain per-sample loop;
sampling reproducibility; bad distributions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcraft.analysis.uncertainty.montecarlo import count_space
from dealcraft.analysis.uncertainty.robust import robust
from dealcraft.analysis.uncertainty.stats import wilson
from dealcraft.engine.block_verdicts import BlockEvaluator
from dealcraft.engine.sampled import batch_split, count_rows, package_verdicts
from dealcraft.engine.sampling import BATCH, ParameterSpace
from dealcraft.engine.space import choose_split, decode
from dealcraft.errors import ScenarioError
from dealcraft.model.load import loads
from dealcraft.model.scenario import Scenario

from uncertainty_scenarios import MC, mc

G = 200  # grid cells per uncertain number for the exact integrals


def _quantiles(p, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a uniform or triangular at probabilities u (written out, not numpy's)."""
    d = p.dist
    if d.kind == "uniform":
        return d.lo + u * (d.hi - d.lo)
    assert d.kind == "triangular"
    a, c, b = d.lo, d.mode, d.hi
    left = u < (c - a) / (b - a)
    return np.where(left, a + np.sqrt(u * (b - a) * (c - a)), b - np.sqrt((1 - u) * (b - a) * (b - c)))


def _exact(sc):
    """P(party a), P(party b), P(everyone), P(empty) by midpoint integration over a grid.
    Party a depends on (hawk reservation, hawk value), party b on the army reservation."""
    space = ParameterSpace(sc)
    labels = [p.label for p in space.uncertain]
    assert labels == ["a.hawk reservation", "a.hawk value money=some", "b.army reservation"]
    mid = (np.arange(G) + 0.5) / G
    ra, va = np.meshgrid(_quantiles(space.uncertain[0], mid), _quantiles(space.uncertain[1], mid))
    rb = _quantiles(space.uncertain[2], mid)
    packages = decode(np.arange(sc.size), sc.radices)
    grid_a = np.column_stack([ra.ravel(), va.ravel(), np.full(ra.size, 0.4)])
    grid_b = np.column_stack([np.full(G, 0.5), np.full(G, 0.5), rb])
    party_a = package_verdicts(sc, space.arrays(grid_a), packages).parties[:, 0, :]  # (G*G, n)
    party_b = package_verdicts(sc, space.arrays(grid_b), packages).parties[:, 1, :]  # (G, n)
    pa, pb = party_a.mean(axis=0), party_b.mean(axis=0)
    bits = 1 << np.arange(sc.size, dtype=np.int64)
    mask_a, mask_b = party_a @ bits, party_b @ bits
    empty = ((mask_a[:, None] & mask_b[None, :]) == 0).mean()
    return pa, pb, pa * pb, float(empty)


def test_monte_carlo_matches_exact_probabilities():
    sc = mc()
    n = 4000
    pa, pb, p_all, p_empty = _exact(sc)
    assert 0.1 < p_empty < 0.9 and 0.1 < p_all.max() < 0.9  # a non-trivial case
    counts = count_space(sc, n, seed=11)
    tol = 4.5 * 0.5 / math.sqrt(n) + 0.01  # sampling error + grid error
    np.testing.assert_allclose(counts.parties[0] / n, pa, atol=tol)
    np.testing.assert_allclose(counts.parties[1] / n, pb, atol=tol)
    np.testing.assert_allclose(counts.agree / n, p_all, atol=tol)
    assert abs((1 - counts.any_agree.mean()) - p_empty) < tol


def test_single_uniform_reservation_closed_form():
    """Only the hawk's reservation r ~ U[0.35, 0.75] varies: P(hawk accepts p) = (u - 0.35) / 0.4."""
    sc = mc(observations="")
    space = ParameterSpace(sc)
    n = 3000
    x = space.draw(5, n)
    x[:, 1], x[:, 2] = 0.5, 0.4  # pin the other two numbers
    sampled = space.arrays(x)
    packages = decode(np.arange(sc.size), sc.radices)
    got = package_verdicts(sc, sampled, packages).accepts[:, 1, :].mean(axis=0)
    point = space.arrays(np.array([[0.5, 0.5, 0.4]]))
    verdicts = package_verdicts(sc, point, packages)
    u = verdicts.utilities[0, 1]
    can = package_verdicts(sc, space.arrays(np.array([[0.0, 0.5, 0.4]])), packages).accepts[0, 1]
    exact = np.where(can, np.clip((u - 0.35) / 0.4, 0, 1), 0.0)
    np.testing.assert_allclose(got, exact, atol=4.5 * 0.5 / math.sqrt(n))


def _two_moving() -> Scenario:
    """Party a (rule all) with two members whose numbers vary."""
    text = MC.replace("RESERVATION", "[0.35, 0.75]").replace("OBSERVATIONS", "")
    text = text.replace(
        "reservation: 0.3\n    weights: {money: 1, nukes: 2",
        "reservation: [0.2, 0.6]\n    weights: {money: 1, nukes: 2",
    )
    return loads(text, "two.yaml")


@pytest.mark.parametrize("tail_block,budget", [(4096, 1 << 22), (4, 8), (2, 1)])
@pytest.mark.parametrize("make", [mc, _two_moving])
def test_batched_counts_equal_a_per_sample_loop(tail_block, budget, make):
    sc = make()
    space = ParameterSpace(sc)
    sampled = space.sample(3, 60)
    split = choose_split(sc.radices, tail_block)
    got = count_rows(sc, sampled, split, (0, split.head_size), budget=budget)
    agree = np.zeros(sc.size, dtype=int)
    stakeholders = np.zeros((len(sc.stakeholders), sc.size), dtype=int)
    parties = np.zeros((len(sc.parties), sc.size), dtype=int)
    any_agree = []
    for k in range(len(sampled)):
        found = False
        for r in BlockEvaluator(sc, sampled.one(k)):
            cells = slice(r.block.start * r.block.tail, r.block.stop * r.block.tail)
            agree[cells] += r.agree.reshape(-1)
            stakeholders[:, cells] += r.accepts.reshape(len(sc.stakeholders), -1)
            parties[:, cells] += r.parties.reshape(len(sc.parties), -1)
            found |= bool(r.agree.any())
        any_agree.append(found)
    np.testing.assert_array_equal(got.agree, agree)
    np.testing.assert_array_equal(got.stakeholders, stakeholders)
    np.testing.assert_array_equal(got.parties, parties)
    np.testing.assert_array_equal(got.any_agree, any_agree)


def test_counts_do_not_depend_on_how_rows_are_cut():
    sc = mc()
    sampled = ParameterSpace(sc).sample(9, 40)
    split = choose_split(sc.radices, 2)
    whole = count_rows(sc, sampled, split, (0, split.head_size))
    parts = [count_rows(sc, sampled, split, (a, a + 1)) for a in range(split.head_size)]
    joined = type(whole).concat(parts)
    np.testing.assert_array_equal(whole.agree, joined.agree)
    np.testing.assert_array_equal(whole.stakeholders, joined.stakeholders)
    assert batch_split(sc).head_size >= 1


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), start=st.integers(0, 2 * BATCH), n=st.integers(0, 300))
def test_any_slice_of_samples_is_the_same_numbers(seed, start, n):
    space = ParameterSpace(mc())
    whole = space.draw(seed, start + n)
    np.testing.assert_array_equal(space.draw(seed, n, start), whole[start:])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sd=st.floats(0.0, 2.0))
def test_samples_are_clipped_and_weights_renormalised(seed, sd):
    sc = mc(reservation=f"{{dist: normal, mean: 0.5, sd: {sd:.6f}}}")
    sampled = ParameterSpace(sc).sample(seed, 200)
    assert np.all((sampled.reservations >= 0) & (sampled.reservations <= 1))
    for v in sampled.values:
        assert np.all((v >= 0) & (v <= 1))
    np.testing.assert_allclose(sampled.weights.sum(axis=2), 1.0)


def test_normal_reservation_is_sampled_with_its_moments():
    sc = mc(reservation="{dist: normal, mean: 0.5, sd: 0.05}")
    x = ParameterSpace(sc).draw(0, 20000)
    assert abs(x[:, 0].mean() - 0.5) < 0.002 and abs(x[:, 0].std() - 0.05) < 0.002


def test_point_parameters_are_the_scenario_parameters():
    sc = mc()
    point = ParameterSpace(sc).point().one(0)
    np.testing.assert_allclose(point.weights, sc.params.weights)
    np.testing.assert_allclose(point.reservations, sc.params.reservations)
    for a, b in zip(point.values, sc.params.values, strict=True):
        np.testing.assert_allclose(a, b)


def test_robust_proposals_rank_by_probability_then_expected_nash():
    sc = mc()
    r = robust(sc, 2000, seed=2, k=3)
    ps = [o.p for o in r.robust]
    assert ps == sorted(ps, reverse=True) and ps[0] == r.counts.agree.max() / 2000
    assert all(o.interval[0] <= o.p <= o.interval[1] for o in r.robust)
    for a, b in zip(r.robust, r.robust[1:], strict=False):
        assert a.p > b.p or a.expected_nash >= b.expected_nash
    assert 0 < r.p_empty < 1
    wider = robust(mc(reservation="[0.3, 0.5]"), 500, seed=2, k=2)
    assert [p.rank for p, _ in wider.core][:1] == [1]  # the point-value proposals, re-scored
    for p, o in wider.core:
        assert o.package == p.package and p.evaluation.accepted and o.p > 0


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 5000), data=st.data())
def test_wilson_interval_contains_the_estimate(n, data):
    k = data.draw(st.integers(0, n))
    lo, hi = wilson(k, n)
    assert 0 <= lo <= k / n <= hi <= 1


@pytest.mark.parametrize(
    "number,location,words",
    [
        ("[0.6, 0.4]", 'preferences["a.hawk"].reservation', "lo > hi"),
        ("{dist: normal, mean: 0.5, sd: -0.1}", 'preferences["a.hawk"].reservation', "sd"),
        ("{dist: triangular, lo: 0.5, mode: 0.6, hi: 0.4}", 'preferences["a.hawk"].reservation', "lo"),
        ("{dist: triangular, lo: 0.2, mode: 0.9, hi: 0.4}", 'preferences["a.hawk"].reservation', "mode"),
        ("{dist: beta, lo: 0.2, hi: 0.4}", 'preferences["a.hawk"].reservation', "unknown distribution"),
        ("[0.5, 1.5]", 'preferences["a.hawk"].reservation', "[0, 1]"),
    ],
)
def test_bad_distributions_are_rejected_with_their_location(number, location, words):
    text = MC.replace("RESERVATION", number).replace("OBSERVATIONS", "")
    with pytest.raises(ScenarioError) as e:
        loads(text, "bad.yaml")
    message = str(e.value)
    assert message.startswith("bad.yaml") and location in message and words in message

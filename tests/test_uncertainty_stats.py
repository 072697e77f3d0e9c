"""Statistics of the uncertainty analyses: Wilson intervals against published values, closed forms
and SciPy; the expected Nash product against hand-computed numbers and a plain loop."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from dealcraft.analysis.uncertainty.stats import expected_nash, wilson

# Newcombe (1998), "Two-sided confidence intervals for the single proportion", table I, method 3
# (Wilson score interval without continuity correction), rounded to 4 decimals there.
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize("k,n,lo,hi", NEWCOMBE)
def test_published_values(k, n, lo, hi):
    got = wilson(k, n)
    assert got == pytest.approx((lo, hi), abs=5e-5)


def test_all_failures_has_the_rule_of_three_like_closed_form():
    """k = 0: the upper end is z^2 / (n + z^2) exactly (solve p = z sqrt(p(1-p)/n) for p)."""
    z = 1.959963984540054
    for n in (1, 5, 10, 100, 1000):
        lo, hi = wilson(0, n)
        assert lo == 0.0
        assert hi == pytest.approx(z * z / (n + z * z), rel=1e-12)
        lo, hi = wilson(n, n)  # and symmetric for all successes
        assert hi == 1.0 and lo == pytest.approx(n / (n + z * z), rel=1e-12)


def test_half_is_centred_on_one_half():
    """k = n/2: the interval is symmetric about 1/2 and narrower than the Wald interval's
    1/2 +- z/(2 sqrt n) by the factor sqrt(n / (n + z^2))."""
    z = 1.959963984540054
    for n in (2, 10, 64, 1000):
        lo, hi = wilson(n // 2, n)
        assert (lo + hi) / 2 == pytest.approx(0.5, abs=1e-12)
        half = z / (2 * math.sqrt(n)) * math.sqrt(n / (n + z * z))
        assert hi - 0.5 == pytest.approx(half, rel=1e-12)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 100_000), data=st.data())
def test_matches_scipy(n, data):
    k = data.draw(st.integers(0, n))
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    lo, hi = wilson(k, n)
    assert lo == pytest.approx(ci.low, abs=1e-12)
    assert hi == pytest.approx(ci.high, abs=1e-12)


@pytest.mark.parametrize("level", [0.8, 0.9, 0.99])
def test_other_levels_match_scipy(level):
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + level / 2))
    for k, n in [(0, 7), (3, 7), (7, 7), (81, 263), (999, 1000)]:
        ci = binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
        assert wilson(k, n, z) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_no_samples_is_the_whole_range():
    assert wilson(0, 0) == (0.0, 1.0)


def test_expected_nash_by_hand():
    """Two samples, two packages. Package 0: gains (0.2, 0.5) and (0.1, 0.1) -> (0.1 + 0.01) / 2;
    package 1: a zero gain in sample 0 counts as 0 -> (0 + 0.3 * 0.2) / 2."""
    utilities = np.array(
        [
            [[0.5, 0.3], [0.9, 0.9]],  # sample 0: (K, P, n) -> party 0 row, party 1 row
            [[0.4, 0.6], [0.5, 0.6]],
        ]
    )
    d = np.array([[0.3, 0.4], [0.3, 0.4]])
    got = expected_nash(utilities, d)
    np.testing.assert_allclose(got, [(0.2 * 0.5 + 0.1 * 0.1) / 2, (0.0 + 0.3 * 0.2) / 2])


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(1, 3), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_expected_nash_is_the_mean_over_samples(k, parties, n, seed):
    rng = np.random.default_rng(seed)
    utilities = rng.integers(0, 5, size=(k, parties, n)) / 4
    d = rng.integers(0, 5, size=(k, parties)) / 4
    expected = np.zeros(n)
    for s in range(k):
        for j in range(n):
            gains = utilities[s, :, j] - d[s]
            expected[j] += math.prod(gains) / k if all(g > 0 for g in gains) else 0.0
    np.testing.assert_allclose(expected_nash(utilities, d), expected, atol=1e-12)

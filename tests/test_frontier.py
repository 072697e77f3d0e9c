"""Frontier bookkeeping on large point sets (exercises the pre-filter) against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcraft.engine import frontier as frontier_module
from dealcraft.engine.frontier import DECIMALS, FAST_FROM, Frontier, dominated_by, nondominated


def brute_nondominated(points: np.ndarray) -> np.ndarray:
    keep = np.ones(len(points), dtype=bool)
    for k in range(0, len(points), 512):
        p = points[k : k + 512, None, :]
        dominated = np.any(np.all(points[None] >= p, axis=2) & np.any(points[None] > p, axis=2), axis=1)
        keep[k : k + 512] = ~dominated
    return keep


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 4), st.integers(0, 10**6), st.integers(1, 6), st.sampled_from([5, 50, 1000]))
def test_incremental_frontier_equals_brute_force(dims, seed, chunks, grid):
    """Chunks larger than the (shrunk) sample size go through the pre-filter path."""
    rng = np.random.default_rng(seed)
    points = rng.integers(0, grid, size=(2000, dims)) / grid
    numbers = rng.permutation(len(points))
    frontier = Frontier.empty(dims)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frontier_module, "SAMPLE", 64)
        for part in np.array_split(np.arange(len(points)), chunks):
            frontier.merge(points[part], numbers[part])
    keep = brute_nondominated(points)
    expected: dict[tuple, list[int]] = {}
    for p, n in zip(points[keep], numbers[keep], strict=True):
        expected.setdefault(tuple(np.round(p, 12)), []).append(int(n))
    got = {
        tuple(v): (int(c), list(pk))
        for v, c, pk in zip(frontier.utilities, frontier.counts, frontier.packages, strict=True)
    }
    assert set(got) == set(expected)
    for v, (count, sample) in got.items():
        assert count == len(expected[v])
        assert sample == sorted(expected[v])[: len(sample)]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4), st.integers(0, 10**6))
def test_nondominated_and_prefilter_agree_with_brute_force(dims, seed):
    rng = np.random.default_rng(seed)
    points = rng.integers(0, 6, size=(300, dims)).astype(float)
    assert np.array_equal(nondominated(points), brute_nondominated(points))
    front = points[rng.choice(len(points), 20)]
    pre = dominated_by(points, front)
    truth = np.array([any(np.all(f >= p) and np.any(f > p) for f in front) for p in points])
    assert not np.any(pre & ~truth)  # the pre-filter never drops a point wrongly
    if dims == 2:
        assert np.array_equal(pre, truth)


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 5), st.integers(600, 1500), st.integers(0, 2**32 - 1))
def test_blocked_filter_for_many_rows_equals_brute_force(dims, n, seed):
    """Above FAST_FROM rows on the DECIMALS grid, nondominated() takes the blocked integer path;
    ties, duplicates and tiny differences (one grid unit) must come out as the brute force says."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 5, size=(n, dims)) / 4  # many ties and duplicates
    nudge = rng.integers(-1, 2, size=(n, dims)) * 10.0**-DECIMALS  # one unit up or down
    points = np.round(base + nudge, DECIMALS)
    assert n > FAST_FROM
    assert np.array_equal(nondominated(points), brute_nondominated(points))

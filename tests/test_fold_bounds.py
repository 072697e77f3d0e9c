"""The fold's pruning bounds against brute force: the local lower bounds describe exactly the
region no point dominates, and the stakeholder bounds hold for every accepted completion."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dealcraft.engine.bounds import Bounds
from dealcraft.engine.fold import Problem, issue_order
from dealcraft.engine.incumbents import local_lower_bounds
from dealcraft.model.load import from_data

from strategies import scenarios


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4), st.integers(1, 12), st.integers(0, 10**6))
def test_local_lower_bounds_cover_exactly_the_undominated_region(dims, n, seed):
    rng = np.random.default_rng(seed)
    points = rng.integers(0, 6, size=(n, dims)).astype(float)
    half = n // 2  # built in two updates, as the fold adds accepted packages step by step
    start = np.full((1, dims), -np.inf)
    bounds = local_lower_bounds(points[half:], local_lower_bounds(points[:half], start))
    queries = rng.integers(-1, 7, size=(400, dims)).astype(float) + rng.choice([0.0, 0.5], size=(400, dims))
    free = ~np.any(np.all(queries[:, None, :] <= points[None, :, :], axis=2), axis=1)
    inside = np.any(np.all(queries[:, None, :] > bounds[None, :, :], axis=2), axis=1)
    assert (free == inside).all()
    sums = bounds.sum(axis=1)
    assert (np.diff(sums[np.isfinite(sums)]) >= 0).all()  # widest boxes first
    capped = local_lower_bounds(points, start, limit=3)  # fewer points taken: a wider region
    assert np.any(np.all(queries[free][:, None, :] > capped[None, :, :], axis=2), axis=1).all()


@settings(max_examples=40, deadline=None)
@given(scenarios(max_parties=3, max_issues=5))
def test_stakeholder_bounds_hold_for_every_accepted_completion(case):
    sc = from_data(case[0], "<random>")
    problem = Problem.of(sc)
    order = issue_order(problem)
    bounds = Bounds(problem, order, [np.arange(r) for r in problem.radices])
    packages = np.array(list(itertools.product(*[range(r) for r in problem.radices])))
    vectors = sum(problem.tables[i][:, packages[:, i]].T for i in range(len(order)))
    accepted = problem.accepts(vectors, packages)
    for step in range(-1, len(order)):
        fixed = order[: step + 1]
        partial = sum((problem.tables[i][:, packages[:, i]].T for i in fixed), np.zeros_like(vectors))
        lower, upper = bounds.limits(partial, step)
        assert (vectors[accepted] <= upper[accepted]).all()
        assert (vectors[accepted] >= lower[accepted]).all()

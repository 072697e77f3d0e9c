"""The engine against the separately written brute force in tests/reference.py."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.bridge import bridge
from dealcraft.engine.frontier import SOLUTIONS
from dealcraft.engine.scan import scan
from dealcraft.engine.space import decode
from dealcraft.model.load import from_data

from reference import Reference
from strategies import scenarios

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(data):
    return from_data(data, "<random>")


@SETTINGS
@given(scenarios(), st.sampled_from([1, 3, 7, 1 << 20]))
def test_agreement_counts_and_binding_match_brute_force(case, block):
    data, global_cs, own = case
    ref = Reference(data, global_cs, own)
    sc = _load(data)
    summary = scan(sc, block=block)
    packages = list(ref.packages())
    assert summary.size == len(packages)
    assert summary.agreement == sum(ref.accepted(p) for p in packages)
    for k, h in enumerate(sc.stakeholders):
        assert summary.accepts[k] == sum(ref.stakeholder_accepts(h.key, p) for p in packages)
        assert summary.without[k] == sum(ref.accepted(p, without=h.key) for p in packages)


@SETTINGS
@given(scenarios(), st.sampled_from([2, 5, 1 << 20]))
def test_frontier_matches_brute_force(case, block):
    data, global_cs, own = case
    ref = Reference(data, global_cs, own)
    summary = scan(_load(data), block=block)
    expected = ref.frontier()
    got = {
        tuple(round(float(x), 9) for x in v): int(c)
        for v, c in zip(summary.frontier.utilities, summary.frontier.counts, strict=True)
    }
    assert got == expected


@SETTINGS
@given(scenarios())
def test_solutions_match_brute_force(case):
    data, global_cs, own = case
    ref = Reference(data, global_cs, own)
    sc = _load(data)
    summary = scan(sc)
    expected = ref.solution_values()
    u, d = summary.frontier.utilities, sc.disagreement
    for name, solve in SOLUTIONS.items():
        k = solve(u, d)
        if expected[name] is None:
            assert k is None, name
            continue
        assert k is not None, name
        gains = u[k] - d
        if name == "nash":
            value = float(np.prod(gains))
        elif name == "kalai_smorodinsky":
            span = u.max(axis=0) - d
            active = span > 1e-12
            value = float(np.min(gains[active] / span[active])) if active.any() else -float(u[k].sum())
        elif name == "egalitarian":
            value = float(gains.min())
        else:
            value = float(u[k].sum())
        assert value == pytest.approx(expected[name], abs=1e-9), name


@SETTINGS
@given(scenarios(max_issues=3), st.data())
def test_bridge_is_minimal_and_acceptable(case, data_draw):
    data, global_cs, own = case
    ref = Reference(data, global_cs, own)
    sc = _load(data)
    target = tuple(data_draw.draw(st.integers(0, i.radix - 1)) for i in sc.issues)
    target_map = sc.describe(target)
    method = data_draw.draw(st.sampled_from(["enumerate", "fold"]))
    result = bridge(sc, target, block=data_draw.draw(st.sampled_from([1, 4, 1 << 20])), method=method)
    assert result.original.accepted == ref.accepted(target_map)
    if result.original.accepted:
        assert result.package == target
        return
    expected = ref.bridge_distance(target_map)
    if expected is None:
        assert result.package is None
        return
    found = sc.describe(result.package)
    assert ref.accepted(found)
    assert len(result.changes) == expected
    at_distance = [p for p in ref.agreement() if sum(p[i] != target_map[i] for i in ref.issues) == expected]
    best = max(ref.nash_product(p) for p in at_distance)
    got = ref.nash_product(found)
    assert (got == best == -math.inf) or got == pytest.approx(best, abs=1e-9)
    if best == -math.inf:  # nobody gains: the smallest package number decides
        assert result.package == min(tuple(ref.order[i].index(p[i]) for i in ref.issues) for p in at_distance)


@SETTINGS
@given(scenarios(), st.integers(1, 5))
def test_proposals_are_acceptable_efficient_and_distinct(case, k):
    data, global_cs, own = case
    ref = Reference(data, global_cs, own)
    sc = _load(data)
    a = analyze(sc, k)
    frontier = set(ref.frontier())
    packages = [p.package for p in a.proposals]
    assert len(set(packages)) == len(packages)
    assert len(packages) <= k
    if frontier:
        assert packages, "a non-empty agreement set must give at least one proposal"
    for p in a.proposals:
        mapping = sc.describe(p.package)
        assert ref.accepted(mapping)
        assert tuple(round(ref.party_utility(q, mapping), 9) for q in ref.parties) in frontier
    if a.solutions["nash"] is not None and packages:
        nash_vector = a.summary.frontier.utilities[a.solutions["nash"]]
        assert np.allclose(a.proposals[0].evaluation.party_utilities, nash_vector)


@SETTINGS
@given(scenarios())
def test_proposals_spread_by_hamming_distance(case):
    """Each added proposal is a frontier package at maximal min-distance to those before it."""
    data, _, _ = case
    sc = _load(data)
    a = analyze(sc, 3)
    frontier_packages = decode(np.concatenate(a.summary.frontier.packages or [np.zeros(0, int)]), sc.radices)
    for rank in range(1, len(a.proposals)):
        chosen = np.array([p.package for p in a.proposals[:rank]])
        best = max(min(int((f != c).sum()) for c in chosen) for f in frontier_packages)
        assert a.proposals[rank].distance == best

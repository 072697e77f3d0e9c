"""Numeric issues through the engine: the brute force (its own grids, value formulas and numeric
comparisons), enumeration and the fold agree on random scenarios mixing numeric and discrete
issues, numeric constraints, several stakeholders per party and both ratification rules."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_roundtrip import compiled_equal

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.bridge import bridge
from dealcraft.engine.folded import fold_frontier
from dealcraft.engine.frontier import SOLUTIONS
from dealcraft.engine.scan import scan
from dealcraft.model.load import dumps, from_data, loads

from reference import Reference
from strategies import scenarios

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = scenarios(numeric=True)
LARGE = scenarios(max_parties=3, max_issues=6, numeric=True)  # up to 5**6 = 15,625 packages


def _load(data):
    return from_data(data, "<random>")


def _rounded(frontier) -> dict[tuple[float, ...], int]:
    return {
        tuple(round(float(x), 9) for x in v): int(c)
        for v, c in zip(frontier.utilities, frontier.counts, strict=True)
    }


@SETTINGS
@given(SMALL)
def test_counts_and_frontiers_match_brute_force(case):
    data, global_cs, own = case
    ref = Reference(data, global_cs, own)
    sc = _load(data)
    summary = scan(sc)
    packages = list(ref.packages())
    assert summary.size == len(packages)
    assert summary.agreement == sum(ref.accepted(p) for p in packages)
    for k, h in enumerate(sc.stakeholders):
        assert summary.accepts[k] == sum(ref.stakeholder_accepts(h.key, p) for p in packages)
    expected = ref.frontier()
    assert _rounded(summary.frontier) == expected
    assert _rounded(fold_frontier(sc)) == expected


@SETTINGS
@given(LARGE)
def test_fold_frontier_equals_enumeration(case):
    sc = _load(case[0])
    a, b = fold_frontier(sc), scan(sc).frontier
    assert np.allclose(a.utilities, b.utilities, atol=1e-9)
    assert [int(c) for c in a.counts] == [int(c) for c in b.counts]
    for k in range(len(a)):
        assert [int(x) for x in a.packages[k]] == [int(x) for x in b.packages[k]]


@SETTINGS
@given(LARGE, st.integers(1, 3))
def test_solutions_and_proposals_equal_enumeration(case, k):
    sc = _load(case[0])
    folded, enumerated = analyze(sc, k, method="fold"), analyze(sc, k, method="enumerate")
    assert folded.summary.agreement == enumerated.summary.agreement
    for name in SOLUTIONS:
        assert folded.solution_package(name) == enumerated.solution_package(name), name
    assert [p.package for p in folded.proposals] == [p.package for p in enumerated.proposals]


@SETTINGS
@given(SMALL, st.data())
def test_bridges_are_minimal(case, draw):
    data, global_cs, own = case
    sc = _load(data)
    target = tuple(draw.draw(st.integers(0, i.radix - 1)) for i in sc.issues)
    expected = Reference(data, global_cs, own).bridge_distance(
        {i.id: i.grid[d] if i.numeric else i.options[d] for i, d in zip(sc.issues, target, strict=True)}
    )
    for method in ("fold", "enumerate"):
        b = bridge(sc, target, method=method)
        assert (b.package is None) == (expected is None)
        if b.package is not None:
            assert len(b.changes) == expected
            assert b.evaluation.accepted


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SMALL)
def test_random_numeric_scenarios_round_trip(case):
    first = _load(case[0])
    again = loads(dumps(first), "again.yaml")
    assert compiled_equal(first, again)

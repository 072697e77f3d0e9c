"""The frontier with reservations brought in lazily (engine/relax.py) against enumeration.

The relaxation is only worth having where it recurses into boxes with few stakeholders active;
these tests make it do so (two parties, several stakeholders each, reservations that bind) and
check the frontier, its counts and its witness packages against plain enumeration."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from frontier_checks import same_frontier
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealcraft.analysis.bridge import bridge
from dealcraft.engine import relax
from dealcraft.engine.fold import Problem
from dealcraft.engine.folded import fold_frontier
from dealcraft.engine.scan import scan
from dealcraft.engine.space import decode
from dealcraft.model.load import from_data

from strategies import scenarios

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from bench_numeric import numeric_data  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TWO_PARTIES = scenarios(max_parties=2, min_parties=2, max_issues=6, numeric=True, member_range=(2, 3))


def _folds(monkeypatch) -> list[Problem]:
    """Record the problem of every fold the relaxation runs."""
    seen: list[Problem] = []
    plain = relax.fold

    def recording(problem, **kwargs):
        seen.append(problem)
        return plain(problem, **kwargs)

    monkeypatch.setattr(relax, "fold", recording)
    return seen


@SETTINGS
@given(TWO_PARTIES)
def test_two_parties_of_several_stakeholders_equal_enumeration(case):
    sc = from_data(case[0], "<random>")
    same_frontier(fold_frontier(sc), scan(sc).frontier)


def test_numeric_benchmark_kind_recurses_into_boxes_and_equals_enumeration(monkeypatch):
    """The benchmark's scenario (numeric red lines, reservations 0.35) at 104,976 packages: the
    relaxation folds boxes with some stakeholders left out, and the result is enumeration's."""
    sc = from_data(numeric_data(4, 4, 20, seed=2), "<bench-small>")
    folds = _folds(monkeypatch)
    same_frontier(fold_frontier(sc), scan(sc).frontier)
    assert len(folds) > 1, "the first relaxation already held the answer: the test lost its point"
    assert any(p.floors is not None and (p.floors > relax.NO_FLOOR).any() for p in folds)
    assert any(p.counted.any() and not p.counted.all() for p in folds), (
        "no box with a few stakeholders active"
    )


@settings(max_examples=40, deadline=None)
@given(TWO_PARTIES, st.data())
def test_a_relaxation_accepts_every_package_the_full_rules_accept(case, data):
    """The relaxed agreement set contains the true one (what makes its frontier a bound)."""
    sc = from_data(case[0], "<random>")
    problem = Problem.of(sc)
    active = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(sc.stakeholders), max_size=len(sc.stakeholders)))
    )
    numbers = np.arange(min(int(sc.size), 2_000))
    digits = decode(numbers, sc.radices)
    vectors = sum(problem.tables[i][:, digits[:, i]].T for i in range(len(sc.issues)))
    full = problem.accepts(vectors, digits)
    assert np.all(problem.relaxed(active).accepts(vectors, digits)[full])


@SETTINGS
@given(TWO_PARTIES, st.data())
def test_staged_bridge_equals_enumerated_bridge(case, data):
    """Bridges search the staged relaxation distance by distance: the same fewest changes and the
    same Nash-best package (or one with the same utilities) as enumeration."""
    sc = from_data(case[0], "<random>")
    target = tuple(data.draw(st.integers(0, i.radix - 1)) for i in sc.issues)
    folded, enumerated = bridge(sc, target, method="fold"), bridge(sc, target, method="enumerate")
    assert (folded.package is None) == (enumerated.package is None)
    if folded.package is not None:
        assert len(folded.changes) == len(enumerated.changes)
        assert folded.evaluation.accepted
        same = np.allclose(
            folded.evaluation.party_utilities, enumerated.evaluation.party_utilities, atol=1e-9
        )
        assert same or folded.package == enumerated.package

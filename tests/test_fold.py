"""The fold (exact frontier without enumerating) against enumeration and the brute force."""

from __future__ import annotations

import numpy as np
import pytest
from frontier_checks import same_frontier
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.bridge import bridge
from dealcraft.analysis.methods import space_summary
from dealcraft.engine.fold import Problem, fold
from dealcraft.engine.folded import fold_frontier
from dealcraft.engine.frontier import SOLUTIONS
from dealcraft.engine.pareto import pareto_mask
from dealcraft.engine.scan import scan
from dealcraft.errors import DealcraftError
from dealcraft.model.load import from_data, load

from reference import Reference
from strategies import scenarios

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LARGE = scenarios(max_parties=3, max_issues=8)  # up to 4**8 = 65,536 packages


def _load(data):
    return from_data(data, "<random>")


@SETTINGS
@given(scenarios())
def test_fold_frontier_matches_brute_force(case):
    data, global_cs, own = case
    expected = Reference(data, global_cs, own).frontier()
    f = fold_frontier(_load(data))
    got = {tuple(round(float(x), 9) for x in v): int(c) for v, c in zip(f.utilities, f.counts, strict=True)}
    assert got == expected


@SETTINGS
@given(LARGE)
def test_fold_frontier_equals_enumeration(case):
    """Vectors, package counts and the kept packages (smallest numbers) of every point."""
    sc = _load(case[0])
    same_frontier(fold_frontier(sc), scan(sc).frontier)


@SETTINGS
@given(scenarios(max_parties=3, min_parties=3, max_issues=7, member_range=(2, 2)))
def test_three_parties_of_two_stakeholders_equal_enumeration(case):
    """Six dimensions of dominance, the group bounds of every set of parties, both rules."""
    sc = _load(case[0])
    same_frontier(fold_frontier(sc), scan(sc).frontier)


def _three_by_two(issues: int, seed: int) -> dict:
    """3 parties x 2 stakeholders, 4 options per issue, givers in turn, reservations 0.3."""
    rng = np.random.default_rng(seed)
    opts = [{"id": f"o{k}"} for k in range(4)]
    data = {
        "dealcraft": 1,
        "id": "three-by-two",
        "parties": [{"id": f"p{p}", "stakeholders": [{"id": "a"}, {"id": "b"}]} for p in range(3)],
        "issues": [{"id": f"i{i}", "giver": f"p{i % 3}", "options": opts} for i in range(issues)],
        "preferences": {},
    }
    for p in range(3):
        for m in ("a", "b"):
            values = {}
            for i in range(issues):
                v = np.sort(rng.random(4))
                values[f"i{i}"] = {f"o{k}": float(x) for k, x in enumerate(v[::-1] if i % 3 == p else v)}
            data["preferences"][f"p{p}.{m}"] = {
                "reservation": 0.3,
                "weights": {f"i{i}": float(rng.random()) for i in range(issues)},
                "values": values,
            }
    return data


@pytest.mark.parametrize("seed", [0, 1])
def test_three_by_two_random_frontier_equals_enumeration(seed):
    """The benchmark's kind of scenario (opposed givers, random weights) at 4**8 packages."""
    sc = _load(_three_by_two(8, seed))
    same_frontier(fold_frontier(sc), scan(sc).frontier)


@SETTINGS
@given(LARGE, st.randoms(use_true_random=False))
def test_pruned_frontier_is_invariant_under_issue_order(case, rnd):
    sc = _load(case[0])
    order = list(range(len(sc.issues)))
    rnd.shuffle(order)
    same_frontier(fold_frontier(sc, order=order), fold_frontier(sc))
    states = {tuple(sorted(map(tuple, fold(Problem.of(sc), order=o).vectors))) for o in (order, None)}
    assert len(states) == 1, "the surviving states themselves do not depend on the order"


@SETTINGS
@given(LARGE, st.integers(1, 4))
def test_solutions_and_proposals_equal_enumeration(case, k):
    sc = _load(case[0])
    folded, enumerated = analyze(sc, k, method="fold"), analyze(sc, k, method="enumerate")
    assert folded.summary.agreement == enumerated.summary.agreement  # exact counts below the limit
    assert folded.summary.estimate is None
    for name in SOLUTIONS:
        a, b = folded.solutions[name], enumerated.solutions[name]
        assert (a is None) == (b is None), name
        if a is not None:
            assert np.allclose(folded.summary.frontier.utilities[a], enumerated.summary.frontier.utilities[b])
            assert folded.solution_package(name) == enumerated.solution_package(name), name
    assert [p.package for p in folded.proposals] == [p.package for p in enumerated.proposals]
    assert [p.distance for p in folded.proposals] == [p.distance for p in enumerated.proposals]


@SETTINGS
@given(LARGE, st.data())
def test_fold_bridge_equals_enumerated_bridge(case, draw):
    sc = _load(case[0])
    target = tuple(draw.draw(st.integers(0, i.radix - 1)) for i in sc.issues)
    a, b = bridge(sc, target, method="fold"), bridge(sc, target, method="enumerate")
    assert (a.package is None) == (b.package is None)
    if a.package is None:
        return
    assert len(a.changes) == len(b.changes)
    assert a.evaluation.accepted
    assert np.allclose(a.evaluation.party_utilities, b.evaluation.party_utilities, atol=1e-9) or (
        a.package == b.package
    )


@pytest.fixture(scope="module")
def hanoi():
    return load("hanoi-2019")


def test_memory_cap_stops_with_a_clear_error(hanoi):
    with pytest.raises(DealcraftError, match="too large for memory.*cap of 1,000 bytes.*raise the cap"):
        fold_frontier(hanoi, memory=1000)


@pytest.mark.parametrize("memory", [2_000, 200_000])
def test_memory_guard_names_the_size_the_cap_and_what_to_do(memory):
    """A 3-party x 2-stakeholder frontier under a small cap: the fold stops part-way (not at the
    first issue for the larger cap) with the figure, the cap and the ways out."""
    sc = from_data(_three_by_two(10, seed=1), "<memory>")
    with pytest.raises(DealcraftError) as e:
        space_summary(sc, "fold", memory=memory)
    text = str(e.value)
    assert "too large for memory" in text and "partial packages of 6 stakeholder utilities" in text
    assert f"cap of {memory / 1024:,.1f} KiB" in text
    for way_out in ("fewer parties or stakeholders", "--method enumerate", "memory="):
        assert way_out in text
    step = int(text.split("folding issue ")[1].split(" ")[0])
    assert (step > 1) == (memory > 2_000)
    assert len(fold_frontier(sc)) > 0  # the default cap is ample for it


def test_unknown_method_is_a_user_error(hanoi):
    with pytest.raises(DealcraftError, match="unknown method 'fast': use one of auto, fold, enumerate"):
        analyze(hanoi, method="fast")


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 5), st.integers(0, 10**6), st.integers(1, 4), st.sampled_from([1, 3]), st.integers(1, 900)
)
def test_pareto_mask_equals_brute_force(dims, seed, n_groups, margin, n):
    """Grouped dominance by a margin, both the 2-D sweep and the chunked general path."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 12, size=(n, dims)).astype(np.int64)
    groups = rng.integers(0, n_groups, size=n).astype(np.int64)
    margins = np.full(dims, margin, dtype=np.int64)
    same = groups[:, None] == groups[None, :]
    ge = np.all(values[None, :, :] >= values[:, None, :], axis=2)
    better = np.any(values[None, :, :] - values[:, None, :] >= margins, axis=2)
    expected = ~np.any(same & ge & better, axis=1)
    assert np.array_equal(pareto_mask(groups, values, margins), expected)

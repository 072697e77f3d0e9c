"""Bargaining power (parties[].power): the asymmetric Nash solution against closed forms, the
brute force and the fold; uncertain power in Monte Carlo; error paths."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.bridge import bridge
from dealcraft.analysis.simulate.projection import project
from dealcraft.analysis.uncertainty.robust import robust
from dealcraft.analysis.uncertainty.stats import expected_nash
from dealcraft.cli import app
from dealcraft.engine.frontier import SOLUTIONS, nash, nash_products, nash_scores
from dealcraft.engine.sampling import POWER_FLOOR, ParameterSpace
from dealcraft.engine.scan import scan
from dealcraft.errors import ScenarioError
from dealcraft.model.load import dumps, from_data

from reference import Reference
from strategies import scenarios

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GRID = 100  # x = 0, 0.01, ..., 1


def split(powers=(1.0, 1.0), reservations=(0.0, 0.0), extra=None) -> dict:
    """Two parties divide one quantity x on a grid: u_a = x, u_b = 1 - x."""
    options = [{"id": f"x{k}"} for k in range(GRID + 1)]
    parties = []
    for pid, power in zip("ab", powers, strict=True):
        party = {"id": pid, "stakeholders": [{"id": "s"}]}
        if power is not None:
            party["power"] = power
        parties.append(party)
    values = {"a": {o["id"]: k / GRID for k, o in enumerate(options)}}
    values["b"] = {o["id"]: 1 - k / GRID for k, o in enumerate(options)}
    data = {
        "dealcraft": 1,
        "id": "split",
        "parties": parties,
        "issues": [{"id": "x", "options": options}],
        "preferences": {
            f"{pid}.s": {"reservation": r, "weights": {"x": 1}, "values": {"x": values[pid]}}
            for pid, r in zip("ab", reservations, strict=True)
        },
    }
    data.update(extra or {})
    return data


def solution_x(data: dict, name: str = "nash", method: str = "auto") -> float:
    a = analyze(from_data(data, "<split>"), 1, method=method)
    package = a.solution_package(name)
    return package[0] / GRID


@pytest.mark.parametrize(("p1", "p2"), [(1, 1), (1, 3), (3, 1), (2, 3), (1, 4), (0.5, 2), (9, 1)])
@pytest.mark.parametrize("method", ["enumerate", "fold"])
def test_asymmetric_nash_splits_in_proportion_to_power(p1, p2, method):
    """max x^p1 (1 - x)^p2 at x = p1 / (p1 + p2), a grid point for these powers."""
    assert solution_x(split((p1, p2)), method=method) == pytest.approx(p1 / (p1 + p2))


@pytest.mark.parametrize(("p1", "p2", "r1", "r2"), [(1, 1, 0.2, 0.1), (3, 4, 0.2, 0.1), (1, 2, 0.1, 0.3)])
def test_asymmetric_nash_with_disagreement_point(p1, p2, r1, r2):
    """max (x - r1)^p1 (1 - x - r2)^p2: the surplus 1 - r1 - r2 is shared p1 : p2 above r1."""
    expected = r1 + (1 - r1 - r2) * p1 / (p1 + p2)
    assert solution_x(split((p1, p2), (r1, r2))) == pytest.approx(expected)


@pytest.mark.parametrize("powers", [(1, 3), (4, 1), (0.25, 2)])
def test_kalai_smorodinsky_and_egalitarian_ignore_power(powers):
    equal = split((1, 1))
    unequal = split(powers)
    for name in ("kalai_smorodinsky", "egalitarian"):
        assert solution_x(unequal, name) == solution_x(equal, name) == pytest.approx(0.5)


def test_no_power_is_power_one():
    assert solution_x(split((None, None))) == solution_x(split((1, 1))) == pytest.approx(0.5)
    assert from_data(split((None, 2)), "<s>").power.tolist() == [1.0, 2.0]


def test_scores_are_the_log_of_the_generalised_product():
    rng = np.random.default_rng(4)
    u, d, p = rng.uniform(0.35, 1, (50, 3)), rng.uniform(0, 0.3, 3), rng.uniform(0.1, 5, 3)
    direct = np.prod((u - d) ** p, axis=1)
    np.testing.assert_allclose(np.exp(nash_scores(u, d, p)), direct, rtol=1e-12)
    np.testing.assert_allclose(nash_products(u, d, p), direct, rtol=1e-12)
    assert nash(u, d, p) == int(np.argmax(direct))
    u[:, 0] = d[0]  # party 0 gains nothing anywhere: no Nash point
    assert nash(u, d, p) is None and np.all(nash_products(u, d, p) == 0)


def test_logs_do_not_underflow_where_products_would():
    """40 parties each gaining 1e-9 or 2e-9: the product underflows to 0, the log sum does not."""
    u = np.array([[1e-9] * 40, [2e-9] * 39 + [1e-9]])
    assert np.prod(u, axis=1).max() == 0.0
    assert nash(u, np.zeros(40)) == 1


@SETTINGS
@given(scenarios(powers=True))
def test_asymmetric_nash_matches_brute_force(case):
    data, global_cs, own = case
    ref = Reference(data, global_cs, own)
    sc = from_data(data, "<random>")
    summary = scan(sc)
    expected = ref.solution_values()["nash"]
    k = SOLUTIONS["nash"](summary.frontier.utilities, sc.disagreement, sc.power)
    if expected is None:
        assert k is None
        return
    value = math.prod(
        g**p for g, p in zip(summary.frontier.utilities[k] - sc.disagreement, sc.power, strict=True)
    )
    assert value == pytest.approx(expected, rel=1e-9)


@SETTINGS
@given(
    st.booleans().flatmap(
        lambda numeric: scenarios(max_parties=3, max_issues=7, numeric=numeric, powers=True)
    ),
    st.integers(1, 4),
)
def test_fold_equals_enumeration_with_random_powers(case, k):
    """Discrete and numeric issues alike: the same solutions and proposals by both engines."""
    sc = from_data(case[0], "<random>")
    folded, enumerated = analyze(sc, k, method="fold"), analyze(sc, k, method="enumerate")
    for name in SOLUTIONS:
        assert folded.solution_package(name) == enumerated.solution_package(name), name
    assert [p.package for p in folded.proposals] == [p.package for p in enumerated.proposals]


@SETTINGS
@given(scenarios(max_parties=3, max_issues=5, powers=True), st.data())
def test_bridge_ties_use_power_in_both_methods(case, draw):
    data, global_cs, own = case
    sc = from_data(data, "<random>")
    target = tuple(draw.draw(st.integers(0, i.radix - 1)) for i in sc.issues)
    a, b = bridge(sc, target, method="fold"), bridge(sc, target, method="enumerate")
    assert a.package == b.package
    if a.package is None:
        return
    ref = Reference(data, global_cs, own)
    found = dict(zip(ref.issues, (sc.issues[i].options[o] for i, o in enumerate(a.package)), strict=True))
    distance = len(a.changes)
    at_distance = [
        p
        for p in ref.agreement()
        if sum(p[i] != sc.issues[k].options[target[k]] for k, i in enumerate(ref.issues)) == distance
    ]
    assert ref.nash_product(found) == pytest.approx(max(ref.nash_product(p) for p in at_distance), rel=1e-9)


def test_proposals_start_from_the_asymmetric_nash_point():
    a = analyze(from_data(split((1, 3)), "<s>"), 2)
    assert a.proposals[0].package == (25,)


def test_analyze_json_lists_power_per_party(tmp_path):
    path = tmp_path / "split.yaml"
    path.write_text(yaml.safe_dump(split((2, 0.5))))
    result = CliRunner().invoke(app, ["analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(p["id"], p["power"]) for p in data["parties"]] == [("a", 2.0), ("b", 0.5)]
    assert data["solutions"]["nash"]["package"] == {"x": "x80"}
    table = CliRunner().invoke(app, ["analyze", str(path)])
    assert "power 2" in table.output


def test_power_survives_a_round_trip_and_a_projection():
    data = split(([1, 3], 2))
    data["parties"].append({"id": "c", "power": 5, "stakeholders": [{"id": "s"}]})
    data["preferences"]["c.s"] = {
        "reservation": 0,
        "weights": {"x": 1},
        "values": {"x": {f"x{k}": 0.5 for k in range(GRID + 1)}},
    }
    sc = from_data(data, "<s>")
    again = from_data(yaml.safe_load(dumps(sc)), "<again>")
    assert again.power.tolist() == sc.power.tolist() == [2.0, 2.0, 5.0]
    assert again.uncertain.power[0].to_data() == [1, 3]
    ab = project(sc, ["a", "c"])
    assert ab.power.tolist() == [2.0, 5.0] and ab.uncertain.power[1].lo == 5


def _error(data: dict) -> str:
    with pytest.raises(ScenarioError) as info:
        from_data(data, "split.yaml")
    text = str(info.value)
    assert "split.yaml" in text
    return text


@pytest.mark.parametrize(
    "power",
    [
        0,
        -1,
        [0, 2],
        [-1, 1],
        {"dist": "normal", "mean": 0, "sd": 1},
        {"dist": "triangular", "lo": 0, "mode": 1, "hi": 2},
    ],
)
def test_power_must_be_positive(power):
    text = _error(split((power, 1)))
    assert "parties[0].power" in text and "power must be > 0" in text and "equal power" in text


def test_power_must_be_a_number():
    text = _error(split(("strong", 1)))
    assert "parties[0].power" in text


# --- uncertain power ---------------------------------------------------------------------------


def uncertain_split(power_a, reservation_b=0.1) -> dict:
    data = split((power_a, 1), (0.1, reservation_b))
    return data


def test_power_draws_are_their_own_stream_and_reproducible_by_slice():
    fixed = ParameterSpace(from_data(uncertain_split(2, [0.05, 0.2]), "<s>"))
    varied = ParameterSpace(
        from_data(uncertain_split({"dist": "normal", "mean": 0.5, "sd": 1}, [0.05, 0.2]), "<s>")
    )
    np.testing.assert_array_equal(fixed.draw(7, 3000), varied.draw(7, 3000))  # other numbers unchanged
    assert fixed.draw_power(7, 10) is None
    whole = varied.draw_power(7, 3000)
    np.testing.assert_array_equal(varied.draw_power(7, 1500, 1000), whole[1000:2500])
    assert whole[:, 1].tolist() == [1.0] * 3000  # b's power is fixed
    clipped_mean = 0.5 * 0.5 * (1 + math.erf(0.5 / math.sqrt(2))) + math.exp(-0.125) / math.sqrt(2 * math.pi)
    assert whole[:, 0].min() == POWER_FLOOR  # E[max(X, 0)] for X ~ N(0.5, 1), within 4 standard errors
    assert abs(whole[:, 0].mean() - clipped_mean) < 4 / math.sqrt(3000)
    sampled = varied.sample(7, 5, 2)
    np.testing.assert_array_equal(sampled.power, whole[2:7])
    assert sampled.one(1).power.tolist() == whole[3].tolist()


def test_expected_nash_with_sampled_power_is_the_mean_of_products():
    rng = np.random.default_rng(1)
    u, d, p = rng.uniform(0.3, 1, (20, 2, 6)), rng.uniform(0, 0.2, (20, 2)), rng.uniform(0.5, 3, (20, 2))
    by_hand = np.array([[np.prod((u[k, :, n] - d[k]) ** p[k]) for n in range(6)] for k in range(20)]).mean(
        axis=0
    )
    np.testing.assert_allclose(expected_nash(u, d, p), by_hand, rtol=1e-12)
    np.testing.assert_allclose(expected_nash(u, d, p[0]), expected_nash(u, d, np.broadcast_to(p[0], (20, 2))))


def test_robust_ranks_ties_by_the_expected_asymmetric_product():
    """Every package with both gains positive is always accepted; among them robust picks the best
    expected x^a (0.9 - x)^1 ... which, for a power drawn around 3, lies far towards a."""
    data = uncertain_split([2, 4], 0.1)
    sc = from_data(data, "<s>")
    r = robust(sc, 400, seed=3, k=1)
    x = r.robust[0].package[0] / GRID
    space = ParameterSpace(sc)
    powers = space.draw_power(3, 400)[:, 0]
    grid = np.arange(GRID + 1) / GRID
    gains_a, gains_b = grid - 0.1, 0.9 - grid
    ok = (gains_a > 0) & (gains_b > 0)
    expected = np.where(
        ok[None, :],
        np.clip(gains_a, 1e-300, None)[None, :] ** powers[:, None] * np.clip(gains_b, 1e-300, None)[None, :],
        0,
    ).mean(axis=0)
    assert x == pytest.approx(grid[int(np.argmax(expected))])
    assert r.robust[0].expected_nash == pytest.approx(expected.max(), rel=1e-9)
    assert x > 0.6  # power around 3 against 1: a takes about three quarters of the surplus

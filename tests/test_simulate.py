"""Simulated bargaining: protocol rules, concession curves, level II, determinism, efficiency."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealcraft.analysis.evaluate import evaluate
from dealcraft.analysis.simulate import (
    DEAL,
    RATIFICATION_FAILURE,
    STRATEGIES,
    aspiration,
    candidates,
    project,
    simulate,
    strategy,
)
from dealcraft.analysis.simulate.tables import build_tables
from dealcraft.engine.frontier import nondominated
from dealcraft.engine.sampling import ParameterSpace
from dealcraft.engine.scan import scan
from dealcraft.errors import DealcraftError
from dealcraft.model.load import loads
from dealcraft.service.bargaining_json import summarize

TINY = """
dealcraft: 1
id: tiny
parties:
  - id: a
    stakeholders: [{id: boss, influence: 2}, {id: hawk}]
  - id: b
    ratification: {weighted: 0.6}
    stakeholders: [{id: boss}, {id: army}]
issues:
  - {id: money, giver: a, options: [{id: none}, {id: some}, {id: lots}]}
  - {id: nukes, giver: b, status_quo: keep, options: [{id: keep}, {id: freeze}, {id: dismantle}]}
  - {id: office, giver: a, options: [{id: closed}, {id: open}]}
  - {id: trade, giver: b, options: [{id: shut}, {id: limited}, {id: open}]}
constraints: ["nukes == dismantle -> money != none"]
preferences:
  a.boss:
    reservation: 0.3
    weights: {money: 1, nukes: 2, office: 0.5, trade: 0.5}
    values:
      money: {none: 1, some: 0.7, lots: 0.2}
      nukes: {keep: 0, freeze: 0.5, dismantle: 1}
      office: {closed: 0.6, open: 1}
      trade: {shut: 0, limited: 0.5, open: 1}
  a.hawk:
    reservation: [0.3, 0.5]
    weights: {money: 1, nukes: 1}
    values:
      money: {none: 1, some: 0.5, lots: 0}
      nukes: {keep: 0, freeze: 0.3, dismantle: 1}
    constraints: ["money >= some -> nukes != keep"]
  b.boss:
    reservation: 0.4
    weights: {money: 2, nukes: 1, office: 1, trade: [0.2, 0.6]}
    values:
      money: {none: 0, some: 0.6, lots: 1}
      nukes: {keep: 1, freeze: 0.8, dismantle: 0.2}
      office: {closed: 0, open: 1}
      trade: {shut: 1, limited: 0.7, open: 0.2}
  b.army:
    reservation: 0.5
    weights: {money: 1, nukes: 3}
    values:
      money: {none: 0, some: 0.5, lots: 1}
      nukes: {keep: 1, freeze: 0.5, dismantle: 0}
talks:
  openings:
    a: {nukes: dismantle, money: some}
    b: {money: lots, office: open}
  rounds: 12
"""

THIRD = """
  - id: c
    stakeholders: [{id: pm}]
"""
THIRD_PREF = """
  c.pm:
    reservation: 0.35
    weights: {money: 1, nukes: 1, trade: 1}
    values:
      money: {none: 0.2, some: 1, lots: 0.5}
      nukes: {keep: 0, freeze: 1, dismantle: 0.6}
      trade: {shut: 0, limited: 0.6, open: 1}
"""

TIME_NAMES = ["boulware", "linear", "conceder"]
ALL_NAMES = list(STRATEGIES)


@pytest.fixture(scope="module")
def tiny():
    return loads(TINY, "tiny")


@pytest.fixture(scope="module")
def tiny3():
    text = TINY.replace("issues:", THIRD.strip("\n").replace("  - id: c", "  - id: c", 1) + "\nissues:", 1)
    text = text.replace("talks:", THIRD_PREF.strip("\n") + "\ntalks:", 1)
    return loads(text, "tiny3")


def table_of(sim):
    return build_tables(sim.scenario, sim.candidates, ParameterSpace(sim.scenario).point())


# --- strategies -----------------------------------------------------------------


@pytest.mark.parametrize("name", TIME_NAMES)
def test_recorded_aspirations_follow_the_closed_form(tiny, name):
    sim = simulate(
        tiny, strategies=[f"a={name}", f"b={name}"], runs=3, openings=False, uncertainty=False, record=True
    )
    t = table_of(sim)
    e, rounds = strategy(name).e, sim.settings.rounds
    r = np.maximum(t.r_norm[0], 0)
    for k, levels in enumerate(sim.batch.record.aspiration):
        if not sim.batch.record.live[k][0]:
            break
        expected = 1 - (1 - r) * (k / (rounds - 1)) ** (1 / e)
        np.testing.assert_allclose(levels[0], expected, atol=1e-12)


@given(
    r=st.floats(0, 1),
    e=st.floats(0.05, 20),
    rounds=st.integers(2, 200),
)
def test_aspiration_curve_properties(r, e, rounds):
    t = np.arange(rounds)
    a = aspiration(t, rounds, r, e)
    assert a[0] == pytest.approx(1.0)
    assert a[-1] == pytest.approx(r)
    assert np.all(np.diff(a) <= 1e-12)  # never retracts a concession
    np.testing.assert_allclose(a, 1 - (1 - r) * (t / (rounds - 1)) ** (1 / e))


def test_boulware_concedes_later_than_conceder():
    t = np.arange(1, 19)
    assert np.all(aspiration(t, 20, 0.2, 0.2) > aspiration(t, 20, 0.2, 1.0))
    assert np.all(aspiration(t, 20, 0.2, 1.0) > aspiration(t, 20, 0.2, 5.0))


def test_offers_meet_the_proposers_aspiration(tiny):
    sim = simulate(
        tiny,
        strategies=["a=boulware,linear,conceder,tft", "b=linear,conceder,hardliner"],
        runs=200,
        record=True,
        uncertainty=False,
    )
    rec, norm = sim.batch.record, table_of(sim).norm[0]
    for k, q in enumerate(rec.proposer):
        offered = rec.offer[k] >= 0
        own = norm[q, rec.offer[k][offered]]
        assert np.all(own >= rec.aspiration[k][offered, q] - 1e-9)


def test_hardliner_repeats_its_opening(tiny):
    sim = simulate(tiny, strategies=["a=hardliner", "b=conceder"], runs=50, record=True, seed=3)
    rec = sim.batch.record
    a_offers = [rec.offer[k] for k, q in enumerate(rec.proposer) if q == 0]
    opening = sim.settings.openings[0]
    for offers, live in zip(
        a_offers, [rec.live[k] for k, q in enumerate(rec.proposer) if q == 0], strict=True
    ):
        assert np.all(offers[live & (offers >= 0)] == opening)


def test_tit_for_tat_pair_never_moves(tiny):
    sim = simulate(
        tiny, strategies=["a=tft", "b=tit-for-tat"], runs=20, uncertainty=False, record=True, openings=False
    )
    rec = sim.batch.record
    np.testing.assert_allclose(rec.aspiration[-1], rec.aspiration[0])


# --- protocol rules --------------------------------------------------------------------


def check_rules(sim):
    """No acceptance below reservation; table deals accepted by all; level II enforced."""
    b, rec = sim.batch, sim.batch.record
    table = (b.outcome == DEAL) | (b.outcome == RATIFICATION_FAILURE)
    assert np.all(b.agreement[table] >= 0) and np.all(b.agreement[~table] == -1)
    for n in np.flatnonzero(table):
        last = int(b.rounds[n]) - 1
        assert rec.offer[last][n] == b.agreement[n]
        assert rec.accepts[last][n].all()  # everyone at the table said yes
    # level II: deals are ratified by every party, failures vetoed by at least one
    assert not np.any(b.vetoed[b.outcome == DEAL])
    assert np.all(b.vetoed[b.outcome == RATIFICATION_FAILURE].any(axis=1))


@pytest.mark.parametrize("protocol", ["alternating", "mediator"])
@pytest.mark.parametrize("information", ["complete", "learned"])
def test_point_runs_obey_the_rules(tiny, protocol, information):
    sim = simulate(
        tiny,
        strategies=[f"a={','.join(ALL_NAMES)}", f"b={','.join(ALL_NAMES)}"],
        runs=300,
        protocol=protocol,
        information=information,
        uncertainty=False,
        record=True,
        seed=11,
    )
    check_rules(sim)
    t = table_of(sim)
    d = t.reservation[0]
    rec = sim.batch.record
    for k, q in enumerate(rec.proposer):
        for r in range(2):
            if r != q or q < 0:
                yes = rec.accepts[k][:, r] & (rec.offer[k] >= 0)
                assert np.all(rec.utility[k][yes, r] >= d[r] - 1e-9)  # nobody accepts below reservation
    for n in np.flatnonzero(sim.batch.outcome == DEAL):
        ev = evaluate(tiny, sim.package(int(sim.batch.agreement[n])))
        assert ev.accepted
    for n in np.flatnonzero(sim.batch.outcome == RATIFICATION_FAILURE):
        ev = evaluate(tiny, sim.package(int(sim.batch.agreement[n])))
        assert not ev.accepted
        assert [not p.accepts for p in ev.parties] == list(sim.batch.vetoed[n])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32 - 1),
    a=st.lists(st.sampled_from(ALL_NAMES), min_size=1, max_size=3),
    b=st.lists(st.sampled_from(ALL_NAMES), min_size=1, max_size=3),
    protocol=st.sampled_from(["alternating", "mediator"]),
    anticipate=st.booleans(),
    patience=st.integers(0, 3),
    rounds=st.integers(1, 15),
)
def test_rules_hold_under_uncertainty(tiny, seed, a, b, protocol, anticipate, patience, rounds):
    sim = simulate(
        tiny,
        strategies={"a": a, "b": b},
        runs=64,
        rounds=rounds,
        seed=seed,
        protocol=protocol,
        anticipate=anticipate,
        patience=patience,
        record=True,
    )
    check_rules(sim)
    b_ = sim.batch
    deal = b_.outcome == DEAL
    assert np.all(b_.rounds <= rounds)
    if anticipate:  # agents that anticipate level II never sign what home rejects
        assert not np.any(b_.outcome == RATIFICATION_FAILURE)
    summary = summarize(sim)
    total = summary["p_deal"] + summary["p_walkout"] + summary["p_ratification_failure"]
    assert total == pytest.approx(1.0, abs=1e-5)
    assert summary["p_deal"] == pytest.approx(deal.mean(), abs=1e-6)


def test_ratification_failures_are_reported_separately(tiny):
    sim = simulate(tiny, strategies=["a=conceder", "b=conceder"], runs=500, seed=2)
    s = summarize(sim)
    assert s["p_ratification_failure"] > 0
    assert s["failed_ratification"]
    assert sum(s["ratification_failure_by"].values()) >= s["p_ratification_failure"] - 1e-9
    anticipating = summarize(
        simulate(tiny, strategies=["a=conceder", "b=conceder"], runs=500, seed=2, anticipate=True)
    )
    assert anticipating["p_ratification_failure"] == 0


def test_hardliners_walk_out(tiny):
    s = summarize(
        simulate(tiny, strategies=["a=hardliner", "b=hardliner"], runs=100, anticipate=True, patience=2)
    )
    assert s["p_walkout"] == 1.0 and s["p_deadline"] == 0.0
    assert s["mean_rounds"] < 12


def test_stacked_offers_need_everyone(tiny3):
    assert len(tiny3.parties) == 3
    sim = simulate(
        tiny3,
        strategies=["a=linear,conceder", "b=conceder", "c=boulware,tft"],
        runs=300,
        record=True,
        seed=5,
        uncertainty=False,
    )
    check_rules(sim)
    assert sorted(set(sim.batch.record.proposer[:6])) == [0, 1, 2]
    for n in np.flatnonzero(sim.batch.outcome == DEAL):
        assert evaluate(tiny3, sim.package(int(sim.batch.agreement[n]))).accepted
    assert summarize(sim)["p_deal"] > 0


def test_projection_keeps_the_chosen_parties(tiny3):
    two = project(tiny3, ["a", "c"])
    assert [p.id for p in two.parties] == ["a", "c"]
    assert [s.key for s in two.stakeholders] == ["a.boss", "a.hawk", "c.pm"]
    assert two.params.weights.shape == (3, 4)
    with pytest.raises(DealcraftError, match="unknown party 'x'"):
        project(tiny3, ["a", "x"])


# --- determinism ---------------------------------------------------------------------


def test_same_seed_same_results(tiny):
    kw = dict(strategies=["a=boulware,conceder,tft", "b=linear,hardliner"], runs=400, information="learned")
    one, two = simulate(tiny, seed=7, **kw), simulate(tiny, seed=7, **kw)
    for field in ("outcome", "agreement", "rounds", "walked_out", "vetoed", "utility"):
        np.testing.assert_array_equal(getattr(one.batch, field), getattr(two.batch, field))
    assert summarize(one) == summarize(two)
    other = simulate(tiny, seed=8, **kw)
    assert not np.array_equal(one.batch.utility, other.batch.utility)


# --- efficiency: cross-check with the core's Pareto frontier -------------------------------


@pytest.mark.parametrize("names", [("linear", "linear"), ("boulware", "conceder"), ("conceder", "conceder")])
def test_complete_information_deals_lie_on_the_core_frontier(tiny, names):
    frontier = scan(tiny).frontier.utilities
    sim = simulate(
        tiny,
        strategies=[f"a={names[0]}", f"b={names[1]}"],
        runs=5,
        openings=False,
        uncertainty=False,
        rounds=30,
    )
    b = sim.batch
    table = b.agreement >= 0
    assert table.any()
    # every table agreement is efficient in the whole feasible space (brute force) ...
    t = table_of(sim)
    points = t.utility[0].T[t.feasible]
    efficient = points[nondominated(points)]
    agreed = t.utility[0].T[b.agreement[table]]
    for u in agreed:
        assert np.min(np.abs(efficient - u).max(axis=1)) < 1e-9
    # ... so the ratified ones lie on the core's frontier of the agreement set
    for u in b.utility[b.outcome == DEAL]:
        assert np.min(np.abs(frontier - u).max(axis=1)) < 1e-9


def test_learned_deals_land_near_the_frontier(tiny):
    frontier = scan(tiny).frontier.utilities
    sim = simulate(
        tiny,
        strategies=["a=linear,boulware", "b=linear,conceder"],
        runs=200,
        information="learned",
        openings=False,
        uncertainty=False,
        rounds=30,
    )
    deals = sim.batch.utility[sim.batch.outcome == DEAL]
    assert len(deals)
    gaps = [np.min(np.maximum(frontier - u, 0).max(axis=1)) for u in deals]
    assert np.mean(gaps) < 0.15


def test_candidate_frontier_covers_the_core_frontier(tiny):
    full = candidates(tiny)
    assert full.enumerated and len(full) == 48  # 54 packages, 6 break the global constraint
    reduced = candidates(tiny, limit=10)
    assert not reduced.enumerated and len(reduced) < len(full)
    t = build_tables(tiny, reduced, ParameterSpace(tiny).point())
    have = t.utility[0].T
    for u in scan(tiny).frontier.utilities:
        assert np.min(np.abs(have - u).max(axis=1)) < 1e-9


def test_user_errors(tiny):
    with pytest.raises(DealcraftError, match="unknown strategy 'sneaky'"):
        simulate(tiny, strategies=["a=sneaky"])
    with pytest.raises(DealcraftError, match="unknown party 'z'"):
        simulate(tiny, strategies=["z=linear"])
    with pytest.raises(DealcraftError, match="cannot read"):
        simulate(tiny, strategies=["linear"])
    with pytest.raises(DealcraftError, match="unknown protocol"):
        simulate(tiny, protocol="auction")


# --- speed-ups keep the results --------------------------------------------------------------

SAMPLED_CASES = [  # sampled preferences and mixed strategies: the paths the speed-ups touched
    dict(runs=3000, seed=0),
    dict(runs=3000, seed=1, anticipate={"b": True}, patience=1),
    dict(runs=1000, seed=2, protocol="mediator", mix_a=["boulware", "conceder"]),
]


def _run_samples(sc, seed: int, runs: int):
    """The parameters run j was played under: sample j of the seed the runner derives from
    ``seed`` (runner.simulate: "run j always gets sample j of this seed")."""
    preference_seed = int(np.random.SeedSequence(seed).spawn(2)[1].generate_state(1)[0])
    return ParameterSpace(sc).sample(preference_seed, runs)


@pytest.mark.parametrize("kw", SAMPLED_CASES)
def test_sampled_outcomes_mean_what_they_say(tiny, kw):
    """Every run's outcome re-checked against the engine under the run's own sampled numbers:
    deals are ratified packages, ratification failures are vetoed by exactly the parties whose
    stakeholders reject, no-deal runs pay the disagreement point, walk-outs happen on the
    walker's turn, and the summary's shares add up."""
    from dealcraft.analysis.simulate import DEADLINE, WALKOUT
    from dealcraft.engine.sampled import package_verdicts

    kw = dict(kw)
    mix = {"a": kw.pop("mix_a", ALL_NAMES), "b": ALL_NAMES}
    sim = simulate(tiny, strategies=mix, **kw)
    b, runs, rounds = sim.batch, kw["runs"], sim.settings.rounds
    sampled = _run_samples(tiny, kw["seed"], runs)
    d = sampled.reservations @ tiny.party_matrix.T  # (N, P) disagreement point of each run
    signed = b.agreement >= 0
    assert np.array_equal(signed, np.isin(b.outcome, [DEAL, RATIFICATION_FAILURE]))
    for n in np.flatnonzero(signed):
        package = sim.package(int(b.agreement[n]))
        one = type(sampled)(
            sampled.weights[n : n + 1],
            tuple(v[n : n + 1] for v in sampled.values),
            sampled.reservations[n : n + 1],
        )
        v = package_verdicts(tiny, one, np.array([package]))
        assert v.feasible[0]
        np.testing.assert_array_equal(b.vetoed[n], ~v.parties[0, :, 0])
        assert (b.outcome[n] == DEAL) == bool(v.agree[0, 0])
        paid = tiny.party_matrix @ v.utilities[0, :, 0] if b.outcome[n] == DEAL else d[n]
        np.testing.assert_allclose(b.utility[n], paid, atol=1e-12)
    np.testing.assert_allclose(b.utility[~signed], d[~signed], atol=1e-12)
    assert np.array_equal(b.walked_out >= 0, b.outcome == WALKOUT)
    assert np.all((b.rounds >= 1) & (b.rounds <= rounds))
    assert np.all(b.rounds[b.outcome == DEADLINE] == rounds)
    if sim.settings.protocol == "alternating":  # the proposer of the last round walked out
        walk = b.outcome == WALKOUT
        np.testing.assert_array_equal(b.walked_out[walk], (b.rounds[walk] - 1) % len(tiny.parties))
    if kw.get("anticipate", {}).get("b"):  # b never signs what its home would reject
        assert not b.vetoed[:, 1].any()
    s = summarize(sim)
    assert s["p_deal"] + s["p_walkout"] + s["p_ratification_failure"] == pytest.approx(1.0, abs=1e-5)
    assert sum(s["walkout_by"].values()) + s["p_deadline"] == pytest.approx(s["p_walkout"], abs=1e-5)
    assert sum(o["share"] for o in s["outcomes"]) <= s["p_deal"] + 1e-5
    assert sum(c["runs"] for c in s["by_strategy"]) == runs
    assert sum(c["runs"] * c["p_deal"] for c in s["by_strategy"]) / runs == pytest.approx(
        s["p_deal"], abs=1e-5
    )
    assert 0 < s["p_deal"] < 1  # a case where outcomes really differ between runs


def test_results_do_not_depend_on_the_chunk_size(tiny, monkeypatch):
    from dealcraft.analysis.simulate import runner

    kw = dict(strategies=["a=boulware,tft,hardliner", "b=linear,conceder"], runs=700, seed=3, patience=2)
    one = simulate(tiny, **kw)
    monkeypatch.setattr(runner, "SAMPLED_CELLS_PER_CHUNK", 1)  # 16 runs per chunk
    two = simulate(tiny, **kw)
    for field in ("outcome", "agreement", "rounds", "walked_out", "vetoed", "utility"):
        np.testing.assert_array_equal(getattr(one.batch, field), getattr(two.batch, field))


@pytest.mark.parametrize("vary", ["all", "one value"])
def test_package_utilities_are_bit_identical_to_a_plain_loop(tiny, vary):
    from dealcraft.engine.sampled import package_utilities

    space = ParameterSpace(tiny)
    x = space.draw(5, 300)
    if vary == "one value":  # only one number moves: the shared-sum shortcuts kick in
        x[:] = x[:1]
        x[:, 0] = np.linspace(0.3, 0.5, x.shape[0])
    sampled = space.arrays(x)
    packages = candidates(tiny).digits
    plain = np.zeros((len(sampled), len(tiny.stakeholders), packages.shape[0]))
    for i, table in enumerate(sampled.tables()):
        plain += table[:, :, packages[:, i]]
    assert np.array_equal(package_utilities(sampled, packages), plain)


def test_stable_descending_and_row_search_are_exact():
    from dealcraft.analysis.simulate.opponent import RowSearch, stable_descending

    rng = np.random.default_rng(0)
    key = rng.integers(0, 6, size=(200, 37)) / 5.0  # many ties
    key[rng.random(key.shape) < 0.2] = -np.inf
    key[0, :5] = -0.0
    assert np.array_equal(stable_descending(key), np.argsort(-key, axis=1, kind="stable"))
    keys = np.sort(np.where(np.isfinite(key), -key, 1.5), axis=1)
    x = np.concatenate([keys[:100, 7], rng.uniform(-2, 2, 100)])
    expected = [np.searchsorted(row, v, side="right") for row, v in zip(keys, x, strict=True)]
    assert np.array_equal(RowSearch(keys).count_at_most(x), expected)

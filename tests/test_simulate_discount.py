"""Discount factors in simulated talks (parties[].discount): a hand-computed tiny case, the
discounted outcome values, and discount 1 changing nothing."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from dealcraft.analysis.simulate import DEAL, simulate
from dealcraft.model.load import dumps, from_data, load

ROUNDS = 10


def split(discount_a=None, discount_b=None) -> dict:
    """Two parties divide x in {0, 0.1, ..., 1}: u_a = x, u_b = 1 - x, reservations 0."""
    options = [{"id": f"x{k}"} for k in range(11)]
    parties = []
    for pid, discount in (("a", discount_a), ("b", discount_b)):
        party = {"id": pid, "stakeholders": [{"id": "s"}]}
        if discount is not None:
            party["discount"] = discount
        parties.append(party)
    return {
        "dealcraft": 1,
        "id": "split",
        "parties": parties,
        "issues": [{"id": "x", "options": options}],
        "preferences": {
            "a.s": {
                "reservation": 0,
                "weights": {"x": 1},
                "values": {"x": {f"x{k}": k / 10 for k in range(11)}},
            },
            "b.s": {
                "reservation": 0,
                "weights": {"x": 1},
                "values": {"x": {f"x{k}": 1 - k / 10 for k in range(11)}},
            },
        },
    }


def run(data: dict, **kw):
    kw.setdefault("strategies", ["a=linear", "b=linear"])
    return simulate(from_data(data, "<split>"), runs=3, rounds=ROUNDS, seed=1, **kw)


def test_without_discount_the_linear_agents_meet_in_round_5_at_one_half():
    """By hand: the aspiration is L(t) = 1 - t/9 for both. a proposes at even t the smallest x
    with x >= L, b at odd t the largest x with 1 - x >= L; the other accepts at its own L.
    t=4: a offers 0.6, b gets 0.4 < L = 0.556; t=5: b offers 0.5, a gets 0.5 >= L = 0.444."""
    b = run(split()).batch
    assert b.outcome.tolist() == [DEAL] * 3
    assert b.rounds.tolist() == [6] * 3  # rounds used: the deal is in round t = 5 (0-based)
    assert b.agreement.tolist() == [5] * 3  # candidate k is x = k / 10 here
    np.testing.assert_allclose(b.utility, [[0.5, 0.5]] * 3)


def test_an_impatient_party_settles_earlier_and_for_less():
    """b keeps 0.01 of its utility at the deadline: one round costs it the factor
    f = 0.01 ** (1/10) = 0.631. At t=4 b compares a's offer 0.4 with its aspiration one round
    later, f * L(4) = 0.631 * 0.556 = 0.351 <= 0.4: it accepts x = 0.6 a round earlier. Outcome
    values are discounted to the round of the deal: a 0.6, b 0.4 * 0.01 ** (4/10)."""
    f = 0.01 ** (1 / ROUNDS)
    assert f * (1 - 4 / 9) <= 0.4 < (1 - 4 / 9)  # the hand computation's two comparisons
    assert 1 - 3 / 9 > 0.3  # at t=3 a (no discount) still refuses b's x = 0.3, as without discount
    b = run(split(None, 0.01)).batch
    assert b.outcome.tolist() == [DEAL] * 3
    assert b.rounds.tolist() == [5] * 3
    assert b.agreement.tolist() == [6] * 3
    np.testing.assert_allclose(b.utility, [[0.6, 0.4 * 0.01 ** (4 / ROUNDS)]] * 3, rtol=1e-12)


def test_a_mild_discount_keeps_the_deal_but_prices_it_later():
    """0.5 per deadline: f = 0.933 per round, too little to accept 0.4 against 0.556 * 0.933 =
    0.518; the deal stays at t = 5, both values discounted by 0.5 ** (5/10)."""
    b = run(split(0.5, 0.5)).batch
    assert b.rounds.tolist() == [6] * 3 and b.agreement.tolist() == [5] * 3
    np.testing.assert_allclose(b.utility, [[0.5 * 0.5**0.5] * 2] * 3, rtol=1e-12)


def test_no_deal_is_the_reservation_discounted_to_the_end():
    data = split(0.5, 0.8)
    for key in ("a.s", "b.s"):
        data["preferences"][key]["reservation"] = 0.3
    b = run(data, strategies=["a=hardliner", "b=hardliner"]).batch
    assert b.outcome.tolist() == [4] * 3  # deadline
    np.testing.assert_allclose(b.utility, [[0.3 * 0.5, 0.3 * 0.8]] * 3, rtol=1e-12)


@pytest.mark.parametrize("protocol", ["alternating", "mediator"])
def test_discount_one_is_no_discount(protocol):
    data = yaml.safe_load(dumps(load("hanoi-2019")))
    plain = simulate(load("hanoi-2019"), runs=40, seed=5, protocol=protocol)
    for party in data["parties"]:
        party["discount"] = 1.0
    ones = simulate(from_data(data, "<hanoi>"), runs=40, seed=5, protocol=protocol)
    for field in ("outcome", "agreement", "rounds", "walked_out", "vetoed", "utility"):
        np.testing.assert_array_equal(getattr(plain.batch, field), getattr(ones.batch, field), err_msg=field)


def test_json_settings_show_the_discounts():
    from dealcraft.service.bargaining_json import summarize

    assert summarize(run(split(None, 0.25)))["settings"]["discount"] == {"a": 1.0, "b": 0.25}


def test_mediator_discount_moves_the_agreement_earlier():
    slow = run(split(), protocol="mediator").batch
    fast = run(split(0.01, 0.01), protocol="mediator").batch
    assert (fast.outcome == DEAL).all() and (slow.outcome == DEAL).all()
    assert fast.rounds.max() < slow.rounds.min()

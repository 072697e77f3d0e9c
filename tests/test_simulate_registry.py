"""The strategy registry: a strategy defined and registered here runs through both protocols."""

from __future__ import annotations

import numpy as np
import pytest
from test_simulate import TINY, table_of

from dealcraft.analysis.simulate import simulate, strategy
from dealcraft.analysis.simulate.strategies import (
    STRATEGIES,
    Hardliner,
    Strategy,
    TitForTat,
    register,
    unregister,
)
from dealcraft.errors import DealcraftError
from dealcraft.model.load import loads

STUBBORN = "stubborn-until-last-round"
PROTOCOLS = ["alternating", "mediator"]


class StubbornUntilLastRound(Strategy):
    """Holds its start until the last round, then asks only for its reservation."""

    name = STUBBORN
    description = "holds its opening level, drops to its reservation in the last round"

    def aspiration(self, t, rounds, reservation, start, level):
        return start if t < rounds - 1 else reservation


@pytest.fixture(scope="module")
def tiny():
    return loads(TINY, "tiny")


@pytest.fixture
def stubborn():
    register(StubbornUntilLastRound)
    yield STRATEGIES[STUBBORN]
    unregister(STUBBORN)


@pytest.fixture
def copies():
    """Copies of two built-ins under new names: the protocols may only consult their hooks."""

    class HardlinerCopy(Hardliner):
        name = "hardliner-copy"

    class TitForTatCopy(TitForTat):
        name = "tft-copy"

    register(HardlinerCopy)
    register(TitForTatCopy)
    yield
    unregister("hardliner-copy")
    unregister("tft-copy")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_registered_strategy_sets_the_aspirations_of_the_runs_that_draw_it(tiny, stubborn, protocol):
    sim = simulate(
        tiny,
        strategies={"a": [STUBBORN, "boulware"], "b": [STUBBORN]},
        runs=40,
        protocol=protocol,
        openings=False,
        uncertainty=False,
        record=True,
    )
    tables = table_of(sim)  # point preferences
    rounds = sim.settings.rounds
    start = np.where(tables.feasible, tables.norm[0], -np.inf).max(axis=1)  # best package, per party
    r = np.maximum(tables.r_norm[0], 0.0)
    drew = sim.choice[:, 0] == 0  # party a drew the stubborn strategy
    assert drew.any() and not drew.all()
    levels = np.stack(sim.batch.record.aspiration)  # (rounds, N, P)
    assert levels.shape[0] == rounds
    np.testing.assert_array_equal(levels[:-1, :, 1], start[1])
    np.testing.assert_array_equal(levels[-1, :, 1], r[1])
    np.testing.assert_array_equal(levels[:-1, drew, 0], start[0])
    np.testing.assert_array_equal(levels[-1, drew, 0], r[0])
    t = np.arange(rounds)[:, None]
    boulware = start[0] - (start[0] - r[0]) * (t / (rounds - 1)) ** (1 / strategy("boulware").e)
    np.testing.assert_allclose(levels[:, ~drew, 0], np.broadcast_to(boulware, levels[:, ~drew, 0].shape))
    assert sim.strategies == {"a": (STUBBORN, "boulware"), "b": (STUBBORN,)}


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_two_stubborn_agents_agree_only_in_the_last_round_or_never(tiny, stubborn, protocol):
    """Neither moves before the deadline round, so a deal then needs a package that is the best
    for both; tiny has none, so any agreement is struck in the last round."""
    sim = simulate(tiny, strategies=[f"a={STUBBORN}", f"b={STUBBORN}"], runs=200, protocol=protocol, seed=4)
    agreed = sim.batch.agreement >= 0
    assert agreed.any()
    assert (sim.batch.rounds[agreed] == sim.settings.rounds).all()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_copy_of_a_built_in_strategy_plays_exactly_like_it(tiny, copies, protocol):
    kw = dict(runs=300, seed=2, protocol=protocol, patience=2)
    mix = {"a": ["hardliner", "boulware", "tit-for-tat"], "b": ["tit-for-tat", "conceder"]}
    renamed = {
        "a": ["hardliner-copy", "boulware", "tft-copy"],
        "b": ["tft-copy", "conceder"],
    }
    one, two = simulate(tiny, strategies=mix, **kw), simulate(tiny, strategies=renamed, **kw)
    for field in ("outcome", "agreement", "rounds", "walked_out", "vetoed", "utility"):
        np.testing.assert_array_equal(getattr(one.batch, field), getattr(two.batch, field))


def test_registering_a_taken_name_or_an_alias_is_refused():
    class Again(Strategy):
        name = "Boulware"

    class Alias(Strategy):
        name = "tft"

    for cls in (Again, Alias):
        with pytest.raises(ValueError, match="already taken"):
            register(cls)


def test_an_unregistered_strategy_is_a_user_error(tiny, stubborn):
    assert strategy(STUBBORN.upper()) is stubborn
    unregister(STUBBORN)
    with pytest.raises(DealcraftError, match=f"unknown strategy '{STUBBORN}': use one of boulware"):
        simulate(tiny, strategies=[f"a={STUBBORN}"], runs=2)

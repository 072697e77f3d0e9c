"""Gives and gets: every concession is given by its giver; a party only 'gets' what it values."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dealcraft.analysis.explain import exchanges
from dealcraft.model.load import from_data

from reference import Reference
from strategies import scenarios


@settings(max_examples=100, deadline=None)
@given(scenarios(constraints=False), st.data())
def test_exchanges_follow_givers_and_gains(case, data):
    raw, _, _ = case
    sc = from_data(raw, "<random>")
    ref = Reference(raw)
    package = tuple(data.draw(st.integers(0, i.radix - 1)) for i in sc.issues)
    status_quo = sc.describe(sc.status_quo)
    for x in exchanges(sc, package):
        for c in x.gives + x.gets:
            assert c.after == sc.describe(package)[c.issue] != c.before == status_quo[c.issue]
        for c in x.gets:
            if c.giver != x.party:  # another party's move: this party must value it
                moved = dict(status_quo, **{c.issue: c.after})
                assert ref.party_utility(x.party, moved) > ref.party_utility(x.party, status_quo) - 1e-12
        order = {i.id: i.options for i in sc.issues}
        for c in x.gives:
            conceding = order[c.issue].index(c.after) > order[c.issue].index(c.before)
            assert (c.giver == x.party) == conceding

"""Property tests: splitting a scenario into shared and private parts loses nothing, and the
disclosure filter keeps exactly the caller's own party's numbers of an analysis."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from dealcraft.analysis.analyze import analyze
from dealcraft.model.load import from_data
from dealcraft.model.schema import dump
from dealcraft.service.analysis import analysis_json as to_json
from dealcraft.web.confidential import compile_scenario, split
from dealcraft.web.disclosure import disclose

from strategies import scenarios

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_split_then_compile_gives_back_the_scenario(drawn):
    data = dump(from_data(drawn[0], "random").file)
    structure, private = split(data)
    assert "preferences" not in structure
    assert all("stakeholders" not in p for p in structure["parties"])
    assert compile_scenario(structure, private) == data
    for party, part in private.items():  # nothing of one party sits in another's part
        assert all(not k.startswith(party + ".") for other in private if other != party
                   for k in private[other]["preferences"])  # fmt: skip
        assert {s["id"] for s in part["stakeholders"]} == set(part["preferences"])


@SETTINGS
@given(scenarios())
def test_disclosed_analysis_keeps_own_numbers_and_drops_the_rest(drawn):
    scenario = from_data(drawn[0], "random")
    full = to_json(analyze(scenario, k=2))
    parties = [p.id for p in scenario.parties]
    for viewer in [None, *parties]:
        shown = disclose("analyze", full, viewer)
        text = json.dumps(shown)
        for other in parties:
            if other != viewer:
                assert f'"{other}.s' not in text  # no stakeholder of another party
        for row, original in zip(shown["proposals"], full["proposals"], strict=True):
            assert row["package"] == original["package"]
            assert set(row["utilities"]) == ({viewer} if viewer else set())
            own = {k: v for k, v in original["slack"].items() if viewer and k.startswith(viewer + ".")}
            assert row["slack"] == own
        for row, original in zip(shown["parties"], full["parties"], strict=True):
            assert row["accepts"] == original["accepts"]
            assert ("disagreement" in row) == (row["id"] == viewer)
        assert shown["agreement"] == full["agreement"]

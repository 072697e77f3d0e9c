"""load -> dump to YAML -> load gives the same compiled scenario (everything the file says)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealcraft.model.load import dumps, from_data, load, loads
from dealcraft.model.numbers import Uncertain

from strategies import scenarios

NURSES = Path(__file__).parents[1] / "docs" / "examples" / "riverside-nurses.yaml"


def same(a: object, b: object) -> bool:
    """Deep equality for compiled scenarios: arrays by value, NaN equal to NaN."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b))
    if isinstance(a, Uncertain) and isinstance(b, Uncertain):
        return a.to_data() == b.to_data()
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def compiled_equal(a, b) -> bool:
    skip = {"source", "file"}
    return all(
        same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a) if f.name not in skip
    )


@st.composite
def extended_scenarios(draw):
    """Random scenarios plus what the analyses beyond the core read: uncertain numbers, steps,
    trust and openings."""
    data, _, _ = draw(scenarios(numeric=draw(st.booleans())))
    for pref in data["preferences"].values():
        for table in pref["values"].values():  # a value form's numbers may be uncertain too
            if "ideal" in table and draw(st.booleans()):
                table["ideal"] = [table["ideal"] - 1, table["ideal"] + 2]
            if "points" in table and draw(st.booleans()):
                table["points"][0][1] = {
                    "dist": "triangular",
                    "lo": 0,
                    "mode": table["points"][0][1],
                    "hi": 1,
                }
        form = draw(st.sampled_from(["fixed", "range", "triangular", "normal"]))
        r = pref["reservation"]
        if form == "range":
            pref["reservation"] = [r / 2, r]
        elif form == "triangular":
            pref["reservation"] = {"dist": "triangular", "lo": r / 2, "mode": r / 2, "hi": r}
        elif form == "normal":
            pref["reservation"] = {"dist": "normal", "mean": r, "sd": 0.05}
    parties = [p["id"] for p in data["parties"]]
    data["roadmap"] = {"trust": {p: draw(st.sampled_from([0.0, 0.05, 0.1])) for p in parties}}
    issue = data["issues"][0]
    if "options" in issue:
        last = issue["options"][-1]
        last["steps"] = [
            {"id": "first", "share": 0.25, "reversible": 0.5, "verify_weeks": 2},
            {"id": "second", "share": 0.75, "after": ["first"]},
        ]
        opening = last["id"]
    else:
        opening = issue["range"][1]  # a numeric issue's opening is a number
    data["talks"] = {
        "rounds": draw(st.integers(2, 30)),
        "openings": {parties[0]: {issue["id"]: opening}},
    }
    return data


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extended_scenarios())
def test_random_scenarios_round_trip(data: dict) -> None:
    first = from_data(data, "random.yaml")
    again = loads(dumps(first), "again.yaml")
    assert compiled_equal(first, again)
    assert again.openings and again.rounds == data["talks"]["rounds"]
    assert same(dict(again.trust), data["roadmap"]["trust"])


def test_shipped_scenarios_round_trip() -> None:
    for reference in ("hanoi-2019", str(NURSES)):
        first = load(reference)
        assert compiled_equal(first, loads(dumps(first), "again.yaml"))


def test_a_difference_is_noticed() -> None:
    """The comparison itself can fail: a changed reservation is seen."""
    hanoi = load("hanoi-2019")
    text = dumps(hanoi).replace("reservation: 0.51", "reservation: 0.52", 1)
    assert text != dumps(hanoi)
    assert not compiled_equal(hanoi, loads(text, "changed.yaml"))

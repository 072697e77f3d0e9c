"""Every user mistake in a scenario file gets a message naming the file, where, and the fix."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from dealcraft.errors import DealcraftError, ScenarioError
from dealcraft.model.load import load

TINY = Path(__file__).parent / "data" / "tiny.yaml"
BASE = yaml.safe_load(TINY.read_text())


def write(tmp_path: Path, data, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False) if name.endswith(".yaml") else json.dumps(data))
    return path


def problems(tmp_path: Path, mutate) -> ScenarioError:
    data = copy.deepcopy(BASE)
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(ScenarioError) as info:
        load(str(path))
    assert str(path) in str(info.value)
    return info.value


def one(tmp_path, mutate, location: str, *needles: str) -> None:
    err = problems(tmp_path, mutate)
    locs = [p.location for p in err.problems]
    assert location in locs, (location, [p.render("") for p in err.problems])
    message = next(p.message for p in err.problems if p.location == location)
    for needle in needles:
        assert needle in message, (needle, message)


def test_the_base_scenario_is_valid():
    assert load(str(TINY)).id == "tiny"


def test_unknown_key_is_reported_with_allowed_keys(tmp_path):
    one(
        tmp_path,
        lambda d: d["parties"][0]["stakeholders"][0].update(influense=2),
        "parties[0].stakeholders[0].influense",
        "unknown key",
        "influence",
    )


def test_unknown_top_level_key(tmp_path):
    one(tmp_path, lambda d: d.update(isues=[]), "isues", "unknown key", "issues")


def test_missing_key(tmp_path):
    one(tmp_path, lambda d: d["issues"][0].pop("options"), "issues[0].options", "missing", "add it")


def test_wrong_version(tmp_path):
    one(tmp_path, lambda d: d.update(dealcraft=2), "dealcraft", "dealcraft: 1")


def test_unknown_giver_and_status_quo(tmp_path):
    def mutate(d):
        d["issues"][0]["giver"] = "c"
        d["issues"][1]["status_quo"] = "destroy"

    err = problems(tmp_path, mutate)
    messages = {p.location: p.message for p in err.problems}
    assert "unknown party 'c'" in messages["issues[0].giver"] and "a, b" in messages["issues[0].giver"]
    assert "unknown option 'destroy'" in messages["issues[1].status_quo"]


def test_all_problems_are_reported_at_once(tmp_path):
    def mutate(d):
        d["issues"][0]["giver"] = "c"
        d["preferences"]["a.boss"]["values"]["money"]["none"] = 2
        d["constraints"] = ["nukes == gone"]

    assert len(problems(tmp_path, mutate).problems) == 3


def test_preferences_errors(tmp_path):
    one(
        tmp_path,
        lambda d: d["preferences"].update({"a.ghost": d["preferences"]["a.boss"]}),
        'preferences["a.ghost"]',
        "no stakeholder 'a.ghost'",
    )
    one(tmp_path, lambda d: d["preferences"].pop("b.army"), "preferences", 'preferences["b.army"]')
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"]["weights"].update(cash=1),
        'preferences["a.boss"].weights.cash',
        "unknown issue 'cash'",
    )
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"]["values"]["money"].pop("lots"),
        'preferences["a.boss"].values.money',
        "no value for option(s) lots",
    )
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"]["values"]["money"].update(none=1.5),
        'preferences["a.boss"].values.money.none',
        "in [0, 1]",
    )
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"]["values"]["money"].update(tons=1),
        'preferences["a.boss"].values.money.tons',
        "unknown option 'tons'",
    )
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"].update(reservation=[0.6, 0.2]),
        'preferences["a.boss"].reservation',
        "lo > hi",
    )
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"]["weights"].update(money=-1),
        'preferences["a.boss"].weights.money',
        ">= 0",
    )
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"].update(weights={"money": 0}),
        'preferences["a.boss"].weights',
        "all weights are 0",
    )


def test_distribution_errors(tmp_path):
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"].update(reservation={"dist": "normal", "mean": 0.4, "sd": -1}),
        'preferences["a.boss"].reservation',
        "sd",
    )
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"].update(reservation={"dist": "beta", "a": 1}),
        'preferences["a.boss"].reservation',
        "unknown distribution",
    )
    one(
        tmp_path,
        lambda d: d["preferences"]["a.boss"].update(
            reservation={"dist": "triangular", "lo": 0.1, "mode": 0.9, "hi": 0.5}
        ),
        'preferences["a.boss"].reservation',
        "mode",
    )


def test_constraint_errors_point_into_the_expression(tmp_path):
    one(
        tmp_path,
        lambda d: d.update(constraints=["nukes == gone"]),
        "constraints[0]",
        "unknown option 'gone'",
        "keep, freeze, dismantle",
        "^",
    )
    one(
        tmp_path,
        lambda d: d["preferences"]["a.hawk"].update(constraints=["money >="]),
        'preferences["a.hawk"].constraints[0]',
        "expected an option id",
    )


def test_observation_errors(tmp_path):
    one(
        tmp_path,
        lambda d: d["observations"][0].update(by="c"),
        "observations[0].by",
        "unknown party or stakeholder",
    )
    one(
        tmp_path,
        lambda d: d["observations"][0]["package"].update(nukes="all"),
        "observations[0].package.nukes",
        "unknown option",
    )
    one(
        tmp_path,
        lambda d: d["observations"][0].update(outcome="maybe"),
        "observations[0].outcome",
        "accepted",
    )


def test_duplicate_ids(tmp_path):
    one(tmp_path, lambda d: d["issues"].append(copy.deepcopy(d["issues"][0])), "issues[3].id", "used twice")


def test_ratification_rule(tmp_path):
    one(
        tmp_path,
        lambda d: d["parties"][1].update(ratification={"weighted": 1.5}),
        "parties[1].ratification.weighted",
        "less than or equal to 1",
    )


def test_steps_errors(tmp_path):
    def shares(d):
        d["issues"][1]["options"][2]["steps"] = [{"id": "a1", "share": 0.5}, {"id": "a2", "share": 0.2}]

    one(tmp_path, shares, "issues[1].options[2].steps", "sum to 0.7")

    def unknown(d):
        d["issues"][1]["options"][2]["steps"] = [{"id": "a1", "after": ["ghost"]}]

    one(tmp_path, unknown, "issues[1].options[2].steps[0].after[0]", "unknown step 'ghost'")

    def default_name_of_option_with_steps(d):
        d["issues"][1]["options"][2]["steps"] = [{"id": "a1", "after": ["money:lots"]}]
        d["issues"][0]["options"][2]["steps"] = [{"id": "m1"}]

    one(
        tmp_path,
        default_name_of_option_with_steps,
        "issues[1].options[2].steps[0].after[0]",
        "unknown step 'money:lots'",
    )

    def real_cycle(d):
        d["issues"][1]["options"][2]["steps"] = [{"id": "a1", "after": ["a2"]}, {"id": "a2", "after": ["m1"]}]
        d["issues"][0]["options"][2]["steps"] = [{"id": "m1", "after": ["a1"]}]

    err = problems(tmp_path, real_cycle)
    message = next(p.message for p in err.problems if "cycle" in p.message)
    cycle = message.split(": ")[1].split(";")[0].split(" -> ")
    assert cycle[0] == cycle[-1] and set(cycle) == {"a1", "a2", "m1"} and len(cycle) == 4


def test_extension_references(tmp_path):
    one(tmp_path, lambda d: d.update(roadmap={"trust": {"z": 0.1}}), "roadmap.trust.z", "unknown party")
    one(
        tmp_path,
        lambda d: d.update(talks={"openings": {"a": {"nukes": "x"}}}),
        "talks.openings.a.nukes",
        "unknown option",
    )


def test_yaml_booleans_get_a_hint(tmp_path):
    path = tmp_path / "bool.yaml"
    path.write_text(TINY.read_text().replace("{id: closed}", "{id: no}"))
    with pytest.raises(ScenarioError) as info:
        load(str(path))
    assert "quotes" in str(info.value) and "issues[2].options[0].id" in str(info.value)


def test_syntax_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("dealcraft: 1\nid: x\nparties: [\n")
    with pytest.raises(ScenarioError) as info:
        load(str(path))
    assert "bad.yaml" in str(info.value) and "line" in str(info.value) and "invalid YAML" in str(info.value)
    path = tmp_path / "bad.json"
    path.write_text('{"dealcraft": 1,,}')
    with pytest.raises(ScenarioError) as info:
        load(str(path))
    assert "line 1, column" in str(info.value) and "invalid JSON" in str(info.value)


def test_json_files_load(tmp_path):
    assert load(str(write(tmp_path, BASE, "s.json"))).id == "tiny"


def test_missing_file_and_unknown_builtin():
    with pytest.raises(DealcraftError, match="no such file"):
        load("nowhere/scenario.yaml")
    with pytest.raises(DealcraftError, match="neither a scenario file nor a built-in"):
        load("no-such-scenario")


def test_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(ScenarioError, match="must be a mapping"):
        load(str(path))


def test_ratification_and_numeric_id_hints(tmp_path):
    one(
        tmp_path,
        lambda d: d["parties"][0].update(ratification="majority"),
        "parties[0].ratification",
        "'all'",
        "weighted",
    )
    one(
        tmp_path,
        lambda d: d["parties"][0]["stakeholders"][0].update(id=2019),
        "parties[0].stakeholders[0].id",
        "quotes",
    )

"""Numeric issues in the scenario format: the grid, value forms, numeric constraints, packages
given as numbers, and a located error with its fix for every wrong use."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from dealcraft.errors import DealcraftError, ScenarioError
from dealcraft.model.load import dumps, from_data, load, loads

NUMERIC = Path(__file__).parent / "data" / "numeric.yaml"
BASE = yaml.safe_load(NUMERIC.read_text())


def build(mutate=None):
    data = copy.deepcopy(BASE)
    if mutate:
        mutate(data)
    return from_data(data, "trade.yaml")


def fails(mutate, location: str, *needles: str) -> None:
    with pytest.raises(ScenarioError) as info:
        build(mutate)
    assert "trade.yaml" in str(info.value)
    found = {p.location: p.message for p in info.value.problems}
    assert location in found, (location, found)
    for needle in needles:
        assert needle in found[location], (needle, found[location])


def pref(d, key="us.president"):
    return d["preferences"][key]


# --- the grid ---------------------------------------------------------------
def test_grid_options_and_status_quo():
    sc = build()
    tariff = sc.issues[0]
    assert tariff.numeric and not sc.issues[1].numeric
    assert tariff.options == tuple(str(k) for k in range(0, 101, 5))
    assert tariff.grid == tuple(float(k) for k in range(0, 101, 5))
    assert tariff.options[tariff.status_quo] == "25"
    assert sc.size == 21 * 3


def test_decimal_grid_has_no_float_drift():
    def tenths(d):
        d["issues"][0].update(range=[0, 1], step=0.1, status_quo=0.3)
        for key in d["preferences"]:
            d["preferences"][key]["values"]["tariff"] = {"increasing": True}
        d["constraints"] = ["tariff >= 0.7 -> quota == none"]
        d["preferences"]["us.congress"]["constraints"] = []
        d["observations"][0]["package"]["tariff"] = 0.3

    sc = build(tenths)
    tariff = sc.issues[0]
    assert tariff.options == ("0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1")
    assert tariff.grid[3] == 0.3 and tariff.status_quo == 3
    assert not tariff.integral
    assert sc.describe(sc.status_quo)["tariff"] == 0.3
    assert sc.constraints[0].root.left.mask.tolist() == [False] * 7 + [True] * 4


def test_negative_range_and_negative_numbers_in_constraints():
    def negative(d):
        d["issues"][0].update(range=[-50, 50], step=10, status_quo=-20)
        d["constraints"] = ["tariff > -25 and tariff != -10"]
        d["preferences"]["us.congress"]["values"]["tariff"] = {"points": [[-50, 1.0], [50, 0.0]]}
        d["preferences"]["us.congress"]["constraints"] = []
        d["observations"][0]["package"]["tariff"] = -50

    sc = build(negative)
    assert sc.issues[0].options[0] == "-50" and sc.describe(sc.status_quo)["tariff"] == -20
    allowed = sc.constraints[0].evaluate([np.arange(11), np.zeros(11, dtype=int)])
    assert allowed.tolist() == [False, False, False, True, False, True, True, True, True, True, True]
    assert sc.observations[0].package[0] == 0


def test_round_trip_keeps_the_compiled_scenario():
    from test_roundtrip import compiled_equal

    sc = load(str(NUMERIC))
    again = loads(dumps(sc), "again.yaml")
    assert compiled_equal(sc, again)
    assert again.uncertain.shapes.keys() == sc.uncertain.shapes.keys()


# --- value forms: closed forms ---------------------------------------------
def test_value_forms_match_their_closed_forms():
    sc = build()
    x = np.arange(0, 101, 5, dtype=float)
    tariff = sc.params.values[0]
    np.testing.assert_allclose(tariff[0], np.maximum(0, 1 - ((x - 40) / 100) ** 2))
    congress = np.where(x <= 30, 1 + (0.6 - 1) * x / 30, 0.6 * (100 - x) / 70)  # [0.5, 0.7] -> 0.6
    np.testing.assert_allclose(tariff[1], congress)
    np.testing.assert_allclose(tariff[2], 1 - x / 100)


def test_linear_loss_and_increasing():
    def forms(d):
        pref(d)["values"]["tariff"] = {"ideal": 40, "loss": "linear", "width": 30}
        pref(d, "eu.commission")["values"]["tariff"] = {"increasing": True}

    sc = build(forms)
    x = np.arange(0, 101, 5, dtype=float)
    np.testing.assert_allclose(sc.params.values[0][0], np.maximum(0, 1 - np.abs(x - 40) / 30))
    np.testing.assert_allclose(sc.params.values[0][2], x / 100)


def test_uncertain_form_numbers_are_resampled_as_whole_curves():
    from dealcraft.engine.sampling import ParameterSpace

    def uncertain(d):
        pref(d)["values"]["tariff"] = {"ideal": [20, 60], "loss": "quadratic", "width": 100}

    sc = build(uncertain)
    space = ParameterSpace(sc)
    labels = [p.label for p in space.uncertain]
    assert labels == ["us.president value tariff ideal", "us.congress value tariff at 30"]
    x = space.draw(7, 50)
    arrays = space.arrays(x)
    grid = np.arange(0, 101, 5, dtype=float)
    expect = np.clip(1 - ((grid[None, :] - x[:, [0]]) / 100) ** 2, 0, 1)
    np.testing.assert_allclose(arrays.values[0][:, 0, :], expect)
    ys = x[:, 1]
    np.testing.assert_allclose(arrays.values[0][:, 1, 6], ys)  # the point at x = 30 is the sample
    assert (x[:, 0] >= 20).all() and (x[:, 0] <= 60).all()
    point = space.point()
    np.testing.assert_allclose(point.values[0][0], sc.params.values[0])


# --- packages given as numbers ----------------------------------------------
def test_packages_take_numbers_or_their_text():
    sc = build()
    assert sc.package({"tariff": 30}) == sc.package({"tariff": "30"}) == sc.package({"tariff": 30.0})
    assert sc.describe(sc.package({"tariff": 30, "quota": "soft"})) == {"tariff": 30, "quota": "soft"}
    assert isinstance(sc.describe(sc.status_quo)["tariff"], int)
    with pytest.raises(DealcraftError, match="grid 0, 5, ..., 100"):
        sc.package({"tariff": 31})
    with pytest.raises(DealcraftError, match="one of none, soft, hard"):
        sc.package({"quota": 3})


def test_openings_take_numbers():
    sc = build(lambda d: d.update(talks={"openings": {"us": {"tariff": 50}}}))
    assert sc.openings["us"][0] == 10


# --- errors -----------------------------------------------------------------
def test_status_quo_off_the_grid():
    fails(
        lambda d: d["issues"][0].update(status_quo=27),
        "issues[0].status_quo",
        "not on the grid",
        "0, 5, 10, ..., 100",
    )


def test_step_that_does_not_divide_the_range():
    fails(lambda d: d["issues"][0].update(step=7), "issues[0].step", "does not divide", "pick a step")


@pytest.mark.parametrize("step", [0, -5])
def test_step_not_positive(step):
    fails(lambda d: d["issues"][0].update(step=step), "issues[0].step", "must be > 0")


def test_range_with_lo_not_below_hi():
    fails(
        lambda d: d["issues"][0].update(range=[100, 100]), "issues[0].range", "lo < hi", "at least 2 points"
    )


def test_grid_too_large():
    fails(
        lambda d: d["issues"][0].update(step=0.001),
        "issues[0].step",
        "100,001 points",
        "limit of 10,001",
        "coarser",
    )


def test_options_together_with_range():
    fails(lambda d: d["issues"][0].update(options=[{"id": "a"}]), "issues[0]", "not both")


def test_range_without_step_and_step_without_range():
    fails(lambda d: d["issues"][0].pop("step"), "issues[0]", "needs a step")
    fails(lambda d: d["issues"][1].update(step=1), "issues[1]", "not both")

    def step_only(d):
        d["issues"][1].pop("options")
        d["issues"][1]["step"] = 1

    fails(step_only, "issues[1]", "add range")


def test_discrete_issue_without_options_or_range():
    fails(lambda d: d["issues"][1].pop("options"), "issues[1].options", "missing", "range and step")


def test_points_not_covering_the_range():
    def short(d):
        pref(d, "us.congress")["values"]["tariff"] = {"points": [[10, 1.0], [100, 0.0]]}

    fails(short, 'preferences["us.congress"].values.tariff.points', "from 10 to 100", "[0, 100]", "both ends")


def test_points_not_ascending():
    def unsorted(d):
        pref(d, "us.congress")["values"]["tariff"] = {"points": [[0, 1.0], [60, 0.5], [30, 0.6], [100, 0]]}

    fails(unsorted, 'preferences["us.congress"].values.tariff', "ascending", "sort them")


def test_point_value_outside_0_1():
    fails(
        lambda d: pref(d, "us.congress")["values"].update(tariff={"points": [[0, 1.5], [100, 0]]}),
        'preferences["us.congress"].values.tariff',
        "in [0, 1]",
    )


def test_unknown_loss():
    fails(
        lambda d: pref(d)["values"]["tariff"].update(loss="cubic"),
        'preferences["us.president"].values.tariff',
        "unknown loss 'cubic'",
        "linear or quadratic",
    )


@pytest.mark.parametrize("width", [0, -10, [0, 10]])
def test_width_not_positive(width):
    fails(
        lambda d: pref(d)["values"]["tariff"].update(width=width),
        'preferences["us.president"].values.tariff',
        "width must be > 0",
    )


def test_incomplete_ideal_point_form():
    fails(
        lambda d: pref(d)["values"]["tariff"].pop("width"),
        'preferences["us.president"].values.tariff',
        "missing width",
    )


def test_both_increasing_and_decreasing():
    fails(
        lambda d: pref(d)["values"].update(tariff={"increasing": True, "decreasing": True}),
        'preferences["us.president"].values.tariff',
        "exactly one",
        "increasing and decreasing",
    )


def test_increasing_false():
    fails(
        lambda d: pref(d)["values"].update(tariff={"increasing": False}),
        'preferences["us.president"].values.tariff',
        "increasing: true",
    )


def test_value_form_on_a_discrete_issue():
    fails(
        lambda d: pref(d)["values"].update(quota={"increasing": True}),
        'preferences["us.president"].values.quota',
        "discrete",
        "none, soft, hard",
    )


def test_option_table_on_a_numeric_issue():
    fails(
        lambda d: pref(d)["values"].update(tariff={"0": 1.0, "100": 0.0}),
        'preferences["us.president"].values.tariff',
        "numeric",
        "value form",
    )


def test_weighted_numeric_issue_without_a_value_form():
    fails(
        lambda d: pref(d)["values"].pop("tariff"),
        'preferences["us.president"].values.tariff',
        "no value form",
    )


def test_comparing_a_discrete_issue_with_a_number():
    fails(lambda d: d.update(constraints=["quota >= 2"]), "constraints[0]", "discrete", "not a number")


def test_comparing_a_numeric_issue_with_a_word_or_off_grid_equality():
    fails(lambda d: d.update(constraints=["tariff <= high"]), "constraints[0]", "numeric", "tariff <= 30")
    fails(lambda d: d.update(constraints=["tariff == 33"]), "constraints[0]", "not on the grid", "<, <=")
    fails(lambda d: d.update(constraints=["tariff in {30, 33}"]), "constraints[0]", "not on the grid")


def test_ordering_against_an_off_grid_number_is_allowed():
    sc = build(lambda d: d.update(constraints=["tariff <= 33"]))
    assert sc.constraints[0].root.mask.tolist() == [True] * 7 + [False] * 14


def test_number_as_status_quo_of_a_discrete_issue():
    fails(
        lambda d: d["issues"][1].update(status_quo=2), "issues[1].status_quo", "discrete", "none, soft, hard"
    )


def test_package_values_off_the_grid_or_numbers_on_discrete_issues():
    fails(
        lambda d: d["observations"][0]["package"].update(tariff=31),
        "observations[0].package.tariff",
        "not on the grid",
    )
    fails(
        lambda d: d["observations"][0]["package"].update(quota=1),
        "observations[0].package.quota",
        "discrete",
    )
    fails(
        lambda d: d.update(talks={"openings": {"us": {"tariff": 101}}}),
        "talks.openings.us.tariff",
        "not on the grid",
    )


def test_yaml_booleans_as_status_quo_still_explained():
    fails(lambda d: d["issues"][1].update(status_quo=True), "issues[1].status_quo", "put the id in quotes")


def test_about_names_form_numbers():
    def about(d):
        pref(d)["sources"] = [{"doc": "x", "about": ["values.tariff.ideal", "values.tariff.width"]}]
        pref(d, "us.congress")["sources"] = [{"doc": "x", "about": "values.tariff.30"}]

    build(about)
    fails(
        lambda d: pref(d).update(sources=[{"doc": "x", "about": "values.tariff.slope"}]),
        'preferences["us.president"].sources[0].about',
        "no number 'slope'",
    )


def test_huge_or_boolean_range_numbers():
    fails(lambda d: d["issues"][0].update(range=[0, 10**400]), "issues[0].range[1]", "401 digits", "smaller")
    fails(lambda d: d["issues"][0].update(step=True), "issues[0].step", "boolean")
    fails(
        lambda d: d["issues"][0].update(range=[0, 1e300], step=1e-300),
        "issues[0].step",
        "about 1.0E+600 points",
        "coarser step",
    )


def test_files_keep_whole_numbers_as_written():
    text = dumps(build())
    assert "range:\n  - 0\n  - 100\n  step: 5\n" in text


def test_written_options_of_a_raw_issue():
    """Tools that see only the file's structure (web red-line check, built-in summaries) get the same ids."""
    from dealcraft.model.numeric import written_options

    assert written_options({"id": "t", "range": [0, 1], "step": 0.25}) == (
        ["0", "0.25", "0.5", "0.75", "1"],
        (0.0, 0.25, 0.5, 0.75, 1.0),
    )
    assert written_options({"id": "q", "options": [{"id": "none"}, {"id": "low"}]}) == (["none", "low"], None)

"""Every --json output that prints packages shows a numeric issue's value as a JSON number (an
int when the grid is integral), a discrete issue's as its option id; packages are read back
from numbers or their text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcraft.cli import app

STEEL = str(Path(__file__).parents[1] / "docs" / "examples" / "steel-trade.yaml")
runner = CliRunner()


def run_json(*args: str):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def packages(data, key_names=("package", "changes", "offer")):
    """Every {issue: value} mapping under a package-like key, wherever it sits."""
    found = []
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            for k, v in x.items():
                if k in key_names and isinstance(v, dict) and v and set(v) <= ISSUES:
                    found.append(v)
                else:
                    stack.append(v)
        elif isinstance(x, list):
            stack.extend(x)
    return found


ISSUES = {"tariff", "quota", "retaliation", "overcapacity"}


def check_types(found: list[dict]) -> None:
    assert found, "no packages in the output"
    for package in found:
        if "tariff" in package:
            assert type(package["tariff"]) is int and 0 <= package["tariff"] <= 50
        if "quota" in package:
            assert type(package["quota"]) is float and (2 * package["quota"]).is_integer()
        for issue in ("retaliation", "overcapacity"):
            if issue in package:
                assert isinstance(package[issue], str)


@pytest.mark.parametrize(
    "args",
    [
        ("analyze", STEEL, "--proposals", "2"),
        ("evaluate", STEEL, "tariff=10", "quota=2.5", "retaliation=suspended"),
        ("bridge", STEEL, "tariff=40", "quota=5"),
        ("roadmap", STEEL, "quota=2.5", "retaliation=suspended"),  # tariff has no giver: no step
        ("robust", STEEL, "--samples", "50"),
        ("sensitivity", STEEL, "--samples", "50"),
        ("calibrate", STEEL, "--samples", "50"),
        ("simulate", STEEL, "--runs", "5"),
    ],
    ids=lambda a: a[0],
)
def test_packages_print_numbers(args):
    check_types(packages(run_json(*args)))


def test_analyze_prints_the_numbers_it_found():
    data = run_json("analyze", STEEL, "--proposals", "1")
    nash = data["solutions"]["nash"]["package"]
    assert nash == {"tariff": 10, "quota": 2.5, "retaliation": "suspended", "overcapacity": "joint_measures"}
    assert data["frontier"][0]["package"]["quota"] in {x / 2 for x in range(11)}


def test_a_package_is_read_from_numbers_or_their_text():
    a = run_json("evaluate", STEEL, "tariff=10", "quota=2.5")
    b = run_json("evaluate", STEEL, "tariff=10.0", "quota=2.50")
    assert a == b
    assert a["package"]["tariff"] == 10 and a["package"]["quota"] == 2.5


def test_bridge_changes_are_numbers():
    data = run_json("bridge", STEEL, "tariff=40", "quota=5")
    moves = {c["issue"]: (c["from"], c["to"]) for c in data["changes"]}
    assert "tariff" in moves or "quota" in moves
    for issue, (before, after) in moves.items():
        if issue in ("tariff", "quota"):
            assert isinstance(before, int | float) and isinstance(after, int | float)
    assert data["original"]["package"]["tariff"] == 40


def test_a_value_off_the_grid_is_a_user_error():
    result = runner.invoke(app, ["evaluate", STEEL, "quota=2.25"])
    assert result.exit_code != 0
    assert "unknown option '2.25' for issue 'quota'" in result.output
    assert "0, 0.5, ..., 5" in result.output


def test_the_worked_example_runs_and_reproduces_its_observation():
    result = runner.invoke(app, ["analyze", STEEL])
    assert result.exit_code == 0, result.output
    assert "tariff=10, quota=2.5" in result.output  # the Nash point quoted in docs/tutorial.md
    assert "quota: 0 -> 2.5" in result.output  # numbers read as their option ids in text
    data = run_json("analyze", STEEL)
    assert data["packages"] == 51 * 11 * 3 * 3
    assert [o["reproduced"] for o in data["observations"]] == [True]

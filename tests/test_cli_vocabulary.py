"""One vocabulary for options: the new spellings, the hidden old ones, range checks, clean help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcraft.cli import app

NURSES = str(Path(__file__).parents[1] / "docs" / "examples" / "riverside-nurses.yaml")
runner = CliRunner()


def _json(*args: str) -> dict:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_simulate_old_short_runs_option_is_the_same_as_runs() -> None:
    new = _json("simulate", NURSES, "--json", "--runs", "7", "--seed", "2")
    old = _json("simulate", NURSES, "--json", "-n", "7", "--seed", "2")
    assert new == old and new["runs"] == 7


def test_roadmap_old_workers_option_is_the_same_as_threads() -> None:
    new = _json("roadmap", NURSES, "--json", "--threads", "1")
    old = _json("roadmap", NURSES, "--json", "--workers", "1")
    for data in (new, old):
        data["solver"].pop("seconds")
    assert new == old


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["robust", NURSES, "-n", "100000000000000000000"], "--samples"),
        (["sensitivity", NURSES, "--samples", "0"], "--samples"),
        (["calibrate", NURSES, "-k", "-1"], "--proposals"),
        (["simulate", NURSES, "--runs", "100000000000000000000"], "--runs"),
        (["simulate", NURSES, "--rounds", "0"], "--rounds"),
        (["simulate", NURSES, "--patience", "-1"], "--patience"),
        (["roadmap", NURSES, "--threads", "0"], "--threads"),
        (["roadmap", NURSES, "--proposal", "0"], "--proposal"),
        (["robust", NURSES, "--workers", "100000"], "--workers"),
        (["analyze", NURSES, "--seed", "-1"], "--seed"),
    ],
)
def test_numbers_out_of_range_are_usage_errors(args: list[str], option: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert option in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["analyze", "roadmap", "robust", "simulate", "sensitivity"])
def test_help_shows_plain_flags_and_hides_old_spellings(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "<bool>" not in result.output and "[SCENARIO]" in result.output
    if command == "roadmap":
        assert "--threads" in result.output and "--workers" not in result.output
    if command == "simulate":
        assert "--runs" in result.output and "-n " not in result.output


def test_scenarios_and_show_speak_json() -> None:
    listed = _json("scenarios", "--json")["scenarios"]
    hanoi = next(s for s in listed if s["id"] == "hanoi-2019")
    from dealcraft.model.load import load

    sc = load("hanoi-2019")
    assert (hanoi["parties"], hanoi["issues"], hanoi["packages"]) == (
        len(sc.parties),
        len(sc.issues),
        sc.size,
    )
    shown = _json("show", NURSES, "--json")
    from dealcraft.model.load import from_data

    again = from_data(shown, "shown.json")
    assert again.id == "riverside-nurses" and again.size == load(NURSES).size

"""`dealcraft simulate` on the command line: JSON keys, trace, user errors (exit code 2)."""

from __future__ import annotations

import json

import pytest
from test_simulate import TINY
from typer.testing import CliRunner

import dealcraft.cli.simulate  # noqa: F401  (registers the command)
from dealcraft.cli import app

runner = CliRunner()
KEYS = {"runs", "p_deal", "p_walkout", "p_ratification_failure", "outcomes", "mean_rounds", "mean_utility"}


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("sim") / "tiny.yaml"
    path.write_text(TINY, "utf-8")
    return str(path)


def test_json_summary(tiny_file):
    args = ["simulate", tiny_file, "--strategy", "a=boulware,conceder", "--strategy", "b=linear"]
    result = runner.invoke(app, [*args, "--runs", "300", "--seed", "4", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= KEYS
    assert data["runs"] == 300
    assert data["p_deal"] + data["p_walkout"] + data["p_ratification_failure"] == pytest.approx(1, abs=1e-5)
    assert set(data["mean_utility"]) == {"a", "b"}
    for o in data["outcomes"]:
        assert set(o) >= {"package", "share"} and set(o["package"]) == {"money", "nukes", "office", "trade"}
    again = runner.invoke(app, [*args, "--runs", "300", "--seed", "4", "--json"])
    assert again.stdout == result.stdout


def test_trace_and_tables(tiny_file):
    result = runner.invoke(app, ["simulate", tiny_file, "--runs", "20", "--trace", "--protocol", "mediator"])
    assert result.exit_code == 0, result.output
    assert "Negotiation 1" in result.stdout and "mediator" in result.stdout and "Outcomes" in result.stdout
    data = json.loads(runner.invoke(app, ["simulate", tiny_file, "--runs", "5", "--trace", "--json"]).stdout)
    assert data["trace"][0]["round"] == 1 and data["trace"][0]["proposer"] == "a"
    assert "end" in data["trace"][-1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strategy", "x=linear"], "unknown party 'x'"),
        (["--strategy", "a=sneaky"], "unknown strategy 'sneaky'"),
        (["--strategy", "linear"], "cannot read --strategy"),
        (["--protocol", "auction"], "unknown protocol"),
        (["--parties", "a,q"], "unknown party 'q'"),
        (["--runs", "0"], "--runs"),
    ],
)
def test_user_errors_exit_2(tiny_file, args, message):
    result = runner.invoke(app, ["simulate", tiny_file, *args])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert message in text
    assert "Traceback" not in result.output

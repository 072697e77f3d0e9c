"""`dealcraft robust | sensitivity | calibrate`: JSON contracts, tables, user errors (exit 2)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import dealcraft.cli.uncertainty  # noqa: F401  (registers the commands)
from dealcraft.cli import app

from uncertainty_scenarios import LP, mc_file

runner = CliRunner()
OBS = """observations:
  - {id: turned-down, package: {money: some, nukes: freeze}, outcome: rejected, by: a.hawk}
"""


@pytest.fixture
def path(tmp_path) -> str:
    return str(mc_file(tmp_path, reservation="[0.3, 0.5]", observations=OBS))


def _json(args: list[str]) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_robust_json(path):
    data = _json(["robust", path, "-n", "400", "--seed", "1", "--json", "-k", "2"])
    assert set(data) == {
        "scenario",
        "seed",
        "samples",
        "packages",
        "parameters",
        "p_empty",
        "p_empty_interval",
        "expected_agreement",
        "robust_proposals",
        "core_proposals",
    }
    assert data["samples"] == 400 and data["packages"] == 18
    assert [p["id"] for p in data["parameters"]] == [
        "a.hawk reservation",
        "a.hawk value money=some",
        "b.army reservation",
    ]
    first = data["robust_proposals"][0]
    assert set(first) == {
        "rank",
        "package",
        "changes",
        "p_accept",
        "interval",
        "expected_nash",
        "parties",
        "stakeholders",
    }
    assert first["interval"][0] <= first["p_accept"] <= first["interval"][1]
    assert set(first["parties"]) == {"a", "b"} and set(first["stakeholders"]) == {
        "a.boss",
        "a.hawk",
        "b.boss",
        "b.army",
    }
    assert data["core_proposals"][0]["rank"] == 1
    assert _json(["robust", path, "-n", "400", "--seed", "1", "--json", "-k", "2"]) == data


def test_sensitivity_json_by_proposal_and_by_package(path):
    data = _json(["sensitivity", path, "--proposal", "1", "-n", "300", "--json"])
    assert set(data) == {
        "scenario",
        "seed",
        "samples",
        "package",
        "changes",
        "p_accept",
        "interval",
        "accepted_at_point",
        "deciders",
        "closest_to_walking_away",
        "rejecting",
        "parameters",
        "omitted",
    }
    row = data["parameters"][0]
    assert set(row) == {
        "id",
        "kind",
        "stakeholder",
        "distribution",
        "uncertain",
        "point",
        "low",
        "high",
        "p_low",
        "p_high",
        "swing",
        "threshold",
    }
    swings = [p["swing"] for p in data["parameters"]]
    assert swings == sorted(swings, reverse=True)
    words = [f"{k}={v}" for k, v in data["changes"].items()]
    again = _json(["sensitivity", path, *words, "-n", "300", "--json"])
    assert again["package"] == data["package"] and again["parameters"] == data["parameters"]


def test_calibrate_json(path):
    data = _json(["calibrate", path, "-n", "2000", "--json"])
    assert set(data) == {
        "scenario",
        "seed",
        "samples",
        "kept",
        "acceptance_rate",
        "warning",
        "observations",
        "parameters",
        "proposals",
        "weight_bounds",
    }
    assert 0 < data["kept"] < 2000 and data["warning"] is None
    assert set(data["parameters"][0]) == {"id", "kind", "stakeholder", "distribution", "prior", "posterior"}
    assert set(data["parameters"][0]["prior"]) == {"mean", "q05", "median", "q95"}
    assert set(data["proposals"][0]) == {"rank", "package", "changes", "prior", "posterior"}
    bounds = {b["stakeholder"]: b for b in data["weight_bounds"]}
    assert bounds["a.hawk"]["status"] == "uncertain values" and bounds["a.hawk"]["weights"] == {}
    assert set(bounds["a.boss"]["weights"]["money"]) == {"point", "low", "high"}


def test_tables_render(path, tmp_path):
    lp = tmp_path / "lp.yaml"
    lp.write_text(LP, "utf-8")
    for args in (
        ["robust", path, "-n", "100"],
        ["sensitivity", path, "-n", "100"],
        ["calibrate", path, "-n", "500"],
        ["calibrate", str(lp), "-n", "500"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert "Exact weight bounds" in result.output and "a.chief" in result.output


@pytest.mark.parametrize(
    "args,words",
    [
        (["sensitivity", "PATH", "--proposal", "1", "money=some"], "not both"),
        (["sensitivity", "PATH", "--proposal", "9"], "--proposal 9: scenario"),
        (["sensitivity", "PATH", "money=plenty"], "unknown option"),
        (["robust", "PATH", "--workers", "2", "--cluster", "tcp://127.0.0.1:1"], "not both"),
        (["robust", "PATH", "--max-packages", "10"], "--max-packages"),
    ],
)
def test_user_errors_exit_2(path, args, words):
    result = runner.invoke(app, [path if a == "PATH" else a for a in args])
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output


def test_bad_distribution_in_a_file_exits_2_naming_the_place(tmp_path):
    bad = mc_file(tmp_path, reservation="{dist: normal, mean: 0.4, sd: -0.1}")
    result = runner.invoke(app, ["robust", str(bad), "-n", "10"])
    assert result.exit_code == 2
    assert 'preferences["a.hawk"].reservation' in result.output and "sd" in result.output

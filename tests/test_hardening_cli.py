"""Exit codes, the internal-error guard, strict JSON, progress feedback and range-checked options."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from dealcraft.analysis.evaluate import evaluate
from dealcraft.analysis.uncertainty.robust import robust
from dealcraft.cli import app
from dealcraft.cli import progress as progress_module
from dealcraft.cli.options import check_number
from dealcraft.engine.frontier import Frontier, nondominated
from dealcraft.errors import InternalError
from dealcraft.model.load import from_data
from dealcraft.model.scenario import Parameters

from reference import Reference
from strategies import scenarios

TINY = str(Path(__file__).parent / "data" / "tiny.yaml")
runner = CliRunner()


def run(*args: str, **kw):
    return runner.invoke(app, list(args), **kw)


# --- the engine cannot loop forever, results are finite ----------------------------------------


def test_nondominated_terminates_on_nan_rows():
    points = np.array([[np.nan, 1, 1], [0.5, 0.5, 0.5], [np.nan, np.nan, np.nan], [0.2, 0.9, 0.1]])
    mask = nondominated(points)  # used to loop forever: every comparison with NaN is false
    assert mask.shape == (4,)


def test_nondominated_still_matches_brute_force():
    rng = np.random.default_rng(3)
    points = rng.integers(0, 4, size=(300, 3)).astype(float)
    dominated = [
        any(np.all(q >= p) and np.any(q > p) for q in points) for p in points
    ]  # strictly dominated by some row
    assert np.array_equal(nondominated(points), ~np.array(dominated))


def test_non_finite_utilities_are_an_internal_error_not_a_frontier_point():
    front = Frontier.empty(2)
    with pytest.raises(InternalError, match="not finite"):
        front.merge(np.array([[0.5, np.nan]]), np.array([0]))


def test_evaluate_refuses_a_nan_utility():
    sc = from_data(yaml.safe_load(Path(TINY).read_text()), "tiny")
    p = sc.params
    weights = p.weights.copy()
    weights[0, 0] = np.nan
    with pytest.raises(InternalError, match="stakeholder utility"):
        evaluate(sc, sc.status_quo, Parameters(weights, p.values, p.reservations))


# --- exit codes and the guard -----------------------------------------------------------------


def test_exit_codes(tmp_path):
    assert run("check", TINY).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(TINY).read_text().replace("giver: b", "giver: c"))
    assert run("check", str(bad)).exit_code == 1
    assert run("check", str(tmp_path / "missing.yaml")).exit_code == 2
    assert run("analyze", str(bad)).exit_code == 2
    assert run("analyze", TINY, "--no-such-option").exit_code == 2


def test_internal_error_is_short_and_says_please_report(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("something impossible")

    monkeypatch.setattr("dealcraft.service.analysis.run_analysis", boom)
    result = run("analyze", TINY)
    assert result.exit_code == 3
    assert "internal error: RuntimeError: something impossible" in result.stderr
    assert "please report" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("how", ["option", "env"])
def test_debug_shows_the_traceback(monkeypatch, how):
    def boom(*args, **kwargs):
        raise RuntimeError("something impossible")

    monkeypatch.setattr("dealcraft.service.analysis.run_analysis", boom)
    if how == "env":
        monkeypatch.setenv("DEALCRAFT_DEBUG", "1")
        result = run("analyze", TINY)
    else:
        result = run("--debug", "analyze", TINY)
    assert isinstance(result.exception, RuntimeError)  # re-raised: the runner (or Python) shows it


def test_main_guards_errors_outside_commands(monkeypatch, capsys):
    from dealcraft.cli import guard

    def broken():
        raise ValueError("bad wiring")

    with pytest.raises(SystemExit) as e:
        guard.run(broken)
    assert e.value.code == 3 and "please report" in capsys.readouterr().err


def test_non_finite_json_is_an_internal_error(monkeypatch):
    nan_result = {"frontier": [{"u": math.nan}]}
    monkeypatch.setattr("dealcraft.service.analysis.analysis_json", lambda result: nan_result)
    result = run("analyze", TINY, "--json")
    assert result.exit_code == 3 and result.stdout == ""
    assert "non-finite number at frontier[0].u" in result.stderr


# --- check: report on stdout, JSON -------------------------------------------------------------


def test_check_json(tmp_path):
    ok = json.loads(run("check", TINY, "--json").stdout)
    assert ok == {"ok": True, "problems": []}
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        Path(TINY)
        .read_text()
        .replace("giver: b", "giver: c")
        .replace("money: {none: 1,", "money: {none: 2,", 1)
    )
    result = run("check", str(bad), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert {p["where"] for p in data["problems"]} == {
        "issues[1].giver",
        'preferences["a.boss"].values.money.none',
    }
    for p in data["problems"]:
        assert set(p) == {"file", "where", "message", "fix"} and p["file"] == str(bad)
    giver = next(p for p in data["problems"] if p["where"] == "issues[1].giver")
    assert giver["message"] == "unknown party 'c'" and giver["fix"] == "use one of a, b"
    missing = json.loads(run("check", str(tmp_path / "none.yaml"), "--json").stdout)
    assert missing["ok"] is False and "no such file" in missing["problems"][0]["message"]


def test_check_report_goes_to_stdout(tmp_path):
    bad = tmp_path / "dup.yaml"
    bad.write_text(Path(TINY).read_text().replace("id: tiny\n", "id: tiny\nid: other\n"))
    result = run("check", str(bad))
    assert result.exit_code == 1 and "duplicate key 'id'" in result.stdout and result.stderr == ""


# --- range-checked options ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["roadmap", TINY, "--time-limit", "nan"], "--time-limit"),
        (["roadmap", TINY, "--time-limit", "0"], "--time-limit"),
        (["sensitivity", TINY, "--swing", "inf"], "--swing"),
        (["sensitivity", TINY, "--swing", "-0.1"], "--swing"),
        (["analyze", TINY, "--max-packages", "-1"], "--max-packages"),
        (["robust", TINY, "--max-packages", "0"], "--max-packages"),
        (["robust", TINY, "--seed", "-1"], "--seed"),
        (["simulate", TINY, "--seed", "-1"], "--seed"),
    ],
)
def test_numeric_options_are_range_checked(args, option):
    result = run(*args)
    assert result.exit_code == 2 and option in result.output and "Traceback" not in result.output


def test_check_number():
    assert check_number(0.5, "--x", lo=0, hi=1) == 0.5
    assert check_number(None, "--x", lo=0) is None
    for bad in (math.nan, math.inf, -math.inf, -1, 2):
        with pytest.raises(Exception, match="--x|give"):
            check_number(bad, "--x", lo=0, hi=1)
    with pytest.raises(Exception, match="> 0"):
        check_number(0, "--x", lo=0, lo_open=True)


# --- progress when stderr is not a terminal ----------------------------------------------------


def test_long_work_reports_progress_in_plain_text():
    result = run("analyze", "--json")  # the built-in scenario: 2.1 million packages
    assert result.exit_code == 0
    assert "dealcraft: analysing the package space: 2,125,764 package evaluations" in result.stderr
    assert "done in" in result.stderr
    json.loads(result.stdout)  # progress never reaches stdout
    quiet = run("analyze", "--json", "--quiet")
    assert quiet.stderr == "" and quiet.stdout == result.stdout
    assert run("--quiet", "analyze", "--json").stderr == ""


def test_reporter_lines_are_spaced_and_large_work_is_estimated():
    said: list[str] = []
    now = [0.0]
    r = progress_module.Reporter("scan", 1000, 10**9, plain=True, say=said.append, clock=lambda: now[0])
    for _ in range(100):
        now[0] += 1.0
        r.advance(10)
    r.finish()
    assert said[0].startswith("dealcraft: scan: 1,000,000,000 package evaluations")
    assert "expected to take about 2 min" in said[1] and "--max-packages" in said[1]
    periodic = [s for s in said if "% (" in s]
    assert 15 <= len(periodic) <= 20  # one every INTERVAL (5 s) over 100 s, never more
    assert said[-1] == "dealcraft: scan: done in 2 min"


# --- robust on scenarios without uncertain numbers ---------------------------------------------


def _three_parties() -> dict:
    parties = [
        {
            "id": f"p{p}",
            "ratification": {"weighted": 0.5} if p < 2 else "all",
            "stakeholders": [{"id": "a"}, {"id": "b", "influence": 2}],
        }
        for p in range(3)
    ]
    issues = [
        {"id": f"i{i}", "giver": f"p{i % 3}", "options": [{"id": f"o{k}"} for k in range(3)]}
        for i in range(4)
    ]
    rng = np.random.default_rng(5)
    prefs = {
        f"{p['id']}.{s['id']}": {
            "reservation": 0.4,
            "weights": {i["id"]: int(rng.integers(1, 4)) for i in issues},
            "values": {
                i["id"]: {o["id"]: float(rng.integers(0, 11)) / 10 for o in i["options"]} for i in issues
            },
        }
        for p in parties
        for s in p["stakeholders"]
    }
    return {"dealcraft": 1, "id": "fixed", "parties": parties, "issues": issues, "preferences": prefs}


def test_robust_works_without_uncertain_numbers(tmp_path):
    path = tmp_path / "fixed.yaml"
    path.write_text(yaml.safe_dump(_three_parties()))
    result = run("robust", str(path), "-n", "20", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["parameters"] == [] and data["p_empty"] in (0.0, 1.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_parties=3, max_issues=4))
def test_robust_without_ranges_gives_exact_verdicts(case):
    data, global_cs, own = case
    sc = from_data(data, "random")
    assert not sc.uncertain.weights or all(u.is_fixed for u in sc.uncertain.weights.values())
    ref = Reference(data, global_cs, own)
    n = 7
    result = robust(sc, samples=n, seed=1, k=2)
    agree = result.counts.agree
    assert set(np.unique(agree)) <= {0, n}
    exact = np.array([ref.accepted(p) for p in ref.packages()])
    assert np.array_equal(agree == n, exact)
    for p, party in enumerate(ref.parties):
        verdicts = np.array([ref.party_accepts(party, pkg) for pkg in ref.packages()])
        assert np.array_equal(result.counts.parties[p] == n, verdicts)
        assert set(np.unique(result.counts.parties[p])) <= {0, n}
    assert result.p_empty == (0.0 if exact.any() else 1.0)
    for odds in result.robust:
        assert odds.accepted in (0, n)


@pytest.mark.parametrize("command", ["show", "analyze", "robust", "simulate", "calibrate"])
def test_titles_and_names_are_not_rich_markup(tmp_path, command):
    text = Path(TINY).read_text().replace("title: Tiny test", 'title: "x [/oops] y"')
    text = text.replace("{id: hawk}", '{id: hawk, name: "[bold]Hawk"}').replace(
        "    options: [{id: closed}, {id: open}]",
        '    name: "office [/]"\n    options: [{id: closed}, {id: open}]',
    )
    path = tmp_path / "markup.yaml"
    path.write_text(text)
    extra = {"robust": ["-n", "5"], "simulate": ["--runs", "2"], "calibrate": ["-n", "5"]}.get(command, [])
    result = run(command, str(path), *extra)
    assert result.exit_code == 0, result.output
    assert "x [/oops] y" in result.stdout
    if command == "show":
        assert "[bold]Hawk" in result.stdout and "office [/]" in result.stdout


def test_user_text_in_error_messages_is_not_markup(tmp_path):
    result = run("evaluate", TINY, "money=[/x]")
    assert result.exit_code == 2 and "[/x]" in result.stderr
    missing = run("check", str(tmp_path / "[/y].yaml"))
    assert missing.exit_code == 2 and "[/y].yaml" in missing.stderr

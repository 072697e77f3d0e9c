"""The core commands through Typer's runner: output, JSON shape, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcraft.cli import app

TINY = str(Path(__file__).parent / "data" / "tiny.yaml")
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_analyze_json_has_the_documented_shape():
    result = run("analyze", TINY, "--json", "--proposals", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"] == "tiny"
    assert data["packages"] == 18
    assert set(data["agreement"]) >= {"count", "share"}
    assert data["agreement"]["share"] == pytest.approx(data["agreement"]["count"] / 18)
    for s in data["stakeholders"]:
        assert set(s) >= {"id", "accepts", "binding"}
    for f in data["frontier"]:
        assert set(f) >= {"package", "utilities", "count"}
        assert set(f["package"]) == {"money", "nukes", "office"}
    assert set(data["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    for sol in data["solutions"].values():
        assert sol is None or set(sol) >= {"package", "utilities"}
    for p in data["proposals"]:
        assert set(p) >= {"package", "utilities", "slack"}
        assert set(p["slack"]) == {"a.boss", "a.hawk", "b.boss", "b.army"}
    for o in data["observations"]:
        assert set(o) >= {"id", "expected", "model", "reproduced"}
    u = data["frontier"][0]["utilities"]["a"]
    assert u == round(u, 6)


def test_analyze_tables():
    result = run("analyze", TINY)
    assert result.exit_code == 0, result.output
    for text in (
        "acceptable to every party",
        "Nash bargaining",
        "Proposal 1",
        "closest to walking away",
        "big-ask",
    ):
        assert text in result.stdout


def test_evaluate_and_bridge():
    result = run("evaluate", TINY, "nukes=dismantle", "money=lots", "--json")
    data = json.loads(result.stdout)
    assert data["accepted"] is False
    army = next(s for s in data["stakeholders"] if s["id"] == "b.army")
    assert army["accepts"] is False and "below its reservation" in army["reason"]
    result = run("bridge", TINY, "nukes=dismantle", "money=lots", "--json")
    data = json.loads(result.stdout)
    assert data["bridge"]["accepted"] is True
    assert {c["issue"] for c in data["changes"]} == {"money", "nukes"}
    result = run("bridge", TINY, "nukes=dismantle", "money=lots")
    assert "Smallest change: 2 issue(s)" in result.stdout


def test_user_errors_exit_2_without_traceback():
    for args in (
        ("evaluate", TINY, "nukes=blah"),
        ("evaluate", TINY, "nukes"),
        ("evaluate", TINY, "weather=sunny"),
        ("evaluate", TINY, "nukes=keep", "nukes=freeze"),
        ("analyze", "no-such-scenario"),
        ("analyze", TINY, "--max-packages", "10"),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert "error:" in result.stderr
    result = run("analyze", TINY, "--max-packages", "10")
    assert "18 packages" in result.stderr and "--max-packages" in result.stderr


def test_check(tmp_path):
    assert run("check", TINY).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        Path(TINY)
        .read_text()
        .replace("giver: b", "giver: c")
        .replace("money: {none: 1,", "money: {none: 2,", 1)
    )
    result = run("check", str(bad))
    assert result.exit_code == 1
    assert "2 problem(s)" in result.stdout  # the report is the command's output: `check f > report` works
    assert "issues[1].giver" in result.stdout and 'preferences["a.boss"].values.money.none' in result.stdout


def test_show_and_export(tmp_path):
    result = run("show", TINY)
    assert result.exit_code == 0 and "Issues" in result.stdout and "*keep" in result.stdout
    ids = run("scenarios")
    assert ids.exit_code == 0
    out = tmp_path / "hanoi.yaml"
    assert run("export", "hanoi-2019", "-o", str(out)).exit_code == 0
    assert run("check", str(out)).exit_code == 0
    again = run("export", "hanoi-2019", "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run("export", "hanoi-2019", "-o", str(out), "--force").exit_code == 0
    assert run("export", "nope").exit_code == 2


def test_check_of_a_missing_file_is_a_usage_error(tmp_path):
    result = run("check", str(tmp_path / "nothing.yaml"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("dealcraft ")


def test_the_docs_examples_are_valid():
    examples = sorted((Path(__file__).parent.parent / "docs" / "examples").glob("*.yaml"))
    assert examples
    for path in examples:
        result = run("analyze", str(path), "--json")
        assert result.exit_code == 0, (path, result.output)
        assert json.loads(result.stdout)["agreement"]["count"] > 0


def test_python_dash_m_dealcraft_runs_the_command_line():
    """`python -m dealcraft` is the `dealcraft` script (for environments without the script on PATH)."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "dealcraft", "scenarios"]
    out = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    assert "hanoi-2019" in out.stdout

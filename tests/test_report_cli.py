"""`dealcraft report`: output file handling and every user error path (exit 2, no traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcraft.cli import app

TINY = str(Path(__file__).parent / "data" / "tiny.yaml")
runner = CliRunner()
QUICK = ["--sections", "summary,appendix", "--samples", "50", "--runs", "10"]


def run(*args: str):
    return runner.invoke(app, ["report", *args])


def user_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for w in words:
        assert w in result.output, result.output


def test_default_output_name_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(TINY, *QUICK)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "tiny-report.html").read_text("utf-8")
    assert '<section id="summary"' in html and '<section id="appendix"' in html
    assert '<section id="proposals"' not in html
    assert [p.name for p in tmp_path.iterdir()] == ["tiny-report.html"]  # no temporary left behind


def test_existing_file_needs_force(tmp_path):
    out = tmp_path / "r.html"
    out.write_text("keep me", "utf-8")
    user_error(run(TINY, "-o", str(out), *QUICK), "exists", "--force")
    assert out.read_text("utf-8") == "keep me"
    assert run(TINY, "-o", str(out), "--force", *QUICK).exit_code == 0
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_unwritable_output(tmp_path):
    user_error(run(TINY, "-o", str(tmp_path / "missing" / "r.html"), *QUICK), "does not exist")
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")
    user_error(run(TINY, "-o", str(blocker / "r.html"), *QUICK), "does not exist")
    user_error(run(TINY, "-o", "/proc/r.html", *QUICK), "cannot write in /proc")
    user_error(run(TINY, "-o", str(tmp_path / "r.txt"), *QUICK), "ending in .html")


def test_unknown_section(tmp_path):
    user_error(
        run(TINY, "-o", str(tmp_path / "r.html"), "--sections", "summary,gantt"), "'gantt'", "choose from"
    )
    assert not (tmp_path / "r.html").exists()


def test_missing_corpus_folder(tmp_path):
    result = run(TINY, "-o", str(tmp_path / "r.html"), "--corpus", str(tmp_path / "nope"), *QUICK)
    user_error(result, "no such folder", "--corpus")


def test_bad_scenario_is_a_user_error(tmp_path):
    user_error(run(str(tmp_path / "none.yaml"), "-o", str(tmp_path / "r.html")), "no such file")


def test_chromium_missing_for_pdf(tmp_path, monkeypatch):
    monkeypatch.delenv("DEALCRAFT_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run(TINY, "-o", str(tmp_path / "r.html"), "--pdf", *QUICK)
    user_error(result, "Chromium", "apt-get install chromium")
    assert not (tmp_path / "r.html").exists()  # checked before any work is done


@pytest.mark.parametrize("target", ["missing", "folder"])
def test_chromium_named_by_env_must_be_an_executable(tmp_path, monkeypatch, target):
    path = tmp_path / "chromium" if target == "missing" else tmp_path
    monkeypatch.setenv("DEALCRAFT_CHROMIUM", str(path))
    user_error(run(TINY, "-o", str(tmp_path / "r.html"), "--pdf", *QUICK), "DEALCRAFT_CHROMIUM", "apt-get")


def test_an_executable_that_is_not_chromium(tmp_path, monkeypatch):
    monkeypatch.setenv("DEALCRAFT_CHROMIUM", "/bin/true")
    result = run(TINY, "-o", str(tmp_path / "r.html"), "--pdf", *QUICK)
    user_error(result, "cannot start Chromium (/bin/true)", "apt-get install chromium")
    assert not (tmp_path / "r.pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]  # the HTML is complete


def test_interrupted_write_leaves_nothing(tmp_path):
    from dealcraft.report.output import write_atomic

    target = tmp_path / "r.html"

    def fail(tmp: Path) -> None:
        tmp.write_text("half", "utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, fail)
    assert list(tmp_path.iterdir()) == []

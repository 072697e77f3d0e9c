"""The evidence jobs of the service layer: their JSON is what the commands print, and the
command line loads none of the evidence machinery until a command needs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from test_evidence_cli import broken_copy, project, run  # noqa: F401 (fixture)

from dealcraft import service
from dealcraft.errors import DealcraftError
from dealcraft.service.evidence import (
    evidence_check,
    evidence_search,
    evidence_show,
    evidence_suggest,
    evidence_warnings,
)
from dealcraft.service.output import json_text


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize("broken", [False, True])
def test_check_json_is_what_the_command_prints(project, broken):  # noqa: F811
    path = broken_copy(project) if broken else project
    printed = run("evidence", "check", path, "--json")
    assert printed.exit_code == (1 if broken else 0)
    out = evidence_check(str(path))
    assert json_text(out.to_json()) == printed.stdout
    assert bool(out.broken) == broken


def test_check_with_an_explicit_corpus_matches_too(project, tmp_path):  # noqa: F811
    other = tmp_path / "elsewhere"
    (project.parent / "sources").rename(other)
    printed = run("evidence", "check", project, "--corpus", other, "--json")
    assert json_text(evidence_check(str(project), other).to_json()) == printed.stdout
    assert json.loads(printed.stdout)["corpus"] == str(other)


@pytest.mark.parametrize("query", ["toll loan", "ferry", 'NEAR("toll" *', "zebra"])
def test_search_json_is_what_the_command_prints(project, tmp_path, query):  # noqa: F811
    corpus, index = project.parent / "sources", tmp_path / "ix.sqlite"
    printed = run("evidence", "search", query, "--corpus", corpus, "--index", index, "-n", "3", "--json")
    assert printed.exit_code == 0, printed.output
    out = evidence_search(query, corpus, limit=3, index=index)
    assert json_text(out.to_json()) == printed.stdout
    assert len(out.hits) <= 3 and (query == "zebra") == (out.hits == [])


def test_suggest_json_is_what_the_command_prints(project, tmp_path):  # noqa: F811
    index = tmp_path / "ix.sqlite"
    for general in (False, True):
        flags = ["--general"] if general else []
        printed = run("evidence", "suggest", project, "--index", index, "-n", "2", "--json", *flags)
        out = evidence_suggest(str(project), limit=2, general=general, index=index)
        assert json_text(out.to_json()) == printed.stdout


def test_a_refresh_is_reported_once_with_what_changed(project, tmp_path):  # noqa: F811
    corpus, index = project.parent / "sources", tmp_path / "ix.sqlite"
    heard = []
    evidence_search("toll", corpus, index=index, on_refresh=lambda path, stats: heard.append((path, stats)))
    evidence_search("toll", corpus, index=index, on_refresh=lambda path, stats: heard.append((path, stats)))
    assert [p for p, _ in heard] == [index, index]
    assert len(heard[0][1].added) == 4 and not heard[1][1].changed and heard[1][1].unchanged == 4


def test_show_returns_the_cited_text_the_command_prints(project):  # noqa: F811
    out = evidence_show(str(project), stakeholder="board")
    [holder] = out.stakeholders
    assert holder.key == "port.board" and out.corpus == project.parent / "sources"
    cited = [s.cited for s in holder.sources if s.cited]
    assert any("dredging fee of four million" in c for c in cited)
    assert all(s.problem is None for s in holder.sources)
    printed = run("evidence", "show", project, "--stakeholder", "board").stdout
    assert "dredging fee of four million" in printed
    only = evidence_show(str(project), stakeholder="port.board", issue="fee")
    assert only.stakeholders[0].bare == ["weights.fee", "values.fee.none", "values.fee.two"]
    assert json.loads(json_text(only.to_json()))["stakeholders"][0]["unsourced"] == only.stakeholders[0].bare


def test_show_reports_an_unreadable_citation_instead_of_text(project):  # noqa: F811
    (project.parent / "sources" / "harbour.txt").unlink()
    gone = evidence_show(str(project), stakeholder="board")
    problems = [s.problem for s in gone.stakeholders[0].sources if s.doc == "harbour.txt"]
    assert problems and all(p.startswith("missing_document: ") for p in problems)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"stakeholder": "nobody"}, "--stakeholder nobody: unknown"), ({"issue": "nope"}, "--issue nope")],
)
def test_show_user_errors(project, kwargs, message):  # noqa: F811
    with pytest.raises(DealcraftError, match=message):
        evidence_show(str(project), **kwargs)


def test_warnings_match_dealcraft_check(project):  # noqa: F811
    ok = evidence_warnings(str(project))
    assert len(ok.unsourced) == 12 and ok.broken == [] and ok.missing_corpus is None
    bad = evidence_warnings(str(broken_copy(project)))
    assert [s.status for s in bad.broken] == ["quote_not_found"]
    printed = run("check", broken_copy(project))
    assert f"{len(bad.broken)} broken source(s)" in printed.stderr and bad.broken[0].where in printed.stderr
    with pytest.raises(DealcraftError, match="no such folder"):
        evidence_warnings(str(project), project.parent / "gone")


def test_the_service_package_exports_the_evidence_jobs():
    from dealcraft.service import evidence

    for name in (
        "evidence_check",
        "evidence_search",
        "evidence_show",
        "evidence_suggest",
        "evidence_warnings",
    ):
        assert name in service.__all__ and getattr(service, name) is getattr(evidence, name)


def test_the_command_line_starts_without_the_evidence_machinery():
    heavy = ("dealcraft.evidence", "dealcraft.service.evidence", "pypdf", "selectolax", "sqlite3")
    code = f"import sys, dealcraft.cli; print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_the_python_example_in_the_evidence_guide_holds(monkeypatch):
    import doctest
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    guide = (root / "docs" / "evidence.md").read_text("utf-8")
    [block] = re.findall(r"```python\n(>>> .*?)```", guide, re.S)
    monkeypatch.chdir(root)
    test = doctest.DocTestParser().get_doctest(block, {}, "docs/evidence.md", "docs/evidence.md", 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0 and len(test.examples) == 6

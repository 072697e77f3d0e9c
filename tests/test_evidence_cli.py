"""`dealcraft evidence ...` and the evidence part of `dealcraft check`, through Typer's runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from evidence_fixtures import write_corpus
from test_evidence_check import SCENARIO
from typer.testing import CliRunner

from dealcraft.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def project(tmp_path):
    """A scenario file with `corpus: sources` beside its corpus; every source of it is sound."""
    write_corpus(tmp_path / "sources")
    data = yaml.safe_load(yaml.safe_dump(SCENARIO))
    data["sources"] = [s for s in data["sources"] if s["doc"] in {"bridge.pdf"}]
    data["corpus"] = "sources"
    path = tmp_path / "harbour.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def broken_copy(project: Path) -> Path:
    data = yaml.safe_load(project.read_text("utf-8"))
    data["sources"].append({"doc": "harbour.txt", "at": "paragraph 2", "quote": "any fee above two million"})
    path = project.with_name("broken.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_check_uses_the_scenario_corpus_and_prints_coverage(project):
    result = run("evidence", "check", project)
    assert result.exit_code == 0, result.output
    assert "0 broken" in result.stdout and "Coverage of the numbers" in result.stdout
    assert (
        'preferences["guild.chair"]: reservation, weights.fee, weights.survey, values.fee, values.survey'
        in (result.stdout)
    )
    assert 'preferences["port.board"]: weights.fee, weights.survey, values.fee.none, values.fee.two' in (
        result.stdout
    )


def test_check_json_and_exit_code_1_for_a_broken_source(project):
    result = run("evidence", "check", broken_copy(project), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"scenario", "corpus", "sources", "coverage", "unsourced"}
    [bad] = [s for s in data["sources"] if s["status"] != "ok"]
    assert bad["status"] == "quote_not_found" and "found in paragraph 3 instead" in bad["message"]
    assert bad["where"] == "sources[1]"


def test_corpus_option_overrides_the_scenario(project, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    result = run("evidence", "check", project, "--corpus", other, "--json")
    assert result.exit_code == 1
    statuses = {s["status"] for s in json.loads(result.stdout)["sources"]}
    assert statuses == {"missing_document"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("evidence", "check", "hanoi-2019"), "no corpus known"),
        (("evidence", "check", "hanoi-2019", "--corpus", "/no/such/dir"), "no such folder"),
        (("evidence", "search", "x", "--corpus", "/no/such/dir"), "no such folder"),
        (("evidence", "show", "hanoi-2019", "--stakeholder", "nobody"), "unknown stakeholder"),
        (("evidence", "show", "hanoi-2019", "--issue", "nothing"), "unknown issue"),
        (("evidence", "check", "nothing.yaml"), "no such file"),
    ],
)
def test_user_errors_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_search_json_and_table(project, tmp_path):
    corpus = project.parent / "sources"
    index = tmp_path / "ix.sqlite"
    result = run("evidence", "search", "toll loan", "--corpus", corpus, "--index", index, "--json", "-n", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["query"] == "toll loan"
    assert [set(r) for r in data["results"]] == [{"doc", "at", "score", "snippet"}] * 2
    assert data["results"][0]["at"] == "page 1, paragraph 2"
    assert index.is_file() and "4 added" in result.stderr
    table = run("evidence", "search", 'NEAR("toll" *', "--corpus", corpus, "--index", index)
    assert table.exit_code == 0 and "bridge.pdf" in table.stdout
    none = run("evidence", "search", "zebra", "--corpus", corpus, "--index", index)
    assert none.stdout.startswith("no paragraph")
    empty = run("evidence", "search", "()", "--corpus", corpus, "--index", index)
    assert empty.exit_code == 2 and "no words" in empty.stderr


def test_search_uses_the_cache_directory_by_default(project, tmp_path):
    result = run("evidence", "search", "ferry", "--corpus", project.parent / "sources")
    assert result.exit_code == 0
    assert list((tmp_path / "cache" / "dealcraft" / "evidence").glob("sources-*.sqlite"))


def test_search_warns_about_a_corrupt_pdf_and_still_answers(project, tmp_path):
    corpus = project.parent / "sources"
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 nothing")
    result = run("evidence", "search", "ferry", "--corpus", corpus, "--json")
    assert result.exit_code == 0
    assert "broken.pdf: cannot read this PDF" in result.stderr
    assert json.loads(result.stdout)["results"][0]["doc"] == "ferry.html"


def test_suggest_offers_passages_for_unsourced_numbers(project):
    result = run("evidence", "suggest", project, "--json", "-n", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    wheres = [s["where"] for s in data["suggestions"]]
    assert 'preferences["guild.chair"].weights.fee' in wheres
    assert all(s["level"] == "none" for s in data["suggestions"])
    assert len(wheres) == 12
    fee = next(s for s in data["suggestions"] if s["where"].endswith('guild.chair"].weights.fee'))
    assert "fee" in fee["query"] and len(fee["results"]) <= 2
    more = json.loads(run("evidence", "suggest", project, "--json", "--general").stdout)
    assert len(more["suggestions"]) == 16  # + the four general-only numbers of port.union
    assert "Per" not in run("evidence", "suggest", project).stdout


def test_show_prints_the_cited_text(project):
    result = run("evidence", "show", project, "--stakeholder", "board")
    assert result.exit_code == 0, result.output
    assert "dredging fee of four million" in result.stdout  # the cited paragraph
    assert "values.fee.four = 1" in result.stdout
    only = run("evidence", "show", project, "--stakeholder", "port.board", "--issue", "survey")
    assert "values.survey.no = 1" in only.stdout and "dredging" not in only.stdout
    chair = run("evidence", "show", project, "--stakeholder", "chair")
    assert "no source for" in chair.stdout
    board = run("evidence", "show", project, "--stakeholder", "board", "--issue", "fee")
    assert "no source for: weights.fee, values.fee.none, values.fee.two" in board.stdout


def test_show_without_a_corpus_still_lists_the_notes():
    result = run("evidence", "show", "hanoi-2019", "--stakeholder", "hardliners")
    assert result.exit_code == 0 and "munitions industry" in result.stdout
    assert "no corpus known" in result.stderr


def test_semantic_says_what_is_missing(project):
    result = run("evidence", "search", "toll", "--corpus", project.parent / "sources", "--semantic")
    assert result.exit_code == 2 and "semantic" in result.stderr and "without --semantic" in result.stderr


def test_dealcraft_check_warns_about_unsourced_numbers_and_fails_on_broken_sources(project):
    ok = run("check", project)
    assert ok.exit_code == 0 and "12 number(s) rest on no source" in ok.stderr
    bad = run("check", broken_copy(project))
    assert bad.exit_code == 1 and "1 broken source(s)" in bad.stderr and "quote_not_found" in bad.stderr
    data = yaml.safe_load(project.read_text("utf-8"))
    data["corpus"] = "gone"
    moved = project.with_name("moved.yaml")
    moved.write_text(yaml.safe_dump(data), "utf-8")
    warned = run("check", moved)
    assert warned.exit_code == 0 and "not found: sources not checked" in warned.stderr


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source articles not beside the checkout")
def test_hanoi_checks_clean_against_the_seeds_from_the_command_line():
    result = run("evidence", "check", "hanoi-2019", "--corpus", SEEDS, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert all(s["status"] == "ok" for s in data["sources"]) and data["unsourced"] == []


DOCS = ROOT / "docs" / "examples"
FIXES = [  # the edits docs/evidence.md walks through
    ('at: "p. 4", note:', 'at: "page 4, paragraph 2", about: [weights.wages, values.wages], note:'),
    (
        'board-minutes-2025-02.pdf, at: "item 3",',
        'board-minutes-2025-02.html, at: "paragraph 4", about: [values.wages.4pct, values.wages.5pct],',
    ),
    (
        'member-survey-2025.csv, at: "question 7",',
        'member-survey-2025.md, at: "paragraph 3", about: values.scheduling,',
    ),
    (
        'member-survey-2025.csv, at: "question 3",',
        'member-survey-2025.md, at: "paragraph 2", about: weights.wages,',
    ),
]


def test_the_evidence_how_to_holds(tmp_path):
    original = DOCS / "riverside-nurses.yaml"
    before = run("evidence", "check", original, "--corpus", DOCS / "riverside-sources", "--json")
    assert before.exit_code == 1
    statuses = [s["status"] for s in json.loads(before.stdout)["sources"]]
    assert statuses.count("ok") == 2 and statuses.count("missing_document") == 4 and "bad_locator" in statuses
    text = original.read_text("utf-8").replace(
        "dealcraft: 1\n", "dealcraft: 1\ncorpus: riverside-sources\n", 1
    )
    for old, new in FIXES:
        assert text.count(old) == 1
        text = text.replace(old, new)
    lines = text.splitlines(keepends=True)
    k = next(i for i, line in enumerate(lines) if "county-health-plan-2024.pdf" in line)
    text = "".join(lines[: k - 1] + lines[k + 1 :])
    shutil.copytree(DOCS / "riverside-sources", tmp_path / "riverside-sources")
    fixed = tmp_path / "riverside.yaml"
    fixed.write_text(text, "utf-8")
    after = run("evidence", "check", fixed, "--json")
    assert after.exit_code == 0, after.output
    data = json.loads(after.stdout)
    pinned = {c["stakeholder"]: (c["pinned"], c["general"], c["none"]) for c in data["coverage"]}
    assert pinned == {
        "hospital.ceo": (6, 0, 20),
        "hospital.board": (2, 0, 17),
        "union.committee": (0, 22, 0),
        "union.senior": (3, 0, 19),
        "union.junior": (1, 0, 21),
        "county.commissioners": (0, 0, 12),
    }
    assert len(data["unsourced"]) == 89


def test_dealcraft_check_with_a_missing_corpus_option_is_a_user_error(project, tmp_path):
    result = run("check", project, "--corpus", tmp_path / "nowhere")
    assert result.exit_code == 2 and "no such folder" in result.stderr

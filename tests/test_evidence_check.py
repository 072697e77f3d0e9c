"""Checking sources against a corpus, coverage counts, and `about` validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from evidence_fixtures import write_corpus

from dealcraft.errors import ScenarioError
from dealcraft.evidence.check import coverage, run_check
from dealcraft.evidence.scenario import Loaded
from dealcraft.model.load import from_data, load
from dealcraft.service.evidence import evidence_check

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

SCENARIO = {
    "dealcraft": 1,
    "id": "harbour",
    "parties": [
        {"id": "port", "stakeholders": [{"id": "board"}, {"id": "union"}]},
        {"id": "guild", "stakeholders": [{"id": "chair"}]},
    ],
    "issues": [
        {"id": "fee", "giver": "guild", "options": [{"id": "none"}, {"id": "two"}, {"id": "four"}]},
        {"id": "survey", "giver": "port", "options": [{"id": "no"}, {"id": "yes"}]},
    ],
    "preferences": {
        # 1 reservation + 2 weights + 5 values = 8 numbers
        "port.board": {
            "reservation": 0.4,
            "weights": {"fee": 2, "survey": 1},
            "values": {"fee": {"none": 0, "two": 0.6, "four": 1}, "survey": {"no": 1, "yes": 0.5}},
            "sources": [
                {"doc": "harbour.txt", "at": "paragraph 2", "about": "values.fee.four", "note": "asked four"},
                {"doc": "harbour.txt", "at": "paragraph 4", "about": ["reservation", "values.survey"]},
            ],
        },
        # 1 + 1 + 3 = 5 numbers, one general source
        "port.union": {
            "reservation": 0.3,
            "weights": {"fee": 1},
            "values": {"fee": {"none": 0, "two": 0.5, "four": 1}},
            "sources": [
                {"doc": "quota.md", "at": "paragraph 2"},
                {"doc": "bridge.pdf", "at": "page 1, paragraph 2", "about": "weights.fee"},
            ],
        },
        # 1 + 2 + 5 = 8 numbers, no source at all
        "guild.chair": {
            "reservation": 0.5,
            "weights": {"fee": 3, "survey": 1},
            "values": {"fee": {"none": 1, "two": 0.7, "four": 0}, "survey": {"no": 0, "yes": 1}},
        },
    },
    "sources": [
        {"doc": "harbour.txt", "at": "paragraph 3", "quote": "any fee above two million"},  # ok
        {"doc": "harbour.txt", "at": "paragraph 2", "quote": "any fee above two million"},  # elsewhere
        {"doc": "harbour.txt", "at": "paragraph 9"},  # past the end
        {"doc": "missing.txt", "at": "paragraph 1"},
        {"doc": "ferry.html", "at": "p. 2"},  # unreadable locator
        {"doc": "ferry.html", "at": "paragraph 2", "quote": "the Ferry subsidy doubled"},  # case
        {"doc": "bridge.pdf", "at": "page 2, paragraph 2", "quote": "grew by three per cent"},  # ok
        {"doc": "ferry.html", "quote": "pay twice for the same boat"},  # no locator: whole document
        {"doc": "broken.pdf", "at": "page 1"},
    ],
}


@pytest.fixture
def corpus(tmp_path):
    folder = write_corpus(tmp_path / "corpus")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    return folder


def test_every_status_with_its_message(corpus):
    sc = from_data(SCENARIO, "harbour.yaml")
    result = run_check(sc.file, sc.id, corpus)
    top = [s for s in result.sources if s.where.startswith("sources[")]
    assert [s.status for s in top] == [
        "ok",
        "quote_not_found",
        "bad_locator",
        "missing_document",
        "bad_locator",
        "quote_not_found",
        "ok",
        "ok",
        "missing_document",
    ]
    assert "found in paragraph 3 instead" in top[1].message
    assert "has 4 paragraph(s), no paragraph 9" in top[2].message
    assert "no document 'missing.txt'" in top[3].message
    assert "cannot read locator 'p. 2'" in top[4].message
    assert "different capitals" in top[5].message
    assert top[7].message == "quote found in paragraph 5"
    assert "broken.pdf: cannot read this PDF" in top[8].message
    assert [s.where for s in top][:2] == ["sources[0]", "sources[1]"]
    prefs = [s for s in result.sources if s.where.startswith("preferences")]
    assert [s.where for s in prefs][0] == 'preferences["port.board"].sources[0]'
    assert all(s.status == "ok" for s in prefs)
    assert len(result.broken) == 6


def test_a_bad_locator_with_a_quote_says_where_the_quote_is(corpus):
    data = {**SCENARIO, "sources": [{"doc": "harbour.txt", "at": "paragraph 12", "quote": "dredging fee"}]}
    sc = from_data(data, "x.yaml")
    [s] = [s for s in run_check(sc.file, sc.id, corpus).sources if s.where == "sources[0]"]
    assert s.status == "bad_locator" and "the quote is in paragraph 2" in s.message


def test_coverage_counts_by_hand(corpus):
    sc = from_data(SCENARIO, "harbour.yaml")
    result = run_check(sc.file, sc.id, corpus)
    rows = {(c.stakeholder, c.numbers, c.pinned, c.general, c.none) for c in result.coverage()}
    # board: values.fee.four + reservation + values.survey.{no,yes} pinned, nothing general
    # union: weights.fee pinned, the other 4 covered by the general source
    # chair: no sources
    assert rows == {("port.board", 8, 4, 0, 4), ("port.union", 5, 1, 4, 0), ("guild.chair", 8, 0, 0, 8)}
    assert result.unsourced[:4] == [
        'preferences["port.board"].weights.fee',
        'preferences["port.board"].weights.survey',
        'preferences["port.board"].values.fee.none',
        'preferences["port.board"].values.fee.two',
    ]
    assert len(result.unsourced) == 12
    by_issue = {
        (c.stakeholder, c.issue): (c.pinned, c.general, c.none) for c in result.coverage(by_issue=True)
    }
    assert by_issue[("port.board", "survey")] == (2, 0, 1)
    assert by_issue[("port.union", None)] == (0, 1, 0)


def test_check_json_has_the_documented_shape(corpus):
    sc = from_data(SCENARIO, "harbour.yaml")
    data = evidence_check(Loaded(sc, None), corpus).to_json()
    assert set(data) == {"scenario", "corpus", "sources", "coverage", "unsourced"}
    assert data["scenario"] == "harbour" and data["corpus"] == str(corpus)
    for s in data["sources"]:
        assert set(s) == {"where", "doc", "at", "status", "message"}
        assert s["status"] in {"ok", "missing_document", "bad_locator", "quote_not_found"}
    for c in data["coverage"]:
        assert set(c) == {"stakeholder", "numbers", "pinned", "general", "none"}
        assert c["numbers"] == c["pinned"] + c["general"] + c["none"]
    assert sum(c["none"] for c in data["coverage"]) == len(data["unsourced"])


@pytest.mark.parametrize(
    ("where", "about", "message"),
    [
        (("preferences", "port.board"), "weights.tax", "unknown issue 'tax'"),
        (("preferences", "port.board"), "values.fee.six", "unknown option 'six' of issue 'fee'"),
        (("preferences", "port.board"), "values.tax", "unknown issue in 'tax'"),
        (("preferences", "port.union"), "weights.survey", "gives issue 'survey' no weight"),
        (("preferences", "port.union"), "values.survey.yes", "gives no value there"),
        (("preferences", "port.board"), "reservations", "unknown target 'reservations'"),
    ],
)
def test_unknown_about_targets_are_located_errors(where, about, message):
    data = yaml.safe_load(yaml.safe_dump(SCENARIO))
    pref = data[where[0]][where[1]]
    pref["sources"] = [{"doc": "harbour.txt", "about": ["reservation", about]}]
    with pytest.raises(ScenarioError) as e:
        from_data(data, "harbour.yaml")
    assert len(e.value.problems) == 1
    p = e.value.problems[0]
    assert p.location == f'preferences["{where[1]}"].sources[0].about' and message in p.message


def test_about_outside_a_preference_is_an_error():
    data = yaml.safe_load(yaml.safe_dump(SCENARIO))
    data["issues"][0]["sources"] = [{"doc": "harbour.txt", "about": "reservation"}]
    with pytest.raises(ScenarioError, match=r"issues\[0\]\.sources\[0\]\.about: 'about' pins a source"):
        from_data(data, "harbour.yaml")


def test_coverage_needs_no_corpus():
    sc = from_data(SCENARIO, "harbour.yaml")
    levels = [c.level for c in coverage(sc.file) if c.stakeholder == "port.union"]
    assert levels == ["general", "pinned", "general", "general", "general"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source articles not beside the checkout")
def test_the_built_in_scenario_checks_clean_against_the_seeds():
    sc = load("hanoi-2019")
    result = run_check(sc.file, sc.id, SEEDS)
    assert not result.broken, [(s.where, s.message) for s in result.broken]
    assert any(s.message.startswith("quote found") for s in result.sources)
    for row in result.coverage():
        assert row.none == 0 and row.pinned > 0, row


def test_a_quote_may_span_a_range_of_paragraphs(corpus):
    data = {
        **SCENARIO,
        "sources": [
            {"doc": "harbour.txt", "at": "paragraphs 2-3", "quote": "four million. The shipping guild"},
            {"doc": "harbour.txt", "at": "paragraph 2", "quote": "four million. The shipping guild"},
        ],
    }
    sc = from_data(data, "x.yaml")
    top = [s for s in run_check(sc.file, sc.id, corpus).sources if s.where.startswith("sources[")]
    assert [s.status for s in top] == ["ok", "quote_not_found"]
    assert "nearest is paragraph" in top[1].message

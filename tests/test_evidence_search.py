"""Full-text search: ranking, incremental re-indexing, FTS syntax in queries, odd corpora."""

from __future__ import annotations

import os
import sqlite3

import pytest
from evidence_fixtures import write_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealcraft.errors import DealcraftError
from dealcraft.evidence.index import Index, default_index_path, fts_queries


@pytest.fixture
def corpus(tmp_path):
    folder = write_corpus(tmp_path / "corpus")
    # Decoys: each holds only some of the words "toll loan traffic", some of them many times.
    (folder / "decoy.txt").write_text(
        "toll toll toll toll toll toll\nloan loan loan and more loan talk\ntraffic traffic everywhere\n",
        "utf-8",
    )
    return folder


def open_index(corpus, tmp_path):
    ix = Index(corpus, tmp_path / "index.sqlite")
    ix.refresh()
    return ix


def test_the_paragraph_holding_every_word_ranks_first(corpus, tmp_path):
    with open_index(corpus, tmp_path) as ix:
        hits = ix.search("toll loan traffic", 10)
    assert (hits[0].doc, hits[0].at) == ("bridge.pdf", "page 1, paragraph 2")
    assert hits[0].all_words and not any(h.all_words for h in hits[1:])
    assert {h.doc for h in hits[1:]} >= {"decoy.txt"}
    assert "**toll**" in hits[0].snippet
    scores = [h.score for h in hits[1:]]
    assert scores == sorted(scores, reverse=True)  # within a group: best bm25 first


def test_porter_stemming_and_each_document_kind_is_indexed(corpus, tmp_path):
    with open_index(corpus, tmp_path) as ix:
        assert ix.search("proposing", 1)[0].doc == "harbour.txt"  # proposed ~ proposing
        assert ix.search("coastal towns", 1)[0].at == "paragraph 2"
        assert ix.search("fares", 1)[0].doc == "ferry.html"
        assert ix.search("tracking", 5) == []  # script text is not a paragraph
        assert ix.search("treasury", 1)[0].at == "page 1, paragraph 2"


def test_incremental_refresh_rereads_only_changed_files(corpus, tmp_path):
    ix = Index(corpus, tmp_path / "index.sqlite")
    first = ix.refresh()
    assert sorted(first.added) == ["bridge.pdf", "decoy.txt", "ferry.html", "harbour.txt", "quota.md"]
    again = ix.refresh()
    assert not again.changed and again.unchanged == 5
    path = corpus / "harbour.txt"
    path.write_text(path.read_text("utf-8").replace("dredging", "towing"), "utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse clocks
    (corpus / "decoy.txt").unlink()
    (corpus / "new.md").write_text("A fresh note about lighthouse repairs.\n", "utf-8")
    touched = corpus / "quota.md"
    os.utime(touched, ns=(2, 2))  # same content, new mtime: hashed, not re-read
    third = ix.refresh()
    assert third.updated == ["harbour.txt"] and third.removed == ["decoy.txt"] and third.added == ["new.md"]
    assert third.unchanged == 3
    assert ix.search("towing", 1)[0].doc == "harbour.txt"
    assert ix.search("dredging", 5) == []
    assert ix.search("lighthouse", 1)[0].doc == "new.md"
    assert all(h.doc != "decoy.txt" for h in ix.search("toll", 10))
    ix.close()
    # a fresh process sees the same index without re-reading anything
    with Index(corpus, tmp_path / "index.sqlite") as again:
        assert not again.refresh().changed


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "toll*",
        "toll AND",
        "OR",
        "NEAR(toll loan)",
        "-toll",
        "toll:",
        "(",
        "^toll",
        "{x}",
        "a'b",
        '"toll loan',
    ],
)
def test_fts_syntax_in_queries_never_crashes(corpus, tmp_path, query):
    with open_index(corpus, tmp_path) as ix:
        try:
            ix.search(query, 5)
        except DealcraftError as e:
            assert "no words" in str(e)


def test_quoted_phrases_stay_phrases(corpus, tmp_path):
    with open_index(corpus, tmp_path) as ix:
        assert ix.search('"same boat"', 5)[0].doc == "ferry.html"
        assert [h for h in ix.search('"boat same"', 5) if h.all_words] == []


def test_a_query_without_words_is_a_clear_error():
    with pytest.raises(DealcraftError, match="no words"):
        fts_queries('"" * ( )')


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_text_becomes_a_valid_match_expression(text):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
    db.execute("INSERT INTO t VALUES ('some words here')")
    try:
        every, some = fts_queries(text)
    except DealcraftError:
        return
    for match in (every, some):
        db.execute("SELECT * FROM t WHERE t MATCH ?", (match,)).fetchall()


def test_an_empty_corpus_gives_no_results(tmp_path):
    (tmp_path / "empty").mkdir()
    with Index(tmp_path / "empty", tmp_path / "i.sqlite") as ix:
        assert ix.refresh().added == []
        assert ix.search("anything", 10) == []


def test_a_corrupt_pdf_is_named_and_the_rest_still_indexed(corpus, tmp_path):
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    ix = Index(corpus, tmp_path / "index.sqlite")
    stats = ix.refresh()
    assert list(stats.errors) == ["broken.pdf"] and "cannot read this PDF" in stats.errors["broken.pdf"]
    assert ix.search("treasury", 1)[0].doc == "bridge.pdf"
    assert ix.refresh().errors.keys() == {"broken.pdf"}  # still reported, not re-read
    ix.close()


def test_the_default_index_lives_in_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = default_index_path(tmp_path / "corpus")
    assert path.is_relative_to(tmp_path / "cache") and path.name.startswith("corpus-")
    assert default_index_path(tmp_path / "other" / "corpus") != path


def test_an_unusable_index_path_is_a_user_error(corpus, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DealcraftError, match="--index"):
        Index(corpus, blocker / "index.sqlite")

"""Reading each document kind into paragraphs, locators, and quote matching."""

from __future__ import annotations

import io

import pypdf
import pytest
from evidence_fixtures import PDF_PAGES, write_corpus
from hypothesis import given
from hypothesis import strategies as st
from pdfmake import make_pdf

from dealcraft.evidence.corpus import Corpus, MissingDocument
from dealcraft.evidence.documents import DocumentError, parse_document, read_document
from dealcraft.evidence.locator import Locator, LocatorError, parse, resolve
from dealcraft.evidence.quotes import contains, nearest, normalise


@pytest.fixture
def corpus(tmp_path):
    return Corpus(write_corpus(tmp_path / "corpus"))


def texts(doc):
    return [p.text for p in doc.paragraphs]


def test_txt_paragraphs_are_non_empty_lines(corpus):
    doc = corpus.document("harbour.txt")
    assert len(doc.paragraphs) == 4  # the blank and the whitespace-only lines do not count
    assert doc.paragraphs[0].text == "Harbour talks, a short account"
    assert doc.paragraphs[2].text.startswith("The shipping guild")
    assert [p.at for p in doc.paragraphs[:2]] == ["paragraph 1", "paragraph 2"]


def test_md_paragraphs_are_blank_line_blocks_with_fences_kept_whole(corpus):
    doc = corpus.document("quota.md")
    assert texts(doc) == [
        "# Fishing quota notes",
        "The coastal towns want the quota kept at last year's level.",
        "``` table: quota by town  north 40 ```",
        "Inland buyers care about prices, not the quota itself.",
    ]


def test_html_paragraphs_are_innermost_blocks_without_scripts_or_navigation(corpus):
    doc = corpus.document("ferry.html")
    assert texts(doc) == [
        "Ferry subsidy debate",
        "The island council wants the ferry subsidy doubled.",
        "Fares would fall by a third.",
        "Timetables stay as they are.",
        "We will not pay twice for the same boat.",
        "cost",
        "twelve million",
    ]


def test_the_hand_written_pdf_is_readable_by_pypdf():
    reader = pypdf.PdfReader(io.BytesIO(make_pdf(PDF_PAGES)))
    assert len(reader.pages) == 2
    assert "nine million" in reader.pages[0].extract_text()


def test_pdf_paragraphs_are_text_blocks_numbered_per_page(corpus):
    doc = corpus.document("bridge.pdf")
    assert doc.pages == 2
    assert [(p.page, p.number) for p in doc.paragraphs] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert doc.paragraphs[1].text.startswith("The treasury expects the toll to raise nine million a year")
    assert doc.paragraphs[1].text.endswith("if traffic keeps growing.")  # wrapped lines joined
    assert doc.paragraphs[3].at == "page 2, paragraph 2"


def test_a_corrupt_pdf_is_a_clear_error_naming_the_file(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n this is not a pdf at all")
    with pytest.raises(DocumentError, match=r"broken\.pdf: cannot read this PDF"):
        read_document(bad)
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(make_pdf(PDF_PAGES)[:300])
    with pytest.raises(DocumentError, match=r"cut\.pdf"):
        read_document(truncated)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("paragraph 4", Locator(None, 4, 4)),
        ("Paragraph  4", Locator(None, 4, 4)),
        ("paragraphs 2-3", Locator(None, 2, 3)),
        ("paragraphs 2–3", Locator(None, 2, 3)),
        ("paragraphs 2 to 3", Locator(None, 2, 3)),
        ("page 2", Locator(2, None, None)),
        ("page 2, paragraph 1", Locator(2, 1, 1)),
        ("page 1, paragraphs 1-2", Locator(1, 1, 2)),
    ],
)
def test_locators_parse(at, expected):
    assert parse(at) == expected
    assert parse(str(expected)) == expected  # the canonical form reads back


@pytest.mark.parametrize(
    "at", ["p. 4", "item 3", "paragraph", "paragraph x", "", "paragraphs 5-2", "paragraph 0"]
)
def test_bad_locators_say_how_to_write_one(at):
    with pytest.raises(LocatorError):
        parse(at)


def test_every_locator_kind_resolves(corpus):
    txt, md, html, pdf = (corpus.document(d) for d in ("harbour.txt", "quota.md", "ferry.html", "bridge.pdf"))
    assert [p.number for p in resolve(txt, "paragraphs 2-3")] == [2, 3]
    assert resolve(md, "paragraph 4")[0].text.startswith("Inland buyers")
    assert resolve(html, "paragraph 5")[0].text.startswith("We will not pay")
    assert [p.text for p in resolve(pdf, "page 2")] == PDF_PAGES[1]
    assert resolve(pdf, "page 2, paragraph 2")[0].text == PDF_PAGES[1][1]
    assert resolve(pdf, "paragraph 3")[0].text == PDF_PAGES[1][0]  # counted through the document
    assert len(resolve(txt, None)) == 4


@pytest.mark.parametrize(
    ("doc", "at", "message"),
    [
        ("harbour.txt", "paragraph 5", "has 4 paragraph"),
        ("harbour.txt", "paragraphs 3-9", "no paragraph 9"),
        ("harbour.txt", "page 1", "page locators are for PDFs"),
        ("bridge.pdf", "page 3", "has 2 page"),
        ("bridge.pdf", "page 2, paragraph 3", "page 2 of bridge.pdf has 2 paragraph"),
    ],
)
def test_locators_past_the_end_are_errors(corpus, doc, at, message):
    with pytest.raises(LocatorError, match=message):
        resolve(corpus.document(doc), at)


def test_missing_and_path_like_documents(corpus):
    with pytest.raises(MissingDocument, match="no document 'nope.txt'"):
        corpus.document("nope.txt")
    with pytest.raises(MissingDocument, match="is a path"):
        corpus.document("../harbour.txt")
    with pytest.raises(MissingDocument, match=r"\.txt, \.md"):
        corpus.document("notes.csv")  # present, but not a corpus document


def test_quotes_match_after_normalising_typography_only():
    text = "A mediator proposed a “phased fee” — two million now,\u00a0more after the survey."
    assert contains(text, '"phased fee" - two million now, more')
    assert contains(text, "proposed a   ‘phased fee’".replace("‘", "“").replace("’", "”"))
    assert not contains(text, "A Mediator proposed")  # case counts
    assert not contains(text, "three million")
    assert normalise("a\u2013b \u2014 c\u2019s") == "a-b - c's"


def test_nearest_match_finds_the_paragraph_or_comes_closest(corpus):
    paras = list(corpus.document("harbour.txt").paragraphs)
    assert nearest(paras, "dredging fee of four million").paragraph.number == 2
    lower = nearest(paras, "the port authority asked")
    assert lower.ignoring_case and lower.paragraph.number == 2
    close = nearest(paras, "any fee above three million would close the yards")
    assert not close.exact and close.paragraph.number == 3 and 0.6 < close.share < 1


@given(st.text())
def test_normalising_is_idempotent_and_never_adds_doubled_spaces(text):
    once = normalise(text)
    assert normalise(once) == once
    assert "  " not in once


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_a_paragraph_always_contains_its_own_text(text):
    assert contains(text, text)


def test_parse_document_rejects_nothing_for_empty_files():
    for kind in ("txt", "md", "html"):
        assert parse_document(f"e.{kind}", kind, b"").paragraphs == ()


@given(
    st.one_of(st.none(), st.integers(1, 500)),
    st.one_of(st.none(), st.tuples(st.integers(1, 500), st.integers(0, 50))),
)
def test_every_locator_reads_back_from_its_canonical_form(page, span):
    if page is None and span is None:
        return
    first, extra = span if span else (None, 0)
    loc = Locator(page, first, None if first is None else first + extra)
    assert parse(str(loc)) == loc

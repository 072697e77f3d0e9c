"""Check every source of a scenario against a corpus, and count which numbers rest on one.

Statuses: ``ok``, ``missing_document`` (not in the corpus, or unreadable), ``bad_locator``
(unreadable ``at`` or past the end of the document), ``quote_not_found`` (not in the cited
paragraphs after normalising typography; the message says where it is, or what comes closest).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from dealcraft.errors import format_location
from dealcraft.evidence.corpus import Corpus, MissingDocument
from dealcraft.evidence.documents import DocumentError
from dealcraft.evidence.locator import LocatorError, resolve
from dealcraft.evidence.quotes import contains, nearest
from dealcraft.model.about import Number, covers, number_location, numbers, targets, walk_sources
from dealcraft.model.schema import ScenarioFile, Source

STATUSES = ("ok", "missing_document", "bad_locator", "quote_not_found")
LEVELS = ("pinned", "general", "none")


@dataclass(frozen=True)
class SourceResult:
    """One source's verdict: where it sits in the file, what it cites, and what is wrong (if anything)."""

    where: str  # location in the scenario file, e.g. preferences["us.hawks"].sources[1]
    doc: str
    at: str | None
    status: str
    message: str


@dataclass(frozen=True)
class NumberCover:
    """How one number of a preference is backed: pinned by an ``about``, by a general source, or not."""

    stakeholder: str  # "party.stakeholder"
    number: Number
    where: str
    level: str  # pinned | general | none

    @property
    def issue(self) -> str | None:
        """The issue the number belongs to (None for the reservation), for per-issue counts."""
        return self.number[1] if len(self.number) > 1 else None


@dataclass(frozen=True)
class CoverageRow:
    """Counts of one stakeholder's numbers by backing, overall or for one issue."""

    stakeholder: str
    issue: str | None  # None: the stakeholder's totals (or its reservation row in the table)
    numbers: int
    pinned: int
    general: int
    none: int


@dataclass(frozen=True)
class CheckResult:
    """Everything `evidence check` found: every source's verdict and every number's backing."""

    scenario: str
    corpus: str | None
    sources: tuple[SourceResult, ...]
    numbers: tuple[NumberCover, ...]

    @property
    def broken(self) -> list[SourceResult]:
        """The sources that fail; any of them makes the check fail."""
        return [s for s in self.sources if s.status != "ok"]

    @property
    def unsourced(self) -> list[str]:
        """Locations of the numbers no source backs, the judgments that rest on nothing."""
        return [n.where for n in self.numbers if n.level == "none"]

    def coverage(self, *, by_issue: bool = False) -> list[CoverageRow]:
        """Counts per stakeholder (and per issue within it if ``by_issue``), in file order."""
        groups: dict[tuple, Counter] = {}
        for n in self.numbers:
            key = (n.stakeholder, n.issue if by_issue else None)
            groups.setdefault(key, Counter())[n.level] += 1
        return [
            CoverageRow(s, i, sum(c.values()), c["pinned"], c["general"], c["none"])
            for (s, i), c in groups.items()
        ]


def coverage(file: ScenarioFile) -> list[NumberCover]:
    """Each number of each preference, pinned by an ``about``, covered by a general source, or bare."""
    out = []
    for key, pref in file.preferences.items():
        pins = [t for s in pref.sources for t in targets(s)]
        general = any(s.about is None for s in pref.sources)
        for number in numbers(pref):
            pinned = any(covers(t, number) for t in pins)
            level = "pinned" if pinned else "general" if general else "none"
            out.append(NumberCover(key, number, number_location(key, number), level))
    return out


def check_sources(file: ScenarioFile, corpus: Corpus) -> list[SourceResult]:
    """Every source of the file checked against the corpus, in file order."""
    return [check_source(format_location(loc), s, corpus) for loc, s in walk_sources(file)]


def check_source(where: str, source: Source, corpus: Corpus) -> SourceResult:
    """One source's verdict: the document, then the locator, then the quote; the first failure
    decides the status, and the message says what comes closest so the analyst can fix it."""

    def result(status: str, message: str) -> SourceResult:
        return SourceResult(where, source.doc, source.at, status, message)

    try:
        doc = corpus.document(source.doc)
    except (MissingDocument, DocumentError) as e:
        return result("missing_document", str(e))
    try:
        cited = resolve(doc, source.at)
    except LocatorError as e:
        extra = ""
        if source.quote:
            near = nearest(list(doc.paragraphs), source.quote)
            extra = f" (the quote is in {near.paragraph.at})" if near and near.exact else ""
        return result("bad_locator", f"{e}{extra}")
    if not source.quote:
        return result("ok", f"{source.at or 'document'} found")
    if source.at is None:
        near = nearest(list(doc.paragraphs), source.quote)
        if near and near.exact:
            return result("ok", f"quote found in {near.paragraph.at}")
    elif contains(" ".join(p.text for p in cited), source.quote):
        return result("ok", f"quote found in {source.at}")
    return result("quote_not_found", _not_found(source, doc.paragraphs))


def _not_found(source: Source, paragraphs) -> str:
    head = f"quote not in {source.at}" if source.at else f"quote not in {source.doc}"
    near = nearest(list(paragraphs), source.quote or "")
    if near is None:
        return f"{head}; the document has no text"
    if near.exact:
        return f"{head}; found in {near.paragraph.at} instead"
    if near.ignoring_case:
        return f"{head}; {near.paragraph.at} has it with different capitals (quotes are case-sensitive)"
    return f"{head}; nearest is {near.paragraph.at} ({near.share:.0%} of the quote matches there)"


def run_check(file: ScenarioFile, scenario_id: str, corpus_dir: Path) -> CheckResult:
    """Check every source against the corpus folder and count the backing of every number."""
    corpus = Corpus(corpus_dir)
    return CheckResult(
        scenario_id, str(corpus_dir), tuple(check_sources(file, corpus)), tuple(coverage(file))
    )

"""The evidence jobs: check sources against a corpus, show them, search the corpus, suggest
citations, and the warnings `dealcraft check` prints.

Each job takes a scenario (a file path or built-in id, or an already loaded one) and plain
options, and returns a typed output whose ``to_json()`` is what the command's ``--json``
prints, so the report and the web app show the same verdicts as the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dealcraft.errors import DealcraftError
from dealcraft.evidence import semantic
from dealcraft.evidence.check import CheckResult, SourceResult, check_source, coverage, run_check
from dealcraft.evidence.corpus import Corpus, MissingDocument
from dealcraft.evidence.documents import DocumentError
from dealcraft.evidence.index import Hit, Index, Refresh
from dealcraft.evidence.locator import LocatorError, resolve
from dealcraft.evidence.scenario import Loaded, corpus_for, declared_corpus, load_scenario
from dealcraft.evidence.suggest import Suggestion
from dealcraft.evidence.suggest import suggest as suggest_passages
from dealcraft.model.about import Number, covers, numbers, targets, value_numbers
from dealcraft.model.load import source_file
from dealcraft.model.scenario import Scenario
from dealcraft.model.schema import Preference, ScenarioFile, Source
from dealcraft.service.progress import SILENT, Tracker

ScenarioRef = str | Loaded  # a file path or built-in id, or a scenario loaded with its folder
OnRefresh = Callable[[Path, Refresh], None]  # told what an index refresh changed, as it happens


def _loaded(scenario: ScenarioRef) -> Loaded:
    return scenario if isinstance(scenario, Loaded) else load_scenario(scenario)


def _source_json(s: SourceResult) -> dict[str, Any]:
    return {"where": s.where, "doc": s.doc, "at": s.at, "status": s.status, "message": s.message}


# --- check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceCheckOutput:
    """Every source's verdict and the coverage of every number, for one scenario and corpus."""

    scenario: Scenario
    result: CheckResult

    @property
    def broken(self) -> list[SourceResult]:
        """The sources that fail (the command exits 1 when there is any)."""
        return self.result.broken

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft evidence check --json` prints."""
        result = self.result
        return {
            "scenario": result.scenario,
            "corpus": result.corpus,
            "sources": [_source_json(s) for s in result.sources],
            "coverage": [
                {
                    "stakeholder": c.stakeholder,
                    "numbers": c.numbers,
                    "pinned": c.pinned,
                    "general": c.general,
                    "none": c.none,
                }
                for c in result.coverage()
            ],
            "unsourced": result.unsourced,
        }


def evidence_check(scenario: ScenarioRef, corpus: Path | None = None) -> EvidenceCheckOutput:
    """Check every source (document, locator, quote) against ``corpus`` (default: the
    scenario's ``corpus:``) and count which numbers rest on one."""
    loaded = _loaded(scenario)
    sc = loaded.scenario
    return EvidenceCheckOutput(sc, run_check(source_file(sc), sc.id, corpus_for(loaded, corpus)))


# --- warnings for `dealcraft check` -----------------------------------------------------------


@dataclass(frozen=True)
class EvidenceWarnings:
    """What `dealcraft check` says about evidence: numbers with no source and, when a corpus is
    known, broken sources. ``missing_corpus`` is a declared corpus folder that does not exist
    (a warning, not an error: the file itself may be fine)."""

    corpus: Path | None
    missing_corpus: Path | None
    unsourced: list[str]
    broken: list[SourceResult]

    def to_json(self) -> dict[str, Any]:
        """The same facts as data (no command prints this as JSON yet)."""
        return {
            "corpus": None if self.corpus is None else str(self.corpus),
            "missing_corpus": None if self.missing_corpus is None else str(self.missing_corpus),
            "unsourced": self.unsourced,
            "broken": [_source_json(s) for s in self.broken],
        }


def evidence_warnings(scenario: ScenarioRef, corpus: Path | None = None) -> EvidenceWarnings:
    """Unsourced numbers, and broken sources when a corpus is given or declared. A ``corpus``
    given explicitly must exist; a declared one that does not is reported, not raised."""
    loaded = _loaded(scenario)
    folder = corpus if corpus is not None else declared_corpus(loaded)
    missing = None
    if folder is not None and not folder.is_dir():
        if corpus is not None:
            raise DealcraftError(f"corpus {folder}: no such folder; check --corpus")
        missing, folder = folder, None
    file = source_file(loaded.scenario)
    if folder is None:
        return EvidenceWarnings(None, missing, [c.where for c in coverage(file) if c.level == "none"], [])
    result = run_check(file, loaded.scenario.id, folder)
    return EvidenceWarnings(folder, missing, result.unsourced, result.broken)


# --- search -----------------------------------------------------------------------------------


def _hits_json(hits: tuple[Hit, ...] | list[Hit]) -> list[dict[str, Any]]:
    return [{"doc": h.doc, "at": h.at, "score": h.score, "snippet": h.snippet} for h in hits]


@contextmanager
def _open_index(
    corpus: Path, index: Path | None, tracker: Tracker, on_refresh: OnRefresh | None
) -> Iterator[Index]:
    """The corpus's search index, brought up to date first (one tracker step per file)."""
    with Index(corpus, index) as ix:
        with tracker.stage("indexing", len(Corpus(corpus).files)) as advance:
            stats = ix.refresh(None if advance is None else lambda _done, _total: advance(1))
        if on_refresh is not None:
            on_refresh(ix.path, stats)
        yield ix


@dataclass(frozen=True)
class EvidenceSearchOutput:
    """The corpus's paragraphs that best match a query, best first."""

    query: str
    corpus: Path
    hits: list[Hit]

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft evidence search --json` prints."""
        return {"query": self.query, "results": _hits_json(self.hits)}


def evidence_search(
    query: str,
    corpus: Path,
    *,
    limit: int = 10,
    index: Path | None = None,
    use_semantic: bool = False,
    tracker: Tracker = SILENT,
    on_refresh: OnRefresh | None = None,
) -> EvidenceSearchOutput:
    """Ranked paragraphs of ``corpus`` (SQLite FTS5, bm25); the index at ``index`` (default: the
    user cache) is refreshed first, and ``on_refresh`` hears what changed."""
    if not corpus.is_dir():
        raise DealcraftError(f"corpus {corpus}: no such folder; check --corpus")
    with _open_index(corpus, index, tracker, on_refresh) as ix:
        hits = ix.search(query, limit)
    if use_semantic:
        hits = semantic.rerank(query, hits)
    return EvidenceSearchOutput(query, corpus, hits)


# --- suggest ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceSuggestOutput:
    """For each number with no (or only a general) source, the passages that best match it."""

    scenario: str
    corpus: Path
    general: bool  # whether numbers with only a general source were included
    suggestions: list[Suggestion]

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft evidence suggest --json` prints."""
        return {
            "scenario": self.scenario,
            "corpus": str(self.corpus),
            "suggestions": [
                {
                    "where": s.cover.where,
                    "stakeholder": s.cover.stakeholder,
                    "level": s.cover.level,
                    "query": s.query,
                    "results": _hits_json(s.hits),
                }
                for s in self.suggestions
            ],
        }


def evidence_suggest(
    scenario: ScenarioRef,
    corpus: Path | None = None,
    *,
    limit: int = 3,
    general: bool = False,
    index: Path | None = None,
    use_semantic: bool = False,
    tracker: Tracker = SILENT,
    on_refresh: OnRefresh | None = None,
) -> EvidenceSuggestOutput:
    """Passages the corpus offers for each unsourced number (with ``general``, also for numbers
    resting only on an unpinned source), so the analyst can cite them."""
    if use_semantic:
        semantic.rerank("", [])  # says what is missing before any work is done
    loaded = _loaded(scenario)
    folder = corpus_for(loaded, corpus)
    sc = loaded.scenario
    wanted = {"none", "general"} if general else {"none"}
    todo = [c for c in coverage(source_file(sc)) if c.level in wanted]
    names = {s.key: s.name for s in sc.stakeholders}
    with _open_index(folder, index, tracker, on_refresh) as ix:
        found = suggest_passages(source_file(sc), todo, names, ix, limit)
    return EvidenceSuggestOutput(sc.id, folder, general, found)


# --- show -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownSource:
    """One source as `evidence show` presents it: what it supports and the cited text."""

    where: str
    doc: str
    at: str | None
    supports: str
    note: str | None
    quote: str | None
    cited: str | None  # the cited paragraphs' text; None without a corpus or when unreadable
    problem: str | None  # "<status>: <why>" when the cited text cannot be read

    def to_json(self) -> dict[str, Any]:
        """The source as data."""
        return {
            "where": self.where,
            "doc": self.doc,
            "at": self.at,
            "supports": self.supports,
            "note": self.note,
            "quote": self.quote,
            "cited": self.cited,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class ShownStakeholder:
    """One stakeholder's numbers (``name = value``), its sources and the numbers left bare."""

    key: str
    numbers: list[str]
    sources: list[ShownSource]
    bare: list[str]

    def to_json(self) -> dict[str, Any]:
        """The stakeholder's assumptions as data."""
        return {
            "stakeholder": self.key,
            "numbers": self.numbers,
            "sources": [s.to_json() for s in self.sources],
            "unsourced": self.bare,
        }


@dataclass(frozen=True)
class EvidenceShowOutput:
    """Each assumption with its numbers, note and cited text; with ``issue``, only that issue's
    numbers, and the sources on the issue and its options first."""

    scenario: Scenario
    corpus: Path | None
    issue: str | None
    issue_sources: list[ShownSource]
    stakeholders: list[ShownStakeholder]

    def to_json(self) -> dict[str, Any]:
        """The view as data (the command prints it as Rich panels only)."""
        return {
            "scenario": self.scenario.id,
            "corpus": None if self.corpus is None else str(self.corpus),
            "issue": self.issue,
            "issue_sources": [s.to_json() for s in self.issue_sources],
            "stakeholders": [s.to_json() for s in self.stakeholders],
        }


def evidence_show(
    scenario: ScenarioRef,
    corpus: Path | None = None,
    *,
    stakeholder: str | None = None,
    issue: str | None = None,
) -> EvidenceShowOutput:
    """The assumptions behind the numbers, with the cited text when a corpus is known (an
    explicit ``corpus`` must exist; without one the notes are shown alone)."""
    loaded = _loaded(scenario)
    sc = loaded.scenario
    try:
        folder: Path | None = corpus_for(loaded, corpus)
    except DealcraftError:
        if corpus is not None:
            raise
        folder = None
    chosen = _pick(stakeholder, [s.key for s in sc.stakeholders])
    if issue is not None and issue not in [i.id for i in sc.issues]:
        raise DealcraftError(
            f"--issue {issue}: unknown issue; use one of {', '.join(i.id for i in sc.issues)}"
        )
    store = Corpus(folder) if folder else None
    on_issue = _issue_sources(source_file(sc), issue, store) if issue is not None else []
    shown = [
        _shown_stakeholder(key, source_file(sc).preferences[key], issue, store)
        for key in chosen
        if key in source_file(sc).preferences
    ]
    return EvidenceShowOutput(sc, folder, issue, on_issue, shown)


def _pick(wanted: str | None, keys: list[str]) -> list[str]:
    if wanted is None:
        return keys
    found = [k for k in keys if wanted in (k, k.split(".", 1)[1])]
    if not found:
        raise DealcraftError(f"--stakeholder {wanted}: unknown stakeholder; use one of {', '.join(keys)}")
    return found


def _shown_stakeholder(
    key: str, pref: Preference, issue: str | None, store: Corpus | None
) -> ShownStakeholder:
    nums = [x for x in numbers(pref) if issue is None or (len(x) > 1 and x[1] == issue)]
    sources = []
    for k, source in enumerate(pref.sources):
        pins = targets(source)
        if issue is not None and pins and not any(covers(t, x) for t in pins for x in nums):
            continue
        named = [
            f"{'.'.join(x)} = {_value(pref, x)}" for x in numbers(pref) if any(covers(t, x) for t in pins)
        ]
        supports = ", ".join(named) if pins else "the whole preference"
        sources.append(_shown(f'preferences["{key}"].sources[{k}]', source, supports, store))
    general = any(not targets(src) for src in pref.sources)
    pins = [t for src in pref.sources for t in targets(src)]
    bare = [".".join(x) for x in nums if not general and not any(covers(t, x) for t in pins)]
    return ShownStakeholder(key, [f"{'.'.join(x)} = {_value(pref, x)}" for x in nums], sources, bare)


def _issue_sources(file: ScenarioFile, issue_id: str, store: Corpus | None) -> list[ShownSource]:
    """The sources on the issue itself and on its options (what the issue and options mean)."""
    i, issue = next((k, x) for k, x in enumerate(file.issues) if x.id == issue_id)
    out = [
        _shown(f"issues[{i}].sources[{k}]", s, f"issue {issue_id}", store)
        for k, s in enumerate(issue.sources)
    ]
    for o, option in enumerate(issue.options or []):
        for k, source in enumerate(option.sources):
            out.append(_shown(f"issues[{i}].options[{o}].sources[{k}]", source, f"option {option.id}", store))
    return out


def _shown(where: str, source: Source, supports: str, store: Corpus | None) -> ShownSource:
    cited = problem = None
    if store is not None:
        try:
            doc = store.document(source.doc)
            cited = "\n\n".join(p.text for p in resolve(doc, source.at))
        except (MissingDocument, DocumentError, LocatorError) as e:
            problem = f"{check_source(where, source, store).status}: {e}"
    return ShownSource(where, source.doc, source.at, supports, source.note, source.quote, cited, problem)


def _value(pref: Preference, number: Number) -> str:
    if number[0] == "reservation":
        u = pref.reservation
    elif number[0] == "weights":
        u = pref.weights[number[1]]
    else:
        u = value_numbers(pref.values[number[1]])[number[2]]
    data = u.to_data()
    return f"[{data[0]:g}, {data[1]:g}]" if isinstance(data, list) else f"{data:g}"

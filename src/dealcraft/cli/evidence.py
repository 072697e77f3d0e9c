"""`dealcraft evidence ...`: check sources against a corpus, show them, search it, suggest citations.

Each command parses its arguments, calls one job of :mod:`dealcraft.service.evidence` and
renders the result with Rich (or prints its JSON). The service is imported inside the commands,
so `dealcraft --help` does not load pypdf, selectolax or SQLite.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from dealcraft.cli.app import app
from dealcraft.cli.common import JSON_OPT, SCENARIO_ARG, console, err_console, print_json, user_errors

if TYPE_CHECKING:
    from dealcraft.evidence.check import NumberCover, SourceResult
    from dealcraft.evidence.index import Refresh
    from dealcraft.service.evidence import EvidenceCheckOutput, EvidenceWarnings, ShownSource

evidence_app = typer.Typer(
    help="Evidence behind the numbers: check sources against a corpus, show, search, suggest.",
    no_args_is_help=True,
)
app.add_typer(evidence_app, name="evidence")

CORPUS_OPT = typer.Option(
    None, "--corpus", help="Folder of the cited documents (default: the scenario's 'corpus:')."
)
INDEX_OPT = typer.Option(
    None, "--index", help="Search index file (default: one per corpus in the user cache directory)."
)
SEMANTIC_OPT = typer.Option(False, "--semantic", help="Re-rank with an embedding model (extra).")
INDEX_BAR_FILES = 50  # corpora larger than this show an indexing bar on a terminal


@evidence_app.command()
def check(scenario: str = SCENARIO_ARG, corpus: Path = CORPUS_OPT, as_json: bool = JSON_OPT) -> None:
    """Check every source (document, locator, quote) and count which numbers rest on one.
    Exit code 1 if any source is broken."""
    from dealcraft.service.evidence import evidence_check

    with user_errors():
        out = evidence_check(scenario, corpus)
    if as_json:
        print_json(out.to_json())
    else:
        _print_check(out)
    if out.broken:
        raise typer.Exit(1)


def _print_check(out: EvidenceCheckOutput) -> None:
    result = out.result
    broken = result.broken
    console.print(
        f"[bold]{out.scenario.title}[/]: {len(result.sources)} sources checked against {result.corpus}: "
        f"{len(result.sources) - len(broken)} ok, "
        + (f"[red]{len(broken)} broken[/]" if broken else "0 broken"),
        highlight=False,
        soft_wrap=True,
    )
    print_broken(broken)
    print_coverage(out)
    bare = [n for n in result.numbers if n.level == "none"]
    if bare:
        console.print(f"[yellow]{len(bare)} number(s) with no source:[/]", highlight=False, soft_wrap=True)
        for holder in dict.fromkeys(n.stakeholder for n in bare):
            names = ", ".join(_compact([n for n in result.numbers if n.stakeholder == holder]))
            console.print(
                f'  preferences["{holder}"]: {names}', highlight=False, soft_wrap=True, markup=False
            )


def _compact(numbers: list[NumberCover]) -> list[str]:
    """Unsourced numbers of one stakeholder; a value table with none sourced reads values.<issue>."""
    tables: dict[str, list] = {}
    for n in numbers:
        if n.number[0] == "values":
            tables.setdefault(n.number[1], []).append(n)
    out = []
    for n in numbers:
        if n.level != "none":
            continue
        table = tables.get(n.number[1], []) if n.number[0] == "values" else []
        if table and all(t.level == "none" for t in table):
            if n is table[0]:
                out.append(f"values.{n.number[1]}")
        else:
            out.append(".".join(n.number))
    return out


def print_broken(broken: list[SourceResult]) -> None:
    """Each broken source: where it sits in the scenario, what it cites and what is wrong."""
    for s in broken:
        at = f", {s.at}" if s.at else ""
        console.print(
            f"[red]✗[/] {escape(s.where)}: {escape(s.doc)}{escape(at)}", highlight=False, soft_wrap=True
        )
        console.print(f"    {s.status}: {escape(s.message)}", highlight=False, soft_wrap=True)


def print_coverage(out: EvidenceCheckOutput) -> None:
    """Stakeholder totals, then per issue: p = pinned by 'about', g = general source, n = none."""
    result = out.result
    totals = Table("stakeholder", "numbers", "pinned", "general", "none", title="Coverage of the numbers")
    for c in result.coverage():
        totals.add_row(c.stakeholder, str(c.numbers), str(c.pinned), str(c.general), _red(c.none))
    console.print(totals)
    cells = {(c.stakeholder, c.issue): c for c in result.coverage(by_issue=True)}
    holders = list(dict.fromkeys(c.stakeholder for c in result.numbers))
    matrix = Table("number", *holders, title="Per issue (p pinned, g general, n none)")
    for row in [None, *(i.id for i in out.scenario.issues)]:
        matrix.add_row(row or "reservation", *(_cell(cells.get((s, row))) for s in holders))
    console.print(matrix)


def _cell(c) -> str:
    if c is None:
        return "-"
    parts = [f"{c.pinned}p" if c.pinned else "", f"{c.general}g" if c.general else ""]
    parts.append(f"[red]{c.none}n[/]" if c.none else "")
    return " ".join(p for p in parts if p)


def _red(n: int) -> str:
    return f"[red]{n}[/]" if n else "0"


class _IndexTracker:
    """Shows an indexing bar on a terminal when the corpus is large enough to take a while."""

    @contextlib.contextmanager
    def stage(
        self, label: str, total: int | None, work: int | None = None
    ) -> Iterator[Callable[[int], None] | None]:
        """Show the stage as a transient bar on stderr, or nothing for a small corpus."""
        if not err_console.is_terminal or total is None or total <= INDEX_BAR_FILES:
            yield None
            return
        from rich.progress import Progress

        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda n: bar.advance(task, n)


def _report_refresh(path: Path, stats: Refresh) -> None:
    if stats.changed:
        err_console.print(
            f"index {path}: {len(stats.added)} added, {len(stats.updated)} re-read, "
            f"{len(stats.removed)} removed, {stats.unchanged} unchanged",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )
    for why in sorted(stats.errors.values()):
        err_console.print(f"[yellow]warning:[/] skipped {escape(why)}", highlight=False, soft_wrap=True)


@evidence_app.command()
def search(
    query: str = typer.Argument(..., help='Words to look for; "..." keeps a phrase.'),
    corpus: Path = typer.Option(..., "--corpus", help="Folder of the documents to search."),
    n: int = typer.Option(10, "-n", min=1, help="How many paragraphs to show."),
    index: Path = INDEX_OPT,
    use_semantic: bool = SEMANTIC_OPT,
    as_json: bool = JSON_OPT,
) -> None:
    """Ranked paragraphs of the corpus (SQLite FTS5, bm25), with document, locator and snippet."""
    from dealcraft.service.evidence import evidence_search

    with user_errors():
        out = evidence_search(
            query,
            corpus,
            limit=n,
            index=index,
            use_semantic=use_semantic,
            tracker=_IndexTracker(),
            on_refresh=_report_refresh,
        )
    if as_json:
        print_json(out.to_json())
        return
    if not out.hits:
        console.print(
            f"no paragraph of {corpus} matches {query!r}", highlight=False, soft_wrap=True, markup=False
        )
        return
    table = Table("#", "doc", "at", "score", "snippet")
    for k, h in enumerate(out.hits, 1):
        table.add_row(str(k), escape(h.doc), h.at, f"{h.score:.2f}", _bold(h.snippet))
    console.print(table)


def _bold(snippet: str) -> str:
    parts = escape(snippet).split("**")
    return "".join(f"[bold yellow]{p}[/]" if k % 2 else p for k, p in enumerate(parts))


@evidence_app.command()
def suggest(
    scenario: str = SCENARIO_ARG,
    corpus: Path = CORPUS_OPT,
    n: int = typer.Option(3, "-n", min=1, help="Passages per number."),
    general: bool = typer.Option(
        False, "--general", help="Also for numbers that rest only on a general (unpinned) source."
    ),
    index: Path = INDEX_OPT,
    use_semantic: bool = SEMANTIC_OPT,
    as_json: bool = JSON_OPT,
) -> None:
    """For each number with no source, the passages of the corpus that best match it."""
    from dealcraft.service.evidence import evidence_suggest

    with user_errors():
        out = evidence_suggest(
            scenario,
            corpus,
            limit=n,
            general=general,
            index=index,
            use_semantic=use_semantic,
            tracker=_IndexTracker(),
            on_refresh=_report_refresh,
        )
    if as_json:
        print_json(out.to_json())
        return
    if not out.suggestions:
        what = "unpinned" if general else "unsourced"
        console.print(
            f"no {what} numbers in {out.scenario}: nothing to suggest", highlight=False, soft_wrap=True
        )
        return
    for s in out.suggestions:
        table = Table("doc", "at", "score", "snippet", title=escape(s.cover.where), title_justify="left")
        for h in s.hits:
            table.add_row(escape(h.doc), h.at, f"{h.score:.2f}", _bold(h.snippet))
        console.print(table if s.hits else f"{escape(s.cover.where)}: no passage found")


@evidence_app.command()
def show(
    scenario: str = SCENARIO_ARG,
    corpus: Path = CORPUS_OPT,
    stakeholder: str = typer.Option(None, "--stakeholder", help="Only this stakeholder (party.id or id)."),
    issue: str = typer.Option(None, "--issue", help="Only sources about this issue's numbers."),
) -> None:
    """Each assumption with its number(s), the note, and the cited text from the corpus."""
    from dealcraft.service.evidence import evidence_show

    with user_errors():
        out = evidence_show(scenario, corpus, stakeholder=stakeholder, issue=issue)
    if out.corpus is None:
        err_console.print(
            "no corpus known (--corpus DIR): showing notes without the cited text",
            highlight=False,
            soft_wrap=True,
        )
    if out.issue is not None:
        console.rule(f"[bold]issue {escape(out.issue)}[/]")
        for source in out.issue_sources:
            _panel(source)
    for holder in out.stakeholders:
        console.rule(f"[bold]{escape(holder.key)}[/]")
        if out.issue is not None:
            console.print(", ".join(holder.numbers), soft_wrap=True)
        for source in holder.sources:
            _panel(source)
        if holder.bare:
            console.print(f"[yellow]no source for:[/] {escape(', '.join(holder.bare))}")


def _panel(source: ShownSource) -> None:
    body = [f"[dim]{escape(source.where)}[/]", f"supports: {escape(source.supports)}"]
    if source.note:
        body.append(f"note: {escape(source.note)}")
    if source.quote:
        body.append(f"quote: “{escape(source.quote)}”")
    if source.problem is not None:
        body.append(f"[red]{escape(source.problem)}[/]")
    elif source.cited is not None:
        body.append(f"[italic]{escape(source.cited)}[/]")
    title = escape(f"{source.doc} · {source.at or 'whole document'}")
    console.print(Panel("\n".join(body), title=title, title_align="left"))


def print_warnings(warned: EvidenceWarnings) -> None:
    """For `dealcraft check` (stderr): a declared corpus that is missing, unsourced numbers,
    and each broken source."""
    if warned.missing_corpus is not None:
        err_console.print(
            f"[yellow]warning:[/] corpus {escape(str(warned.missing_corpus))} not found: sources not checked",
            highlight=False,
            soft_wrap=True,
        )
    unsourced, broken = warned.unsourced, warned.broken
    if unsourced:
        err_console.print(
            f"[yellow]warning:[/] {len(unsourced)} number(s) rest on no source "
            f"(e.g. {escape(unsourced[0])}); `dealcraft evidence check` lists them",
            highlight=False,
            soft_wrap=True,
        )
    if broken:
        err_console.print(
            f"[bold red]{len(broken)} broken source(s)[/] in {escape(str(warned.corpus))}:",
            highlight=False,
            soft_wrap=True,
        )
        for s in broken:
            err_console.print(
                f"  {s.where}: {s.doc}: {s.status}: {s.message}",
                highlight=False,
                soft_wrap=True,
                markup=False,
            )

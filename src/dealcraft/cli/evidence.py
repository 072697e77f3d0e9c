"""`dealcraft evidence ...`: check sources against a corpus, show them, search it, suggest citations."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from dealcraft.cli.app import app
from dealcraft.cli.common import JSON_OPT, SCENARIO_ARG, console, err_console, print_json, user_errors
from dealcraft.errors import DealcraftError
from dealcraft.evidence import report, semantic
from dealcraft.evidence.check import CheckResult, SourceResult, check_source, coverage, run_check
from dealcraft.evidence.corpus import Corpus, MissingDocument
from dealcraft.evidence.documents import DocumentError
from dealcraft.evidence.index import Index, Refresh
from dealcraft.evidence.locator import LocatorError, resolve
from dealcraft.evidence.scenario import Loaded, corpus_for, declared_corpus, load_scenario
from dealcraft.evidence.suggest import suggest as suggest_passages
from dealcraft.model.about import covers, numbers, targets

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


@evidence_app.command()
def check(scenario: str = SCENARIO_ARG, corpus: Path = CORPUS_OPT, as_json: bool = JSON_OPT) -> None:
    """Check every source (document, locator, quote) and count which numbers rest on one.
    Exit code 1 if any source is broken."""
    with user_errors():
        loaded = load_scenario(scenario)
        result = run_check(loaded.scenario.file, loaded.scenario.id, corpus_for(loaded, corpus))
    if as_json:
        print_json(report.check_json(result))
    else:
        _print_check(loaded, result)
    if result.broken:
        raise typer.Exit(1)


def _print_check(loaded: Loaded, result: CheckResult) -> None:
    broken = result.broken
    console.print(
        f"[bold]{loaded.scenario.title}[/]: {len(result.sources)} sources checked against {result.corpus}: "
        f"{len(result.sources) - len(broken)} ok, "
        + (f"[red]{len(broken)} broken[/]" if broken else "0 broken"),
        highlight=False,
        soft_wrap=True,
    )
    print_broken(broken)
    print_coverage(loaded, result)
    bare = [n for n in result.numbers if n.level == "none"]
    if bare:
        console.print(f"[yellow]{len(bare)} number(s) with no source:[/]", highlight=False, soft_wrap=True)
        for holder in dict.fromkeys(n.stakeholder for n in bare):
            names = ", ".join(_compact([n for n in result.numbers if n.stakeholder == holder]))
            console.print(
                f'  preferences["{holder}"]: {names}', highlight=False, soft_wrap=True, markup=False
            )


def _compact(numbers) -> list[str]:
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
    for s in broken:
        at = f", {s.at}" if s.at else ""
        console.print(
            f"[red]✗[/] {escape(s.where)}: {escape(s.doc)}{escape(at)}", highlight=False, soft_wrap=True
        )
        console.print(f"    {s.status}: {escape(s.message)}", highlight=False, soft_wrap=True)


def print_coverage(loaded: Loaded, result: CheckResult) -> None:
    """Stakeholder totals, then per issue: p = pinned by 'about', g = general source, n = none."""
    totals = Table("stakeholder", "numbers", "pinned", "general", "none", title="Coverage of the numbers")
    for c in result.coverage():
        totals.add_row(c.stakeholder, str(c.numbers), str(c.pinned), str(c.general), _red(c.none))
    console.print(totals)
    cells = {(c.stakeholder, c.issue): c for c in result.coverage(by_issue=True)}
    holders = list(dict.fromkeys(c.stakeholder for c in result.numbers))
    matrix = Table("number", *holders, title="Per issue (p pinned, g general, n none)")
    for row in [None, *(i.id for i in loaded.scenario.issues)]:
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


def _open_index(corpus: Path, index: Path | None) -> Index:
    ix = Index(corpus, index)
    total = len(Corpus(corpus).files)
    progress = None
    if err_console.is_terminal and total > 50:
        from rich.progress import Progress

        bar = Progress(console=err_console, transient=True)
        task = bar.add_task("indexing", total=total)
        bar.start()

        def progress(done: int, _total: int) -> None:
            bar.update(task, completed=done)
            if done == _total:
                bar.stop()

    stats = ix.refresh(progress)
    _report_refresh(ix, stats)
    return ix


def _report_refresh(ix: Index, stats: Refresh) -> None:
    if stats.changed:
        err_console.print(
            f"index {ix.path}: {len(stats.added)} added, {len(stats.updated)} re-read, "
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
    with user_errors():
        if not corpus.is_dir():
            raise DealcraftError(f"corpus {corpus}: no such folder; check --corpus")
        with _open_index(corpus, index) as ix:
            hits = ix.search(query, n)
        if use_semantic:
            hits = semantic.rerank(query, hits)
    if as_json:
        print_json(report.search_json(query, hits))
        return
    if not hits:
        console.print(
            f"no paragraph of {corpus} matches {query!r}", highlight=False, soft_wrap=True, markup=False
        )
        return
    table = Table("#", "doc", "at", "score", "snippet")
    for k, h in enumerate(hits, 1):
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
    with user_errors():
        if use_semantic:
            semantic.rerank("", [])
        loaded = load_scenario(scenario)
        folder = corpus_for(loaded, corpus)
        sc = loaded.scenario
        wanted = {"none", "general"} if general else {"none"}
        todo = [c for c in coverage(sc.file) if c.level in wanted]
        names = {s.key: s.name for s in sc.stakeholders}
        with _open_index(folder, index) as ix:
            found = suggest_passages(sc.file, todo, names, ix, n)
    if as_json:
        print_json(report.suggest_json(sc.id, str(folder), found))
        return
    if not found:
        what = "unpinned" if general else "unsourced"
        console.print(f"no {what} numbers in {sc.id}: nothing to suggest", highlight=False, soft_wrap=True)
        return
    for s in found:
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
    with user_errors():
        loaded = load_scenario(scenario)
        sc = loaded.scenario
        try:
            folder = corpus_for(loaded, corpus)
        except DealcraftError:
            if corpus is not None:
                raise
            folder = None
        keys = [s.key for s in sc.stakeholders]
        chosen = _pick(stakeholder, keys, lambda k: k.split(".", 1)[1], "stakeholder")
        if issue is not None and issue not in [i.id for i in sc.issues]:
            raise DealcraftError(
                f"--issue {issue}: unknown issue; use one of {', '.join(i.id for i in sc.issues)}"
            )
        store = Corpus(folder) if folder else None
    if store is None:
        err_console.print(
            "no corpus known (--corpus DIR): showing notes without the cited text",
            highlight=False,
            soft_wrap=True,
        )
    if issue is not None:
        _show_issue_sources(sc.file, issue, store)
    for key in chosen:
        pref = sc.file.preferences.get(key)
        if pref is None:
            continue
        nums = [x for x in numbers(pref) if issue is None or (len(x) > 1 and x[1] == issue)]
        console.rule(f"[bold]{escape(key)}[/]")
        if issue is not None:
            console.print(", ".join(f"{'.'.join(x)} = {_value(pref, x)}" for x in nums), soft_wrap=True)
        for k, source in enumerate(pref.sources):
            pins = targets(source)
            if issue is not None and pins and not any(covers(t, x) for t in pins for x in nums):
                continue
            named = [
                f"{'.'.join(x)} = {_value(pref, x)}" for x in numbers(pref) if any(covers(t, x) for t in pins)
            ]
            supports = ", ".join(named) if pins else "the whole preference"
            _panel(f'preferences["{key}"].sources[{k}]', source, supports, store)
        general = any(not targets(src) for src in pref.sources)
        pins = [t for src in pref.sources for t in targets(src)]
        bare = [x for x in nums if not general and not any(covers(t, x) for t in pins)]
        if bare:
            console.print(f"[yellow]no source for:[/] {escape(', '.join('.'.join(x) for x in bare))}")


def _show_issue_sources(file, issue_id: str, store: Corpus | None) -> None:
    """The sources on the issue itself and on its options (what the issue and options mean)."""
    i, issue = next((k, x) for k, x in enumerate(file.issues) if x.id == issue_id)
    console.rule(f"[bold]issue {escape(issue_id)}[/]")
    for k, source in enumerate(issue.sources):
        _panel(f"issues[{i}].sources[{k}]", source, f"issue {issue_id}", store)
    for o, option in enumerate(issue.options):
        for k, source in enumerate(option.sources):
            _panel(f"issues[{i}].options[{o}].sources[{k}]", source, f"option {option.id}", store)


def _panel(where: str, source, supports: str, store: Corpus | None) -> None:
    body = [f"[dim]{escape(where)}[/]", f"supports: {escape(supports)}"]
    if source.note:
        body.append(f"note: {escape(source.note)}")
    if source.quote:
        body.append(f"quote: “{escape(source.quote)}”")
    if store is not None:
        body.append(_cited(store, where, source))
    title = escape(f"{source.doc} · {source.at or 'whole document'}")
    console.print(Panel("\n".join(body), title=title, title_align="left"))


def _cited(store: Corpus, where: str, source) -> str:
    try:
        doc = store.document(source.doc)
        text = "\n\n".join(p.text for p in resolve(doc, source.at))
    except (MissingDocument, DocumentError, LocatorError) as e:
        return f"[red]{escape(check_source(where, source, store).status)}: {escape(str(e))}[/]"
    return f"[italic]{escape(text)}[/]"


def _value(pref, number: tuple) -> str:
    if number[0] == "reservation":
        u = pref.reservation
    elif number[0] == "weights":
        u = pref.weights[number[1]]
    else:
        u = pref.values[number[1]][number[2]]
    data = u.to_data()
    return f"[{data[0]:g}, {data[1]:g}]" if isinstance(data, list) else f"{data:g}"


def _pick(wanted: str | None, keys: list[str], short, what: str) -> list[str]:
    if wanted is None:
        return keys
    found = [k for k in keys if wanted in (k, short(k))]
    if not found:
        raise DealcraftError(f"--{what} {wanted}: unknown {what}; use one of {', '.join(keys)}")
    return found


def evidence_warnings(reference: str, corpus: Path | None) -> bool:
    """For `dealcraft check`: warn about unsourced numbers; with a known corpus, report broken
    sources. Returns whether any source is broken."""
    with user_errors():
        loaded = load_scenario(reference)
        folder = corpus if corpus is not None else declared_corpus(loaded)
        if folder is not None and not folder.is_dir():
            if corpus is not None:
                raise DealcraftError(f"corpus {folder}: no such folder; check --corpus")
            err_console.print(
                f"[yellow]warning:[/] corpus {escape(str(folder))} not found: sources not checked",
                highlight=False,
                soft_wrap=True,
            )
            folder = None
    if folder is None:
        unsourced = [c.where for c in coverage(loaded.scenario.file) if c.level == "none"]
        broken: list[SourceResult] = []
    else:
        result = run_check(loaded.scenario.file, loaded.scenario.id, folder)
        unsourced, broken = result.unsourced, result.broken
    if unsourced:
        err_console.print(
            f"[yellow]warning:[/] {len(unsourced)} number(s) rest on no source "
            f"(e.g. {escape(unsourced[0])}); `dealcraft evidence check` lists them",
            highlight=False,
            soft_wrap=True,
        )
    if broken:
        err_console.print(
            f"[bold red]{len(broken)} broken source(s)[/] in {escape(str(folder))}:",
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
    return bool(broken)

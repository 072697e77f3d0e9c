"""`dealcraft report`: the briefing book — one self-contained HTML file (and a PDF)."""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from dealcraft.cli.app import app
from dealcraft.cli.common import SCENARIO_ARG, err_console, load_scenario, user_errors
from dealcraft.errors import DealcraftError


@app.command()
def report(
    scenario: str = SCENARIO_ARG,
    output: Path = typer.Option(
        None, "--output", "-o", help="HTML file to write (default: <scenario-id>-report.html here)."
    ),
    samples: int = typer.Option(
        1000, "--samples", "-n", min=1, help="Monte Carlo samples (robust, sensitivity)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed for every random procedure."),
    runs: int = typer.Option(1000, "--runs", min=1, help="Simulated negotiations (bargaining section)."),
    corpus: Path = typer.Option(
        None, "--corpus", help="Folder of the source documents: show each cited paragraph."
    ),
    pdf: bool = typer.Option(
        False, "--pdf", help="Also write a PDF (same name, .pdf) with headless Chromium."
    ),
    sections: str = typer.Option(
        None,
        "--sections",
        help="Comma-separated subset: summary, stakeholders, space, proposals, bridge, sequencing, "
        "uncertainty, bargaining, sources, appendix (default: all).",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite existing report files."),
) -> None:
    """Write the briefing book: summary, stakeholders, deal space, proposals, bridges, sequencing,
    uncertainty, bargaining, sources — one HTML file that opens offline (and prints)."""
    from dealcraft import __version__
    from dealcraft.report import data
    from dealcraft.report import output as out
    from dealcraft.report.collect import collect
    from dealcraft.report.render import Meta, render, today
    from dealcraft.report.sections import select

    with user_errors():
        chosen = select(sections)
        if corpus is not None:
            data.check_corpus(corpus)
        chromium = None
        if pdf:
            from dealcraft.report.pdf import find_chromium

            chromium = find_chromium()
        sc = load_scenario(scenario)
        html = output or Path(f"{sc.id}-report.html")
        if html.suffix.lower() not in (".html", ".htm"):
            raise DealcraftError(f"-o {html}: give a file name ending in .html")
        out.check_target(html, force)
        pdf_path = html.with_suffix(".pdf")
        if pdf:
            out.check_target(pdf_path, force)
        start = time.perf_counter()
        with _progress(len(chosen)) as announce:
            collected = collect(sc, chosen, samples=samples, seed=seed, runs=runs, announce=announce)
            with announce("writing the HTML"):
                meta = Meta(sc.title, sc.id, __version__, seed, _command_line(), today())
                out.write_text(html, render(collected, chosen, meta, corpus))
            if pdf:
                from dealcraft.report.pdf import write_pdf

                with announce("printing the PDF with Chromium"):
                    out.write_atomic(pdf_path, lambda tmp: write_pdf(html, tmp, chromium))
    size = html.stat().st_size / 1e6
    err_console.print(f"wrote {html} ({size:.1f} MB) in {time.perf_counter() - start:.1f} s", highlight=False)
    if pdf:
        err_console.print(f"wrote {pdf_path}", highlight=False)


def _command_line() -> str:
    args = sys.argv[1:] if sys.argv and Path(sys.argv[0]).name.startswith("dealcraft") else ["report"]
    return "dealcraft " + " ".join(shlex.quote(a) for a in args)


@contextmanager
def _progress(count: int) -> Iterator:
    """A Rich spinner per job on stderr, then one line with its time once it is done."""

    @contextmanager
    def announce(label: str) -> Iterator[None]:
        started = time.perf_counter()
        if err_console.is_terminal:
            with err_console.status(label + " …", spinner="dots"):
                yield
        else:
            yield
        err_console.print(
            f"[green]✓[/] {label} [dim]({time.perf_counter() - started:.1f} s)[/]", highlight=False
        )

    yield announce

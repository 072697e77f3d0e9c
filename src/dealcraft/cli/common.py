"""Shared CLI plumbing: loading scenarios, reading packages, user errors, progress bars."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape  # messages quote the user's own text, which is not markup

from dealcraft.cli.options import number_option
from dealcraft.cli.progress import Reporter, is_quiet
from dealcraft.errors import DealcraftError
from dealcraft.model.builtins import DEFAULT_SCENARIO

if TYPE_CHECKING:
    from dealcraft.model.scenario import Scenario

# Piped output (files, docs, CI logs) gets a readable fixed width instead of Rich's 80 columns.
_WIDTH = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 120
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)
PROGRESS_THRESHOLD = 2_000_000  # packages: above this a scan takes long enough to show progress

SCENARIO_HELP = "Scenario file (YAML/JSON) or built-in id (see `dealcraft scenarios`)."
SCENARIO_ARG = typer.Argument(DEFAULT_SCENARIO, help=SCENARIO_HELP)
JSON_OPT = typer.Option(False, "--json", help="Print one JSON object instead of tables.")
WORKERS_OPT = number_option(
    None, "--workers", lo=1, hi=256, help="Start a local Dask cluster with this many worker processes."
)
CLUSTER_OPT = typer.Option(
    None, "--cluster", help="Address of a running Dask scheduler (e.g. tcp://host:8786)."
)
MAX_PACKAGES_OPT = number_option(10**9, "--max-packages", lo=1, help="Largest space enumerated exactly.")
METHOD_OPT = typer.Option(
    "auto",
    "--method",
    help="enumerate every package, fold issue by issue (exact frontier beyond enumeration), "
    "or auto (fold above 10^6 packages).",
)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn a user mistake into one clear paragraph on stderr and exit code 2."""
    try:
        yield
    except DealcraftError as e:
        err_console.print(
            f"[bold red]error:[/] {escape(str(e))}", highlight=False, markup=True, soft_wrap=True
        )
        raise typer.Exit(2) from None


def load_scenario(reference: str) -> Scenario:
    """A scenario file (YAML/JSON) or a built-in id, compiled and checked."""
    from dealcraft.model.load import load

    return load(reference)


def parse_package(scenario: Scenario, assignments: list[str] | None) -> tuple[int, ...]:
    """Read ``issue=option`` words into option indices (unnamed issues keep the status quo)."""
    choice: dict[str, str] = {}
    for word in assignments or []:
        issue, sep, option = word.partition("=")
        if not sep or not issue or not option:
            raise DealcraftError(
                f"cannot read {word!r}: write each change as issue=option, e.g. "
                f"{scenario.issues[0].id}={scenario.issues[0].options[-1]}"
            )
        if issue in choice:
            raise DealcraftError(f"issue {issue!r} is given twice: give each issue once")
        choice[issue.strip()] = option.strip()
    return scenario.package(choice)


def print_json(data: Any) -> None:
    """Strict JSON on stdout (the service layer's text form)."""
    from dealcraft.service.output import json_text

    sys.stdout.write(json_text(data))


@contextlib.contextmanager
def progress_bar(
    label: str, total: int, *, enabled: bool = True, work: int | None = None
) -> Iterator[Callable[[int], None] | None]:
    """Progress of ``total`` steps on stderr when the work (``work``, default ``total``: package
    evaluations) is large enough to take a while; yields ``advance(n)``. A terminal gets a Rich
    bar (if ``enabled``), anything else plain-text lines (see cli.progress); ``--quiet`` silences
    both. Very large work also gets a time estimate and how to cut it."""
    work = total if work is None else work
    if is_quiet() or work < PROGRESS_THRESHOLD:
        yield None
        return
    if not err_console.is_terminal:
        reporter = Reporter(label, total, work, plain=True)
        yield reporter.advance
        reporter.finish()
        return
    if not enabled:
        yield Reporter(label, total, work, plain=False, say=_warn).advance
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        reporter = Reporter(label, total, work, plain=False, say=_warn)

        def advance(n: int) -> None:
            bar.advance(task, n)
            reporter.advance(n)

        yield advance


def _warn(text: str) -> None:
    err_console.print(text, highlight=False, markup=False)


def fmt(x: float) -> str:
    """A number as the tables show it: three decimals."""
    return f"{x:.3f}"


class ConsoleTracker:
    """The service layer's progress tracker for the terminal: a Rich bar per stage with a known
    length, a spinner for a stage without one (a solver run); nothing when disabled (--json)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled

    @contextlib.contextmanager
    def stage(
        self, label: str, total: int | None, work: int | None = None
    ) -> Iterator[Callable[[int], None] | None]:
        """Show this stage while it runs."""
        if total is None:
            if self.enabled and err_console.is_terminal and not is_quiet():
                with err_console.status(label, spinner="dots"):
                    yield None
            else:
                yield None
            return
        with progress_bar(label, total, enabled=self.enabled, work=work) as advance:
            yield advance

"""Commands that speak other tools' formats: `dealcraft import genius`, `dealcraft import
spatial`, and the GENIUS side of `dealcraft export` (see cli/files.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from dealcraft.cli.app import app
from dealcraft.cli.common import err_console, user_errors
from dealcraft.errors import DealcraftError

import_app = typer.Typer(
    help="Read other tools' negotiation files as a dealcraft scenario.", no_args_is_help=True
)
app.add_typer(import_app, name="import")


@import_app.command("genius")
def import_genius(
    files: list[Path] = typer.Argument(..., help="A GENIUS folder, or DOMAIN.xml then PROFILE.xml files."),
    output: Path = typer.Option(None, "--output", "-o", help="Scenario file to write (default: stdout)."),
    scale: str = typer.Option(
        "genius", "--scale", help="genius (default: evaluations / issue max) or negmas."
    ),
    real_points: int = typer.Option(
        101, "--real-points", help="Grid points of each real issue, from its lower to its upper bound."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Import a GENIUS/ANAC domain and its profiles: one party per profile; discrete issues with
    their items, integer and real issues as numeric issues."""
    from dealcraft.service.interop import import_genius as run

    with user_errors():
        result = run(files, scale, real_points)
        if output is None:
            typer.echo(result.text, nl=False)
            return
        _write(output, result.text, force)
    err_console.print(
        f"wrote {output}: scenario {result.scenario_id!r}, {_counted(result.parties, 'party', 'parties')}, "
        f"{_counted(result.issues, 'issue', 'issues')} (scale {scale})",
        highlight=False,
    )


@import_app.command("spatial")
def import_spatial(
    file: Path = typer.Argument(..., help="CSV with one row per actor and issue."),
    output: Path = typer.Option(None, "--output", "-o", help="Scenario file to write (default: stdout)."),
    columns: str = typer.Option(
        None,
        "--columns",
        help="Which header holds what: actor=...,issue=...,position=...,salience=...,capability=... "
        "(default: recognised names such as Actor, Position, Capability, Salience).",
    ),
    loss: str = typer.Option(
        "quadratic", "--loss", help="How value falls off a position: linear or quadratic."
    ),
    scale: str = typer.Option(None, "--scale", help="lo,hi of the position scale (default: from the data)."),
    step: float = typer.Option(
        None, "--step", help="Grid step of each issue (default: the scale in 20 steps)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Import a spatial actor data set: each issue a numeric scale, each actor a party whose power
    is its capability, valuing positions near its own by its saliences."""
    from dealcraft.service.interop import import_spatial as run

    with user_errors():
        result = run(file, columns=columns, loss=loss, scale=scale, step=step)
        if output is not None:
            _write(output, result.text, force)
    for note in result.notes:
        err_console.print(f"[yellow]note:[/] {note}", highlight=False)
    if output is None:
        typer.echo(result.text, nl=False)
        return
    err_console.print(
        f"wrote {output}: scenario {result.scenario_id!r}, {_counted(result.parties, 'party', 'parties')}, "
        f"{_counted(result.issues, 'issue', 'issues')}",
        highlight=False,
    )


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _write(output: Path, text: str, force: bool) -> None:
    if output.exists() and not force:
        raise DealcraftError(f"{output} exists: pass --force to overwrite it, or choose another --output")
    try:
        output.write_text(text, "utf-8")
    except OSError as e:
        raise DealcraftError(f"{output}: cannot write it ({e.strerror})") from None


def export_genius(scenario: str, folder: Path | None, force: bool) -> None:
    """`dealcraft export SCENARIO --format genius -o FOLDER`."""
    from dealcraft.service.interop import export_genius as run

    with user_errors():
        if folder is None:
            raise DealcraftError("--format genius writes several files: give a folder with -o FOLDER")
        result = run(scenario, folder, force=force)
    for w in result.warnings:
        err_console.print(f"[yellow]warning:[/] GENIUS cannot express {w}", highlight=False)
    err_console.print(f"wrote {len(result.files)} files to {folder}", highlight=False)

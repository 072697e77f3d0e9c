"""The Typer application every command module registers on (a leaf: it imports no command)."""

from __future__ import annotations

import typer

from dealcraft.cli.guard import GuardedGroup, set_debug
from dealcraft.cli.progress import QUIET_OPT

app = typer.Typer(
    cls=GuardedGroup,
    name="dealcraft",
    help=(
        "Analyse and prepare negotiations: agreement sets, fair deals, bridges for failed offers, "
        "sequenced roadmaps, uncertainty and simulated bargaining."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from dealcraft import __version__

        typer.echo(f"dealcraft {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        callback=set_debug,
        help="Show the full traceback of an internal error (or set DEALCRAFT_DEBUG=1).",
    ),
    quiet: bool = QUIET_OPT,
) -> None:
    """Analyse and prepare negotiations."""

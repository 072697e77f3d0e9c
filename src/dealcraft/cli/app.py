"""The Typer application every command module registers on (a leaf: it imports no command)."""

from __future__ import annotations

import typer

app = typer.Typer(
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
) -> None:
    """Analyse and prepare negotiations."""

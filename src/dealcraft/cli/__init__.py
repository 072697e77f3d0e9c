"""The `dealcraft` command line (Typer + Rich)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="dealcraft",
    help="Analyse and prepare negotiations: agreement sets, fair deals, bridges for failed offers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from dealcraft.cli import core  # noqa: E402,F401  (registers the commands)


def main() -> None:
    app()

"""The `dealcraft` command line (Typer + Rich).

Each command module registers its commands on :data:`dealcraft.cli.app.app` and imports the
service layer only inside its commands, so `dealcraft --help` starts without loading the
analysis libraries.
"""

from __future__ import annotations

from dealcraft.cli import (
    analyze,
    db,
    evidence,
    files,
    interop,
    package,
    report,
    roadmap,
    serve,
    simulate,
    uncertainty,
    users,
)
from dealcraft.cli.app import app
from dealcraft.cli.guard import run

#: The command modules: importing each registers its commands on ``app``.
COMMAND_MODULES = (
    analyze,
    db,
    evidence,
    files,
    interop,
    package,
    report,
    roadmap,
    serve,
    simulate,
    uncertainty,
    users,
)
__all__ = ["COMMAND_MODULES", "app", "main"]


def main() -> None:
    """Run the command line (the `dealcraft` console script) behind the internal-error guard."""
    run(app)

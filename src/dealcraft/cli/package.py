"""Commands about one package: evaluate it, bridge it."""

from __future__ import annotations

import typer
from rich.table import Table

from dealcraft.cli.app import app
from dealcraft.cli.common import (
    JSON_OPT,
    MAX_PACKAGES_OPT,
    METHOD_OPT,
    SCENARIO_ARG,
    ConsoleTracker,
    console,
    load_scenario,
    parse_package,
    print_json,
    user_errors,
)
from dealcraft.cli.progress import QUIET_OPT
from dealcraft.cli.render import changes_label, evaluation_table
from dealcraft.model.numeric import shown

PACKAGE_ARG = typer.Argument(None, help="Changes from the status quo, as issue=option words.")


@app.command()
def evaluate(
    scenario: str = SCENARIO_ARG,
    changes: list[str] = PACKAGE_ARG,
    as_json: bool = JSON_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Who accepts a package, by how much, and why not."""
    from dealcraft import service

    with user_errors():
        sc = load_scenario(scenario)
        out = service.evaluate(sc, parse_package(sc, changes))
    if as_json:
        print_json(out.to_json())
        return
    ev = out.evaluation
    console.print(evaluation_table(sc, ev, f"Package: {changes_label(sc, ev.package)}"))
    console.print(
        "[bold green]Every party ratifies this package.[/]"
        if ev.accepted
        else "[bold red]Not every party ratifies this package.[/]"
    )


@app.command()
def bridge(
    scenario: str = SCENARIO_ARG,
    changes: list[str] = PACKAGE_ARG,
    as_json: bool = JSON_OPT,
    max_packages: int = MAX_PACKAGES_OPT,
    method: str = METHOD_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Why a package fails, and the acceptable package with the fewest issue changes."""
    from dealcraft import service

    with user_errors():
        sc = load_scenario(scenario)
        out = service.bridge(
            sc,
            parse_package(sc, changes),
            max_packages=max_packages,
            method=method,
            tracker=ConsoleTracker(not as_json),
        )
    if as_json:
        print_json(out.to_json())
        return
    result = out.bridge
    console.print(
        evaluation_table(sc, result.original, f"Offer: {changes_label(sc, result.original.package)}")
    )
    if not result.needed:
        console.print("[bold green]This package is already acceptable to every party: no bridge needed.[/]")
        return
    if result.evaluation is None:
        console.print(
            "[bold red]No package at all is acceptable to every party, so no change can bridge this offer.[/]"
        )
        return
    table = Table("issue", "offer", "bridge", title=f"Smallest change: {len(result.changes)} issue(s)")
    for c in result.changes:
        table.add_row(c.issue, shown(c.before), shown(c.after))
    console.print(table)
    console.print(evaluation_table(sc, result.evaluation, "The bridged package"))

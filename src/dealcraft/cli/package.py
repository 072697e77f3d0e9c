"""Commands about one package: evaluate it, bridge it."""

from __future__ import annotations

import typer
from rich.table import Table

from dealcraft.analysis.bridge import bridge as find_bridge
from dealcraft.analysis.evaluate import evaluate as evaluate_package
from dealcraft.cli import app
from dealcraft.cli.common import (
    JSON_OPT,
    MAX_PACKAGES_OPT,
    SCENARIO_ARG,
    console,
    load_scenario,
    parse_package,
    print_json,
    progress_bar,
    user_errors,
)
from dealcraft.cli.progress import QUIET_OPT
from dealcraft.cli.render import evaluation_json, evaluation_table

PACKAGE_ARG = typer.Argument(None, help="Changes from the status quo, as issue=option words.")


@app.command()
def evaluate(
    scenario: str = SCENARIO_ARG,
    changes: list[str] = PACKAGE_ARG,
    as_json: bool = JSON_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Who accepts a package, by how much, and why not."""
    with user_errors():
        sc = load_scenario(scenario)
        ev = evaluate_package(sc, parse_package(sc, changes))
    if as_json:
        print_json(evaluation_json(sc, ev))
        return
    console.print(evaluation_table(sc, ev, f"Package: {_label(sc, ev.package)}"))
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
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Why a package fails, and the acceptable package with the fewest issue changes."""
    with user_errors():
        sc = load_scenario(scenario)
        package = parse_package(sc, changes)
        with progress_bar("searching", sc.size, enabled=not as_json) as advance:
            result = find_bridge(sc, package, progress=advance, max_packages=max_packages)
    if as_json:
        print_json(
            {
                "original": evaluation_json(sc, result.original),
                "bridge": None if result.evaluation is None else evaluation_json(sc, result.evaluation),
                "changes": [{"issue": c.issue, "from": c.before, "to": c.after} for c in result.changes],
            }
        )
        return
    console.print(evaluation_table(sc, result.original, f"Offer: {_label(sc, result.original.package)}"))
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
        table.add_row(c.issue, c.before, c.after)
    console.print(table)
    console.print(evaluation_table(sc, result.evaluation, "The bridged package"))


def _label(sc, package) -> str:
    changed = sc.changes(package)
    return ", ".join(f"{k}={v}" for k, v in changed.items()) or "the status quo"

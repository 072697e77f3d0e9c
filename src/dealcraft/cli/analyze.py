"""`dealcraft analyze`: the whole picture of a scenario in one run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape  # user text (titles, names) is not Rich markup
from rich.panel import Panel
from rich.table import Column, Table

from dealcraft.cli.app import app
from dealcraft.cli.common import (
    CLUSTER_OPT,
    JSON_OPT,
    MAX_PACKAGES_OPT,
    METHOD_OPT,
    SCENARIO_ARG,
    WORKERS_OPT,
    ConsoleTracker,
    console,
    err_console,
    fmt,
    load_scenario,
    print_json,
    user_errors,
)
from dealcraft.cli.options import number_option
from dealcraft.cli.progress import QUIET_OPT
from dealcraft.cli.render import exchanges_table
from dealcraft.model.numeric import shown

if TYPE_CHECKING:
    from dealcraft.analysis.analyze import Analysis

SOLUTION_NAMES = {
    "nash": "Nash bargaining",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
}


@app.command()
def analyze(
    scenario: str = SCENARIO_ARG,
    proposals: int = number_option(
        3, "--proposals", "-k", lo=0, hi=100, help="How many different proposals to make."
    ),
    as_json: bool = JSON_OPT,
    seed: int = number_option(
        0, "--seed", lo=0, help="Seed for any random procedure (estimated counts beyond --max-packages)."
    ),
    max_packages: int = MAX_PACKAGES_OPT,
    method: str = METHOD_OPT,
    workers: int = WORKERS_OPT,
    cluster: str = CLUSTER_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Agreement set, binding stakeholders, Pareto frontier, fair solutions, proposals, observations."""
    from dealcraft import service

    with user_errors():
        out = service.analyze(
            load_scenario(scenario),
            proposals=proposals,
            seed=seed,
            max_packages=max_packages,
            method=method,
            workers=workers,
            cluster=cluster,
            tracker=ConsoleTracker(not as_json),
        )
    for note in out.notes:
        err_console.print(f"note: {escape(note)}", highlight=False)
    if as_json:
        print_json(out.to_json())
        return
    render(out.analysis)


def render(a: Analysis) -> None:
    """The analysis as Rich tables: parties, fair points, proposals, observations."""
    sc, s = a.scenario, a.summary
    approx = "≈" if s.estimate else ""
    interval = (
        f"\n95 % interval {s.estimate.interval[0]:,}–{s.estimate.interval[1]:,} "
        f"(estimated from {s.estimate.samples:,} random packages; the frontier is exact)"
        if s.estimate
        else ""
    )
    console.print(
        Panel.fit(
            f"[bold]{escape(sc.title)}[/]\n{s.size:,} packages, {approx}{s.feasible:,} feasible; "
            f"[bold]{approx}{s.agreement:,}[/] acceptable to every party ({approx}{s.share:.4%}){interval}",
            title=f"dealcraft analyze — {sc.id}",
        )
    )
    _stakeholders(a)
    if len(s.frontier) == 0:
        console.print(
            "[bold red]No package is acceptable to every party.[/] The binding stakeholders above "
            "are where to look: `dealcraft bridge` shows the smallest change for a given offer."
        )
    else:
        _solutions(a)
        _proposals(a)
    _observations(a)


def _stakeholders(a: Analysis) -> None:
    sc, s = a.scenario, a.summary
    approx = "≈" if s.estimate else ""
    binding = set(a.binding)
    table = Table(
        "party",
        Column("stakeholder", no_wrap=True),
        "influence",
        "reservation",
        "accepts",
        "agreement Δ if dropped",
        "binding",
        title="Parties and stakeholders (level II: who must ratify)",
    )
    for p_index, p in enumerate(sc.parties):
        rule = "all" if p.threshold is None else f"≥{p.threshold:g}"
        rule += "" if p.power == 1 else f"; power {p.power:g}"
        for k, h_index in enumerate(p.stakeholders):
            h = sc.stakeholders[h_index]
            table.add_row(
                f"{p.id} ({rule}; ratifies {approx}{s.party_accepts[p_index]:,})" if k == 0 else "",
                h.key,
                f"{h.influence:g}",
                fmt(sc.params.reservations[h_index]),
                f"{approx}{s.accepts[h_index]:,} ({s.accepts[h_index] / s.size:.1%})",
                f"{approx}{s.growth[h_index]:,}",
                "[bold yellow]binding[/]" if h_index in binding else "",
            )
    console.print(table)


def _utilities(sc, values) -> str:
    return "  ".join(f"{p.id} {v:.3f}" for p, v in zip(sc.parties, values, strict=True))


def _solutions(a: Analysis) -> None:
    sc = a.scenario
    table = Table(
        "solution",
        "party utilities",
        "package (changes from status quo)",
        title="Fair and efficient points",
        show_lines=True,
    )
    for name, k in a.solutions.items():
        package = a.solution_package(name)
        if package is None:
            table.add_row(SOLUTION_NAMES[name], "—", "none: no package gives every party a gain")
            continue
        changes = ", ".join(f"{i}={shown(o)}" for i, o in sc.changes(package).items()) or "status quo"
        table.add_row(SOLUTION_NAMES[name], _utilities(sc, a.summary.frontier.utilities[k]), changes)
    console.print(table)
    console.print(f"Pareto frontier: {len(a.summary.frontier)} distinct utility vectors.\n")


def _proposals(a: Analysis) -> None:
    sc = a.scenario
    for p in a.proposals:
        ev = p.evaluation
        closest = ev.closest_to_walking_away()
        note = (
            "starts from the Nash point"
            if p.rank == 1
            else f"differs on ≥ {p.distance} issues from earlier proposals"
        )
        console.print(f"[bold]Proposal {p.rank}[/] ({note}) — {_utilities(sc, ev.party_utilities)}")
        console.print(exchanges_table(p.exchanges))
        slack = "  ".join(f"{v.key} {v.slack:+.3f}" for v in ev.stakeholders)
        console.print(
            f"slack: {slack}\nclosest to walking away: [bold]{closest.key}[/] ({closest.slack:+.3f})\n",
            highlight=False,
        )


def _observations(a: Analysis) -> None:
    if not a.observations:
        return
    table = Table(
        Column("observation", overflow="fold"),
        Column("by", no_wrap=True),
        "observed → model",
        "reproduced",
        Column("decided by", no_wrap=True),
        title="Observations",
    )
    for o in a.observations:
        mark = "[green]yes[/]" if o.reproduced else "[red]NO[/]"
        table.add_row(o.id, o.by, f"{o.expected} → {o.model}", mark, "\n".join(o.deciders))
    console.print(table)

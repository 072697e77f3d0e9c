"""`dealcraft simulate`: bargaining agents, protocols, level-II ratification, Monte Carlo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape  # user text (titles, names) is not Rich markup
from rich.table import Table

from dealcraft.cli.app import app
from dealcraft.cli.common import (
    JSON_OPT,
    SCENARIO_ARG,
    ConsoleTracker,
    console,
    fmt,
    load_scenario,
    print_json,
    user_errors,
)
from dealcraft.cli.options import number_option
from dealcraft.cli.progress import QUIET_OPT

if TYPE_CHECKING:
    from dealcraft.analysis.simulate.runner import Simulation
    from dealcraft.model.scenario import Scenario

STRATEGY_OPT = typer.Option(
    None,
    "--strategy",
    "-s",
    help="party=name[,name...]: the party's strategy, or a mix drawn per run "
    "(boulware, linear, conceder, tit-for-tat, hardliner). Repeat per party; default boulware.",
)


@app.command()
def simulate(
    scenario: str = SCENARIO_ARG,
    strategy: list[str] = STRATEGY_OPT,
    runs: int = number_option(1000, "--runs", lo=1, hi=10**7, help="Negotiations to run (Monte Carlo)."),
    runs_alias: int = number_option(None, "-n", lo=1, hi=10**7, hidden=True, help="Old spelling of --runs."),
    rounds: int = number_option(
        None,
        "--rounds",
        "-t",
        lo=1,
        hi=100_000,
        help="Deadline in rounds (default: the scenario's talks.rounds, else 20).",
    ),
    seed: int = number_option(0, "--seed", lo=0, help="Seed: the same seed gives the same results."),
    as_json: bool = JSON_OPT,
    trace: bool = typer.Option(False, "--trace", help="Print the first negotiation round by round."),
    protocol: str = typer.Option(
        "alternating", "--protocol", help="alternating (stacked for 3+ parties) or mediator."
    ),
    information: str = typer.Option(
        "complete", "--information", help="complete or learned (frequency model of offers received)."
    ),
    anticipate: bool = typer.Option(
        False, "--anticipate", help="Agents offer and accept only what their own stakeholders ratify."
    ),
    patience: int = number_option(
        0,
        "--patience",
        lo=0,
        hi=100_000,
        help="Walk out when the others have not moved for W turns (0: never).",
    ),
    parties: str = typer.Option(
        None, "--parties", help="Comma-separated parties at the table (default: all)."
    ),
    no_openings: bool = typer.Option(False, "--no-openings", help="Ignore the scenario's talks.openings."),
    point: bool = typer.Option(
        False, "--point", help="Use point estimates instead of sampling preference ranges."
    ),
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Let agents bargain (alternating offers or a mediator's single text), ratify at home, and
    report P(deal), P(walk-out), P(ratification failure) and the deals reached."""
    from dealcraft import service

    with user_errors():
        out = service.simulate(
            load_scenario(scenario),
            strategies=strategy,
            runs=runs_alias or runs,
            rounds=rounds,
            seed=seed,
            protocol=protocol,
            information=information,
            anticipate=anticipate,
            patience=patience,
            parties=[p.strip() for p in parties.split(",") if p.strip()] if parties else None,
            openings=not no_openings,
            point=point,
            trace=trace,
            tracker=ConsoleTracker(not as_json),
        )
    if as_json:
        print_json(out.to_json())
        return
    if trace:
        console.print(trace_table(out.simulation))
    _print_summary(out.simulation.scenario, out.summary())


def _label(changes: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in changes.items()) or "the status quo"


def trace_table(sim: Simulation, run: int = 0) -> Table:
    """Run ``run`` round by round as a table."""
    from dealcraft.service.bargaining import trace_rows

    rows = trace_rows(sim, run)
    end = rows[-1]
    ids = [p.id for p in sim.scenario.parties]
    strategies = ", ".join(f"{p}={s}" for p, s in end["strategies"].items())
    table = Table(
        "round",
        "by",
        "offer (changes from the status quo)",
        "utility",
        "aspiration",
        "verdicts",
        title=f"Negotiation 1 ({strategies}): {end['end']}"
        + (f", vetoed at home by {', '.join(end['vetoed_by'])}" if end["vetoed_by"] else ""),
        show_lines=True,
    )
    for r in rows[:-1]:
        if r["offer"] is None:
            table.add_row(str(r["round"]), r["proposer"], "[red]walks out[/]", "", "", "")
            continue
        util = " ".join(f"{p} {fmt(r['utility'][p])}" for p in ids) if r.get("utility") else ""
        asp = " ".join(f"{p} {r['aspiration'][p]:.2f}" for p in ids)
        verdicts = " ".join(
            f"{p} {'[green]yes[/]' if ok else '[red]no[/]'}" for p, ok in r["accepts"].items()
        )
        table.add_row(str(r["round"]), r["proposer"], _label(r["offer"]), util, asp, verdicts)
    return table


def _print_summary(sc: Scenario, data: dict[str, Any]) -> None:
    s = data["settings"]
    mix = "; ".join(f"{p}: {', '.join(n)}" for p, n in s["strategies"].items())
    console.print(
        f"[bold]{escape(sc.title)}[/] — {data['runs']:,} negotiations, {s['protocol']} protocol, "
        f"deadline {s['rounds']} rounds, "
        f"{s['candidates']:,} candidate offers\nstrategies {mix}",
        highlight=False,
    )
    table = Table("outcome", "share", title="Outcomes")
    table.add_row("deal (agreed and ratified)", f"{data['p_deal']:.1%}")
    table.add_row("walk-out / deadline (no agreement at the table)", f"{data['p_walkout']:.1%}")
    table.add_row("ratification failure (agreed, vetoed at home)", f"{data['p_ratification_failure']:.1%}")
    table.add_row("mean rounds", f"{data['mean_rounds']:.1f}")
    for p, u in data["mean_utility"].items():
        table.add_row(f"mean utility {p}", fmt(u))
    console.print(table)
    if data["outcomes"]:
        deals = Table("share", "package (changes from the status quo)", title="Deals reached")
        for o in data["outcomes"]:
            deals.add_row(f"{o['share']:.1%}", _label(o["changes"]))
        console.print(deals)
    if len(data["by_strategy"]) > 1:
        mixes = Table(
            "strategies", "runs", "deal", "walk-out", "ratif. failure", "rounds", title="By strategy mix"
        )
        for m in data["by_strategy"]:
            mixes.add_row(
                ", ".join(f"{p}={n}" for p, n in m["strategies"].items()),
                str(m["runs"]),
                f"{m['p_deal']:.1%}",
                f"{m['p_walkout']:.1%}",
                f"{m['p_ratification_failure']:.1%}",
                f"{m['mean_rounds']:.1f}",
            )
        console.print(mixes)

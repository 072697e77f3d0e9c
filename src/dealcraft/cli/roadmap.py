"""`dealcraft roadmap`: in what order the steps of a package should happen (action for action)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from dealcraft.analysis.roadmap.limits import DEFAULT_THREADS, DEFAULT_TIME_LIMIT
from dealcraft.cli.app import app
from dealcraft.cli.common import (
    JSON_OPT,
    MAX_PACKAGES_OPT,
    SCENARIO_ARG,
    ConsoleTracker,
    console,
    load_scenario,
    parse_package,
    print_json,
    user_errors,
)
from dealcraft.cli.options import number_option
from dealcraft.cli.progress import QUIET_OPT
from dealcraft.errors import DealcraftError

if TYPE_CHECKING:
    from dealcraft.analysis.roadmap import Roadmap


@app.command(name="roadmap")
def roadmap_command(
    scenario: str = SCENARIO_ARG,
    changes: list[str] = typer.Argument(
        None, help="The package as issue=option words (default: a proposal)."
    ),
    proposal: int = number_option(
        None,
        "--proposal",
        "-p",
        lo=1,
        hi=1000,
        help="Use the N-th proposal of `dealcraft analyze` (default 1, the Nash one).",
    ),
    trust: list[str] = typer.Option(
        None, "--trust", help="Override a party's trust as party=x (party-utility units); repeatable."
    ),
    opening: str = typer.Option(None, "--opening", help="Let this party take phase 1 alone (GRIT gesture)."),
    solver: str = typer.Option(
        "auto", "--solver", help="auto (exact up to 10 steps, else CP-SAT), exact, cpsat."
    ),
    time_limit: float = number_option(
        DEFAULT_TIME_LIMIT, "--time-limit", lo=0, lo_open=True, hi=86400, help="CP-SAT seconds, all stages."
    ),
    threads: int = number_option(DEFAULT_THREADS, "--threads", lo=1, hi=64, help="CP-SAT search threads."),
    workers_alias: int = number_option(
        None, "--workers", lo=1, hi=64, hidden=True, help="Old spelling of --threads."
    ),
    everything: bool = typer.Option(
        False, "--at-once", help="Do not optimise: every step as soon as its prerequisites allow."
    ),
    as_json: bool = JSON_OPT,
    seed: int = number_option(0, "--seed", lo=0, hi=2**31 - 1, help="CP-SAT random seed."),
    max_packages: int = MAX_PACKAGES_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Sequence a package's steps into phases so no side is ever exposed beyond its trust."""
    from dealcraft import service

    with user_errors():
        sc = load_scenario(scenario)
        out = service.roadmap(
            sc,
            parse_package(sc, changes) if changes else None,
            proposal=proposal,
            trust=parse_trust(trust),
            opening=opening,
            solver=solver,
            time_limit=time_limit,
            threads=workers_alias or threads,
            seed=seed,
            everything_at_once=everything,
            max_packages=max_packages,
            tracker=ConsoleTracker(not as_json),
        )
    if as_json:
        print_json(out.to_json())
        return
    render(out.roadmap)


def parse_trust(words: list[str] | None) -> dict[str, float]:
    """Read ``party=x`` words (the party is checked against the scenario later)."""
    out: dict[str, float] = {}
    for word in words or []:
        party, sep, value = word.partition("=")
        party = party.strip()
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or not party or not math.isfinite(number) or number < 0:
            raise DealcraftError(
                f"cannot read --trust {word!r}: write party=x with x a number >= 0 in party-utility "
                "units, e.g. --trust dprk=0.05"
            )
        if party in out:
            raise DealcraftError(f"--trust gives party {party!r} twice: give each party once")
        out[party] = number
    return out


def _style(value: float, limit: float) -> str:
    text = f"{value:.3f}"
    return f"[bold red]{text}[/]" if value > limit + 5e-7 else text


def render(r: Roadmap) -> None:
    """The roadmap as a table of phases, then the verdict (feasible, knot, incentives)."""
    pb = r.problem
    label = ", ".join(f"{k}={v}" for k, v in r.changes.items()) or "the status quo"
    console.print(f"[bold]Roadmap[/] for {label}", highlight=False)
    if not pb.n:
        console.print("The package is the status quo: there is nothing to sequence.")
        return
    trust = "  ".join(f"{p} {t:.3f}" for p, t in zip(pb.party_ids, pb.trust, strict=True))
    gains = "  ".join(f"{p} {g:+.3f}" for p, g in zip(pb.party_ids, pb.total, strict=True))
    console.print(f"{pb.n} steps; trust: {trust}; gain when complete: {gains}", highlight=False)
    table = Table("phase", "weeks", "steps by party", "exposure after", "defect incentive", show_lines=True)
    for t, ph in enumerate(r.phases):
        steps = "\n".join(
            f"[bold]{party}[/]: " + ", ".join(pb.ids[s] for s in ph.steps if pb.actor[s] == k)
            for k, party in enumerate(pb.party_ids)
            if any(pb.actor[s] == k for s in ph.steps)
        )
        exposure = "\n".join(
            f"{p} {_style(x, lim)}" for p, x, lim in zip(pb.party_ids, ph.exposure, pb.trust, strict=True)
        )
        incentive = "\n".join(
            f"{p} " + (f"[bold yellow]{x:+.3f}[/]" if x > 5e-7 else f"{x:+.3f}")
            for p, x in zip(pb.party_ids, ph.incentive, strict=True)
        )
        marker = " (opening)" if t == 0 and pb.opening is not None else ""
        table.add_row(f"{t + 1}{marker}", f"{ph.weeks:g}", steps, exposure, incentive)
    console.print(table)
    _verdict(r)


def _verdict(r: Roadmap) -> None:
    pb = r.problem
    how = f"{len(r.phases)} phase(s), {r.total_weeks:g} weeks"
    if r.solver == "as soon as possible":
        head = "every step as soon as its prerequisites allow (not optimised)"
    else:
        head = f"solver: {r.solver}, {r.status}, {r.seconds:.2f} s"
    if r.feasible:
        console.print(f"[bold green]Feasible:[/] every party's exposure stays within its trust — {how}.")
    else:
        need = ", ".join(
            f"{p} ≥ {x:.3f} (has {t:.3f})"
            for p, x, t in zip(pb.party_ids, r.max_exposure, pb.trust, strict=True)
            if x > t + 5e-7
        )
        console.print(
            "[bold red]No order keeps every exposure within trust.[/] The least-bad roadmap is shown "
            f"({how}); it would need trust {need}.",
            highlight=False,
        )
        if r.knot is not None:
            k = r.knot
            party = pb.party_ids[k.party]
            why = (
                "even when every step is done — no order helps: the package leaves it more irreversible "
                "loss than irreversible gain"
                if k.unavoidable
                else "part-way: prerequisites and irreversible steps force it"
            )
            culprits = ", ".join(pb.ids[s] for s in k.steps[:6]) + (" …" if len(k.steps) > 6 else "")
            console.print(
                f"The knot: [bold]{party}[/] is exposed by {k.exposure:.3f} (trust {k.trust:.3f}) after "
                f"phase {k.phase + 1}, {why}. Steps that leave it exposed: {culprits}.",
                highlight=False,
            )
    tempted = [
        f"{p} after phase {t + 1} ({x:+.3f})"
        for t, ph in enumerate(r.phases)
        for p, x in zip(pb.party_ids, ph.incentive, strict=True)
        if x > 5e-7
    ]
    if tempted:
        console.print(
            f"[yellow]Not self-enforcing:[/] walking out pays for {', '.join(tempted)}.", highlight=False
        )
    else:
        console.print("Self-enforcing: at no point would any party gain by walking out and reversing.")
    for step, after in pb.unmet:
        console.print(
            f"[dim]note: {step} lists {after} as a prerequisite, but the package does not include it "
            "(ignored)[/]",
            highlight=False,
        )
    console.print(f"[dim]{head}[/]", highlight=False)

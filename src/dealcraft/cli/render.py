"""Rich renderings of evaluations shared by several commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Column, Table

from dealcraft.cli.common import fmt
from dealcraft.model.numeric import shown

if TYPE_CHECKING:
    from dealcraft.analysis.evaluate import Evaluation
    from dealcraft.analysis.explain import Exchange
    from dealcraft.model.scenario import Scenario


def verdict(ok: bool) -> str:
    """A coloured accepts/rejects word."""
    return "[green]accepts[/]" if ok else "[red]rejects[/]"


def evaluation_table(scenario: Scenario, ev: Evaluation, title: str) -> Table:
    """Each stakeholder's and party's utility, reservation, slack and verdict with its reason."""
    table = Table(
        Column("stakeholder", no_wrap=True), "utility", "reservation", "slack", "verdict", "why", title=title
    )
    for v in ev.stakeholders:
        table.add_row(
            v.key, fmt(v.utility), fmt(v.reservation), f"{v.slack:+.3f}", verdict(v.accepts), v.reason
        )
    for p in ev.parties:
        rej = f"rejected by {', '.join(p.rejecting)}" if p.rejecting and not p.accepts else ""
        table.add_row(
            f"[bold]{p.id}[/] (party)",
            fmt(p.utility),
            fmt(p.disagreement),
            f"{p.utility - p.disagreement:+.3f}",
            verdict(p.accepts),
            rej,
        )
    return table


def exchanges_table(exchanges: tuple[Exchange, ...] | list[Exchange]) -> Table:
    """What each party gives and gets."""
    table = Table("party", "gives", "gets", show_lines=True)
    for x in exchanges:
        table.add_row(
            x.party, "\n".join(c.text() for c in x.gives) or "—", "\n".join(c.text() for c in x.gets) or "—"
        )
    return table


def changes_label(scenario: Scenario, package, sep: str = ", ", none: str = "the status quo") -> str:
    """``issue=option`` for each issue where the package leaves the status quo."""
    return sep.join(f"{k}={shown(v)}" for k, v in scenario.changes(package).items()) or none

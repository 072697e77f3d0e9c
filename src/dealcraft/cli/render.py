"""Rich renderings and JSON forms of evaluations shared by several commands."""

from __future__ import annotations

from typing import Any

from rich.table import Column, Table

from dealcraft.analysis.evaluate import Evaluation
from dealcraft.analysis.explain import Exchange
from dealcraft.cli.common import fmt
from dealcraft.model.scenario import Scenario

ROUND = 6


def verdict(ok: bool) -> str:
    return "[green]accepts[/]" if ok else "[red]rejects[/]"


def evaluation_table(scenario: Scenario, ev: Evaluation, title: str) -> Table:
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
    table = Table("party", "gives", "gets", show_lines=True)
    for x in exchanges:
        table.add_row(
            x.party, "\n".join(c.text() for c in x.gives) or "—", "\n".join(c.text() for c in x.gets) or "—"
        )
    return table


def evaluation_json(scenario: Scenario, ev: Evaluation) -> dict[str, Any]:
    return {
        "package": scenario.describe(ev.package),
        "accepted": ev.accepted,
        "broken_constraints": list(ev.broken),
        "stakeholders": [
            {
                "id": v.key,
                "utility": round(v.utility, ROUND),
                "reservation": round(v.reservation, ROUND),
                "slack": round(v.slack, ROUND),
                "accepts": v.accepts,
                "reason": v.reason,
            }
            for v in ev.stakeholders
        ],
        "parties": [
            {
                "id": p.id,
                "utility": round(p.utility, ROUND),
                "disagreement": round(p.disagreement, ROUND),
                "accepts": p.accepts,
                "rejecting": list(p.rejecting),
            }
            for p in ev.parties
        ],
    }

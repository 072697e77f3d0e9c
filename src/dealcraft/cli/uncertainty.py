"""`dealcraft robust`, `dealcraft sensitivity`, `dealcraft calibrate`: how sure are we?"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import typer
from rich.markup import escape  # user text (titles, names) is not Rich markup
from rich.table import Column, Table

from dealcraft.cli.app import app
from dealcraft.cli.common import (
    CLUSTER_OPT,
    JSON_OPT,
    MAX_PACKAGES_OPT,
    SCENARIO_ARG,
    WORKERS_OPT,
    ConsoleTracker,
    console,
    err_console,
    load_scenario,
    parse_package,
    print_json,
    user_errors,
)
from dealcraft.cli.options import number_option
from dealcraft.cli.progress import QUIET_OPT
from dealcraft.cli.render import changes_label

if TYPE_CHECKING:
    from dealcraft.analysis.uncertainty.calibrate import CalibrationResult
    from dealcraft.analysis.uncertainty.robust import PackageOdds, RobustResult
    from dealcraft.analysis.uncertainty.sensitivity import SensitivityResult
    from dealcraft.model.scenario import Scenario
    from dealcraft.service.uncertainty import SensitivityOutput

SEED_OPT = number_option(0, "--seed", lo=0, help="Seed: the same seed gives the same numbers on any backend.")
PROPOSALS_OPT = number_option(3, "--proposals", "-k", lo=0, hi=100, help="How many proposals to score.")
MAX_SAMPLES = 10**7  # beyond this a run takes days: a typo, not a request


# --- robust -------------------------------------------------------------------------------


@app.command()
def robust(
    scenario: str = SCENARIO_ARG,
    samples: int = number_option(1000, "--samples", "-n", lo=1, hi=MAX_SAMPLES, help="Monte Carlo samples."),
    seed: int = SEED_OPT,
    proposals: int = PROPOSALS_OPT,
    workers: int = WORKERS_OPT,
    cluster: str = CLUSTER_OPT,
    as_json: bool = JSON_OPT,
    max_packages: int = MAX_PACKAGES_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """P(accept) for every package under the ranges; the most robust proposals; P(no deal at all)."""
    from dealcraft import service

    with user_errors():
        out = service.robust(
            load_scenario(scenario),
            samples=samples,
            seed=seed,
            proposals=proposals,
            workers=workers,
            cluster=cluster,
            max_packages=max_packages,
            tracker=ConsoleTracker(not as_json),
        )
    if as_json:
        print_json(out.to_json())
        return
    _render_robust(out.result)


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _odds_table(sc: Scenario, title: str, rows: list[tuple[str, PackageOdds]]) -> Table:
    table = Table(
        "#",
        Column("package (changes from status quo)", no_wrap=True),
        "P(all accept)\n95% CI",
        "E[Nash]",
        "P(party accepts)",
        Column("least sure\nstakeholder", overflow="fold"),
        title=title,
        show_lines=True,
    )
    for label, o in rows:
        weakest = int(o.stakeholders.argmin())
        lo, hi = o.interval
        table.add_row(
            label,
            changes_label(sc, o.package, "\n", "status quo"),
            f"{_pct(o.p)}\n{lo:.1%}–{hi:.1%}",
            f"{o.expected_nash:.4f}",
            "\n".join(f"{p.id} {_pct(c / o.samples)}" for p, c in zip(sc.parties, o.parties, strict=True)),
            f"{sc.stakeholders[weakest].key}\n{_pct(o.stakeholders[weakest] / o.samples)}",
        )
    return table


def _render_robust(r: RobustResult) -> None:
    sc = r.scenario
    console.print(
        f"[bold]{escape(sc.title)}[/] — {r.samples:,} samples of {len(r.space.uncertain)} "
        f"uncertain number(s), seed {r.seed}, {sc.size:,} packages each",
        highlight=False,
    )
    if not r.space.uncertain:
        console.print("[yellow]No number in this scenario is uncertain: every sample is the same.[/]")
    console.print(
        f"P(no package acceptable to every party) = [bold]{r.p_empty:.1%}[/]; "
        f"expected agreement-set size {r.expected_agreement:,.0f} packages.",
        highlight=False,
    )
    if r.robust:
        rows = [(str(k + 1), o) for k, o in enumerate(r.robust)]
        console.print(_odds_table(sc, "Robust proposals (highest P(all accept))", rows))
    else:
        console.print("[bold red]No package is acceptable to every party in any sample.[/]")
    if r.core:
        rows = [(str(p.rank), o) for p, o in r.core]
        console.print(_odds_table(sc, "The deterministic proposals (dealcraft analyze), re-scored", rows))


# --- sensitivity ----------------------------------------------------------------------------


@app.command()
def sensitivity(
    scenario: str = SCENARIO_ARG,
    changes: list[str] = typer.Argument(
        None, help="The package, as issue=option changes from the status quo."
    ),
    proposal: int = number_option(
        None, "--proposal", "-p", lo=1, hi=1000, help="Use proposal N of `dealcraft analyze` (default: 1)."
    ),
    samples: int = number_option(2000, "--samples", "-n", lo=1, hi=MAX_SAMPLES, help="Monte Carlo samples."),
    seed: int = SEED_OPT,
    swing: float = number_option(0.1, "--swing", lo=0.0, hi=1.0, help="Swing for fixed numbers."),
    top: int = number_option(15, "--top", lo=1, hi=10_000, help="Rows shown in the table."),
    as_json: bool = JSON_OPT,
    max_packages: int = MAX_PACKAGES_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Tornado data for one package: which number moves P(accepted) most, and where it flips."""
    from dealcraft import service

    with user_errors():
        sc = load_scenario(scenario)
        out = service.sensitivity(
            sc,
            parse_package(sc, changes) if changes else None,
            proposal=proposal,
            samples=samples,
            seed=seed,
            swing=swing,
            max_packages=max_packages,
            tracker=ConsoleTracker(not as_json),
        )
    if as_json:
        print_json(out.to_json())
        return
    _render_sensitivity(out, top)


def _who(r: SensitivityResult) -> str:
    sc = r.scenario
    if r.point_accepted:
        return f"closest to walking away: {sc.stakeholders[r.closest].key} (slack {r.slack[r.closest]:+.3f})"
    rejecting = [f"{sc.stakeholders[s].key} ({r.slack[s]:+.3f})" for s in np.flatnonzero(~r.point_accepts)]
    return f"rejecting at the point values (slack): {', '.join(rejecting)}"


def _render_sensitivity(out: SensitivityOutput, top: int) -> None:
    r = out.result
    sc = r.scenario
    lo, hi = r.interval
    console.print(
        f"Package: [bold]{changes_label(sc, r.package, none='status quo')}[/]\n"
        f"P(every party ratifies) = [bold]{r.p:.1%}[/] "
        f"(95% CI {lo:.1%}–{hi:.1%}, {r.samples:,} samples); at the point values it is "
        f"{'accepted' if r.point_accepted else 'rejected'}; deciding stakeholder(s): "
        f"{', '.join(sc.stakeholders[s].key for s in r.deciders) or 'none (no single verdict flips it)'}"
        f"; {_who(r)}",
        highlight=False,
    )
    table = Table(
        "parameter",
        "point",
        "low → high",
        "P(accept) low → high",
        "swing",
        "flips at",
        "swing (bar)",
        title="Sensitivity (tornado), largest swing first",
    )
    for w in out.shown()[:top]:
        bar = "█" * round(20 * w.swing)
        table.add_row(
            w.parameter.label + ("" if w.uncertain else " [dim](fixed ±)[/]"),
            f"{w.point:.3f}",
            f"{w.low:.3f} → {w.high:.3f}",
            f"{w.p_low:.1%} → {w.p_high:.1%}",
            f"{w.swing:.1%}",
            "—" if w.threshold is None else f"{w.threshold:.3f}",
            bar,
        )
    console.print(table)


# --- calibrate ------------------------------------------------------------------------------


@app.command()
def calibrate(
    scenario: str = SCENARIO_ARG,
    samples: int = number_option(
        10000, "--samples", "-n", lo=1, hi=MAX_SAMPLES, help="Prior samples to draw."
    ),
    seed: int = SEED_OPT,
    proposals: int = PROPOSALS_OPT,
    as_json: bool = JSON_OPT,
    max_packages: int = MAX_PACKAGES_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Keep the samples that reproduce every observation; posterior ranges, P(accept), LP weight bounds."""
    from dealcraft import service

    with user_errors():
        out = service.calibrate(
            load_scenario(scenario),
            samples=samples,
            seed=seed,
            proposals=proposals,
            max_packages=max_packages,
            tracker=ConsoleTracker(not as_json),
        )
    if as_json:
        print_json(out.to_json())
        return
    _render_calibrate(out.result)


def _render_calibrate(r: CalibrationResult) -> None:
    sc = r.scenario
    console.print(
        f"[bold]{escape(sc.title)}[/] — {r.kept:,} of {r.samples:,} samples ({r.rate:.2%}) reproduce every "
        f"observation (seed {r.seed}).",
        highlight=False,
    )
    if r.warning:
        err_console.print(f"[bold yellow]warning:[/] {r.warning}", highlight=False)
    obs = Table("observation", "by", "observed", "at point values", "share of samples reproducing it")
    for o in r.observations:
        obs.add_row(
            o.id,
            o.by,
            o.expected,
            "[green]reproduced[/]" if o.reproduced_at_point else "[red]NOT[/]",
            _pct(o.prior_rate),
        )
    console.print(obs)
    if r.posteriors:
        table = Table(
            "parameter", "prior 5%–95% (median)", "posterior 5%–95% (median)", title="Posterior ranges"
        )
        for p in r.posteriors:
            table.add_row(p.parameter.label, _range(p.prior), _range(p.posterior))
        console.print(table)
    if r.proposals:
        table = Table(
            "#",
            "package",
            "P(all accept) prior",
            "posterior",
            title="Proposals before and after",
            show_lines=True,
        )
        for o in r.proposals:
            table.add_row(
                str(o.proposal.rank),
                changes_label(sc, o.proposal.package, "\n", "status quo"),
                _p_text(o.prior),
                _p_text(o.posterior),
            )
        console.print(table)
    table = Table(
        "stakeholder",
        "status",
        "weight: point \\[low, high] (normalised)",
        "constrained by",
        title="Exact weight bounds (LP) under which every observation holds",
    )
    for b in r.bounds:
        if b.status in ("ok", "partial"):
            moved = [
                f"{sc.issues[i].id} {b.point[k]:.2f} [{b.low[k]:.2f}, {b.high[k]:.2f}]"
                for k, i in enumerate(b.issues)
                if b.low[k] > 1e-9 or b.high[k] < 1 - 1e-9
            ]
            text = "\n".join(moved) or "any weights"
        else:
            text = "—"
        status = b.status + (f"\n(out of reach: {', '.join(b.unreachable)})" if b.unreachable else "")
        table.add_row(sc.stakeholders[b.stakeholder].key, status, text, ", ".join(b.constraining) or "—")
    console.print(table)


def _range(s: dict[str, float]) -> str:
    if math.isnan(s["mean"]):
        return "—"
    return f"{s['q05']:.3f}–{s['q95']:.3f} ({s['median']:.3f})"


def _p_text(pair: tuple[int, int]) -> str:
    from dealcraft.analysis.uncertainty.stats import wilson

    hits, n = pair
    if n == 0:
        return "—"
    lo, hi = wilson(hits, n)
    return f"{hits / n:.1%} ({lo:.1%}–{hi:.1%})"

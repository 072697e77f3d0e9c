"""`dealcraft robust`, `dealcraft sensitivity`, `dealcraft calibrate`: how sure are we?"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import typer
from rich.markup import escape  # user text (titles, names) is not Rich markup
from rich.table import Column, Table

from dealcraft.analysis.analyze import analyze as run_analysis
from dealcraft.analysis.proposals import Proposal
from dealcraft.analysis.uncertainty.backend import backend as make_backend
from dealcraft.analysis.uncertainty.calibrate import CalibrationResult
from dealcraft.analysis.uncertainty.calibrate import calibrate as run_calibrate
from dealcraft.analysis.uncertainty.robust import PackageOdds, RobustResult
from dealcraft.analysis.uncertainty.robust import robust as run_robust
from dealcraft.analysis.uncertainty.sampling import Parameter, ParameterSpace
from dealcraft.analysis.uncertainty.sensitivity import SensitivityResult
from dealcraft.analysis.uncertainty.sensitivity import sensitivity as run_sensitivity
from dealcraft.analysis.uncertainty.stats import wilson
from dealcraft.cli import app
from dealcraft.cli.common import (
    JSON_OPT,
    MAX_PACKAGES_OPT,
    SCENARIO_ARG,
    console,
    err_console,
    load_scenario,
    parse_package,
    print_json,
    progress_bar,
    user_errors,
)
from dealcraft.cli.options import number_option
from dealcraft.cli.progress import QUIET_OPT
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

ROUND = 6
SEED_OPT = number_option(0, "--seed", lo=0, help="Seed: the same seed gives the same numbers on any backend.")
WORKERS_OPT = typer.Option(
    None, "--workers", min=1, help="Start a local Dask cluster with this many worker processes."
)
CLUSTER_OPT = typer.Option(
    None, "--cluster", help="Address of a running Dask scheduler (e.g. tcp://host:8786)."
)
PROPOSALS_OPT = typer.Option(3, "--proposals", "-k", min=0, help="How many proposals to score.")


def _r(x: float) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), ROUND)


def _parameter_json(p: Parameter, sc: Scenario) -> dict[str, Any]:
    return {
        "id": p.label,
        "kind": p.kind,
        "stakeholder": sc.stakeholders[p.stakeholder].key,
        "distribution": p.dist.to_data(),
    }


def _core_proposals(sc: Scenario, k: int, max_packages: int, quiet: bool) -> list[Proposal]:
    with progress_bar("proposals at the point values", sc.size, enabled=not quiet) as advance:
        return run_analysis(sc, k, progress=advance, max_packages=max_packages).proposals


# --- robust -------------------------------------------------------------------------------


@app.command()
def robust(
    scenario: str = SCENARIO_ARG,
    samples: int = typer.Option(1000, "--samples", "-n", min=1, help="Monte Carlo samples."),
    seed: int = SEED_OPT,
    proposals: int = PROPOSALS_OPT,
    workers: int = WORKERS_OPT,
    cluster: str = CLUSTER_OPT,
    as_json: bool = JSON_OPT,
    max_packages: int = MAX_PACKAGES_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """P(accept) for every package under the ranges; the most robust proposals; P(no deal at all)."""
    with user_errors():
        sc = load_scenario(scenario)
        core = _core_proposals(sc, proposals, max_packages, as_json)
        with (
            make_backend(workers, cluster) as runner,
            progress_bar("sampling packages", samples * sc.size, enabled=not as_json) as advance,
        ):
            result = run_robust(
                sc,
                samples,
                seed,
                proposals,
                backend=runner,
                progress=advance,
                core=core,
                max_packages=max_packages,
            )
    if as_json:
        print_json(robust_json(result))
        return
    _render_robust(result)


def _odds_json(sc: Scenario, o: PackageOdds, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "package": sc.describe(o.package),
        "changes": sc.changes(o.package),
        "p_accept": _r(o.p),
        "interval": [_r(x) for x in o.interval],
        "expected_nash": _r(o.expected_nash),
        "parties": {p.id: _r(o.parties[k] / o.samples) for k, p in enumerate(sc.parties)},
        "stakeholders": {h.key: _r(o.stakeholders[k] / o.samples) for k, h in enumerate(sc.stakeholders)},
    }


def robust_json(r: RobustResult) -> dict[str, Any]:
    sc = r.scenario
    empty = int((~r.counts.any_agree).sum())
    return {
        "scenario": sc.id,
        "seed": r.seed,
        "samples": r.samples,
        "packages": sc.size,
        "parameters": [_parameter_json(p, sc) for p in r.space.uncertain],
        "p_empty": _r(r.p_empty),
        "p_empty_interval": [_r(x) for x in wilson(empty, r.samples)],
        "expected_agreement": _r(r.expected_agreement),
        "robust_proposals": [_odds_json(sc, o, k + 1) for k, o in enumerate(r.robust)],
        "core_proposals": [_odds_json(sc, o, p.rank) for p, o in r.core],
    }


def _changes(sc: Scenario, package, sep: str = ", ") -> str:
    return sep.join(f"{k}={v}" for k, v in sc.changes(package).items()) or "status quo"


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
            _changes(sc, o.package, "\n"),
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
    proposal: int = typer.Option(
        None, "--proposal", "-p", min=1, help="Use proposal N of `dealcraft analyze` (default: 1)."
    ),
    samples: int = typer.Option(2000, "--samples", "-n", min=1, help="Monte Carlo samples."),
    seed: int = SEED_OPT,
    swing: float = number_option(0.1, "--swing", lo=0.0, hi=1.0, help="Swing for fixed numbers."),
    top: int = typer.Option(15, "--top", min=1, help="Rows shown in the table."),
    as_json: bool = JSON_OPT,
    max_packages: int = MAX_PACKAGES_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Tornado data for one package: which number moves P(accepted) most, and where it flips."""
    with user_errors():
        sc = load_scenario(scenario)
        if changes and proposal is not None:
            raise DealcraftError("give either --proposal N or issue=option changes, not both")
        if changes:
            package = parse_package(sc, changes)
        else:
            n = proposal or 1
            found = _core_proposals(sc, n, max_packages, as_json)
            if len(found) < n:
                raise DealcraftError(
                    f"there is no proposal {n}: the scenario has {len(found)} (no package acceptable to "
                    "every party, or too few distinct ones); name the package as issue=option words instead"
                )
            package = found[n - 1].package
        n_params = len(ParameterSpace(sc).all)
        work = samples * n_params * 2
        with progress_bar("swinging each number", n_params, work=work, enabled=not as_json) as advance:
            result = run_sensitivity(sc, package, samples, seed, swing, progress=advance)
    if as_json:
        print_json(sensitivity_json(result))
        return
    _render_sensitivity(result, top)


def _matters(w) -> bool:
    return w.swing > 0 or w.threshold is not None or w.uncertain


def sensitivity_json(r: SensitivityResult) -> dict[str, Any]:
    sc = r.scenario
    shown = [w for w in r.swings if _matters(w)]
    return {
        "scenario": sc.id,
        "seed": r.seed,
        "samples": r.samples,
        "package": sc.describe(r.package),
        "changes": sc.changes(r.package),
        "p_accept": _r(r.p),
        "interval": [_r(x) for x in r.interval],
        "accepted_at_point": r.point_accepted,
        "deciders": [sc.stakeholders[s].key for s in r.deciders],
        "closest_to_walking_away": sc.stakeholders[r.closest].key,
        "rejecting": [sc.stakeholders[s].key for s in np.flatnonzero(~r.point_accepts)],
        "parameters": [
            {
                **_parameter_json(w.parameter, sc),
                "uncertain": w.uncertain,
                "point": _r(w.point),
                "low": _r(w.low),
                "high": _r(w.high),
                "p_low": _r(w.p_low),
                "p_high": _r(w.p_high),
                "swing": _r(w.swing),
                "threshold": None if w.threshold is None else _r(w.threshold),
            }
            for w in shown
        ],
        "omitted": len(r.swings) - len(shown),
    }


def _who(r: SensitivityResult) -> str:
    sc = r.scenario
    if r.point_accepted:
        return f"closest to walking away: {sc.stakeholders[r.closest].key} (slack {r.slack[r.closest]:+.3f})"
    rejecting = [f"{sc.stakeholders[s].key} ({r.slack[s]:+.3f})" for s in np.flatnonzero(~r.point_accepts)]
    return f"rejecting at the point values (slack): {', '.join(rejecting)}"


def _render_sensitivity(r: SensitivityResult, top: int) -> None:
    sc = r.scenario
    lo, hi = r.interval
    console.print(
        f"Package: [bold]{_changes(sc, r.package)}[/]\nP(every party ratifies) = [bold]{r.p:.1%}[/] "
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
    for w in [w for w in r.swings if _matters(w)][:top]:
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
    samples: int = typer.Option(10000, "--samples", "-n", min=1, help="Prior samples to draw."),
    seed: int = SEED_OPT,
    proposals: int = PROPOSALS_OPT,
    as_json: bool = JSON_OPT,
    max_packages: int = MAX_PACKAGES_OPT,
    quiet_progress: bool = QUIET_OPT,
) -> None:
    """Keep the samples that reproduce every observation; posterior ranges, P(accept), LP weight bounds."""
    with user_errors():
        sc = load_scenario(scenario)
        core = _core_proposals(sc, proposals, max_packages, as_json)
        work = samples * len(sc.observations)
        label = "conditioning on the observations"
        with progress_bar(label, samples, work=work, enabled=not as_json) as advance:
            result = run_calibrate(sc, samples, seed, core, progress=advance)
    if as_json:
        print_json(calibrate_json(result))
        return
    _render_calibrate(result)


def _p_json(pair: tuple[int, int]) -> dict[str, Any]:
    hits, n = pair
    return {"p": _r(hits / n) if n else None, "interval": [_r(x) for x in wilson(hits, n)], "samples": n}


def calibrate_json(r: CalibrationResult) -> dict[str, Any]:
    sc = r.scenario
    return {
        "scenario": sc.id,
        "seed": r.seed,
        "samples": r.samples,
        "kept": r.kept,
        "acceptance_rate": _r(r.rate),
        "warning": r.warning,
        "observations": [
            {
                "id": o.id,
                "by": o.by,
                "expected": o.expected,
                "reproduced_at_point": o.reproduced_at_point,
                "prior_rate": _r(o.prior_rate),
            }
            for o in r.observations
        ],
        "parameters": [
            {
                **_parameter_json(p.parameter, sc),
                "prior": {k: _r(v) for k, v in p.prior.items()},
                "posterior": {k: _r(v) for k, v in p.posterior.items()},
            }
            for p in r.posteriors
        ],
        "proposals": [
            {
                "rank": o.proposal.rank,
                "package": sc.describe(o.proposal.package),
                "changes": sc.changes(o.proposal.package),
                "prior": _p_json(o.prior),
                "posterior": _p_json(o.posterior),
            }
            for o in r.proposals
        ],
        "weight_bounds": [
            {
                "stakeholder": sc.stakeholders[b.stakeholder].key,
                "status": b.status,
                "constraining": list(b.constraining),
                "unreachable": list(b.unreachable),
                "weights": {
                    sc.issues[i].id: {"point": _r(b.point[k]), "low": _r(b.low[k]), "high": _r(b.high[k])}
                    for k, i in enumerate(b.issues)
                }
                if b.status in ("ok", "partial")
                else {},
                "reservation": [_r(x) for x in b.reservation],
            }
            for b in r.bounds
        ],
    }


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
                _changes(sc, o.proposal.package, "\n"),
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
    hits, n = pair
    if n == 0:
        return "—"
    lo, hi = wilson(hits, n)
    return f"{hits / n:.1%} ({lo:.1%}–{hi:.1%})"

"""The JSON form of a simulation: outcome shares, agreed packages, rounds, utilities, settings."""

from __future__ import annotations

from typing import Any

import numpy as np

from dealcraft.analysis.simulate.runner import Simulation
from dealcraft.analysis.simulate.state import DEADLINE, DEAL, RATIFICATION_FAILURE, WALKOUT
from dealcraft.service.output import ROUND


def _share(mask: np.ndarray) -> float:
    return round(float(mask.mean()), ROUND) if mask.size else 0.0


def outcome_shares(sim: Simulation, runs: np.ndarray | None = None) -> dict[str, float]:
    """P(deal), P(walk-out: no agreement at the table, including the deadline), P(ratification failure)."""
    o = sim.batch.outcome if runs is None else sim.batch.outcome[runs]
    return {
        "p_deal": _share(o == DEAL),
        "p_walkout": _share((o == WALKOUT) | (o == DEADLINE)),
        "p_ratification_failure": _share(o == RATIFICATION_FAILURE),
    }


def top_packages(sim: Simulation, mask: np.ndarray, top: int) -> list[dict[str, Any]]:
    """The most frequent agreed packages among the runs in ``mask``, with their share of all runs."""
    agreed = sim.batch.agreement[mask]
    if agreed.size == 0:
        return []
    values, counts = np.unique(agreed, return_counts=True)
    order = np.lexsort((values, -counts))[:top]
    total = max(int(mask.size), 1)
    out = []
    for k in order:
        package = sim.package(int(values[k]))
        out.append(
            {
                "package": sim.scenario.describe(package),
                "changes": sim.scenario.changes(package),
                "share": round(int(counts[k]) / total, ROUND),
            }
        )
    return out


def summarize(sim: Simulation, top: int = 10) -> dict[str, Any]:
    """What `dealcraft simulate --json` prints (without the trace)."""
    b = sim.batch
    sc = sim.scenario
    ids = [p.id for p in sc.parties]
    deal = b.outcome == DEAL
    data: dict[str, Any] = {"runs": sim.runs, **outcome_shares(sim)}
    data["outcomes"] = top_packages(sim, deal, top)
    data["mean_rounds"] = round(float(b.rounds.mean()), ROUND)
    data["mean_utility"] = {p: round(float(b.utility[:, q].mean()), ROUND) for q, p in enumerate(ids)}
    data["p_deadline"] = _share(b.outcome == DEADLINE)
    data["walkout_by"] = {p: _share((b.outcome == WALKOUT) & (b.walked_out == q)) for q, p in enumerate(ids)}
    failed = b.outcome == RATIFICATION_FAILURE
    data["ratification_failure_by"] = {p: _share(failed & b.vetoed[:, q]) for q, p in enumerate(ids)}
    data["failed_ratification"] = top_packages(sim, failed, top)
    data["mean_utility_if_deal"] = {
        p: (round(float(b.utility[deal, q].mean()), ROUND) if deal.any() else None) for q, p in enumerate(ids)
    }
    data["by_strategy"] = by_strategy(sim)
    s = sim.settings
    data["settings"] = {
        "protocol": s.protocol,
        "rounds": s.rounds,
        "seed": sim.seed,
        "strategies": {p: list(names) for p, names in sim.strategies.items()},
        "information": dict(zip(ids, s.information, strict=True)),
        "anticipate": dict(zip(ids, s.anticipate, strict=True)),
        "patience": s.patience,
        "discount": dict(zip(ids, s.discount or (1.0,) * len(ids), strict=True)),
        "openings": {
            p: sc.changes(sim.package(k)) for p, k in zip(ids, s.openings, strict=True) if k is not None
        },
        "candidates": len(sim.candidates),
        "candidates_enumerated": sim.candidates.enumerated,
    }
    return data


def by_strategy(sim: Simulation) -> list[dict[str, Any]]:
    """Outcome shares for every strategy combination that was drawn."""
    ids = [p.id for p in sim.scenario.parties]
    combos, inverse = np.unique(sim.choice, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    out = []
    for c, combo in enumerate(combos):
        runs = inverse == c
        deals = runs & (sim.batch.outcome == DEAL)
        best = top_packages(sim, deals, 1)
        out.append(
            {
                "strategies": {p: sim.strategies[p][int(combo[q])] for q, p in enumerate(ids)},
                "runs": int(runs.sum()),
                **outcome_shares(sim, runs),
                "mean_rounds": round(float(sim.batch.rounds[runs].mean()), ROUND),
                "top_deal": (
                    {
                        "changes": best[0]["changes"],
                        "share": round(best[0]["share"] * sim.runs / runs.sum(), ROUND),
                    }
                    if best
                    else None
                ),
            }
        )
    return out

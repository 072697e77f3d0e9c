"""The `simulate` job: agents bargain under a protocol and ratify at home; Monte Carlo; JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dealcraft.analysis.simulate import candidates, project
from dealcraft.analysis.simulate import simulate as run_simulation
from dealcraft.analysis.simulate.runner import DEFAULT_ROUNDS, Simulation
from dealcraft.analysis.simulate.state import MEDIATOR, OUTCOMES
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario
from dealcraft.service.bargaining_json import summarize
from dealcraft.service.progress import SILENT, Tracker


@dataclass(frozen=True)
class SimulateOutput:
    """Every simulated negotiation, and whether the first one's rounds were recorded."""

    simulation: Simulation
    trace: bool = False

    def summary(self) -> dict[str, Any]:
        """Outcome shares, deals reached, rounds, utilities and the settings used."""
        return summarize(self.simulation)

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft simulate --json` prints."""
        data = self.summary()
        if self.trace:
            data["trace"] = trace_rows(self.simulation)
        return data


def simulate(
    scenario: Scenario,
    *,
    strategies: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    runs: int = 1000,
    rounds: int | None = None,
    seed: int = 0,
    protocol: str = "alternating",
    information: str = "complete",
    anticipate: bool = False,
    patience: int = 0,
    parties: Sequence[str] | None = None,
    openings: bool = True,
    point: bool = False,
    trace: bool = False,
    tracker: Tracker = SILENT,
) -> SimulateOutput:
    """Run ``runs`` negotiations among ``parties`` (default: all) with the given strategies;
    ``openings`` replays the scenario's talks.openings; ``point`` fixes preferences at their
    point values instead of drawing them per run; ``trace`` records the first run round by round."""
    if parties:
        scenario = project(scenario, list(parties))
    if runs < 1:
        raise DealcraftError(f"--runs must be at least 1, got {runs}")
    with tracker.stage("finding candidate offers", scenario.size) as advance:
        cands = candidates(scenario, opening_packages(scenario, openings), progress=advance)
    work = runs * (rounds or DEFAULT_ROUNDS) * max(len(cands), 1)
    with tracker.stage("simulating", work) as advance:
        step = None if advance is None else (lambda n: advance(n * work // runs))
        sim = run_simulation(
            scenario,
            strategies=strategies,
            runs=runs,
            rounds=rounds,
            seed=seed,
            protocol=protocol,
            information=information,
            anticipate=anticipate,
            patience=patience,
            openings=openings,
            uncertainty=not point,
            record=trace,
            cands=cands,
            progress=step,
        )
    return SimulateOutput(sim, trace)


def opening_packages(scenario: Scenario, use: bool) -> list[tuple[int, ...]]:
    """The scripted openings (talks.openings) of the parties at the table, in file order."""
    if not use:
        return []
    ids = {p.id for p in scenario.parties}
    return [package for party, package in scenario.openings.items() if party in ids]


def trace_rows(sim: Simulation, run: int = 0) -> list[dict[str, Any]]:
    """Run ``run`` round by round: who offered what, utilities, aspirations, verdicts."""
    rec = sim.batch.record
    sc = sim.scenario
    ids = [p.id for p in sc.parties]
    rows: list[dict[str, Any]] = []
    if rec is None:
        return rows
    for t, proposer in enumerate(rec.proposer):
        if not rec.live[t][run]:
            break
        offer = int(rec.offer[t][run])
        row: dict[str, Any] = {
            "round": t + 1,
            "proposer": "mediator" if proposer == MEDIATOR else ids[proposer],
            "offer": None if offer < 0 else sc.changes(sim.package(offer)),
            "aspiration": {p: round(float(rec.aspiration[t][run, q]), 4) for q, p in enumerate(ids)},
        }
        if offer >= 0:
            row["utility"] = {p: round(float(rec.utility[t][run, q]), 4) for q, p in enumerate(ids)}
            row["accepts"] = {
                p: bool(rec.accepts[t][run, q])
                for q, p in enumerate(ids)
                if proposer == MEDIATOR or q != proposer
            }
        else:
            row["walked_out"] = (
                ids[int(sim.batch.walked_out[run])] if sim.batch.walked_out[run] >= 0 else None
            )
        rows.append(row)
    strategies = {p: sim.strategies[p][int(sim.choice[run, q])] for q, p in enumerate(ids)}
    rows.append(
        {
            "end": OUTCOMES[int(sim.batch.outcome[run])],
            "strategies": strategies,
            "vetoed_by": [p for q, p in enumerate(ids) if sim.batch.vetoed[run, q]],
        }
    )
    return rows

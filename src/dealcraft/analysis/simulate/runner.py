"""Monte Carlo driver: draw strategies and preferences per run, run the batches in chunks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.simulate.agents import Lineup
from dealcraft.analysis.simulate.alternating import alternating
from dealcraft.analysis.simulate.candidates import Candidates, candidates
from dealcraft.analysis.simulate.mediator import mediated
from dealcraft.analysis.simulate.opponent import INFORMATION
from dealcraft.analysis.simulate.state import PROTOCOLS, Batch, Record, Settings
from dealcraft.analysis.simulate.strategies import strategy
from dealcraft.analysis.simulate.tables import Tables, build_tables
from dealcraft.engine.sampling import ParameterSpace
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

DEFAULT_STRATEGY = "boulware"
DEFAULT_ROUNDS = 20  # deadline when neither the caller nor the scenario (talks.rounds) sets one
CELLS_PER_CHUNK = 2_000_000  # bounds the (runs x candidates) arrays held at once
# With preferences sampled per run every run has its own tables; ~1,000 runs of ~200 candidates
# per chunk amortise numpy's per-call cost over the rounds while the tables stay cache-sized
# (measured: 500 or 4,000 runs per chunk are both ~15% slower). Results do not depend on it.
SAMPLED_CELLS_PER_CHUNK = 4_000_000


@dataclass
class Simulation:
    """One simulated batch with what produced it (scenario, candidates, settings, strategy mixes,
    seed), so results and traces can be reported and re-run."""

    scenario: Scenario
    candidates: Candidates
    settings: Settings
    strategies: dict[str, tuple[str, ...]]  # per party id, the mix drawn from
    choice: np.ndarray  # (N, P) index into each party's mix
    batch: Batch
    seed: int

    @property
    def runs(self) -> int:
        """How many negotiations the batch ran."""
        return int(self.batch.outcome.size)

    def package(self, k: int) -> tuple[int, ...]:
        """Candidate k as option indices, for reports and JSON."""
        return tuple(int(x) for x in self.candidates.digits[k])


def parse_strategies(scenario: Scenario, words: Sequence[str] | None) -> dict[str, tuple[str, ...]]:
    """Read ``party=name[,name...]`` words; unnamed parties get the default strategy."""
    parties = [p.id for p in scenario.parties]
    out: dict[str, tuple[str, ...]] = {}
    for word in words or []:
        party, sep, names = word.partition("=")
        party = party.strip()
        if not sep or not party or not names.strip():
            raise DealcraftError(
                f"cannot read --strategy {word!r}: write party=strategy[,strategy...], "
                f"e.g. {parties[0]}=boulware,conceder"
            )
        if party not in parties:
            raise DealcraftError(
                f"unknown party {party!r} in --strategy {word!r}: "
                f"the parties at the table are {', '.join(parties)}"
            )
        if party in out:
            raise DealcraftError(
                f"party {party!r} is given two --strategy options: list its mix once, comma-separated"
            )
        out[party] = tuple(strategy(n).name for n in names.split(",") if n.strip())
    return {p: out.get(p, (DEFAULT_STRATEGY,)) for p in parties}


def _per_party(value, scenario: Scenario, what: str, allowed=None) -> tuple:
    ids = [p.id for p in scenario.parties]
    if isinstance(value, Mapping):
        unknown = [k for k in value if k not in ids]
        if unknown:
            raise DealcraftError(f"unknown party {unknown[0]!r} in {what}: use one of {', '.join(ids)}")
        out = tuple(value.get(p, None) for p in ids)
    else:
        out = tuple(value for _ in ids)
    if allowed is not None:
        bad = [v for v in out if v is not None and v not in allowed]
        if bad:
            raise DealcraftError(f"unknown {what} {bad[0]!r}: use one of {', '.join(allowed)}")
    return out


def simulate(
    scenario: Scenario,
    *,
    strategies: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
    runs: int = 1000,
    rounds: int | None = None,
    seed: int = 0,
    protocol: str = "alternating",
    information: str | Mapping[str, str] = "complete",
    anticipate: bool | Mapping[str, bool] = False,
    patience: int = 0,
    openings: bool | Mapping[str, Mapping[str, str | int | float]] = True,
    uncertainty: bool = True,
    record: bool = False,
    cands: Candidates | None = None,
    progress: Callable[[int], None] | None = None,
) -> Simulation:
    """Run ``runs`` negotiations of ``scenario`` and keep every outcome.

    ``strategies``: {party: [names]} or ``party=name,...`` words; each run draws one name per
    party from its list. ``openings``: True uses the scenario's ``talks.openings``, a mapping
    gives them directly, False starts from the strategies alone. ``uncertainty``: draw each
    run's preferences from the scenario's ranges (False: point estimates).
    """
    if protocol not in PROTOCOLS:
        raise DealcraftError(f"unknown protocol {protocol!r}: use one of {', '.join(PROTOCOLS)}")
    if runs < 1:
        raise DealcraftError(f"--runs must be at least 1, got {runs}")
    if len(scenario.parties) < 2:
        raise DealcraftError(f"scenario {scenario.id!r} has one party: a negotiation needs at least two")
    if patience < 0:
        raise DealcraftError(f"--patience must be >= 0 (0: never walk out for stalling), got {patience}")
    mix = (
        {p: tuple(strategy(n).name for n in names) for p, names in strategies.items()}
        if isinstance(strategies, Mapping)
        else parse_strategies(scenario, strategies)
    )
    mix = parse_strategies(scenario, [f"{p}={','.join(n)}" for p, n in mix.items()])
    if rounds is None:
        rounds = scenario.rounds or DEFAULT_ROUNDS
    if rounds < 1:
        raise DealcraftError(f"--rounds must be at least 1, got {rounds}")
    opening_packages = _openings(scenario, openings)
    scripted = [pk for pk in opening_packages if pk is not None]
    cands = candidates(scenario, scripted) if cands is None else cands.including(scripted, scenario.radices)
    settings = Settings(
        rounds=rounds,
        protocol=protocol,
        information=tuple(
            x or "complete" for x in _per_party(information, scenario, "information", INFORMATION)
        ),
        anticipate=tuple(bool(x) for x in _per_party(anticipate, scenario, "anticipate")),
        openings=tuple(None if pk is None else cands.index(pk, scenario.radices) for pk in opening_packages),
        patience=patience,
        discount=tuple(float(x) for x in scenario.discount),
    )
    seeds = np.random.SeedSequence(seed).spawn(2)
    strategy_rng = np.random.default_rng(seeds[0])
    preference_seed = int(seeds[1].generate_state(1)[0])  # run j always gets sample j of this seed
    ids = [p.id for p in scenario.parties]
    choice = np.stack([strategy_rng.integers(0, len(mix[p]), size=runs) for p in ids], axis=1)
    lineup = Lineup.draw([[strategy(n) for n in mix[p]] for p in ids], choice)
    space = ParameterSpace(scenario)
    sampled = uncertainty and space.dimension > 0
    chunk = _chunk_size(scenario, cands, settings, sampled, runs)
    shared: Tables | None = None if sampled else build_tables(scenario, cands, space.point())
    parts: list[Batch] = []
    for start in range(0, runs, chunk):
        stop = min(runs, start + chunk)
        tables = shared or build_tables(scenario, cands, space.sample(preference_seed, stop - start, start))
        parts.append(_run(scenario, cands, tables, lineup.rows(start, stop), settings, record))
        if progress:
            progress(stop - start)
    return Simulation(scenario, cands, settings, mix, choice, _concat(parts), seed)


def _run(scenario, cands, tables, lineup, settings, record) -> Batch:
    if settings.protocol == "mediator":
        start = cands.index(scenario.status_quo, scenario.radices)
        return mediated(tables, lineup, settings, start, record)
    return alternating(tables, lineup, settings, scenario.radices, cands.digits, record)


def _chunk_size(scenario: Scenario, cands: Candidates, settings: Settings, sampled: bool, runs: int) -> int:
    k = max(len(cands), 1)
    per_run = k * len(scenario.parties) * (len(scenario.stakeholders) + 4) if sampled else 0
    if settings.protocol == "mediator" or "learned" in settings.information:
        per_run += 4 * k * len(scenario.parties)
    per_run = max(per_run, 64)
    cells = SAMPLED_CELLS_PER_CHUNK if sampled else CELLS_PER_CHUNK
    return int(max(16, min(runs, cells // per_run, 50_000)))


def _openings(scenario: Scenario, openings) -> list[tuple[int, ...] | None]:
    if openings is False or openings is None:
        return [None] * len(scenario.parties)
    if openings is True:
        return [scenario.openings.get(p.id) for p in scenario.parties]
    given = openings
    unknown = [p for p in given if p not in [x.id for x in scenario.parties]]
    if unknown:
        raise DealcraftError(f"unknown party {unknown[0]!r} in openings: use one of the parties at the table")
    return [scenario.package(given[p.id]) if p.id in given else None for p in scenario.parties]


def _concat(parts: list[Batch]) -> Batch:
    if len(parts) == 1:
        return parts[0]
    records = [b.record for b in parts]
    record = None
    if all(r is not None for r in records):
        record = Record(
            records[0].proposer,
            [np.concatenate(x) for x in zip(*(r.offer for r in records), strict=True)],
            [np.concatenate(x) for x in zip(*(r.aspiration for r in records), strict=True)],
            [np.concatenate(x) for x in zip(*(r.accepts for r in records), strict=True)],
            [np.concatenate(x) for x in zip(*(r.live for r in records), strict=True)],
            [np.concatenate(x) for x in zip(*(r.utility for r in records), strict=True)],
        )
    return Batch(
        *(
            np.concatenate([getattr(b, f) for b in parts])
            for f in ("outcome", "agreement", "rounds", "walked_out")
        ),
        np.concatenate([b.vetoed for b in parts]),
        np.concatenate([b.utility for b in parts]),
        record,
    )

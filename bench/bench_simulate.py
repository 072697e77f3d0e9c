"""Negotiations per second of the vectorised simulator, against NegMAS's SAO mechanism.

Domain: the built-in scenario's two-party projection (US vs DPRK), the same candidate offers
for both tools, point-estimate preferences, 50-round alternating offers, time-based agents
(dealcraft: Boulware e = 0.2 vs Conceder e = 5 / linear vs linear; NegMAS: AspirationNegotiator
with the same aspiration types). NegMAS is optional (AGPL): install it into a separate venv,
e.g. ``python3 -m venv /work/benchvenv && /work/benchvenv/bin/pip install negmas -e .``, and run
this script with that interpreter; without NegMAS the comparison is skipped.

Run: ``python bench/bench_simulate.py`` (about a minute).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from dealcraft.analysis.simulate import candidates, project, simulate  # noqa: E402
from dealcraft.analysis.simulate.tables import build_tables  # noqa: E402
from dealcraft.engine.sampling import ParameterSpace  # noqa: E402
from dealcraft.model.load import load  # noqa: E402
from dealcraft.service.bargaining_json import summarize  # noqa: E402

from results import write_section  # noqa: E402

ROUNDS = 50
RUNS = 100_000
NEGMAS_RUNS = 40
PAIRS = [("linear", "linear"), ("boulware", "conceder")]


def timed(fn, repeat: int = 3) -> float:
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def negmas_rate(scenario, cands, pair) -> tuple[float, float] | None:
    try:
        from negmas import AspirationNegotiator, SAOMechanism, make_issue
        from negmas.preferences import LinearAdditiveUtilityFunction
    except ImportError:
        return None
    tables = build_tables(scenario, cands, ParameterSpace(scenario).point())
    k = len(cands)
    issues = [make_issue(values=k, name="package")]
    ufuns = [
        (tables.utility[0, q].tolist(), float(tables.reservation[0, q])) for q in range(len(scenario.parties))
    ]
    deals = 0

    def one() -> bool:
        m = SAOMechanism(issues=issues, n_steps=ROUNDS)
        for (values, reserve), kind in zip(ufuns, pair, strict=True):
            ufun = LinearAdditiveUtilityFunction(
                values={"package": dict(enumerate(values))},
                outcome_space=m.outcome_space,
                reserved_value=reserve,
            )
            m.add(AspirationNegotiator(aspiration_type=kind), ufun=ufun)
        return m.run().agreement is not None

    one()  # warm-up
    start = time.perf_counter()
    for _ in range(NEGMAS_RUNS):
        deals += one()
    return NEGMAS_RUNS / (time.perf_counter() - start), deals / NEGMAS_RUNS


def main() -> None:
    scenario = project(load("hanoi-2019"), ["us", "dprk"])
    start = time.perf_counter()
    cands = candidates(scenario)
    setup = time.perf_counter() - start
    rows = []
    for pair in PAIRS:
        kw = dict(
            strategies={"us": [pair[0]], "dprk": [pair[1]]},
            rounds=ROUNDS,
            openings=False,
            uncertainty=False,
            cands=cands,
        )
        seconds = timed(lambda kw=kw: simulate(scenario, runs=RUNS, **kw))
        rate = RUNS / seconds
        summary = summarize(simulate(scenario, runs=1000, **kw))
        deal = 1 - summary["p_walkout"]  # agreed at the table, ratified or not
        sampled = timed(lambda kw=kw: simulate(scenario, runs=RUNS // 4, **{**kw, "uncertainty": True}))
        peer = negmas_rate(scenario, cands, pair)
        rows.append((pair, rate, deal, RUNS // 4 / sampled, peer))
        print(pair, f"{rate:,.0f}/s", peer, flush=True)
    lines = [
        "## simulate: negotiations per second",
        "",
        f"Built-in scenario `hanoi-2019` projected on US vs DPRK; {len(cands)} candidate offers "
        f"(efficient packages of the {scenario.size:,}-package space, found in {setup:.1f} s); "
        f"{ROUNDS}-round alternating offers; point-estimate preferences unless noted. "
        "dealcraft advances all runs together as arrays; NegMAS `SAOMechanism` runs one session at a time "
        "with `AspirationNegotiator` agents on the same candidate offers and utilities.",
        "",
        "| agents (US vs DPRK) | dealcraft negotiations/s | with sampled preferences | NegMAS negotiations/s "
        "| ratio | P(table agreement): dealcraft / NegMAS |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for pair, rate, deal, sampled_rate, peer in rows:
        if peer is None:
            lines.append(
                f"| {pair[0]} vs {pair[1]} | {rate:,.0f} | {sampled_rate:,.0f} | not installed | — "
                f"| {deal:.2f} / — |"
            )
        else:
            lines.append(
                f"| {pair[0]} vs {pair[1]} | {rate:,.0f} | {sampled_rate:,.0f} | {peer[0]:,.1f} | "
                f"{rate / peer[0]:,.0f}× | {deal:.2f} / {peer[1]:.2f} |"
            )
    lines += [
        "",
        f"dealcraft: best of 3 runs of {RUNS:,} negotiations "
        f"(sampled preferences: best of 3 runs of {RUNS // 4:,}); "
        f"NegMAS: {NEGMAS_RUNS} sessions after one warm-up. Agreement rates count table agreements "
        "(NegMAS has no level II; in dealcraft most of these US–DPRK table agreements are then vetoed "
        "at home unless the agents anticipate ratification).",
    ]
    write_section("simulate", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

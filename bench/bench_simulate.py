"""Negotiations per second of the vectorised simulator, against NegMAS's SAO mechanism.

Domain: the built-in scenario's two-party projection (US vs DPRK), the same candidate offers
for both tools, 50-round alternating offers (one case with a mediator). NegMAS comparison:
point-estimate preferences and time-based agents (dealcraft: Boulware e = 0.2 vs Conceder
e = 5 / linear vs linear; NegMAS: AspirationNegotiator with the same aspiration types).
NegMAS is optional (AGPL): install it into a separate venv, e.g.
``python3 -m venv /work/benchvenv && /work/benchvenv/bin/pip install negmas -e .``, and run
this script with that interpreter; without NegMAS the comparison is skipped.

The headline rate mixes all five strategies per party and samples each run's preferences: with
point preferences and one strategy per party every run is the same negotiation, so that rate
counts copies (kept in the table for the comparison with NegMAS).
``--baseline REV`` also times the same cases on the simulator of git revision REV (its ``src/``
extracted to a temporary folder and run in a subprocess, the two taking turns case by case)
and reports the ratio. Rates are per CPU second: the machine may be shared.

Run: ``python bench/bench_simulate.py [--baseline main]`` (a few minutes).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
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
SAMPLED_RUNS = 25_000
MEDIATOR_RUNS = 5_000
NEGMAS_RUNS = 40
PAIRS = [("linear", "linear"), ("boulware", "conceder")]
MIX = ["boulware", "linear", "conceder", "tit-for-tat", "hardliner"]
# (label, strategies per party, protocol, sampled preferences, runs); the first is the headline
CASES = [
    ("mixed strategies, sampled preferences", (MIX, MIX), "alternating", True, SAMPLED_RUNS),
    ("mixed strategies, sampled preferences, mediator", (MIX, MIX), "mediator", True, MEDIATOR_RUNS),
    ("mixed strategies, point preferences", (MIX, MIX), "alternating", False, RUNS),
    *(
        (f"{a} vs {b}, {('point', 'sampled')[sampled]} preferences", ([a], [b]), "alternating", sampled, n)
        for a, b in PAIRS
        for sampled, n in ((False, RUNS), (True, SAMPLED_RUNS))
    ),
]


def timed(fn, repeat: int = 3) -> float:
    """Best CPU seconds of ``repeat`` calls: the machine is shared, so wall time measures the load."""
    best = np.inf
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def setting(case) -> dict:
    _, (us, dprk), protocol, sampled, _ = case
    return dict(
        strategies={"us": us, "dprk": dprk},
        rounds=ROUNDS,
        protocol=protocol,
        openings=False,
        uncertainty=sampled,
    )


def rate(scenario, cands, case, repeat: int = 2) -> float:
    """Negotiations per CPU second of one case (best of ``repeat``)."""
    kw, runs = setting(case), case[-1]
    return runs / timed(lambda: simulate(scenario, runs=runs, cands=cands, **kw), repeat)


def serve() -> None:
    """Baseline side: time the case whose index arrives on stdin, answer on stdout."""
    scenario, cands, _ = scenario_and_candidates()
    print("ready", flush=True)
    for line in sys.stdin:
        print(rate(scenario, cands, CASES[int(line)]), flush=True)


class Baseline:
    """Revision ``rev``'s simulator (its ``src/`` extracted to a temporary folder) in a
    subprocess, asked case by case so both sides see the same load on a shared machine."""

    def __init__(self, rev: str):
        root = Path(__file__).resolve().parent.parent
        self.tmp = tempfile.TemporaryDirectory()
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", rev, "src"], check=True, capture_output=True
        )
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(self.tmp.name, filter="data")
        env = {**os.environ, "PYTHONPATH": str(Path(self.tmp.name) / "src")}
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stdout.readline().strip() == "ready"

    def rate(self, index: int) -> float:
        self.proc.stdin.write(f"{index}\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()
        self.tmp.cleanup()


def measure(scenario, cands, baseline: Baseline | None) -> tuple[dict[str, float], dict[str, float]]:
    """Rates of every case, now and (if given) on the baseline; two passes in swapped order."""
    now: dict[str, float] = {}
    before: dict[str, float] = {}
    for i, case in enumerate(CASES):
        for first in (True, False) if baseline else (True,):
            if baseline and first:
                before[case[0]] = max(before.get(case[0], 0.0), baseline.rate(i))
            now[case[0]] = max(now.get(case[0], 0.0), rate(scenario, cands, case))
            if baseline and not first:
                before[case[0]] = max(before.get(case[0], 0.0), baseline.rate(i))
        print(f"{case[0]}: {now[case[0]]:,.0f}/s (before {before.get(case[0], 0):,.0f}/s)", file=sys.stderr)
    return now, before


def scenario_and_candidates():
    scenario = project(load("hanoi-2019"), ["us", "dprk"])
    start = time.perf_counter()
    cands = candidates(scenario)
    return scenario, cands, time.perf_counter() - start


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
    start = time.process_time()
    for _ in range(NEGMAS_RUNS):
        deals += one()
    return NEGMAS_RUNS / (time.process_time() - start), deals / NEGMAS_RUNS


def main() -> None:
    if "--serve" in sys.argv:
        serve()
        return
    rev = sys.argv[sys.argv.index("--baseline") + 1] if "--baseline" in sys.argv else None
    baseline = Baseline(rev) if rev else None
    scenario, cands, setup = scenario_and_candidates()
    rates, before = measure(scenario, cands, baseline)
    if baseline:
        baseline.close()
    deals = {
        case[0]: 1 - summarize(simulate(scenario, runs=1000, cands=cands, **setting(case)))["p_walkout"]
        for case in CASES
    }
    peers = {pair: negmas_rate(scenario, cands, pair) for pair in PAIRS}
    head = CASES[0][0]
    lines = [
        "## simulate: negotiations per second",
        "",
        f"**Headline: {rates[head]:,.0f} negotiations/s** ({head}: each run draws one of the five "
        "strategies per party and its own preferences from the scenario's ranges, so every run is a "
        "different negotiation). With point preferences and one strategy per party every run is the "
        "same negotiation, so those rates count copies; they stay in the table for the comparison "
        "with NegMAS.",
        "",
        f"Built-in scenario `hanoi-2019` projected on US vs DPRK; {len(cands)} candidate offers "
        f"(efficient packages of the {scenario.size:,}-package space, found in {setup:.1f} s); "
        f"{ROUNDS}-round alternating offers unless noted; no scripted openings. "
        "dealcraft advances all runs together as arrays; NegMAS `SAOMechanism` runs one session at a time "
        "with `AspirationNegotiator` agents on the same candidate offers and utilities.",
        "",
    ]
    cols = "| case (US vs DPRK) | runs | dealcraft negotiations/s |"
    rule = "|---|---:|---:|"
    if before:
        cols += f" before (`{rev}`) | ratio |"
        rule += "---:|---:|"
    lines += [cols + " NegMAS negotiations/s | ratio to NegMAS | P(table agreement): dealcraft / NegMAS |"]
    lines += [rule + "---:|---:|---|"]
    for case in CASES:
        label, (us, dprk), _, sampled, runs = case
        rate = rates[label]
        row = f"| {label} | {runs:,} | {rate:,.0f} |"
        if before:
            old = before.get(label)
            row += f" {old:,.0f} | {rate / old:.2f}× |" if old else " — | — |"
        pair = (us[0], dprk[0]) if len(us) == 1 and not sampled else None
        peer = peers.get(pair) if pair else None
        if peer is None:
            row += f" {'not installed' if pair else '—'} | — | {deals[label]:.2f} / — |"
        else:
            row += f" {peer[0]:,.1f} | {rate / peer[0]:,.0f}× | {deals[label]:.2f} / {peer[1]:.2f} |"
        lines.append(row)
    lines += [
        "",
        "Rates are per CPU second of the process (the machine is shared with other jobs). "
        "dealcraft: best of 2 runs of the given number of negotiations"
        + (", twice, the two versions taking turns" if before else "")
        + "; "
        f"NegMAS: {NEGMAS_RUNS} sessions after one warm-up. "
        + (f"Before: the same cases on revision `{rev}` in a subprocess of the same run. " if rev else "")
        + "Agreement rates count table agreements over 1,000 runs "
        "(NegMAS has no level II; in dealcraft most of these US–DPRK table agreements are then vetoed "
        "at home unless the agents anticipate ratification).",
    ]
    write_section("simulate", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

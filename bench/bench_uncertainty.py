"""Samples x packages per second of the batched Monte Carlo, against the plain per-sample loop.

Scenario: the built-in `hanoi-2019` (its whole package space). Baseline: for each sample, the
core engine's exact scan (`BlockEvaluator` over every block with that sample's parameters),
accumulating the same counts. Batched: `count_space` (head/tail half tables broadcast over
chunks of samples and rows; stakeholders whose numbers never vary evaluated once). Both in
this process, one core. Then the whole `robust` analysis for 1,000 samples in-process and on a
local Dask cluster of 2 worker processes (wall clock, including cluster start-up), and a check
that both give the same numbers.

Run: ``python bench/bench_uncertainty.py`` (about a minute and a half).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from dealcraft.analysis.backend import backend  # noqa: E402
from dealcraft.analysis.uncertainty.montecarlo import count_space  # noqa: E402
from dealcraft.analysis.uncertainty.robust import robust  # noqa: E402
from dealcraft.engine.block_verdicts import BlockEvaluator  # noqa: E402
from dealcraft.engine.sampled import varying_stakeholders  # noqa: E402
from dealcraft.engine.sampling import ParameterSpace  # noqa: E402
from dealcraft.model.load import load  # noqa: E402

from results import write_section  # noqa: E402

LOOP_SAMPLES = 5
BATCH_SAMPLES = 300
ROBUST_SAMPLES = 1000


def loop_counts(scenario, sampled) -> np.ndarray:
    """The plain way: one exact scan per sample."""
    agree = np.zeros(scenario.size, dtype=np.int64)
    for k in range(len(sampled)):
        for r in BlockEvaluator(scenario, sampled.one(k)):
            agree[r.block.start * r.block.tail : r.block.stop * r.block.tail] += r.agree.reshape(-1)
    return agree


def main() -> None:
    sc = load("hanoi-2019")
    space = ParameterSpace(sc)
    sampled = space.sample(0, LOOP_SAMPLES)
    moving = int(varying_stakeholders(space.sample(0, 64)).sum())

    start = time.perf_counter()
    reference = loop_counts(sc, sampled)
    loop_s = time.perf_counter() - start
    loop_rate = LOOP_SAMPLES * sc.size / loop_s

    start = time.perf_counter()
    batched = count_space(sc, BATCH_SAMPLES, seed=0)
    batch_s = time.perf_counter() - start
    batch_rate = BATCH_SAMPLES * sc.size / batch_s
    same = np.array_equal(count_space(sc, LOOP_SAMPLES, seed=0).agree, reference)
    assert batched.agree.size == sc.size

    start = time.perf_counter()
    local = robust(sc, ROBUST_SAMPLES, seed=0)
    robust_s = time.perf_counter() - start
    start = time.perf_counter()
    with backend(workers=2) as two:
        spread = robust(sc, ROBUST_SAMPLES, seed=0, backend=two)
    dask_s = time.perf_counter() - start
    identical = all(
        np.array_equal(getattr(local.counts, f), getattr(spread.counts, f))
        for f in ("agree", "parties", "stakeholders", "any_agree")
    )
    ratio = batch_rate / loop_rate
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    body = f"""## Uncertainty: samples × packages per second (`bench/bench_uncertainty.py`)

Built-in scenario `{sc.id}`: {sc.size:,} packages, {len(space.uncertain)} uncertain numbers
({moving} of {len(sc.stakeholders)} stakeholders vary). Baseline: one exact core scan
(`BlockEvaluator`) per sample. Batched: `count_space` (half tables broadcast over chunks of
samples × rows, fixed stakeholders evaluated once). One core, same process.

| method | samples | seconds | samples × packages / s | ratio |
|---|---:|---:|---:|---:|
| per-sample loop (core scan) | {LOOP_SAMPLES} | {loop_s:.2f} | {loop_rate:,.0f} | 1× |
| batched meet-in-the-middle | {BATCH_SAMPLES} | {batch_s:.2f} | {batch_rate:,.0f} | {ratio:.1f}× |

Same counts as the loop on the first {LOOP_SAMPLES} samples: {"yes" if same else "NO"}.

Whole `robust` analysis ({ROBUST_SAMPLES:,} samples over the whole space, plus the point-value
proposals and their expected Nash products): {robust_s:.1f} s in-process; {dask_s:.1f} s on a
local Dask cluster of 2 worker processes, start-up included (identical numbers:
{"yes" if identical else "NO"}). The machine has {os.cpu_count()} cores, shared with other jobs
(1-minute load average {load1:.1f} at the end of the run), so the 2-worker figure is an upper
bound, not a speed-up measurement.
"""
    write_section("uncertainty", body)
    print(body)


if __name__ == "__main__":
    main()

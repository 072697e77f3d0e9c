"""Roadmap solvers: CP-SAT time to optimality versus step count, and against the exact DP.

Instances look like negotiation roadmaps: three parties, each step carried out by one of
them (a loss for it, a gain for the others, part of both reversible), chains of steps per
issue plus a few cross-issue prerequisites, verification lags from a few weeks to a year.
Run: /work/venv/bin/python bench/bench_roadmap.py [SEEDS]   (writes its section of bench/RESULTS.md)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from dealcraft.analysis.roadmap.cpsat import solve_cpsat  # noqa: E402
from dealcraft.analysis.roadmap.exact import solve_exact  # noqa: E402
from dealcraft.analysis.roadmap.problem import SCALE, Instance  # noqa: E402

from results import write_section  # noqa: E402

WEEKS = np.array([0, 2, 4, 8, 12, 26, 52]) * 100
SIZES = (10, 20, 40, 80)
SEEDS = 10  # instances per size (the first three are those of the earlier figures)
TIME_LIMIT = 10.0


def instance(n: int, seed: int, parties: int = 3) -> Instance:
    """A random roadmap problem of ``n`` steps (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    actor = np.zeros(n, dtype=np.int64)
    prereqs: list[tuple[int, ...]] = []
    s = 0
    while s < n:  # one issue: a chain of 1-4 steps by one party
        length = min(n - s, int(rng.integers(1, 5)))
        who = int(rng.integers(parties))
        for k in range(length):
            actor[s + k] = who
            pre = [s + k - 1] if k else []
            if s and rng.random() < 0.15:  # a cross-issue prerequisite on an earlier step
                pre.append(int(rng.integers(s)))
            prereqs.append(tuple(sorted(set(pre))))
        s += length
    value = rng.uniform(0.005, 0.04, size=n)
    kept = np.empty((n, parties))
    for p in range(parties):
        mine = actor == p
        kept[:, p] = np.where(mine, -value, value * rng.uniform(0.5, 1.2, size=n))
    reversible = np.where(rng.random(n) < 0.5, rng.uniform(0.5, 0.95, size=n), rng.uniform(0.0, 0.3, size=n))
    kept = np.rint(kept * (1 - reversible)[:, None] * SCALE).astype(np.int64)
    trust = np.full(parties, int(0.03 * SCALE), dtype=np.int64)
    return Instance(kept, rng.choice(WEEKS, size=n), trust, tuple(prereqs), actor)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def main(seeds: int = SEEDS) -> None:
    rows = []
    for n in SIZES:
        cp_times, ex_times, statuses, agree, feasible = [], [], [], [], 0
        for seed in range(seeds):
            inst = instance(n, 1000 * n + seed)
            cp, t_cp = timed(solve_cpsat, inst, time_limit=TIME_LIMIT)
            cp_times.append(t_cp)
            statuses.append(cp.status)
            feasible += cp.feasible
            if n <= 10:
                ex, t_ex = timed(solve_exact, inst)
                ex_times.append(t_ex)
                agree.append(
                    ex.score.key(ex.feasible) == cp.score.key(cp.feasible) and ex.feasible == cp.feasible
                )
            print(f"n={n} seed={seed}: cp-sat {t_cp:.2f}s {cp.status}", file=sys.stderr)
        optimal = statuses.count("OPTIMAL")
        exact = "—"
        if ex_times:
            ratio = statistics.median(ex_times) / statistics.median(cp_times)
            same = f"same objective {sum(agree)}/{len(agree)}"
            exact = f"{statistics.median(ex_times):.2f} s ({ratio:.2f}× CP-SAT), {same}"
        rows.append(
            f"| {n} | {statistics.median(cp_times):.2f} s | {max(cp_times):.2f} s | {optimal}/{seeds} | "
            f"{feasible}/{seeds} | {exact} |"
        )
    body = "\n".join(
        [
            "## Roadmap sequencing (`bench/bench_roadmap.py`)",
            "",
            f"Random negotiation-like instances (3 parties, issue chains, cross-issue prerequisites), "
            f"{seeds} seeds per size; CP-SAT on one worker (the deterministic default), "
            f"{TIME_LIMIT:g} s limit for all objective stages together. The exhaustive solver is the "
            "Pareto-label DP over sets of done steps (the test reference).",
            "",
            "| steps | CP-SAT median | CP-SAT max | proven optimal | feasible | exact DP median |",
            "|---:|---:|---:|---:|---:|---|",
            *rows,
        ]
    )
    write_section("roadmap", body)
    print(body)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else SEEDS)

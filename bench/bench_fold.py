"""The fold (exact frontier without enumerating) on spaces far beyond enumeration.

1. Frontier + four solutions, 2 parties x 1 stakeholder, 30 issues x 4 options (~1.2e18), with
   reservations (target: under 1 s).
2. 3 parties x 2 stakeholders at ~1e12 (20 issues x 4 options), and smaller issue counts.
3. ``analyze`` at 1e8 packages with exact counts: fold + counting-only enumeration against the
   enumeration engine (same process, same scenario, same JSON).
4. NegMAS at 1e6 outcomes (only with --negmas-python pointing at a venv that has negmas).
5. Scaling with parties and stakeholders at a fixed issue count: time, peak memory, frontier
   size; each case in a subprocess with a time limit and the fold's memory cap.

Run: python bench/bench_fold.py [--quick] [--negmas-python PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_analyze import random_scenario  # noqa: E402

from dealcraft.analysis.analyze import analyze  # noqa: E402
from dealcraft.engine.folded import fold_frontier  # noqa: E402
from dealcraft.engine.frontier import SOLUTIONS  # noqa: E402
from dealcraft.errors import DealcraftError  # noqa: E402
from dealcraft.model.load import from_data  # noqa: E402
from dealcraft.service.analysis import analysis_json as to_json  # noqa: E402

from results import write_section  # noqa: E402

HERE = Path(__file__)
CASE_SECONDS = 180  # time limit of one subprocess case
CASE_MEMORY = 1 << 30  # the fold's memory cap in the subprocess cases
LONG_CASE_SECONDS = 900  # the 3 x 2 cases up to 10^12 packages


def random_data(parties: int, members: int, issues: int, radix: int, seed: int, reservation: float) -> dict:
    """Each issue has a giver whose stakeholders lose as it moves up while the others gain;
    random weights and values; every stakeholder has the same reservation."""
    rng = np.random.default_rng(seed)
    ids = [f"p{p}" for p in range(parties)]
    opts = [{"id": f"o{k}"} for k in range(radix)]
    issue_list = [
        {"id": f"i{i}", "giver": ids[i % parties], "status_quo": "o0", "options": opts} for i in range(issues)
    ]
    prefs = {}
    for p in range(parties):
        for m in range(members):
            values = {}
            for i in range(issues):
                v = np.sort(rng.random(radix))
                values[f"i{i}"] = {
                    f"o{k}": float(x) for k, x in enumerate(v[::-1] if i % parties == p else v)
                }
            prefs[f"p{p}.s{m}"] = {
                "reservation": reservation,
                "weights": {f"i{i}": float(rng.random()) for i in range(issues)},
                "values": values,
            }
    return {
        "dealcraft": 1,
        "id": f"random-{parties}x{members}-{issues}x{radix}",
        "parties": [{"id": q, "stakeholders": [{"id": f"s{m}"} for m in range(members)]} for q in ids],
        "issues": issue_list,
        "preferences": prefs,
    }


def frontier_and_solutions(sc) -> tuple[float, int, float]:
    """Seconds for frontier + four solutions, frontier size, peak MiB (traced separately)."""
    seconds, _, size, peak = traced_run(sc, traced=False)
    return seconds, size, traced_run(sc)[3] if peak is None else peak


def traced_run(sc, traced: bool = True) -> tuple[float, float, int, float | None]:
    """One fold + four solutions: wall seconds, CPU seconds (this process; what other jobs on a
    shared machine do not inflate), frontier size, peak MiB of traced allocations (numpy's
    arrays included) when ``traced``."""
    if traced:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    f = fold_frontier(sc, memory=CASE_MEMORY)
    for solve in SOLUTIONS.values():
        solve(f.utilities, sc.disagreement)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = None
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return elapsed, cpu, len(f), peak


def run_case(
    parties: int, members: int, issues: int, radix: int, seed: int, reservation: float, limit: int = 0
) -> dict:
    """One case in a subprocess: a clear error or a time limit instead of a stuck machine."""
    limit = limit or CASE_SECONDS
    cmd = [
        sys.executable,
        str(HERE),
        "--case",
        *map(str, (parties, members, issues, radix, seed, reservation)),
    ]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"not finished in {limit} s"}
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout)


def case_main(args: list[str]) -> None:
    parties, members, issues, radix, seed = (int(x) for x in args[:5])
    sc = from_data(random_data(parties, members, issues, radix, seed, float(args[5])), "<bench>")
    try:
        seconds, cpu, size, peak = traced_run(sc)
    except DealcraftError as e:
        print(str(e).split(". Each")[0], file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "frontier": size, "peak_mib": peak}))


def fmt_case(r: dict) -> str:
    if "error" in r:
        return f"— | — | — | — | {r['error']}"
    return f"{r['seconds']:.1f} | {r['cpu']:.1f} | {r['peak_mib']:.0f} | {r['frontier']:,} | "


def section_two_party(seeds: int) -> str:
    rows = []
    for seed in range(seeds):
        sc = from_data(random_data(2, 1, 30, 4, seed, 0.4), "<bench>")
        best = min(frontier_and_solutions(sc)[0] for _ in range(3))
        rows.append(f"| {seed} | {sc.size:.2e} | {best:.3f} | {len(fold_frontier(sc)):,} |")
    return (
        "### 2 parties x 1 stakeholder, 30 issues x 4 options, reservations 0.4\n\n"
        "Frontier of the agreement set + Nash, Kalai–Smorodinsky, egalitarian, utilitarian; best of 3.\n\n"
        "| seed | packages | seconds | frontier points |\n|---:|---:|---:|---:|\n" + "\n".join(rows)
    )


COLUMNS = "seconds | CPU s | peak MiB | frontier points | note"


def section_three_by_two(issue_counts: list[int]) -> str:
    rows = []
    for issues in issue_counts:
        r = run_case(3, 2, issues, 4, 0, 0.5, limit=LONG_CASE_SECONDS)
        rows.append(f"| {issues} | {4**issues:.1e} | {fmt_case(r)} |")
    return (
        "### 3 parties x 2 stakeholders, 4 options per issue, reservations 0.5\n\n"
        f"Each case in a subprocess (limit {LONG_CASE_SECONDS} s, fold memory cap "
        f"{CASE_MEMORY // 2**20} MiB), one traced run. Seconds are wall time on a 2-core machine "
        "shared with other jobs; CPU s is this process's own time, which they do not inflate.\n\n"
        f"| issues | packages | {COLUMNS} |\n"
        "|---:|---:|---:|---:|---:|---:|---|\n" + "\n".join(rows)
    )


def section_analyze(exponent: int) -> str:
    sc = from_data(random_scenario(exponent, 0), "<bench>")
    timings = {}
    results = {}
    for method in ("enumerate", "fold"):
        start = time.perf_counter()
        results[method] = analyze(sc, 3, method=method)
        timings[method] = time.perf_counter() - start
    same = to_json(results["fold"]) | {"method": None} == to_json(results["enumerate"]) | {"method": None}
    return (
        f"### `analyze` at 10^{exponent} packages, exact counts\n\n"
        "Random 2-party scenario of `bench_analyze.py` (10 options per issue). `enumerate` is the "
        "enumeration engine (frontier bookkeeping per block); `fold` is the fold for the frontier plus "
        "a counting-only enumeration for the exact counts. One run each, same process.\n\n"
        "| method | seconds | ratio | same JSON |\n|---|---:|---:|:---:|\n"
        f"| enumerate | {timings['enumerate']:.2f} | 1.0× | |\n"
        f"| fold | {timings['fold']:.2f} | {timings['enumerate'] / timings['fold']:.1f}× | "
        f"{'yes' if same else 'NO'} |"
    )


NEGMAS_SCRIPT = """
import json, sys, time
import numpy as np
from negmas import make_issue
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.preferences.ops import pareto_frontier, pareto_frontier_numpy
data = json.load(sys.stdin)
issues = [make_issue([o["id"] for o in i["options"]], name=i["id"]) for i in data["issues"]]
ufuns = []
for party in ("a", "b"):
    pref = data["preferences"][party + ".lead"]
    total = sum(pref["weights"].values())
    values = [pref["values"][i["id"]] for i in data["issues"]]
    weights = [pref["weights"][i["id"]] / total for i in data["issues"]]
    ufuns.append(LinearAdditiveUtilityFunction(values=values, weights=weights, issues=issues))
t = time.perf_counter(); points, _ = pareto_frontier(ufuns, issues=issues); full = time.perf_counter() - t
tables = []
for party in ("a", "b"):
    pref = data["preferences"][party + ".lead"]
    total = sum(pref["weights"].values())
    tables.append([[pref["weights"][i["id"]] / total * pref["values"][i["id"]][o["id"]] for o in i["options"]]
                   for i in data["issues"]])
grid = np.stack(np.meshgrid(*[np.arange(len(i["options"])) for i in data["issues"]], indexing="ij"), -1)
grid = grid.reshape(-1, len(data["issues"]))
utils = np.stack([sum(np.asarray(t[k])[grid[:, k]] for k in range(len(t))) for t in tables], axis=1)
t = time.perf_counter(); idx = pareto_frontier_numpy(utils); fast = time.perf_counter() - t
print(json.dumps({"full": full, "numpy": fast, "points": [list(p) for p in points],
                  "numpy_points": utils[np.asarray(idx)].tolist()}))
"""


def previous_negmas() -> str | None:
    """The NegMAS table of the last run that had NegMAS, from bench/RESULTS.md (None if none)."""
    text = (HERE.parent / "RESULTS.md").read_text("utf-8") if (HERE.parent / "RESULTS.md").exists() else ""
    start = text.find("### Against NegMAS at 10^6 outcomes")
    if start < 0:
        return None
    end = text.find("###", start + 3)
    block = text[start:end].split("\n\n", 1)[1].strip()
    if block.startswith("Kept from the last run"):
        block = block.split("\n\n", 1)[1]
    return block if "| NegMAS pareto_frontier |" in block else None


def section_negmas(python: str | None) -> str:
    head = "### Against NegMAS at 10^6 outcomes\n\n"
    if not python:
        kept = previous_negmas()
        if kept:
            note = "Kept from the last run with NegMAS (`--negmas-python` not given this time)."
            return head + note + "\n\n" + kept
        return head + "Skipped: run with `--negmas-python` pointing at a venv with negmas installed."
    data = random_scenario(6, 0)
    sc = from_data(data, "<bench>")
    out = subprocess.run(
        [python, "-c", NEGMAS_SCRIPT], input=json.dumps(data), capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        return head + f"Skipped: NegMAS failed ({(out.stderr.strip().splitlines() or ['?'])[-1]})."
    theirs = json.loads(out.stdout)
    best = min(frontier_and_solutions(sc)[0] for _ in range(3))
    ours = fold_frontier(sc).utilities

    def same(points) -> bool:
        a = np.unique(np.round(np.asarray(points, dtype=float), 9), axis=0)
        b = np.unique(np.round(ours, 9), axis=0)
        return a.shape == b.shape and bool(np.allclose(a, b, atol=1e-9))

    return head + (
        "Random 2-party scenario of `bench_analyze.py`, 6 issues x 10 options, reservation 0 (the "
        "frontier of all outcomes). NegMAS `pareto_frontier` from its utility functions, and "
        "`pareto_frontier_numpy` given utilities already computed by numpy (the fair baseline; the "
        "utility computation is not timed). dealcraft: fold frontier + four solutions, best of 3.\n\n"
        "| method | seconds | ratio (NegMAS / fold) | same frontier (1e-9) |\n|---|---:|---:|:---:|\n"
        f"| dealcraft fold | {best:.4f} | 1× | |\n"
        f"| NegMAS pareto_frontier | {theirs['full']:.3f} | {theirs['full'] / best:,.0f}× | "
        f"{'yes' if same(theirs['points']) else 'no'} |\n"
        f"| NegMAS pareto_frontier_numpy | {theirs['numpy']:.3f} | {theirs['numpy'] / best:,.0f}× | "
        f"{'yes' if same(theirs['numpy_points']) else 'no'} |"
    )


def section_scaling(issues: int, members: list[int]) -> str:
    rows = []
    for parties in (2, 3, 4, 5):
        for m in members:
            r = run_case(parties, m, issues, 4, 0, 0.5)
            rows.append(f"| {parties} | {m} | {parties * m} | {fmt_case(r)} |")
    return (
        f"### Scaling: {issues} issues x 4 options ({4**issues:.1e} packages), reservations 0.5\n\n"
        f"Each case in a subprocess, limit {CASE_SECONDS} s, fold memory cap {CASE_MEMORY // 2**20} MiB "
        "(a case above the cap stops with the fold's error instead of swapping). Peak MiB is the "
        "largest total of Python and numpy allocations during the fold (tracemalloc; the "
        "interpreter and libraries, about 240 MiB resident, come on top). Wall seconds on a shared "
        "2-core machine; CPU s is the case's own time.\n\n"
        f"| parties | stakeholders each | dimensions | {COLUMNS} |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---|\n" + "\n".join(rows)
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--case":
        case_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--negmas-python", default=None)
    args = parser.parse_args()
    parts = [
        "## Exact frontier beyond enumeration (`bench/bench_fold.py`)\n\n"
        "The fold builds the agreement set's Pareto frontier issue by issue (see docs/explanation.md); "
        "every result here is exact. One core, shared machine.",
        section_two_party(2 if args.quick else 5),
        section_three_by_two([10, 12] if args.quick else [12, 14, 16, 20]),
        section_analyze(6 if args.quick else 8),
        section_negmas(args.negmas_python),
        section_scaling(8 if args.quick else 14, [1, 2, 3]),
    ]
    body = "\n\n".join(parts)
    print(body)
    if not args.quick:
        write_section("fold", body)


if __name__ == "__main__":
    main()

"""Full-analysis speed on random linear-additive scenarios, and the ratio against NegMAS.

Builds 2-party scenarios of 10^4 ... 10^8 packages (10 options per issue, one stakeholder
per party, reservation 0 so the agreement set is the whole space and the frontier is the
plain Pareto frontier of all outcomes, the same question NegMAS's ``pareto_frontier``
answers). Reports packages/s for dealcraft's full analysis (agreement set, binding
stakeholders, frontier, four solutions, three proposals) and, where NegMAS is installed, the
time ratio on the frontier with a check that both find the same frontier.

Run: python bench/bench_analyze.py [--max-exp 8] [--negmas-max-exp 6]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from dealcraft.analysis.analyze import analyze  # noqa: E402
from dealcraft.model.load import from_data  # noqa: E402

from results import write_section  # noqa: E402

OPTIONS = 10
REPEATS = 3


def random_scenario(exponent: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    issues = [
        {"id": f"i{k}", "giver": "a" if k % 2 else "b", "options": [{"id": f"o{j}"} for j in range(OPTIONS)]}
        for k in range(exponent)
    ]
    prefs = {}
    for party in ("a", "b"):
        prefs[f"{party}.lead"] = {
            "reservation": 0.0,
            "weights": {
                i["id"]: float(w) for i, w in zip(issues, rng.uniform(0.1, 1, exponent), strict=True)
            },
            "values": {
                i["id"]: {
                    o["id"]: float(v) for o, v in zip(i["options"], rng.uniform(0, 1, OPTIONS), strict=True)
                }
                for i in issues
            },
        }
    return {
        "dealcraft": 1,
        "id": f"random-1e{exponent}",
        "parties": [{"id": p, "stakeholders": [{"id": "lead"}]} for p in ("a", "b")],
        "issues": issues,
        "preferences": prefs,
    }


def negmas_frontier(data: dict) -> tuple[float, set]:
    from negmas import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import pareto_frontier

    issues = [make_issue([o["id"] for o in i["options"]], name=i["id"]) for i in data["issues"]]
    ufuns = []
    for party in ("a", "b"):
        pref = data["preferences"][f"{party}.lead"]
        total = sum(pref["weights"].values())
        values = [pref["values"][i["id"]] for i in data["issues"]]
        weights = [pref["weights"][i["id"]] / total for i in data["issues"]]
        ufuns.append(LinearAdditiveUtilityFunction(values=values, weights=weights, issues=issues))
    start = time.perf_counter()
    points, _ = pareto_frontier(ufuns, issues=issues)
    elapsed = time.perf_counter() - start
    return elapsed, {tuple(round(x, 9) for x in p) for p in points}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-exp", type=int, default=8)
    parser.add_argument("--negmas-max-exp", type=int, default=6)
    args = parser.parse_args()
    try:
        import negmas  # noqa: F401

        have_negmas = True
    except ImportError:
        have_negmas = False
        print("negmas not installed: skipping the comparison (pip install negmas in a bench venv)")
    rows = []
    for exponent in range(4, args.max_exp + 1):
        data = random_scenario(exponent, seed=exponent)
        sc = from_data(data, data["id"])
        ours = math.inf
        for _ in range(REPEATS if exponent <= args.negmas_max_exp else 1):  # best of: the machine is shared
            start = time.perf_counter()
            result = analyze(sc, 3)
            ours = min(ours, time.perf_counter() - start)
        frontier = {tuple(round(float(x), 9) for x in v) for v in result.summary.frontier.utilities}
        row = {"size": sc.size, "ours": ours, "frontier": len(frontier), "negmas": None, "same": None}
        if have_negmas and exponent <= args.negmas_max_exp:
            runs = [negmas_frontier(data) for _ in range(REPEATS)]
            theirs, their_frontier = min(r[0] for r in runs), runs[0][1]
            row.update(negmas=theirs, same=their_frontier == frontier)
        rows.append(row)
        print(row, flush=True)
    lines = [
        "## Full analysis (`bench/bench_analyze.py`)",
        "",
        "Random 2-party linear-additive scenarios, 10 options per issue. dealcraft: whole analysis "
        "(agreement set, binding stakeholders, Pareto frontier, 4 solutions, 3 proposals). NegMAS: "
        "`negmas.preferences.ops.pareto_frontier` on the same domain (frontier only). Best of 3 "
        "runs each up to 10^6 packages (the machine is shared), one run above.",
        "",
        "| packages | dealcraft s | packages/s | frontier points | NegMAS s "
        "| ratio (NegMAS / dealcraft) | same frontier |",
        "|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in rows:
        neg = f"{r['negmas']:.2f}" if r["negmas"] is not None else "—"
        ratio = f"{r['negmas'] / r['ours']:.0f}×" if r["negmas"] is not None else "—"
        same = {True: "yes", False: "NO", None: "—"}[r["same"]]
        cells = [f"{r['size']:,}", f"{r['ours']:.2f}", f"{r['size'] / r['ours']:,.0f}", str(r["frontier"])]
        lines.append("| " + " | ".join([*cells, neg, ratio, same]) + " |")
    write_section("analyze", "\n".join(lines))


if __name__ == "__main__":
    main()

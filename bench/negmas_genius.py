"""Run under a NegMAS 0.16 interpreter (not dealcraft's): print NegMAS's Pareto frontier, Nash
points and reserved values for the GENIUS folders given, as JSON. Used by bench_genius.py."""

from __future__ import annotations

import json
import sys

from negmas.inout import Scenario
from negmas.preferences import nash_points, pareto_frontier


def main(folders: list[str]) -> None:
    out = {}
    for folder in folders:
        scenario = Scenario.from_genius_folder(folder, ignore_discount=True)
        ufuns = scenario.ufuns
        frontier, _ = pareto_frontier(ufuns, issues=scenario.outcome_space.issues)
        nash = nash_points(ufuns, frontier, issues=scenario.outcome_space.issues)
        out[folder] = {
            "parties": [u.name for u in ufuns],
            "reserved": [float(u.reserved_value) for u in ufuns],
            "frontier": [list(p) for p in frontier],
            "nash": [list(p) for p, _ in nash],
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])

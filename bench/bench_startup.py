"""Start-up of the command line against the libraries it cannot avoid.

Target (issue: fast start-up): `dealcraft scenarios` within 2x of
`python -c "import numpy, yaml, typer, rich"`, both timed as fresh processes in this run.
Also reports `dealcraft --help` and, for contrast, importing every analysis library.
Run: `python bench/bench_startup.py` (writes its section of bench/RESULTS.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from results import write_section  # noqa: E402

REPEATS = 9
BASELINE = [sys.executable, "-c", "import numpy, yaml, typer, rich"]
CLI = [sys.executable, "-m", "dealcraft.cli"]
CASES = {
    "baseline: import numpy, yaml, typer, rich": BASELINE,
    "dealcraft scenarios": [*CLI, "scenarios"],
    "dealcraft --help": [*CLI, "--help"],
    "everything: import ortools, scipy, dask, pydantic + dealcraft.service.*": [
        sys.executable,
        "-c",
        "import dealcraft.service.sequencing, dealcraft.service.uncertainty, dealcraft.service.bargaining",
    ],
}


def timings(cases: dict[str, list[str]]) -> dict[str, float]:
    """Median wall time of fresh processes per case. The cases take turns (round-robin), so a
    burst of load from other jobs on a shared machine falls on every case alike, and the median
    drops the rounds it hit hardest."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(REPEATS):
        for name, command in cases.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return {name: sorted(t)[len(t) // 2] for name, t in times.items()}


def main() -> None:
    """Time every case, print and record the ratios to the baseline."""
    load_before = os.getloadavg()[0]
    medians = timings(CASES)
    load_after = os.getloadavg()[0]
    base = medians[next(iter(CASES))]
    rows = [f"| {name} | {t * 1000:.0f} ms | {t / base:.2f}x |" for name, t in medians.items()]
    body = "\n".join(
        [
            "## Start-up (`bench/bench_startup.py`)",
            "",
            f"Median of {REPEATS} fresh processes each, the cases taking turns (round-robin); ratio "
            "to the baseline in the same run. Target: `dealcraft scenarios` within 2x of the baseline. "
            f"1-minute load average {load_before:.1f} before, {load_after:.1f} after "
            f"({os.cpu_count()} cores, shared).",
            "",
            "| command | time | vs baseline |",
            "|---|---|---|",
            *rows,
        ]
    )
    print(body)
    write_section("startup", body)


if __name__ == "__main__":
    main()

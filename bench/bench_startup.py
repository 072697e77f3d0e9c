"""Start-up of the command line against the libraries it cannot avoid.

Target (issue: fast start-up): `dealcraft scenarios` within 2x of
`python -c "import numpy, yaml, typer, rich"`, both timed as fresh processes in this run.
Also reports `dealcraft --help` and, for contrast, importing every analysis library.
Run: `python bench/bench_startup.py` (writes its section of bench/RESULTS.md).
"""

from __future__ import annotations

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


def best_of(command: list[str]) -> float:
    """Median wall time of fresh processes (the median resists a busy machine better than the best)."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main() -> None:
    """Time every case, print and record the ratios to the baseline."""
    timings = {name: best_of(cmd) for name, cmd in CASES.items()}
    base = timings[next(iter(CASES))]
    rows = [f"| {name} | {t * 1000:.0f} ms | {t / base:.2f}x |" for name, t in timings.items()]
    body = "\n".join(
        [
            "## Start-up (`bench/bench_startup.py`)",
            "",
            f"Median of {REPEATS} fresh processes each; ratio to the baseline in the same run. "
            "Target: `dealcraft scenarios` within 2x of the baseline.",
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

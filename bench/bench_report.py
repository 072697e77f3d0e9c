"""The briefing book: time and size of the full default report of hanoi-2019.

Targets (issue 11): under a minute on 2 cores, under 6 MB. The analyses dominate; the baseline
is the same analyses run bare in the same process, so the ratio is what the report adds.
Run: .venv/bin/python bench/bench_report.py [--pdf]   (writes its section of bench/RESULTS.md)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dealcraft import __version__  # noqa: E402
from dealcraft.model.load import load  # noqa: E402
from dealcraft.report.collect import collect  # noqa: E402
from dealcraft.report.output import write_text  # noqa: E402
from dealcraft.report.render import Meta, render, today  # noqa: E402
from dealcraft.report.sections import SECTIONS  # noqa: E402

from results import write_section  # noqa: E402

SAMPLES, RUNS, SEED = 1000, 1000, 0  # the command's defaults


def main(pdf: bool) -> None:
    jobs: dict[str, float] = {}

    @contextmanager
    def announce(label: str):
        start = time.perf_counter()
        yield
        jobs[label] = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "hanoi-2019-report.html"
        start = time.perf_counter()
        sc = load("hanoi-2019")
        data = collect(sc, SECTIONS, samples=SAMPLES, seed=SEED, runs=RUNS, announce=announce)
        analyses = time.perf_counter() - start
        meta = Meta(sc.title, sc.id, __version__, SEED, "dealcraft report", today())
        write_text(html, render(data, SECTIONS, meta))
        total = time.perf_counter() - start
        size = html.stat().st_size / 1e6
        pdf_seconds = None
        if pdf:
            from dealcraft.report.pdf import find_chromium, write_pdf

            start = time.perf_counter()
            write_pdf(html, html.with_suffix(".pdf"), find_chromium())
            pdf_seconds = time.perf_counter() - start
            pdf_size = html.with_suffix(".pdf").stat().st_size / 1e6
    rows = "\n".join(f"| {label} | {seconds:.1f} |" for label, seconds in jobs.items())
    body = (
        "## report (`dealcraft report`, hanoi-2019, all sections, 1,000 samples, 1,000 runs)\n\n"
        f"| job | seconds |\n|---|---:|\n{rows}\n"
        f"| rendering and writing the HTML | {total - analyses:.1f} |\n"
        f"| **total** | **{total:.1f}** (target < 60) |\n\n"
        f"HTML size **{size:.2f} MB** (target < 6 MB; plotly.js is ~4.6 MB of it). "
        f"Report / bare analyses: **{total / analyses:.3f}×** (rendering adds "
        f"{100 * (total - analyses) / analyses:.1f}%).\n"
    )
    busy = os.getloadavg()[0]
    body += (
        f"Machine: {os.cpu_count()} cores, load average {busy:.1f} at the end of the run "
        "(the absolute seconds scale with the load; the ratio does not).\n"
    )
    if pdf_seconds is not None:
        body += f"PDF through headless Chromium: {pdf_seconds:.1f} s more, {pdf_size:.2f} MB.\n"
    write_section("report", body)
    print(body)


if __name__ == "__main__":
    main("--pdf" in sys.argv[1:])

"""The long fuzz run: N seeded mutation cases over every seed scenario (built-in, docs/examples,
tests/data), counting tracebacks, hangs, invalid JSON, exit codes outside {0, 1, 2} and
silently accepted non-finite numbers. Writes its section of bench/RESULTS.md.

Run: python bench/fuzz.py [--cases 10000] [--seed 0] [--time-limit 60] [--max-seconds S]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import fuzz  # noqa: E402
from results import write_section  # noqa: E402

FAILURES = ("traceback", "hang", "invalid JSON", "accepted non-finite", "exit code 3", "memory")


def _partial(done: int, asked: int) -> str:
    return "" if done == asked else f" (of {asked:,} asked: stopped at the --max-seconds budget)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per command before a hang")
    parser.add_argument("--max-packages", type=int, default=3_000_000, help="passed to enumerating commands")
    parser.add_argument("--commands", type=int, default=1, help="analysis commands per accepted file")
    parser.add_argument("--max-seconds", type=float, default=float("inf"), help="stop early after this long")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not write RESULTS.md")
    args = parser.parse_args()

    start = time.perf_counter()

    def tick(k: int, outcomes: list[fuzz.Outcome]) -> None:
        bad = [o for o in outcomes if o.failure]
        for o in bad:
            print(
                f"case {o.case.seed}: {o.failure}: {' '.join(o.command[:1])} {o.detail[:200]}",
                file=sys.stderr,
            )
        if (k + 1) % 250 == 0:
            print(f"{k + 1:,} cases, {time.perf_counter() - start:.0f} s", file=sys.stderr)

    with tempfile.TemporaryDirectory() as folder:
        s = fuzz.fuzz(
            args.cases,
            Path(folder),
            seed=args.seed,
            time_limit=args.time_limit,
            max_packages=args.max_packages,
            commands=args.commands,
            on_case=tick,
            max_seconds=args.max_seconds,
        )
    elapsed = time.perf_counter() - start
    rows = "\n".join(f"| {name} | {s.failures.get(name, 0)} |" for name in FAILURES)
    other = sorted(set(s.failures) - set(FAILURES))
    rows += "".join(f"\n| {name} | {s.failures[name]} |" for name in other)
    codes = ", ".join(f"`{k}`: {v:,}" for k, v in sorted(s.exit_codes.items()))
    mutations = ", ".join(f"{k} {v:,}" for k, v in s.mutations.most_common())
    body = (
        "## Fuzzing (bench/fuzz.py)\n\n"
        f"{s.cases:,} mutated scenario files{_partial(s.cases, args.cases)} (seed {args.seed}) "
        f"from {', '.join(sorted(fuzz.corpus()))}; "
        f"each is checked with `check --json` and, when accepted ({s.accepted:,} files), run through "
        f"{args.commands} randomly chosen command(s) with `--json` (in-process, "
        f"{args.time_limit:g} s bound per command, `--max-packages {args.max_packages:,}`). "
        f"{s.commands:,} commands in {elapsed:.0f} s; peak resident memory {s.peak_rss_mb:,.0f} MB.\n\n"
        "| failure | count |\n|---|---|\n" + rows + "\n\n"
        f"Exit codes by command: {codes}.\n\nMutations applied: {mutations}.\n"
    )
    print(body)
    for o in s.examples:
        print(f"example: seed {o.case.seed} {o.case.mutations} {o.command[:1]} {o.failure}: {o.detail}")
    if not args.no_write:
        write_section("fuzz", body)


if __name__ == "__main__":
    main()

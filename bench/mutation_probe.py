"""Mutation probe: does the test suite notice deliberate one-line bugs in the core?

Each mutant replaces one exact piece of text in one file under src/dealcraft with a plausible
bug (a tie that flips, a sign, a forgotten term). Mutants are applied one at a time to a
temporary COPY of the project (src/, tests/, docs/, pyproject.toml): the real files are never
edited. The relevant tests run against the copy (PYTHONPATH points at the copied src/); a mutant
is *killed* when they fail, *survived* when they pass. A site whose text no longer occurs
exactly once stops the probe with an error, so refactors cannot silently retire a mutant:
update the table below instead.

    python bench/mutation_probe.py                  # every mutant, write bench/RESULTS.md
    python bench/mutation_probe.py --only batch,wilson  # mutants whose id starts with these
    python bench/mutation_probe.py --tests-from main  # score an older test suite (git revision)
    python bench/mutation_probe.py --list           # the table, nothing run
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from results import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("src", "tests", "docs", "pyproject.toml")
TIMEOUT = 600  # seconds per mutant: a mutant that hangs the suite counts as killed (timeout)
# Loaded by pytest in the copy only: a failing example is all a verdict needs, so hypothesis
# skips shrinking (often most of the time a killed mutant costs) and keeps no example database.
PROFILE = """from hypothesis import Phase, settings

settings.register_profile(
    "mutants", phases=[Phase.explicit, Phase.reuse, Phase.generate], database=None, print_blob=False
)
settings.load_profile("mutants")
"""

ENGINE = (
    "tests/test_engine_vs_reference.py",
    "tests/test_frontier.py",
    "tests/test_hanoi.py",
    "tests/test_explain.py",
    "tests/test_cli.py",
)
BATCH = (
    "tests/test_batch_ties.py",
    "tests/test_uncertainty_montecarlo.py",
    "tests/test_uncertainty_sensitivity.py",
    "tests/test_uncertainty_calibrate.py",
    "tests/test_uncertainty_cli.py",
)
STATS = (
    "tests/test_uncertainty_stats.py",
    "tests/test_uncertainty_montecarlo.py",
    "tests/test_uncertainty_cli.py",
)
ROADMAP = ("tests/test_roadmap.py", "tests/test_roadmap_reference.py")
SIMULATE = ("tests/test_simulate.py", "tests/test_candidates.py", "tests/test_simulate_cli.py")


@dataclass(frozen=True)
class Mutant:
    id: str
    path: str  # under src/dealcraft
    old: str  # exact text, must occur once
    new: str
    tests: tuple[str, ...]
    bug: str  # what the mutant gets wrong, in words


MUTANTS = [
    # --- batched Monte Carlo kernel ------------------------------------------------------------
    Mutant(
        "batch-fixed-reservation",
        "engine/sampled.py",
        "base[s] = (u >= sampled.reservations[0, s] - TOLERANCE) & ok[s]",
        "base[s] = (u > sampled.reservations[0, s] + TOLERANCE) & ok[s]",
        BATCH,
        "a stakeholder whose numbers never vary accepts only when u > r",
    ),
    Mutant(
        "batch-moving-reservation",
        "engine/sampled.py",
        "threshold = sampled.reservations[k0:k1, s, None] - TOLERANCE - head_u[k0:k1, s]",
        "threshold = sampled.reservations[k0:k1, s, None] + TOLERANCE - head_u[k0:k1, s]",
        BATCH,
        "a sampled stakeholder accepts only when u > r",
    ),
    Mutant(
        "batch-weighted-share",
        "engine/sampled.py",
        "return share >= self.threshold - TOLERANCE",
        "return share > self.threshold + TOLERANCE",
        BATCH,
        "a weighted party with sampled members ratifies only when share > threshold",
    ),
    Mutant(
        "batch-weighted-fixed-share",
        "engine/sampled.py",
        "return self.base >= self.threshold - TOLERANCE",
        "return self.base > self.threshold + TOLERANCE",
        BATCH,
        "a weighted party of fixed members ratifies only when share > threshold",
    ),
    Mutant(
        "batch-verdicts-reservation",
        "engine/sampled.py",
        "accepts = (u >= sampled.reservations[:, :, None] - TOLERANCE) & own[None] & feasible",
        "accepts = (u > sampled.reservations[:, :, None] + TOLERANCE) & own[None] & feasible",
        BATCH,
        "package_verdicts: accept only when u > r",
    ),
    Mutant(
        "batch-red-lines-in-counts",
        "engine/sampled.py",
        "counts[s] if open_ok[s] is None else counts[s] * open_ok[s]",
        "counts[s]",
        BATCH,
        "a sampled stakeholder's acceptance count ignores its red lines",
    ),
    Mutant(
        "batch-rule-all-red-lines",
        "engine/sampled.py",
        "both = np.all(base[fixed], axis=0) & np.all(ok[moving], axis=0)",
        "both = np.all(base[fixed], axis=0)",
        BATCH,
        "rule all: sampled members' red lines are dropped",
    ),
    Mutant(
        "batch-any-agree",
        "engine/sampled.py",
        "out.any_agree[k0:k1] |= agree.any(axis=(1, 2))",
        "out.any_agree[k0:k1] |= agree.all(axis=(1, 2))",
        BATCH,
        "a sample's agreement set counts as non-empty only when everything is agreed",
    ),
    # --- acceptance -----------------------------------------------------------------------------
    Mutant(
        "acceptance-reservation",
        "engine/acceptance.py",
        "return (u >= r - TOLERANCE) & own & feasible",
        "return (u > r + TOLERANCE) & own & feasible",
        ENGINE,
        "a stakeholder accepts only when u > r",
    ),
    Mutant(
        "acceptance-threshold",
        "engine/acceptance.py",
        "return share >= self.thresholds[p] - TOLERANCE",
        "return share > self.thresholds[p] + TOLERANCE",
        ENGINE,
        "a weighted party ratifies only when share > threshold",
    ),
    Mutant(
        "acceptance-influence",
        "engine/acceptance.py",
        "share = np.tensordot(weights, accepts[members], axes=(0, 0)) / weights.sum()",
        "share = accepts[members].mean(axis=0)",
        ENGINE,
        "weighted ratification ignores influence",
    ),
    Mutant(
        "acceptance-red-lines",
        "engine/acceptance.py",
        "own[s] &= c.evaluate(digits)",
        "own[s] |= c.evaluate(digits)",
        ENGINE,
        "stakeholders' own constraints are ignored",
    ),
    Mutant(
        "acceptance-without-empty",
        "engine/acceptance.py",
        "return np.ones(accepts.shape[1:], dtype=bool)",
        "return np.zeros(accepts.shape[1:], dtype=bool)",
        ENGINE,
        "a party left with no member (binding analysis) vetoes instead of agreeing",
    ),
    Mutant(
        "scan-without",
        "engine/scan.py",
        "without[s] += int((others[info.party] & alone).sum())",
        "without[s] += int(alone.sum())",
        ENGINE,
        "agreement without a stakeholder forgets the other parties",
    ),
    # --- frontier and solutions -------------------------------------------------------------
    Mutant(
        "frontier-weak-dominance",
        "engine/frontier.py",
        "keep_sorted = (ys > higher_x_best) & (ys == group_best)",
        "keep_sorted = (ys >= higher_x_best) & (ys == group_best)",
        ENGINE,
        "2-D frontier keeps weakly dominated points",
    ),
    Mutant(
        "frontier-nash-zero-gain",
        "engine/frontier.py",
        "valid = np.all(gains > GAIN_EPS, axis=-1)",
        "valid = np.all(gains >= 0, axis=-1)",
        ENGINE,
        "Nash accepts points where some party gains nothing",
    ),
    Mutant(
        "frontier-ks-span",
        "engine/frontier.py",
        "span = utilities.max(axis=0) - d",
        "span = utilities.max(axis=0)",
        ENGINE,
        "Kalai-Smorodinsky normalises by the best utility, not the best gain",
    ),
    Mutant(
        "frontier-egalitarian",
        "engine/frontier.py",
        "return int(np.argmax((utilities - d).min(axis=1)))",
        "return int(np.argmax(utilities.min(axis=1)))",
        ENGINE,
        "egalitarian maximises the smallest utility, not the smallest gain",
    ),
    # --- bridge and proposals -----------------------------------------------------------------
    Mutant(
        "bridge-nash-tie",
        "analysis/bridge.py",
        "k = np.lexsort((numbers, -score))[0]",
        "k = np.lexsort((numbers, score))[0]",
        ENGINE,
        "among the nearest acceptable packages, the bridge takes the worst Nash product",
    ),
    Mutant(
        "bridge-nearest",
        "analysis/bridge.py",
        "rows, cols = np.nonzero(result.agree & (distance == distance[result.agree].min()))",
        "rows, cols = np.nonzero(result.agree)",
        ENGINE,
        "the bridge ignores the number of changes",
    ),
    Mutant(
        "proposals-spread",
        "analysis/proposals.py",
        "nearest = np.minimum(nearest, (digits != digits[chosen[-1]]).sum(axis=1))",
        "nearest = (digits != digits[chosen[-1]]).sum(axis=1)",
        ENGINE,
        "proposals spread from the last proposal only, not from all earlier ones",
    ),
    Mutant(
        "proposals-start",
        "analysis/proposals.py",
        "start_point = nash(frontier.utilities, d)",
        "start_point = egalitarian(frontier.utilities, d)",
        ENGINE,
        "the first proposal is the egalitarian point, not Nash",
    ),
    # --- Wilson intervals ---------------------------------------------------------------------
    Mutant(
        "wilson-centre",
        "engine/proportions.py",
        "centre = (p + z * z / (2 * n)) / denom",
        "centre = p",
        STATS,
        "Wilson interval centred on k/n",
    ),
    Mutant(
        "wilson-variance",
        "engine/proportions.py",
        "half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom",
        "half = z * math.sqrt(p * (1 - p) / n + z * z / (2 * n * n)) / denom",
        STATS,
        "Wilson half-width with z^2/(2n^2) instead of z^2/(4n^2)",
    ),
    Mutant(
        "wilson-z90",
        "engine/proportions.py",
        "Z95 = 1.959963984540054",
        "Z95 = 1.6448536269514722",
        STATS,
        "the 95 % interval computed with the 90 % z",
    ),
    Mutant(
        "expected-nash",
        "analysis/uncertainty/stats.py",
        "return np.where(np.isfinite(products), products, 0.0).mean(axis=0)",
        "return np.where(np.isfinite(products), products, 0.0).max(axis=0)",
        STATS,
        "expected Nash product takes the best sample, not the mean",
    ),
    # --- roadmap scoring ------------------------------------------------------------------------
    Mutant(
        "roadmap-reversible-ignored",
        "analysis/roadmap/problem.py",
        "kept = np.rint(self.delta * (1.0 - self.reversible)[:, None] * SCALE).astype(np.int64)",
        "kept = np.rint(self.delta * SCALE).astype(np.int64)",
        ROADMAP,
        "the solvers treat every step as irreversible",
    ),
    Mutant(
        "roadmap-reported-exposure",
        "analysis/roadmap/problem.py",
        "return np.maximum(0.0, -self.kept[done].sum(axis=0))",
        "return np.maximum(0.0, -self.delta[done].sum(axis=0))",
        ROADMAP,
        "reported exposure counts the reversible part too",
    ),
    Mutant(
        "roadmap-incentive",
        "analysis/roadmap/problem.py",
        "return self.kept[done].sum(axis=0) - self.total",
        "return self.delta[done].sum(axis=0) - self.total",
        ROADMAP,
        "defect incentive assumes nothing is taken back",
    ),
    Mutant(
        "roadmap-feasible-tie",
        "analysis/roadmap/problem.py",
        "bool(np.all(worst <= inst.trust)),",
        "bool(np.all(worst < inst.trust)),",
        ROADMAP,
        "a roadmap whose exposure equals the trust counts as infeasible",
    ),
    Mutant(
        "roadmap-exact-fits-tie",
        "analysis/roadmap/exact.py",
        "fits = np.all(exposure <= inst.trust, axis=1) if feasible_mode else",
        "fits = np.all(exposure < inst.trust, axis=1) if feasible_mode else",
        ROADMAP,
        "the exact solver rejects phases whose exposure equals the trust",
    ),
    Mutant(
        "roadmap-status-quo-steps",
        "analysis/roadmap/problem.py",
        "chosen = [s for i, p in enumerate(package) if p != scenario.status_quo[i] for s in steps[(i, p)]]",
        "chosen = [s for i, p in enumerate(package) for s in steps[(i, p)]]",
        ROADMAP,
        "issues left at the status quo still bring their steps",
    ),
    Mutant(
        "roadmap-deltas",
        "analysis/roadmap/problem.py",
        "table[:, int(p)] - table[:, sq[i]] for i, (table, p)",
        "table[:, int(p)] for i, (table, p)",
        ROADMAP,
        "step effects are measured from zero, not from the status quo",
    ),
    Mutant(
        "roadmap-phase-weeks",
        "analysis/roadmap/plan.py",
        "float(problem.weeks[members].max()),",
        "float(problem.weeks[members].sum()),",
        ROADMAP,
        "a phase lasts the sum of its steps' verification times, not the longest",
    ),
    # --- candidate offers -----------------------------------------------------------------------
    Mutant(
        "candidates-party-sets",
        "analysis/simulate/candidates.py",
        "masks = [feasible, result.agree, *(feasible & result.parties[p] for p in range(n_p))]",
        "masks = [feasible, result.agree]",
        SIMULATE,
        "candidates forget each party's own ratifiable set",
    ),
    Mutant(
        "candidates-directions",
        "analysis/simulate/candidates.py",
        "lam = directions(n_p)",
        "lam = np.eye(n_p)",
        SIMULATE,
        "3+ parties: only each party's own best package, no compromises",
    ),
]


def check_sites(mutants: list[Mutant], src: Path) -> None:
    """Every site must occur exactly once: fail loudly when code moved."""
    bad = []
    for m in mutants:
        text = (src / m.path).read_text("utf-8")
        count = text.count(m.old)
        if count != 1:
            bad.append(f"{m.id}: {m.path} has {count} copies of {m.old!r} (need exactly 1)")
    if bad:
        raise SystemExit("mutation sites changed; update bench/mutation_probe.py:\n  " + "\n  ".join(bad))


def copy_project(dest: Path, tests_from: str | None) -> None:
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        else:
            shutil.copy2(src, dest / name)
    if tests_from:
        shutil.rmtree(dest / "tests")
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", tests_from, "tests"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    (dest / "conftest.py").write_text(PROFILE, "utf-8")


def run_tests(dest: Path, tests: tuple[str, ...]) -> tuple[str, float]:
    """'pass', 'fail' or 'timeout' for the tests that exist in the copy."""
    present = [t for t in tests if (dest / t).exists()]
    env = {**os.environ, "PYTHONPATH": str(dest / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *present]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=dest, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - start
    seconds = time.perf_counter() - start
    if proc.returncode == 0:
        return "pass", seconds
    if proc.returncode != 1:  # collection error, usage error: say so rather than count a kill
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        print("   pytest exit", proc.returncode, *tail, sep="\n   ", file=sys.stderr)
    return "fail", seconds


def probe(mutants: list[Mutant], tests_from: str | None, jobs: int) -> list[tuple[Mutant, str, float]]:
    """Run every mutant; ``jobs`` copies of the project let mutants run side by side."""
    with tempfile.TemporaryDirectory(prefix="dealcraft-mutants-") as tmp:
        copies = [Path(tmp) / f"copy{j}" for j in range(jobs)]
        for dest in copies:
            dest.mkdir()
            copy_project(dest, tests_from)
            check_sites(mutants, dest / "src" / "dealcraft")
        # the copy must be importable and green before any mutant counts
        every = tuple(sorted({t for m in mutants for t in m.tests}))
        status, _ = run_tests(copies[0], every)
        if status != "pass":
            raise SystemExit(f"the unmutated copy fails some of {' '.join(every)}: fix the suite first")
        todo: queue.Queue[int] = queue.Queue()
        for k in range(len(mutants)):
            todo.put(k)
        verdicts: dict[int, tuple[str, float]] = {}

        def work(dest: Path) -> None:
            while True:
                try:
                    k = todo.get_nowait()
                except queue.Empty:
                    return
                verdicts[k] = run_mutant(dest, mutants[k])

        threads = [threading.Thread(target=work, args=(dest,)) for dest in copies]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return [(m, *verdicts[k]) for k, m in enumerate(mutants)]


def run_mutant(dest: Path, m: Mutant) -> tuple[str, float]:
    path = dest / "src" / "dealcraft" / m.path
    original = path.read_text("utf-8")
    path.write_text(original.replace(m.old, m.new, 1), "utf-8")
    try:
        status, seconds = run_tests(dest, m.tests)
    finally:
        path.write_text(original, "utf-8")
    verdict = "survived" if status == "pass" else "killed" if status == "fail" else "killed (timeout)"
    print(f"{m.id:32s} {verdict:17s} {seconds:6.1f} s", flush=True)
    return verdict, seconds


def table(results: list[tuple[Mutant, str, float]], label: str) -> str:
    killed = sum(v.startswith("killed") for _, v, _ in results)
    lines = [
        f"**{label}: {killed} of {len(results)} mutants killed ({100 * killed / len(results):.0f} %).**",
        "",
        "| mutant | file | bug | verdict |",
        "|---|---|---|---|",
    ]
    for m, verdict, _ in results:
        lines.append(f"| `{m.id}` | `{m.path}` | {m.bug} | {verdict} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", help="run the mutants whose id starts with one of these (comma-separated)")
    parser.add_argument("--tests-from", help="git revision whose tests/ to use (e.g. main)")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run side by side (default 1)")
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args()
    prefixes = tuple(args.only.split(",")) if args.only else ("",)
    mutants = [m for m in MUTANTS if m.id.startswith(prefixes)]
    check_sites(mutants, ROOT / "src" / "dealcraft")
    if args.list:
        for m in mutants:
            print(f"{m.id:32s} {m.path:34s} {m.bug}")
        return
    if not mutants:
        raise SystemExit(f"no mutant id starts with {args.only!r}")
    results = probe(mutants, args.tests_from, max(1, args.jobs))
    label = f"tests of {args.tests_from}" if args.tests_from else "this test suite"
    body = table(results, label)
    print(body)
    if not args.no_write and (not args.only or args.tests_from):
        section = "mutation-baseline" if args.tests_from else "mutation"
        head = "## Mutation probe (`bench/mutation_probe.py`)\n\n" if not args.tests_from else ""
        note = (
            "One-line bugs in the core, applied one at a time to a copy of the sources; a mutant is "
            "killed when the tests listed for it in the script fail.\n\n"
            if not args.tests_from
            else f"For comparison, {'these' if args.only else 'the same'} mutants against the tests of "
            f"`{args.tests_from}` (before the tie, Wilson, roadmap-reference and candidate tests):\n\n"
        )
        write_section(section, head + note + body)


if __name__ == "__main__":
    main()

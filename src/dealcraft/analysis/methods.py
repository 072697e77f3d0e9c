"""Which engine answers a whole-space question: enumeration, or the fold beyond it.

``enumerate`` walks every package (exact, limited by ``max_packages``). ``fold`` builds the
frontier and bridges with the exact fold (:mod:`dealcraft.engine.fold`) and counts by a
counting-only enumeration while the space is within ``max_packages``, beyond it from a uniform
sample with 95 % intervals. ``auto`` folds spaces larger than ``FOLD_ABOVE``.

Any enumeration can run on a :mod:`~dealcraft.analysis.backend` (a Dask cluster): the space is
cut into package-number ranges (head rows of the block split), each range is scanned as one task
and the parts are combined exactly (:func:`dealcraft.engine.scan.combine`), so the result is the
in-process one. The fold itself always runs in this process.
"""

from __future__ import annotations

from dataclasses import replace

from dealcraft.analysis.backend import Backend, InProcess
from dealcraft.engine.block_verdicts import check_size
from dealcraft.engine.estimate import SAMPLES, estimate_counts
from dealcraft.engine.fold import MEMORY
from dealcraft.engine.folded import fold_frontier
from dealcraft.engine.scan import Progress, SpaceSummary, combine, scan
from dealcraft.engine.space import DEFAULT_BLOCK, DEFAULT_LIMIT, choose_split, row_ranges
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

METHODS = ("auto", "fold", "enumerate")
FOLD_ABOVE = 10**6  # auto: below this, enumeration is as fast and keeps today's results
TASKS_PER_WORKER = 4  # package ranges per worker: evens out uneven ranges and slow workers


def resolve(scenario: Scenario, method: str) -> str:
    """'fold' or 'enumerate' for ``method`` (one of METHODS)."""
    if method not in METHODS:
        raise DealcraftError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if method == "auto":
        return "fold" if scenario.size > FOLD_ABOVE else "enumerate"
    return method


def space_summary(
    scenario: Scenario,
    method: str = "auto",
    *,
    progress: Progress | None = None,
    block: int = DEFAULT_BLOCK,
    max_packages: int = DEFAULT_LIMIT,
    samples: int = SAMPLES,
    seed: int = 0,
    memory: int = MEMORY,
    backend: Backend | None = None,
) -> SpaceSummary:
    """The space summary by the chosen method (counts exact unless ``summary.estimate`` is set);
    any enumeration runs on ``backend`` (default: in this process)."""
    if resolve(scenario, method) == "enumerate":
        return enumerate_space(scenario, backend, progress=progress, block=block, max_packages=max_packages)
    frontier = fold_frontier(scenario, memory=memory)
    if scenario.size <= max_packages:
        counts = enumerate_space(
            scenario, backend, progress=progress, block=block, max_packages=max_packages, frontier=False
        )
    else:
        counts = estimate_counts(scenario, samples=samples, seed=seed)
        counts = _at_least(counts, sum(int(c) for c in frontier.counts))
        if progress:
            progress(scenario.size)
    return replace(counts, frontier=frontier)


def _at_least(counts: SpaceSummary, known: int) -> SpaceSummary:
    """The frontier's packages are counted exactly: the agreement set has at least that many."""
    assert counts.estimate is not None
    lo, hi = counts.estimate.interval
    estimate = replace(counts.estimate, interval=(max(lo, known), max(hi, known)))
    return replace(counts, agreement=max(counts.agreement, known), estimate=estimate)


def enumerates(scenario: Scenario, method: str, max_packages: int) -> bool:
    """Will :func:`space_summary` enumerate packages (so that workers have something to do)?
    Raises the size error up front when ``enumerate`` is asked beyond ``max_packages``."""
    if resolve(scenario, method) == "enumerate":
        check_size(scenario, max_packages)
        return True
    return scenario.size <= max_packages


def enumerate_space(
    scenario: Scenario,
    backend: Backend | None = None,
    *,
    progress: Progress | None = None,
    block: int = DEFAULT_BLOCK,
    max_packages: int = DEFAULT_LIMIT,
    frontier: bool = True,
) -> SpaceSummary:
    """:func:`~dealcraft.engine.scan.scan`, in this process or as package ranges on ``backend``
    (the same summary either way)."""
    if backend is None or isinstance(backend, InProcess):
        return scan(scenario, progress=progress, block=block, max_packages=max_packages, frontier=frontier)
    check_size(scenario, max_packages)
    tasks = backend.workers * TASKS_PER_WORKER
    block = max(1, min(block, scenario.size // tasks))  # small spaces: enough head rows to share
    ranges = row_ranges(choose_split(scenario.radices, block), tasks)
    done = (lambda part: progress(part.size)) if progress else None
    parts = backend.map(scan_range, ranges, shared=(scenario, block, frontier), done=done)
    return replace(combine(parts, len(scenario.parties)), size=scenario.size)


def scan_range(scenario: Scenario, block: int, frontier: bool, rows: tuple[int, int]) -> SpaceSummary:
    """One task of a partitioned scan: the packages of head rows [first, end)."""
    return scan(scenario, block=block, frontier=frontier, rows=rows, max_packages=scenario.size)

"""Which engine answers a whole-space question: enumeration, or the fold beyond it.

``enumerate`` walks every package (exact, limited by ``max_packages``). ``fold`` builds the
frontier and bridges with the exact fold (:mod:`dealcraft.engine.fold`) and counts by a
counting-only enumeration while the space is within ``max_packages``, beyond it from a uniform
sample with 95 % intervals. ``auto`` folds spaces larger than ``FOLD_ABOVE``.
"""

from __future__ import annotations

from dataclasses import replace

from dealcraft.engine.estimate import SAMPLES, estimate_counts
from dealcraft.engine.fold import MEMORY
from dealcraft.engine.folded import fold_frontier
from dealcraft.engine.scan import Progress, SpaceSummary, scan
from dealcraft.engine.space import DEFAULT_BLOCK, DEFAULT_LIMIT
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

METHODS = ("auto", "fold", "enumerate")
FOLD_ABOVE = 10**6  # auto: below this, enumeration is as fast and keeps today's results


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
) -> SpaceSummary:
    """The space summary by the chosen method (counts exact unless ``summary.estimate`` is set)."""
    if resolve(scenario, method) == "enumerate":
        return scan(scenario, progress=progress, block=block, max_packages=max_packages)
    frontier = fold_frontier(scenario, memory=memory)
    if scenario.size <= max_packages:
        counts = scan(scenario, progress=progress, block=block, max_packages=max_packages, frontier=False)
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

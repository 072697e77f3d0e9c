"""Monte Carlo over the whole package space: how many samples accept each package.

Work is cut by package ranges (head rows of the batch split), never by samples: every task
re-draws all samples from the seed in fixed-size chunks, so counts are integer sums that do
not depend on how many tasks or workers there are.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dealcraft.analysis.backend import Backend, InProcess
from dealcraft.engine.sampled import TAIL_BLOCK, SpaceCounts, batch_split, count_rows
from dealcraft.engine.sampling import ParameterSpace
from dealcraft.model.scenario import Scenario

SAMPLE_CHUNK = 256  # samples whose (samples, stakeholders, tail) tables are held at once
TASKS_PER_WORKER = 4  # tasks per Dask worker: enough to balance the load
IN_PROCESS_TASKS = 16  # in-process: the steps of the progress bar


def count_task(
    scenario: Scenario, seed: int, samples: int, tail_block: int, rows: tuple[int, int]
) -> SpaceCounts:
    """Counts for the packages in head rows ``rows``, over samples 0 .. samples-1."""
    space = ParameterSpace(scenario)
    split = batch_split(scenario, tail_block)
    total: SpaceCounts | None = None
    flags = []
    for start in range(0, samples, SAMPLE_CHUNK):
        sampled = space.sample(seed, min(SAMPLE_CHUNK, samples - start), start)
        part = count_rows(scenario, sampled, split, rows)
        flags.append(part.any_agree)
        if total is None:
            total = part
        else:
            total.stakeholders += part.stakeholders
            total.parties += part.parties
            total.agree += part.agree
    assert total is not None
    total.any_agree = np.concatenate(flags)
    return total


def row_ranges(head_size: int, parts: int) -> list[tuple[int, int]]:
    """Head rows cut into at most ``parts`` near-equal, non-empty ranges: one per task."""
    edges = np.linspace(0, head_size, min(parts, head_size) + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def count_space(
    scenario: Scenario,
    samples: int,
    seed: int,
    backend: Backend | None = None,
    progress: Callable[[int], None] | None = None,
    tail_block: int = TAIL_BLOCK,
) -> SpaceCounts:
    """Acceptance counts for every package under ``samples`` draws (package numbers 0..N-1)."""
    backend = backend or InProcess()
    split = batch_split(scenario, tail_block)
    parts = IN_PROCESS_TASKS if isinstance(backend, InProcess) else backend.workers * TASKS_PER_WORKER
    ranges = row_ranges(split.head_size, parts)

    def done(result: SpaceCounts) -> None:
        if progress:
            progress(result.agree.size * samples)

    results = backend.map(count_task, ranges, shared=(scenario, seed, samples, tail_block), done=done)
    return SpaceCounts.concat(results)

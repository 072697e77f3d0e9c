"""Bridge a failed offer: who rejects it and why, and the acceptable package reachable with
the fewest issue changes (ties: the best Nash product, then the smallest package number)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.evaluate import Evaluation, evaluate
from dealcraft.analysis.explain import Change, changes
from dealcraft.analysis.methods import resolve
from dealcraft.engine.block_verdicts import BlockEvaluator, check_size
from dealcraft.engine.folded import fold_bridge
from dealcraft.engine.frontier import nash_scores
from dealcraft.engine.scan import Progress
from dealcraft.engine.space import DEFAULT_BLOCK, DEFAULT_LIMIT, decode
from dealcraft.model.scenario import Parameters, Scenario


@dataclass(frozen=True)
class Bridge:
    """A failed offer and its repair: the original verdicts, the nearest acceptable package (None if
    nothing is acceptable), its verdicts and the issue changes that lead there."""

    original: Evaluation
    package: tuple[int, ...] | None  # None: nothing is acceptable at all
    evaluation: Evaluation | None
    changes: tuple[Change, ...]

    @property
    def needed(self) -> bool:
        """Whether the original offer fails, so a bridge is needed at all."""
        return not self.original.accepted


def bridge(
    scenario: Scenario,
    package: Sequence[int],
    params: Parameters | None = None,
    *,
    progress: Progress | None = None,
    block: int = DEFAULT_BLOCK,
    max_packages: int = DEFAULT_LIMIT,
    method: str = "auto",
) -> Bridge:
    """The acceptable package nearest to ``package`` (fewest issue changes), or ``package`` itself
    when it is already accepted; ``params`` replaces the judgment numbers (a what-if);
    ``method``: see :mod:`dealcraft.analysis.methods`."""
    params = params or scenario.params
    original = evaluate(scenario, package, params)
    if original.accepted:
        return Bridge(original, tuple(package), original, ())
    if resolve(scenario, method) == "fold":
        found = fold_bridge(scenario, package, params)
        if progress:
            progress(scenario.size)
        return _bridged(scenario, original, found, package, params)
    check_size(scenario, max_packages)
    target = np.asarray(package, dtype=np.int64)
    d = scenario.disagreement_of(params)
    power = scenario.power_of(params)
    evaluator = BlockEvaluator(scenario, params, block)
    best: tuple[int, float, int] | None = None  # (distance, -nash, number)
    for result in evaluator:
        if progress:
            progress(result.block.size)
        if not result.agree.any():
            continue
        distance = sum(
            (digits != t).astype(np.int64) for digits, t in zip(result.block.digits, target, strict=True)
        )
        distance = np.broadcast_to(distance, result.agree.shape)
        rows, cols = np.nonzero(result.agree & (distance == distance[result.agree].min()))
        score = nash_scores(evaluator.party_utilities(result, (rows, cols)), d, power)
        numbers = result.block.numbers(rows, cols)
        k = np.lexsort((numbers, -score))[0]
        candidate = (int(distance[rows[k], cols[k]]), float(-score[k]), int(numbers[k]))
        if best is None or candidate < best:
            best = candidate
    found = None if best is None else tuple(int(x) for x in decode(np.array([best[2]]), scenario.radices)[0])
    return _bridged(scenario, original, found, package, params)


def _bridged(scenario, original, found, package, params) -> Bridge:
    if found is None:
        return Bridge(original, None, None, ())
    return Bridge(
        original, found, evaluate(scenario, found, params), tuple(changes(scenario, found, package))
    )

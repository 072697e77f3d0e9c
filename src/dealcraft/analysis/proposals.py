"""Several different acceptable, efficient packages: start from the Nash point, then add the
frontier package farthest (max-min Hamming distance) from those already chosen."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.evaluate import Evaluation, evaluate
from dealcraft.analysis.explain import Exchange, exchanges
from dealcraft.engine.fold import lex_order
from dealcraft.engine.frontier import egalitarian, nash, nash_scores
from dealcraft.engine.scan import SpaceSummary
from dealcraft.model.scenario import Parameters, Scenario


@dataclass(frozen=True)
class Proposal:
    """One suggested package: its rank, verdicts, what each party gives and gets, and how far it
    is from the proposals ranked before it."""

    rank: int
    package: tuple[int, ...]
    evaluation: Evaluation
    exchanges: tuple[Exchange, ...]
    distance: int  # Hamming distance to the nearest earlier proposal (0 for the first)


def proposals(
    scenario: Scenario, summary: SpaceSummary, k: int = 3, params: Parameters | None = None
) -> list[Proposal]:
    """Up to ``k`` distinct frontier packages, each as far as possible from those already chosen,
    so the list offers real alternatives rather than near-copies of the Nash point."""
    params = params or scenario.params
    frontier = summary.frontier
    if len(frontier) == 0 or k <= 0:
        return []
    d = scenario.disagreement_of(params)
    kept = [frontier.witnesses(p, scenario.radices) for p in range(len(frontier))]
    digits = np.vstack(kept)
    numbers = np.empty(len(digits), dtype=np.int64)  # rank of the package number
    numbers[lex_order(digits, scenario.radices)] = np.arange(len(digits))
    point = np.repeat(np.arange(len(frontier)), [len(p) for p in kept])
    power = scenario.power_of(params)
    score = nash_scores(frontier.utilities, d, power)[point]
    start_point = nash(frontier.utilities, d, power)
    if start_point is None:
        start_point = egalitarian(frontier.utilities, d)
    first = int(np.flatnonzero(point == start_point)[0])
    chosen = [first]
    nearest = np.full(len(numbers), np.iinfo(np.int64).max)
    while len(chosen) < k:
        nearest = np.minimum(nearest, (digits != digits[chosen[-1]]).sum(axis=1))
        if nearest.max() == 0:
            break
        best = np.lexsort((numbers, -score, -nearest))[0]
        chosen.append(int(best))
    out = []
    for rank, c in enumerate(chosen):
        package = tuple(int(x) for x in digits[c])
        distance = 0 if rank == 0 else int(min((digits[c] != digits[e]).sum() for e in chosen[:rank]))
        out.append(
            Proposal(
                rank + 1,
                package,
                evaluate(scenario, package, params),
                tuple(exchanges(scenario, package)),
                distance,
            )
        )
    return out

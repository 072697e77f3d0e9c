"""One pass over the whole space: agreement set, binding stakeholders, Pareto frontier."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from dealcraft.engine.block_verdicts import BlockEvaluator, check_size
from dealcraft.engine.frontier import Frontier
from dealcraft.engine.space import DEFAULT_BLOCK, DEFAULT_LIMIT
from dealcraft.model.scenario import Parameters, Scenario

if TYPE_CHECKING:
    from dealcraft.engine.estimate import Estimate

Progress = Callable[[int], None]


@dataclass
class SpaceSummary:
    """One scan's findings: feasible and agreed package counts, acceptance per stakeholder and per
    party, the agreement set without each stakeholder, and the Pareto frontier."""

    size: int
    feasible: int  # packages meeting the global constraints
    agreement: int  # packages every party ratifies
    accepts: np.ndarray  # (S,) packages each stakeholder accepts
    party_accepts: np.ndarray  # (P,) packages each party ratifies
    without: np.ndarray  # (S,) agreement-set size if that stakeholder had no say
    frontier: Frontier
    estimate: Estimate | None = None  # set when the counts are estimated from a sample

    @property
    def share(self) -> float:
        """Share of all packages in the agreement set."""
        return self.agreement / self.size

    @property
    def growth(self) -> np.ndarray:
        """How many packages join the agreement set when each stakeholder is dropped."""
        return self.without - self.agreement


def scan(
    scenario: Scenario,
    params: Parameters | None = None,
    *,
    progress: Progress | None = None,
    block: int = DEFAULT_BLOCK,
    max_packages: int = DEFAULT_LIMIT,
    frontier: bool = True,
    rows: tuple[int, int] | None = None,
) -> SpaceSummary:
    """Enumerate every package in blocks of bounded size and summarise the space (without the
    frontier bookkeeping, most of the time, when ``frontier`` is False: counts only). ``rows``:
    only the head rows [first, end) of the evaluator's split, one part of a partitioned scan
    (its ``size`` is then that part's package count; :func:`combine` adds the parts up)."""
    check_size(scenario, max_packages)
    evaluator = BlockEvaluator(scenario, params, block)
    n_s, n_p = len(scenario.stakeholders), len(scenario.parties)
    accepts = np.zeros(n_s, dtype=np.int64)
    party_accepts = np.zeros(n_p, dtype=np.int64)
    without = np.zeros(n_s, dtype=np.int64)
    feasible = agreement = 0
    found = Frontier.empty(n_p)
    for result in evaluator.over(rows):
        feasible += int(result.feasible.sum())
        agreement += int(result.agree.sum())
        accepts += result.accepts.reshape(n_s, -1).sum(axis=1)
        party_accepts += result.parties.reshape(n_p, -1).sum(axis=1)
        others = [np.all(np.delete(result.parties, p, axis=0), axis=0) for p in range(n_p)]
        for s, info in enumerate(scenario.stakeholders):
            alone = evaluator.rules.party(result.accepts, info.party, without=s)
            without[s] += int((others[info.party] & alone).sum())
        if frontier and result.agree.any():
            r, c = np.nonzero(result.agree)
            found.merge(evaluator.party_utilities(result, (r, c)), result.block.numbers(r, c))
        if progress:
            progress(result.block.size)
    size = scenario.size if rows is None else (rows[1] - rows[0]) * evaluator.split.tail_size
    return SpaceSummary(size, feasible, agreement, accepts, party_accepts, without, found)


def combine(parts: list[SpaceSummary], parties: int) -> SpaceSummary:
    """One summary from the summaries of disjoint parts of a space: counts add up, frontiers merge
    (the same result as one scan, whatever the parts)."""
    found = Frontier.empty(parties)
    for part in parts:
        found.absorb(part.frontier)
    return SpaceSummary(
        sum(p.size for p in parts),
        sum(p.feasible for p in parts),
        sum(p.agreement for p in parts),
        sum((p.accepts for p in parts[1:]), parts[0].accepts.copy()),
        sum((p.party_accepts for p in parts[1:]), parts[0].party_accepts.copy()),
        sum((p.without for p in parts[1:]), parts[0].without.copy()),
        found,
    )

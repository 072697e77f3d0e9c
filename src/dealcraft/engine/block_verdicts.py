"""Evaluate whole blocks of the package space at once: utilities and every verdict."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from dealcraft.engine.acceptance import Rules, constraint_masks, stakeholder_accepts
from dealcraft.engine.space import Block, Split, blocks, choose_split, grid_sum
from dealcraft.engine.utility import issue_tables, partial_utilities
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Parameters, Scenario


@dataclass
class BlockResult:
    """One block evaluated: every package's utilities and the verdicts of stakeholders and parties."""

    block: Block
    utilities: np.ndarray  # (S, rows, T) stakeholder utilities
    head_party: np.ndarray  # (P, rows) party utilities of the head digits
    feasible: np.ndarray  # (rows, T) global constraints hold
    accepts: np.ndarray  # (S, rows, T) stakeholder verdicts
    parties: np.ndarray  # (P, rows, T) party verdicts
    agree: np.ndarray  # (rows, T) every party ratifies


def check_size(scenario: Scenario, limit: int) -> None:
    """Refuse a space too large to enumerate, saying how to raise the limit or shrink the space."""
    if scenario.size > limit:
        raise DealcraftError(
            f"scenario {scenario.id!r} has {scenario.size:,} packages, more than the limit of "
            f"{limit:,} for exact enumeration: raise it with --max-packages {scenario.size} "
            "(library: max_packages=...), or merge options to shrink the space"
        )


class BlockEvaluator:
    """Holds the half-space tables of one scenario (and one parameter set)."""

    def __init__(self, scenario: Scenario, params: Parameters | None = None, block: int = 1 << 20):
        self.scenario = scenario
        self.params = params or scenario.params
        self.block = block
        self.split: Split = choose_split(scenario.radices, block)
        self.rules = Rules.of(scenario)
        self.party_matrix = scenario.party_matrix
        self.tables = issue_tables(self.params)
        self.tail_utilities = grid_sum(self.tables[self.split.head :])  # (S, T)
        self.tail_party = self.party_matrix @ self.tail_utilities  # (P, T)

    def __iter__(self):
        return self.over(None)

    def over(self, rows: tuple[int, int] | None) -> Iterator[BlockResult]:
        """Evaluate the blocks of head rows ``rows`` = [first, end) (None: the whole space)."""
        for b in blocks(self.split, self.block, rows):
            yield self.evaluate(b)

    def evaluate(self, b: Block) -> BlockResult:
        """Utilities and verdicts for every package of block ``b``: the head rows' utilities broadcast
        against the tail table."""
        head_digits = (
            np.hstack([d for d in b.digits[: self.split.head]])
            if self.split.head
            else np.zeros((b.stop - b.start, 0), dtype=np.int64)
        )
        head_u = partial_utilities(self.tables, range(self.split.head), head_digits).T  # (S, rows)
        u = head_u[:, :, None] + self.tail_utilities[:, None, :]
        feasible, own = constraint_masks(self.scenario, b.digits, b.shape)
        accepts = stakeholder_accepts(u, self.params.reservations, own, feasible)
        parties = self.rules.parties(accepts)
        head_party = self.party_matrix @ head_u
        return BlockResult(b, u, head_party, feasible, accepts, parties, np.all(parties, axis=0))

    def party_utilities(self, result: BlockResult, where: np.ndarray | tuple) -> np.ndarray:
        """(n, P) party utilities at the cells picked by a boolean mask or (rows, cols)."""
        rows, cols = where if isinstance(where, tuple) else np.nonzero(where)
        return (result.head_party[:, rows] + self.tail_party[:, cols]).T

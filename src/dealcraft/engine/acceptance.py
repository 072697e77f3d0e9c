"""Who accepts what: stakeholders by reservation and hard constraints, parties by their
ratification rule (level II of the two-level game)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dealcraft.model.scenario import Scenario

TOLERANCE = 1e-9  # utilities within this of the reservation count as meeting it


@dataclass(frozen=True)
class Rules:
    """The acceptance rules of a scenario as plain arrays."""

    members: tuple[np.ndarray, ...]  # per party, its stakeholder indices
    thresholds: tuple[float | None, ...]  # per party: None = all must accept
    influence: np.ndarray  # (S,)

    @classmethod
    def of(cls, scenario: Scenario) -> Rules:
        """The rules of ``scenario``: each party's members and threshold, every stakeholder's influence."""
        return cls(
            tuple(np.array(p.stakeholders, dtype=np.int64) for p in scenario.parties),
            tuple(p.threshold for p in scenario.parties),
            scenario.influence,
        )

    def party(self, accepts: np.ndarray, p: int, without: int | None = None) -> np.ndarray:
        """Does party p ratify, given stakeholder verdicts ``accepts`` (S, ...)? ``without``
        drops one stakeholder from the decision (to measure how binding it is)."""
        members = self.members[p]
        if without is not None:
            members = members[members != without]
            if members.size == 0:
                return np.ones(accepts.shape[1:], dtype=bool)
        if self.thresholds[p] is None:
            return np.all(accepts[members], axis=0)
        weights = self.influence[members]
        share = np.tensordot(weights, accepts[members], axes=(0, 0)) / weights.sum()
        return share >= self.thresholds[p] - TOLERANCE

    def parties(self, accepts: np.ndarray) -> np.ndarray:
        """(P, ...) party verdicts."""
        return np.stack([self.party(accepts, p) for p in range(len(self.members))])


def constraint_masks(
    scenario: Scenario, digits: Sequence[np.ndarray], shape: tuple
) -> tuple[np.ndarray, np.ndarray]:
    """Global feasibility (shape) and per stakeholder 'no own constraint broken' (S, *shape)."""
    feasible = np.ones(shape, dtype=bool)
    for c in scenario.constraints:
        feasible &= c.evaluate(digits)
    own = np.ones((len(scenario.stakeholders), *shape), dtype=bool)
    for s, constraints in enumerate(scenario.stakeholder_constraints):
        for c in constraints:
            own[s] &= c.evaluate(digits)
    return feasible, own


def stakeholder_accepts(
    u: np.ndarray, reservations: np.ndarray, own: np.ndarray, feasible: np.ndarray
) -> np.ndarray:
    """(S, ...) verdicts from utilities (S, ...), reservations (S,), constraint masks."""
    r = reservations.reshape((-1,) + (1,) * (u.ndim - 1))
    return (u >= r - TOLERANCE) & own & feasible

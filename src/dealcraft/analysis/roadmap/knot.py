"""The "knot" of an infeasible roadmap: who is exposed beyond its trust, when, and by which steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.roadmap.problem import SCALE, ZERO_TRUST, StepProblem

SLACK = 0.5 / SCALE  # float exposures within rounding of the integer model count as within trust


@dataclass(frozen=True)
class Knot:
    """Where a roadmap strains trust most: the party and phase with the largest exposure/trust ratio,
    and the steps behind that exposure."""

    party: int
    phase: int  # 0-based phase after which the exposure/trust ratio peaks
    exposure: float
    trust: float
    unavoidable: bool  # exposed beyond trust even once every step is done: no order helps
    steps: tuple[int, ...]  # steps done by then that leave the party an irreversible loss, worst first


def find_knot(problem: StepProblem, phase_of: Sequence[int], exposures: np.ndarray) -> Knot | None:
    """The (party, phase) with the largest exposure/trust ratio among those over their trust,
    given each step's phase and the exposures (K, P) after each phase; None if all are within."""
    if exposures.size == 0:
        return None
    trust = problem.trust
    over = exposures > trust + SLACK
    if not over.any():
        return None
    ratio = np.where(over, exposures / np.maximum(trust, ZERO_TRUST / SCALE), -np.inf)
    t, p = (int(x) for x in np.unravel_index(int(np.argmax(ratio)), ratio.shape))
    done = np.asarray(phase_of) <= t
    kept = problem.kept[:, p]
    losers = np.flatnonzero(done & (kept < 0))
    final = problem.exposure(np.ones(problem.n, dtype=bool))[p]
    return Knot(
        p,
        t,
        float(exposures[t, p]),
        float(trust[p]),
        bool(final > trust[p] + SLACK),
        tuple(int(s) for s in losers[np.argsort(kept[losers], kind="stable")]),
    )

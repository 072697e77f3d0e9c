"""Counts of a space too large to enumerate, from uniform random packages, with 95 % intervals.

Every count of :class:`~dealcraft.engine.scan.SpaceSummary` is a number of packages with some
property, so a uniform sample estimates each one as share x size; the Wilson score interval
stays honest for shares near 0 or 1, where agreement sets often are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dealcraft.engine.acceptance import Rules, constraint_masks, stakeholder_accepts
from dealcraft.engine.frontier import Frontier
from dealcraft.engine.proportions import wilson
from dealcraft.engine.scan import SpaceSummary
from dealcraft.engine.utility import issue_tables, partial_utilities
from dealcraft.model.scenario import Parameters, Scenario

SAMPLES = 200_000
CHUNK = 1 << 15


@dataclass(frozen=True)
class Estimate:
    """How the counts were estimated: sample size, seed, and the agreement set's interval."""

    samples: int
    seed: int
    hits: int  # sampled packages in the agreement set
    interval: tuple[int, int]  # 95 % Wilson interval of the agreement-set size, in packages


def estimate_counts(
    scenario: Scenario, params: Parameters | None = None, *, samples: int = SAMPLES, seed: int = 0
) -> SpaceSummary:
    """The summary's counts estimated from ``samples`` uniform packages (empty frontier)."""
    params = params or scenario.params
    rng = np.random.default_rng(seed)
    tables = issue_tables(params)
    rules = Rules.of(scenario)
    n_s, n_p = len(scenario.stakeholders), len(scenario.parties)
    hits = {"feasible": 0, "agree": 0}
    accepts = np.zeros(n_s, dtype=np.int64)
    party_accepts = np.zeros(n_p, dtype=np.int64)
    without = np.zeros(n_s, dtype=np.int64)
    for start in range(0, samples, CHUNK):
        n = min(CHUNK, samples - start)
        digits = rng.integers(0, scenario.radices, size=(n, len(scenario.issues)))
        u = partial_utilities(tables, range(len(tables)), digits).T  # (S, n)
        feasible, own = constraint_masks(scenario, [digits[:, i] for i in range(digits.shape[1])], (n,))
        verdicts = stakeholder_accepts(u, params.reservations, own, feasible)
        parties = rules.parties(verdicts)
        hits["feasible"] += int(feasible.sum())
        hits["agree"] += int(np.all(parties, axis=0).sum())
        accepts += verdicts.sum(axis=1)
        party_accepts += parties.sum(axis=1)
        for s, info in enumerate(scenario.stakeholders):
            others = np.all(np.delete(parties, info.party, axis=0), axis=0)
            without[s] += int((others & rules.party(verdicts, info.party, without=s)).sum())
    size = scenario.size

    def scale(k):
        return (int(k) * size + samples // 2) // samples

    lo, hi = wilson(hits["agree"], samples)
    return SpaceSummary(
        size,
        scale(hits["feasible"]),
        scale(hits["agree"]),
        np.array([scale(k) for k in accepts], dtype=object),
        np.array([scale(k) for k in party_accepts], dtype=object),
        np.array([scale(k) for k in without], dtype=object),
        Frontier.empty(n_p),
        Estimate(samples, seed, hits["agree"], (math.floor(lo * size), math.ceil(hi * size))),
    )

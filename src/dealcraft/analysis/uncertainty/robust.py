"""Robust proposals: the packages most likely to be accepted when the numbers are uncertain.

P(accept) is the share of samples under which a stakeholder / party / everyone accepts. The
robust proposals are the packages with the highest P(all accept), ties broken by the expected
Nash product, then by the smallest package number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.analyze import analyze
from dealcraft.analysis.backend import Backend
from dealcraft.analysis.proposals import Proposal
from dealcraft.analysis.uncertainty.montecarlo import SAMPLE_CHUNK, count_space
from dealcraft.analysis.uncertainty.stats import Proportion, expected_nash
from dealcraft.engine.block_verdicts import check_size
from dealcraft.engine.frontier import nash_scores
from dealcraft.engine.sampled import SpaceCounts, package_utilities
from dealcraft.engine.sampling import ParameterSpace
from dealcraft.engine.space import DEFAULT_LIMIT, decode, encode
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

CANDIDATES = 2000  # most packages whose expected Nash product is computed to break ties
PACKAGE_CHUNK = 1000


@dataclass(frozen=True)
class PackageOdds(Proportion):
    """How often one package is accepted over the samples."""

    package: tuple[int, ...]
    samples: int
    accepted: int  # samples in which every party ratifies
    parties: np.ndarray  # (P,) samples in which each party ratifies
    stakeholders: np.ndarray  # (S,) samples in which each stakeholder accepts
    expected_nash: float


@dataclass(frozen=True)
class RobustResult:
    """How packages fare over the samples: acceptance counts for every package, the most robust
    ones, and the deterministic proposals re-scored."""

    scenario: Scenario
    samples: int
    seed: int
    space: ParameterSpace
    counts: SpaceCounts  # per package, over every sample
    robust: list[PackageOdds]
    core: list[tuple[Proposal, PackageOdds]]  # the deterministic proposals, re-scored

    @property
    def p_empty(self) -> float:
        """Share of samples in which no package at all is acceptable to every party."""
        return float(1 - self.counts.any_agree.mean())

    @property
    def expected_agreement(self) -> float:
        """Mean size of the agreement set over the samples."""
        return float(self.counts.agree.sum(dtype=np.int64) / self.samples)


def robust(
    scenario: Scenario,
    samples: int = 1000,
    seed: int = 0,
    k: int = 3,
    *,
    backend: Backend | None = None,
    progress: Callable[[int], None] | None = None,
    core: list[Proposal] | None = None,
    max_packages: int = DEFAULT_LIMIT,
) -> RobustResult:
    """Monte Carlo over the whole space. ``core``: the deterministic proposals to re-score
    (default: computed with :func:`analyze` at the point values)."""
    check_size(scenario, max_packages)
    if samples < 1:
        raise DealcraftError(f"samples must be at least 1, got {samples}")
    space = ParameterSpace(scenario)
    if core is None:
        core = analyze(scenario, k, max_packages=max_packages).proposals
    counts = count_space(scenario, samples, seed, backend, progress)
    chosen = _top(scenario, space, counts, samples, seed, k)
    numbers = [int(encode(np.array([p.package]), scenario.radices)[0]) for p in core]
    scores = _expected_nash(scenario, space, np.array(numbers, dtype=np.int64), samples, seed)
    rescored = [
        (p, _odds(scenario, counts, n, samples, float(e)))
        for p, n, e in zip(core, numbers, scores, strict=True)
    ]
    return RobustResult(scenario, samples, seed, space, counts, chosen, rescored)


def _odds(scenario: Scenario, counts: SpaceCounts, number: int, samples: int, nash: float) -> PackageOdds:
    package = tuple(int(x) for x in decode(np.array([number]), scenario.radices)[0])
    j = number - counts.start
    return PackageOdds(
        package,
        samples,
        int(counts.agree[j]),
        counts.parties[:, j].astype(np.int64),
        counts.stakeholders[:, j].astype(np.int64),
        nash,
    )


def _top(
    scenario: Scenario, space: ParameterSpace, counts: SpaceCounts, samples: int, seed: int, k: int
) -> list[PackageOdds]:
    agree = counts.agree
    if k <= 0 or agree.size == 0 or agree.max() == 0:
        return []
    kth = np.partition(agree, agree.size - k)[agree.size - k] if agree.size > k else agree.min()
    candidates = np.flatnonzero(agree >= max(kth, 1)).astype(np.int64)
    if candidates.size > CANDIDATES:  # pre-rank the ties by the Nash product at the point values
        point = _point_nash(scenario, space, candidates)
        order = np.lexsort((candidates, -point, -agree[candidates]))
        candidates = candidates[order[:CANDIDATES]]
    numbers = candidates + counts.start
    scores = _expected_nash(scenario, space, numbers, samples, seed)
    order = np.lexsort((numbers, -scores, -agree[candidates]))[:k]
    return [_odds(scenario, counts, int(numbers[j]), samples, float(scores[j])) for j in order]


def _point_nash(scenario: Scenario, space: ParameterSpace, numbers: np.ndarray) -> np.ndarray:
    point = space.point()
    d, power = scenario.disagreement_of(point.one(0)), scenario.power_of(point.one(0))
    out = np.empty(numbers.size)
    for a in range(0, numbers.size, 100 * PACKAGE_CHUNK):
        chunk = numbers[a : a + 100 * PACKAGE_CHUNK]
        u = package_utilities(point, decode(chunk, scenario.radices))[0]  # (S, n)
        out[a : a + chunk.size] = nash_scores((scenario.party_matrix @ u).T, d, power)
    return out


def _expected_nash(
    scenario: Scenario, space: ParameterSpace, numbers: np.ndarray, samples: int, seed: int
) -> np.ndarray:
    """Mean over the samples of the Nash product (0 when some party gains nothing)."""
    total = np.zeros(numbers.size)
    if numbers.size == 0:
        return total
    digits = decode(numbers, scenario.radices)
    m = scenario.party_matrix
    for start in range(0, samples, SAMPLE_CHUNK):
        n = min(SAMPLE_CHUNK, samples - start)
        sampled = space.sample(seed, n, start)
        d = sampled.reservations @ m.T  # (K, P)
        power = scenario.power if sampled.power is None else sampled.power  # (P,) or (K, P)
        for a in range(0, numbers.size, PACKAGE_CHUNK):
            u = package_utilities(sampled, digits[a : a + PACKAGE_CHUNK])  # utilities only: no verdicts
            party_u = np.einsum("ps,ksn->kpn", m, u)
            total[a : a + PACKAGE_CHUNK] += expected_nash(party_u, d, power) * n
    return total / samples

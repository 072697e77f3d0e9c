"""Per-run arrays over the candidate offers: utilities, normalised utilities, level-II verdicts.

Everything carries a leading run axis; it has length 1 when the preferences are not sampled,
and broadcasts against the per-run strategy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.simulate.candidates import Candidates
from dealcraft.engine.sampled import SampledParameters, package_verdicts
from dealcraft.model.scenario import Scenario


@dataclass(frozen=True)
class Tables:
    """Per run, what the protocols read about every candidate: party utilities on the raw and the
    normalised scale, reservations, and who would ratify it."""

    utility: np.ndarray  # (n, P, K) party utilities (influence-weighted stakeholder means)
    norm: np.ndarray  # (n, P, K) own utility rescaled so the candidates span [0, 1]
    reservation: np.ndarray  # (n, P) party reservation d_P
    r_norm: np.ndarray  # (n, P) d_P on the normalised scale (may exceed 1: nothing is good enough)
    ratified: np.ndarray  # (n, P, K) each party's stakeholders would ratify the package
    feasible: np.ndarray  # (K,) the package meets the scenario's global constraints
    lo: np.ndarray  # (n, P) the lowest party utility among the candidates (norm's 0)
    span: np.ndarray  # (n, P) highest minus lowest (1 where they are equal): norm = (u - lo) / span

    @property
    def runs(self) -> int:
        """How many runs (parameter draws) the tables hold."""
        return self.utility.shape[0]

    @property
    def agreeable(self) -> np.ndarray:
        """(n, K) every party would ratify."""
        return self.ratified.all(axis=1)


def build_tables(scenario: Scenario, cands: Candidates, draws: SampledParameters) -> Tables:
    """Tables for each draw of the parameters: utilities and verdicts of every candidate, computed
    once before bargaining so the protocols only gather rows."""
    verdicts = package_verdicts(scenario, draws, cands.digits)
    u_s = verdicts.utilities  # (n, S, K)
    ratified = verdicts.parties  # (n, P, K)
    matrix = scenario.party_matrix
    # party-major memory, (n, P, K) view: each party's (n, K) table is contiguous for row gathers
    utility = _party_major(np.einsum("ps,nsk->npk", matrix, u_s))
    reservation = draws.reservations @ matrix.T  # (n, P)
    lo = utility.min(axis=2)
    hi = utility.max(axis=2)
    span = np.where(hi - lo > 1e-12, hi - lo, 1.0)
    norm = np.where((hi - lo > 1e-12)[:, :, None], (utility - lo[:, :, None]) / span[:, :, None], 1.0)
    norm = _party_major(norm)
    r_norm = (reservation - lo) / span
    feasible = np.asarray(verdicts.feasible, dtype=bool)
    return Tables(utility, norm, reservation, r_norm, ratified, feasible, lo, span)


def _party_major(table: np.ndarray) -> np.ndarray:
    """The same (n, P, K) values stored party by party (a transposed view of a (P, n, K) array)."""
    return np.ascontiguousarray(table.transpose(1, 0, 2)).transpose(1, 0, 2)


def party_sum(table: np.ndarray) -> np.ndarray:
    """(n, K) sum of an (n, P, K) table over the parties, added in party order like
    ``table.sum(axis=1)`` (same bits) but one party table at a time, which stays fast on the
    party-major layout of :class:`Tables`."""
    total = table[:, 0].copy()
    for q in range(1, table.shape[1]):
        total += table[:, q]
    return total

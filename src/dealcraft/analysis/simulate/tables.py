"""Per-run arrays over the candidate offers: utilities, normalised utilities, level-II verdicts.

Everything carries a leading run axis; it has length 1 when the preferences are not sampled,
and broadcasts against the per-run strategy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dealcraft.analysis.simulate.candidates import Candidates
from dealcraft.engine.batch import SampledParameters, package_verdicts
from dealcraft.model.scenario import Scenario


@dataclass(frozen=True)
class Tables:
    utility: np.ndarray  # (n, P, K) party utilities (influence-weighted stakeholder means)
    norm: np.ndarray  # (n, P, K) own utility rescaled so the candidates span [0, 1]
    reservation: np.ndarray  # (n, P) party reservation d_P
    r_norm: np.ndarray  # (n, P) d_P on the normalised scale (may exceed 1: nothing is good enough)
    ratified: np.ndarray  # (n, P, K) each party's stakeholders would ratify the package
    feasible: np.ndarray  # (K,) the package meets the scenario's global constraints

    @property
    def runs(self) -> int:
        return self.utility.shape[0]

    @property
    def agreeable(self) -> np.ndarray:
        """(n, K) every party would ratify."""
        return self.ratified.all(axis=1)


def build_tables(scenario: Scenario, cands: Candidates, draws: SampledParameters) -> Tables:
    verdicts = package_verdicts(scenario, draws, cands.digits)
    u_s = verdicts.utilities  # (n, S, K)
    ratified = verdicts.parties  # (n, P, K)
    matrix = scenario.party_matrix
    utility = np.einsum("ps,nsk->npk", matrix, u_s)
    reservation = draws.reservations @ matrix.T  # (n, P)
    lo = utility.min(axis=2)
    hi = utility.max(axis=2)
    span = np.where(hi - lo > 1e-12, hi - lo, 1.0)
    norm = np.where((hi - lo > 1e-12)[:, :, None], (utility - lo[:, :, None]) / span[:, :, None], 1.0)
    r_norm = (reservation - lo) / span
    return Tables(utility, norm, reservation, r_norm, ratified, np.asarray(verdicts.feasible, dtype=bool))

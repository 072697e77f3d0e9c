"""Evaluate one package: every stakeholder's utility, slack and verdict with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dealcraft.engine.acceptance import TOLERANCE, Rules
from dealcraft.engine.utility import utilities
from dealcraft.finite import require_finite
from dealcraft.model.scenario import Parameters, Scenario


@dataclass(frozen=True)
class StakeholderVerdict:
    """One stakeholder's verdict on a package: utility against reservation, and why it says no."""

    key: str
    utility: float
    reservation: float
    accepts: bool
    reason: str  # why it rejects ("" when it accepts)

    @property
    def slack(self) -> float:
        """Utility minus reservation: how far the stakeholder is from walking away (negative: below)."""
        return self.utility - self.reservation


@dataclass(frozen=True)
class PartyVerdict:
    """One party's ratification of a package, with its utility, its disagreement value and the
    members who reject."""

    id: str
    utility: float
    disagreement: float
    accepts: bool
    rejecting: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    """Every verdict on one package: the scenario constraints it breaks, then each stakeholder's
    and each party's verdict."""

    package: tuple[int, ...]
    broken: tuple[str, ...]  # global constraints the package breaks
    stakeholders: tuple[StakeholderVerdict, ...]
    parties: tuple[PartyVerdict, ...]

    @property
    def accepted(self) -> bool:
        """Whether every party ratifies: the package is a deal."""
        return all(p.accepts for p in self.parties)

    @property
    def slack(self) -> np.ndarray:
        """(S,) each stakeholder's utility minus its reservation."""
        return np.array([s.slack for s in self.stakeholders])

    @property
    def party_utilities(self) -> np.ndarray:
        """(P,) party utilities: influence-weighted means of their stakeholders' utilities."""
        return np.array([p.utility for p in self.parties])

    def closest_to_walking_away(self) -> StakeholderVerdict:
        """The stakeholder with the least slack (the first on ties): the most fragile verdict."""
        return min(self.stakeholders, key=lambda s: s.slack)


def evaluate(scenario: Scenario, package: Sequence[int], params: Parameters | None = None) -> Evaluation:
    """Each stakeholder's utility, slack and verdict with its reason, and each party's verdict, for
    one package; ``params`` replaces the judgment numbers (a sample, a what-if)."""
    params = params or scenario.params
    digits = np.asarray(package, dtype=np.int64)
    u = utilities(params, digits[None, :])[0]
    require_finite(u, "a stakeholder utility")
    broken = tuple(c.text for c in scenario.constraints if not c.holds(digits))
    verdicts = []
    for s, info in enumerate(scenario.stakeholders):
        own = [c.text for c in scenario.stakeholder_constraints[s] if not c.holds(digits)]
        r = float(params.reservations[s])
        if broken:
            reason = f"the package is infeasible: it breaks the scenario constraint '{broken[0]}'"
        elif own:
            lines = " and ".join(f"'{text}'" for text in own)
            reason = f"breaks its red line{'s' if len(own) > 1 else ''} {lines}"
        elif u[s] < r - TOLERANCE:
            reason = f"utility {u[s]:.3f} is below its reservation {r:.3f} (short by {r - u[s]:.3f})"
        else:
            reason = ""
        verdicts.append(StakeholderVerdict(info.key, float(u[s]), r, reason == "", reason))
    accepts = np.array([v.accepts for v in verdicts])
    rules = Rules.of(scenario)
    party_u = scenario.party_matrix @ u
    d = scenario.disagreement_of(params)
    parties = tuple(
        PartyVerdict(
            p.id,
            float(party_u[k]),
            float(d[k]),
            bool(rules.party(accepts[:, None], k)[0]),
            tuple(verdicts[s].key for s in p.stakeholders if not verdicts[s].accepts),
        )
        for k, p in enumerate(scenario.parties)
    )
    return Evaluation(tuple(int(x) for x in digits), broken, tuple(verdicts), parties)

"""Restrict a scenario to some of its parties (e.g. the US–DPRK table without Seoul).

The issues stay as they are (the parties at the table decide the whole package); the left-out
parties' stakeholders, preferences and ratification simply drop out of the game.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Parameters, Scenario, StakeholderInfo, UncertainParameters


def project(scenario: Scenario, party_ids: Sequence[str]) -> Scenario:
    """The scenario with only ``party_ids`` (in scenario order) at the table."""
    known = [p.id for p in scenario.parties]
    for pid in party_ids:
        if pid not in known:
            raise DealcraftError(f"unknown party {pid!r} in --parties: use some of {', '.join(known)}")
    if len(set(party_ids)) < 2:
        raise DealcraftError("a negotiation needs at least two different parties: name two or more")
    keep_p = [k for k, p in enumerate(scenario.parties) if p.id in set(party_ids)]
    if len(keep_p) == len(scenario.parties):
        return scenario
    p_new = {old: new for new, old in enumerate(keep_p)}
    keep_s = [s for s, h in enumerate(scenario.stakeholders) if h.party in p_new]
    s_new = {old: new for new, old in enumerate(keep_s)}
    stakeholders = tuple(
        StakeholderInfo(h.key, h.name, p_new[h.party], h.influence)
        for s, h in enumerate(scenario.stakeholders)
        if s in s_new
    )
    parties = tuple(
        replace(p, stakeholders=tuple(s_new[s] for s in p.stakeholders))
        for k, p in enumerate(scenario.parties)
        if k in p_new
    )
    issues = tuple(
        replace(i, giver=None if i.giver is None else p_new.get(i.giver, 0)) for i in scenario.issues
    )
    params = Parameters(
        scenario.params.weights[keep_s],
        tuple(v[keep_s] for v in scenario.params.values),
        scenario.params.reservations[keep_s],
        None if scenario.params.power is None else scenario.params.power[keep_p],
    )
    u = scenario.uncertain
    uncertain = UncertainParameters(
        {(s_new[s], i): x for (s, i), x in u.weights.items() if s in s_new},
        {(s_new[s], i, o): x for (s, i, o), x in u.values.items() if s in s_new},
        {s_new[s]: x for s, x in u.reservations.items() if s in s_new},
        shapes={(s_new[s], i): x for (s, i), x in u.shapes.items() if s in s_new},
        power={p_new[p]: x for p, x in u.power.items() if p in p_new},
    )
    return replace(
        scenario,
        issues=issues,
        parties=parties,
        stakeholders=stakeholders,
        params=params,
        uncertain=uncertain,
        stakeholder_constraints=tuple(scenario.stakeholder_constraints[s] for s in keep_s),
        observations=(),
    )

"""Check the model against documented events: does it reproduce each observed verdict?"""

from __future__ import annotations

from dataclasses import dataclass

from dealcraft.analysis.evaluate import evaluate
from dealcraft.model.scenario import ObservationInfo, Parameters, Scenario


@dataclass(frozen=True)
class ObservationCheck:
    """One documented verdict next to the model's, with the stakeholders who decided it."""

    id: str
    by: str
    expected: str  # "accepted" or "rejected"
    model: str
    deciders: tuple[str, ...]  # rejecting stakeholders, or the acceptor with least slack

    @property
    def reproduced(self) -> bool:
        """Whether the model gives the verdict that was observed."""
        return self.expected == self.model


def observed_by(scenario: Scenario, obs: ObservationInfo) -> str:
    """Who an observation is about: a party id or a ``party.stakeholder`` key."""
    if obs.party is not None:
        return scenario.parties[obs.party].id
    return scenario.stakeholders[obs.stakeholder].key


def check_observations(scenario: Scenario, params: Parameters | None = None) -> list[ObservationCheck]:
    """Evaluate each observed package and compare the model's verdict with the record: the test of
    whether the judgment numbers explain what happened."""
    out = []
    for obs in scenario.observations:
        ev = evaluate(scenario, obs.package, params)
        if obs.party is not None:
            verdict = ev.parties[obs.party]
            accepted = verdict.accepts
            members = [ev.stakeholders[s] for s in scenario.parties[obs.party].stakeholders]
        else:
            accepted = ev.stakeholders[obs.stakeholder].accepts
            members = [ev.stakeholders[obs.stakeholder]]
        rejecting = tuple(m.key for m in members if not m.accepts)
        deciders = rejecting if not accepted else (min(members, key=lambda m: m.slack).key,)
        out.append(
            ObservationCheck(
                obs.id,
                observed_by(scenario, obs),
                "accepted" if obs.expected_accept else "rejected",
                "accepted" if accepted else "rejected",
                deciders,
            )
        )
    return out

"""Alternating offers with a deadline (two parties) and its stacked form for three or more.

Round t (0-based) belongs to party t mod P (scenario order). The proposer may walk out; else it
offers a package (its scripted opening on its first turn, a hardliner always that first offer,
otherwise the package best for the others among those at or above its aspiration, unless
its strategy overrides the choice). Every other
party then accepts or rejects; the offer is agreed only if all accept. After ``rounds`` rounds
without agreement the talks end at the deadline.
"""

from __future__ import annotations

import numpy as np

from dealcraft.analysis.simulate.agents import Agents, Lineup
from dealcraft.analysis.simulate.opponent import FrequencyModel, PrefixSelector, masked_choice
from dealcraft.analysis.simulate.state import DEAL, RUNNING, WALKOUT, Batch, Record, Settings, finish
from dealcraft.analysis.simulate.tables import Tables, party_sum


def alternating(
    tables: Tables,
    lineup: Lineup,
    settings: Settings,
    radices: np.ndarray,
    digits: np.ndarray,
    record: bool = False,
) -> Batch:
    """Run N negotiations (N = lineup.shape[0]) in lock-step."""
    n, p = lineup.shape
    agents = Agents(tables, lineup, settings)
    norm = tables.norm
    learned = [settings.information[q] == "learned" for q in range(p)]
    total = party_sum(norm) if not all(learned) else None
    selectors = [
        None if learned[q] else PrefixSelector(norm[:, q], agents.allowed[q], total - norm[:, q])
        for q in range(p)
    ]
    model = FrequencyModel(n, p, digits, radices) if any(learned) else None
    state = np.full(n, RUNNING)
    agreed = np.full(n, -1)
    ran = np.zeros(n, dtype=np.int64)
    walked = np.full(n, -1)
    first = np.full((n, p), -1)
    last = np.full((n, p), -1)
    prev = np.full((n, p), -1)
    still = np.zeros((n, p), dtype=np.int64)  # consecutive turns a party repeated its offer
    rec = Record() if record else None
    for t in range(settings.rounds):
        live = state == RUNNING
        if not live.any() and rec is None:
            break
        q = t % p
        _mirror(agents, q, last, prev)
        levels = agents.aspirations(t)
        level = levels[:, q]
        if learned[q]:
            offer = masked_choice(_rows(norm[:, q], n), _rows(agents.allowed[q], n), model.score(q, p), level)
        else:
            offer = selectors[q].select(level)
        opening = settings.openings[q]
        if opening is not None:
            offer = np.where(first[:, q] < 0, opening, offer)
        offer = agents.offer(q, offer, first[:, q])
        leave = agents.below_reservation(level, q) | (offer < 0)
        if settings.patience > 0:
            others = np.delete(still, q, axis=1)
            leave |= (others >= settings.patience).all(axis=1)
        leave &= live
        walked[leave] = q
        state[leave] = WALKOUT
        offering = live & ~leave
        offer = np.where(offering, offer, -1)
        still[:, q] = np.where(
            offering & (offer == last[:, q]), still[:, q] + 1, np.where(offering, 0, still[:, q])
        )
        prev[:, q] = np.where(offering, last[:, q], prev[:, q])
        last[:, q] = np.where(offering, offer, last[:, q])
        first[:, q] = np.where(offering & (first[:, q] < 0), offer, first[:, q])
        verdicts = np.zeros((n, p), dtype=bool)
        verdicts[:, q] = offering
        for r in range(p):
            if r != q:
                verdicts[:, r] = offering & agents.accepts(r, offer, levels[:, r], (r - q) % p)
                if model is not None:
                    model.observe(r, q, offer, offering)
        deal = offering & verdicts.all(axis=1)
        state[deal] = DEAL
        agreed[deal] = offer[deal]
        ran[live] = t + 1
        if rec is not None:
            rec.add(q, offer, levels, verdicts, live, tables)
    return finish(tables, state, agreed, ran, walked, rec, settings)


def _rows(table: np.ndarray, n: int) -> np.ndarray:
    return np.broadcast_to(table, (n, table.shape[1]))


def _mirror(agents: Agents, q: int, last: np.ndarray, prev: np.ndarray) -> None:
    """The others' last concession, measured in q's own utility, for q's strategies to mirror."""
    p = last.shape[1]
    gains = []
    for r in range(p):
        if r == q:
            continue
        both = (last[:, r] >= 0) & (prev[:, r] >= 0)
        gains.append(np.where(both, agents.own(q, last[:, r]) - agents.own(q, prev[:, r]), 0.0))
    agents.mirror(q, np.mean(gains, axis=0))

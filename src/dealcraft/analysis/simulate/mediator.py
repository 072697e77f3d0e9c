"""A mediator's single negotiating text (Camp David style).

The mediator starts from the status quo. Each round every party reads the text: it accepts if
the text meets its current aspiration and reservation (and, when it anticipates, its own
stakeholders would ratify it); otherwise it tells the mediator how far the text falls short.
If all accept, the text is agreed. Else the mediator revises: it picks the candidate with the
smallest total shortfall, looking first among Pareto improvements on the current text and
leaving them only when none of them lowers the shortfall (ties: larger sum of normalised
utilities, then the lowest candidate number). Parties walk out as under alternating offers.
"""

from __future__ import annotations

import numpy as np

from dealcraft.analysis.simulate.agents import Agents, Lineup
from dealcraft.analysis.simulate.opponent import TOL
from dealcraft.analysis.simulate.state import (
    DEAL,
    MEDIATOR,
    RUNNING,
    WALKOUT,
    Batch,
    Record,
    Settings,
    finish,
)
from dealcraft.analysis.simulate.tables import Tables, party_sum


def mediated(
    tables: Tables, lineup: Lineup, settings: Settings, start_text: int, record: bool = False
) -> Batch:
    """Run N single-text negotiations at once from the candidate ``start_text`` (the status quo);
    ``record`` keeps the round-by-round history for traces."""
    n, p = lineup.shape
    agents = Agents(tables, lineup, settings)
    norm = np.broadcast_to(tables.norm, (n, *tables.norm.shape[1:]))  # (N, P, K)
    total = party_sum(norm)
    rows = np.arange(n)
    state = np.full(n, RUNNING)
    agreed = np.full(n, -1)
    ran = np.zeros(n, dtype=np.int64)
    walked = np.full(n, -1)
    text = np.full(n, start_text)
    previous_levels = agents.start.copy()
    rec = Record() if record else None
    for t in range(settings.rounds):
        live = state == RUNNING
        if not live.any() and rec is None:
            break
        if t > 0:  # strategies may mirror the others' last drop in their stated demands (tit-for-tat)
            drop = previous_levels - agents.aspirations(t)
            for q in range(p):
                agents.mirror(q, np.delete(drop, q, axis=1).mean(axis=1))
        levels = agents.aspirations(t)
        previous_levels = levels
        leave = live & agents.below_reservation(levels).any(axis=1)
        walked[leave] = np.argmax(agents.below_reservation(levels)[leave], axis=1)
        state[leave] = WALKOUT
        going = live & ~leave
        verdicts = np.stack([going & agents.accepts(q, text, levels[:, q]) for q in range(p)], axis=1)
        deal = going & verdicts.all(axis=1)
        agreed[deal] = text[deal]
        state[deal] = DEAL
        ran[live] = t + 1
        if rec is not None:
            rec.add(MEDIATOR, np.where(going, text, -1), levels, verdicts, live, tables)
        revise = going & ~deal
        if revise.any():
            text = np.where(revise, _revise(norm, total, levels, text, rows), text)
    return finish(tables, state, agreed, ran, walked, rec, settings)


def _revise(norm: np.ndarray, total: np.ndarray, levels: np.ndarray, text: np.ndarray, rows) -> np.ndarray:
    shortfall = np.maximum(levels[:, :, None] - norm, 0.0).sum(axis=1)  # (N, K)
    current = shortfall[rows, text]
    here = norm[rows, :, text]  # (N, P)
    improving = (norm >= here[:, :, None] - TOL).all(axis=1)
    best_improving = np.where(improving, shortfall, np.inf).min(axis=1)
    pool = np.where((best_improving < current - TOL)[:, None], improving, True)
    masked = np.where(pool, shortfall, np.inf)
    low = masked.min(axis=1, keepdims=True)
    ties = pool & (masked <= low + TOL)
    return np.argmax(np.where(ties, total, -np.inf), axis=1)

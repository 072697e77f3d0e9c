"""What a batch of negotiations shares: settings, outcome codes, round records and the outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dealcraft.analysis.simulate.opponent import rows_take
from dealcraft.analysis.simulate.tables import Tables

#: How a run stands or ended (``Batch.outcome``); :data:`OUTCOMES` names the final ones.
RUNNING, DEAL, RATIFICATION_FAILURE, WALKOUT, DEADLINE = 0, 1, 2, 3, 4
OUTCOMES = {
    DEAL: "deal",
    RATIFICATION_FAILURE: "ratification failure",
    WALKOUT: "walk-out",
    DEADLINE: "deadline",
}
PROTOCOLS = ("alternating", "mediator")
MEDIATOR = -1  # "proposer" of a single negotiating text


@dataclass(frozen=True)
class Settings:
    """Protocol settings shared by every run of a batch (per-party tuples in scenario order)."""

    rounds: int
    protocol: str = "alternating"
    information: tuple[str, ...] = ()  # "complete" or "learned" per party
    anticipate: tuple[bool, ...] = ()  # offer/accept only what one's own stakeholders ratify
    openings: tuple[int | None, ...] = ()  # candidate index of each party's scripted opening
    patience: int = 0  # walk out when the others have not moved for this many turns (0: never)
    discount: tuple[float, ...] = ()  # per party, utility left at the deadline (parties[].discount)

    def discounted(self, q: int) -> bool:
        """Whether party q's utilities shrink over the rounds (a discount factor below 1)."""
        return bool(self.discount) and self.discount[q] < 1

    def factor(self, q: int, rounds: np.ndarray | float) -> np.ndarray | float:
        """discount_q ** (rounds / T): what a utility keeps after ``rounds`` rounds (GENIUS's
        discount over normalised time)."""
        return self.discount[q] ** (np.asarray(rounds, dtype=float) / self.rounds)


@dataclass
class Record:
    """Round-by-round history of every run (only kept when asked: traces and tests)."""

    proposer: list[int] = field(default_factory=list)  # per round; MEDIATOR for a text
    offer: list[np.ndarray] = field(default_factory=list)  # (N,) candidate index or -1
    aspiration: list[np.ndarray] = field(default_factory=list)  # (N, P)
    accepts: list[np.ndarray] = field(default_factory=list)  # (N, P) verdicts at the table
    live: list[np.ndarray] = field(default_factory=list)  # (N,) the run was still going
    utility: list[np.ndarray] = field(default_factory=list)  # (N, P) party utilities of the offer

    def add(self, proposer: int, offer, levels, verdicts, live, tables: Tables) -> None:
        """Append one round: who proposed, the offers, aspirations, verdicts and which runs were live."""
        self.proposer.append(proposer)
        self.offer.append(offer)
        self.aspiration.append(levels)
        self.accepts.append(verdicts)
        self.live.append(live)
        p = tables.utility.shape[1]
        self.utility.append(np.stack([rows_take(tables.utility[:, q], offer) for q in range(p)], axis=1))


@dataclass
class Batch:
    """Outcome of N negotiations."""

    outcome: np.ndarray  # (N,) DEAL, RATIFICATION_FAILURE, WALKOUT or DEADLINE
    agreement: np.ndarray  # (N,) candidate agreed at the table (deal or failed ratification), else -1
    rounds: np.ndarray  # (N,) rounds used
    walked_out: np.ndarray  # (N,) party that walked out, else -1
    vetoed: np.ndarray  # (N, P) party whose stakeholders refused to ratify the table agreement
    utility: np.ndarray  # (N, P) party utility of the outcome (the reservation d_P without a deal)
    record: Record | None = None


def finish(
    tables: Tables,
    state: np.ndarray,
    agreed: np.ndarray,
    ran: np.ndarray,
    walked: np.ndarray,
    record: Record | None,
    settings: Settings | None = None,
) -> Batch:
    """Apply level II to the table agreements and price every outcome: a deal by its utility, no
    deal by the reservation, both discounted to the round the talks ended (the deadline: T)."""
    n, p = walked.size, tables.utility.shape[1]
    state = np.where(state == RUNNING, DEADLINE, state)
    table = state == DEAL
    vetoed = np.zeros((n, p), dtype=bool)
    utility = np.broadcast_to(tables.reservation, (n, p)).copy()
    for q in range(p):
        ok = rows_take(tables.ratified[:, q], agreed)
        vetoed[:, q] = table & ~ok
        utility[:, q] = np.where(table, rows_take(tables.utility[:, q], agreed), utility[:, q])
    failed = table & vetoed.any(axis=1)
    state = np.where(failed, RATIFICATION_FAILURE, state)
    utility = np.where(failed[:, None], np.broadcast_to(tables.reservation, (n, p)), utility)
    if settings is not None:
        ended = np.where(state == DEADLINE, settings.rounds, ran - 1)  # 0-based round of the end
        for q in range(p):
            if settings.discounted(q):
                utility[:, q] = utility[:, q] * settings.factor(q, ended)
    return Batch(state, np.where(table, agreed, -1), ran, walked, vetoed, utility, record)

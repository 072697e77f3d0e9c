"""Who may see what: membership look-ups and the latest version of each party's preferences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealcraft.store.models import Member, Negotiation, User, Version
from dealcraft.web.confidential import compile_scenario
from dealcraft.web.errors import ApiError, not_found

ROLES = ("facilitator", "delegate", "observer")


def membership(db: Session, negotiation_id: int, user: User) -> tuple[Negotiation, Member]:
    """The negotiation and the caller's membership; 404 for non-members (existence stays secret)."""
    row = db.execute(
        select(Negotiation, Member)
        .join(Member, Member.negotiation_id == Negotiation.id)
        .where(Negotiation.id == negotiation_id, Member.user_id == user.id)
    ).first()
    if row is None:
        raise not_found()
    return row[0], row[1]


def require_facilitator(member: Member) -> None:
    """Refuse (403) unless the member is this negotiation's facilitator."""
    if member.role != "facilitator":
        raise ApiError(403, "only the facilitator of this negotiation may do this")


def latest(db: Session, negotiation_id: int, party: str) -> Version | None:
    """The newest preference version of one party, or None."""
    return db.scalar(
        select(Version)
        .where(
            Version.negotiation_id == negotiation_id, Version.kind == "preferences", Version.party == party
        )
        .order_by(Version.party_version.desc())
        .limit(1)
    )


def latest_private(db: Session, negotiation: Negotiation) -> dict[str, dict[str, Any]]:
    """{party: its latest preferences} in one query."""
    newest = (
        select(Version.party, func.max(Version.party_version).label("v"))
        .where(Version.negotiation_id == negotiation.id, Version.kind == "preferences")
        .group_by(Version.party)
        .subquery()
    )
    rows = db.scalars(
        select(Version).join(
            newest,
            (Version.party == newest.c.party)
            & (Version.party_version == newest.c.v)
            & (Version.negotiation_id == negotiation.id)
            & (Version.kind == "preferences"),
        )
    )
    return {v.party: v.data for v in rows}


def compiled(db: Session, negotiation: Negotiation) -> dict[str, Any]:
    """The scenario a job runs on: shared structure + the latest preferences of every party."""
    return compile_scenario(negotiation.structure, latest_private(db, negotiation))


def usernames(db: Session, ids: set[int]) -> dict[int, str]:
    """User names by id (for 'who changed what')."""
    if not ids:
        return {}
    return dict(db.execute(select(User.id, User.username).where(User.id.in_(ids))).tuples().all())


def iso(t: datetime | None) -> str | None:
    """UTC timestamps as ISO 8601 with offset (SQLite hands them back without a zone)."""
    if t is None:
        return None
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).isoformat()

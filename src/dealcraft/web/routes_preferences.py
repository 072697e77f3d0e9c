"""One party's preferences: readable and writable only by that party's delegates (404 for anyone
else, so not even their existence leaks); optimistic locking with If-Match."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Header, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealcraft.errors import ScenarioError
from dealcraft.store.models import Member, Negotiation, Version
from dealcraft.web.access import iso, latest, latest_private, membership, usernames
from dealcraft.web.auth import Caller, caller, get_db
from dealcraft.web.confidential import compile_scenario, own_problems
from dealcraft.web.diff import changed_paths
from dealcraft.web.errors import ApiError, not_found

router = APIRouter(prefix="/api/negotiations")


class Preferences(BaseModel):
    """The body of a PUT: the party's stakeholders and, per stakeholder id, its preference."""

    model_config = ConfigDict(extra="forbid")
    stakeholders: list[dict[str, Any]]
    preferences: dict[str, dict[str, Any]]
    # echoed from a GET and ignored (the version to replace goes in If-Match)
    party: str | None = None
    version: int | None = None
    author: str | None = None
    updated_at: str | None = None


def _own_party(db: Session, negotiation_id: int, party: str, who: Caller) -> tuple[Negotiation, Member]:
    neg, me = membership(db, negotiation_id, who.user)
    if me.role != "delegate" or me.party != party:
        raise not_found("no such preferences (only the party's own delegates can see them)")
    return neg, me


def _body(v: Version, names: dict[int, str]) -> dict[str, Any]:
    return {
        "party": v.party,
        "version": v.party_version,
        "author": names.get(v.author_id),
        "updated_at": iso(v.created_at),
        **v.data,
    }


@router.get("/{negotiation_id}/preferences/{party}")
def read(
    negotiation_id: int,
    party: str,
    response: Response,
    who: Caller = Depends(caller),
    db: Session = Depends(get_db),
) -> dict:
    """A party's preferences with their version (delegates of that party only; others 404)."""
    _own_party(db, negotiation_id, party, who)
    v = latest(db, negotiation_id, party)
    if v is None:
        raise not_found("no such preferences")
    response.headers["ETag"] = f'"{v.party_version}"'
    return _body(v, usernames(db, {v.author_id}))


_TAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


@router.put("/{negotiation_id}/preferences/{party}")
def write(
    negotiation_id: int,
    party: str,
    body: Preferences,
    response: Response,
    if_match: str | None = Header(None),
    who: Caller = Depends(caller),
    db: Session = Depends(get_db),
) -> dict:
    """Save a new version. 428 without If-Match, 409 if it is not the latest version (nothing is
    overwritten), 422 with the model layer's located problems if the preferences are invalid."""
    from dealcraft.model.load import from_data

    neg, _ = _own_party(db, negotiation_id, party, who)
    if if_match is None:
        raise ApiError(428, "send If-Match: <version> (the version you edited, from GET or its ETag)")
    m = _TAG.match(if_match)
    if m is None:
        raise ApiError(400, f"cannot read If-Match {if_match!r}: send the version number, e.g. If-Match: 3")
    base = int(m.group(1))
    current = latest(db, negotiation_id, party)
    now = current.party_version if current else 0
    if base != now:
        raise _stale(base, now)
    data = {"stakeholders": body.stakeholders, "preferences": body.preferences}
    private = latest_private(db, neg)
    private[party] = data
    try:
        from_data(compile_scenario(neg.structure, private), "preferences")
    except ScenarioError as e:
        problems = [
            {"where": p.location, "message": p.message} for p in own_problems(e, neg.structure, party)
        ]
        raise ApiError(
            422,
            problems[0]["message"] if len(problems) == 1 else f"{len(problems)} problems in the preferences",
            code="invalid_preferences",
            where=problems[0]["where"] or None,
            extra={"problems": problems},
        ) from None
    row = Version(
        negotiation_id=negotiation_id,
        kind="preferences",
        party=party,
        party_version=now + 1,
        data=data,
        changed=changed_paths(current.data if current else {}, data),
        author_id=who.user.id,
    )
    db.add(row)
    try:
        db.commit()
    except IntegrityError:  # someone saved version now+1 between our read and our write
        db.rollback()
        raise _stale(base, base + 1) from None
    response.headers["ETag"] = f'"{row.party_version}"'
    return _body(row, {who.user.id: who.user.username})


def _stale(base: int, now: int) -> ApiError:
    return ApiError(
        409,
        f"version {base} is stale: the latest is {now}. "
        f"GET it, re-apply your change and send If-Match: {now}",
        code="stale_version",
        extra={"current_version": now},
    )

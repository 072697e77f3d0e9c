"""Negotiations, members and the version history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealcraft.errors import DealcraftError, ScenarioError
from dealcraft.store.accounts import find_user
from dealcraft.store.models import Member, Negotiation, Version
from dealcraft.web.access import ROLES, iso, membership, require_facilitator, usernames
from dealcraft.web.auth import Caller, caller, get_db
from dealcraft.web.confidential import party_ids, shared_view, split
from dealcraft.web.errors import ApiError, not_found
from dealcraft.web.safe_yaml import MAX_BYTES, parse

router = APIRouter(prefix="/api/negotiations")


class NewNegotiation(BaseModel):
    """A new negotiation: title and scenario (YAML/JSON text or a built-in id)."""

    title: str = Field(min_length=1, max_length=200)
    scenario: str = Field(min_length=1, description="Scenario YAML/JSON text, or a built-in scenario id")


class NewMember(BaseModel):
    """A member to add: user name, role and (for delegates) party."""

    username: str = Field(min_length=1, max_length=64)
    role: str
    party: str | None = None


class Change(BaseModel):
    """Changes to a negotiation's title or job permissions."""

    title: str | None = Field(None, min_length=1, max_length=200)
    members_may_run_jobs: bool | None = None


def scenario_problems(e: ScenarioError, prefix: str = "") -> ApiError:
    """A 422 listing the scenario's located problems."""
    problems = [
        {"where": (prefix + p.location) if p.location else prefix.rstrip("."), "message": p.message}
        for p in e.problems
    ]
    return ApiError(
        422,
        e.problems[0].message if len(e.problems) == 1 else f"{len(e.problems)} problems in the scenario",
        code="invalid_scenario",
        where=problems[0]["where"] or None,
        extra={"problems": problems},
    )


def _load(text: str) -> dict[str, Any]:
    """Validated scenario data from YAML/JSON text or a built-in id."""
    from dealcraft.model.load import builtin_ids, builtin_text, from_data, to_data

    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ApiError(413, f"the scenario is larger than {MAX_BYTES:,} bytes: send a smaller one")
    source = "scenario"
    if text.strip() in builtin_ids():
        text = builtin_text(text.strip())
    try:
        return to_data(from_data(parse(text, source), source))
    except ScenarioError as e:
        raise scenario_problems(e, "scenario: ") from None
    except DealcraftError as e:
        raise ApiError(422, str(e), code="invalid_scenario", where="scenario") from None


@router.post("", status_code=201)
def create(body: NewNegotiation, who: Caller = Depends(caller), db: Session = Depends(get_db)) -> dict:
    """Create a negotiation from a scenario; the caller becomes its facilitator."""
    data = _load(body.scenario)
    structure, private = split(data)
    neg = Negotiation(title=body.title, structure=structure, created_by=who.user.id)
    db.add(neg)
    db.flush()
    db.add(Member(negotiation_id=neg.id, user_id=who.user.id, role="facilitator"))
    db.add(
        Version(
            negotiation_id=neg.id,
            kind="structure",
            party="",
            party_version=1,
            data=structure,
            changed=["(created)"],
            author_id=who.user.id,
        )
    )
    for party, part in private.items():
        db.add(
            Version(
                negotiation_id=neg.id,
                kind="preferences",
                party=party,
                party_version=1,
                data=part,
                changed=["(created)"],
                author_id=who.user.id,
            )
        )
    db.commit()
    return {"id": neg.id}


@router.get("")
def list_mine(who: Caller = Depends(caller), db: Session = Depends(get_db)) -> dict:
    """The negotiations the caller is a member of."""
    rows = db.execute(
        select(Negotiation, Member)
        .join(Member, Member.negotiation_id == Negotiation.id)
        .where(Member.user_id == who.user.id)
        .order_by(Negotiation.id)
    ).all()
    return {
        "negotiations": [
            {"id": n.id, "title": n.title, "role": m.role, "party": m.party, "created_at": iso(n.created_at)}
            for n, m in rows
        ]
    }


@router.get("/{negotiation_id}")
def show(negotiation_id: int, who: Caller = Depends(caller), db: Session = Depends(get_db)) -> dict:
    """The shared part: never any party's preferences."""
    neg, me = membership(db, negotiation_id, who.user)
    return {
        "id": neg.id,
        "title": neg.title,
        **shared_view(neg.structure),
        "role": me.role,
        "party": me.party,
        "members_may_run_jobs": neg.members_may_run_jobs,
        "created_at": iso(neg.created_at),
    }


@router.patch("/{negotiation_id}")
def change(
    negotiation_id: int, body: Change, who: Caller = Depends(caller), db: Session = Depends(get_db)
) -> dict:
    """Facilitator only: rename, or let delegates and observers start jobs."""
    neg, me = membership(db, negotiation_id, who.user)
    require_facilitator(me)
    if body.title is not None:
        neg.title = body.title
    if body.members_may_run_jobs is not None:
        neg.members_may_run_jobs = body.members_may_run_jobs
    db.commit()
    return {"id": neg.id, "title": neg.title, "members_may_run_jobs": neg.members_may_run_jobs}


@router.get("/{negotiation_id}/members")
def members(negotiation_id: int, who: Caller = Depends(caller), db: Session = Depends(get_db)) -> dict:
    """The members of a negotiation and their roles."""
    membership(db, negotiation_id, who.user)
    rows = list(db.scalars(select(Member).where(Member.negotiation_id == negotiation_id).order_by(Member.id)))
    names = usernames(db, {m.user_id for m in rows})
    return {"members": [{"username": names[m.user_id], "role": m.role, "party": m.party} for m in rows]}


@router.post("/{negotiation_id}/members", status_code=201)
def add_member(
    negotiation_id: int, body: NewMember, who: Caller = Depends(caller), db: Session = Depends(get_db)
) -> dict:
    """Facilitator only: add an account as facilitator, delegate of one party, or observer."""
    neg, me = membership(db, negotiation_id, who.user)
    require_facilitator(me)
    if body.role not in ROLES:
        raise ApiError(422, f"unknown role {body.role!r}: use {', '.join(ROLES)}", where="role")
    parties = party_ids(neg.structure)
    if body.role == "delegate" and body.party not in parties:
        raise ApiError(
            422, f"a delegate needs the party it speaks for: one of {', '.join(parties)}", where="party"
        )
    if body.role != "delegate" and body.party is not None:
        raise ApiError(422, f"a {body.role} belongs to no party: leave out 'party'", where="party")
    user = find_user(db, body.username)
    if user is None:
        raise ApiError(
            422, f"no account {body.username!r}: create it with `dealcraft users add`", where="username"
        )
    exists = db.scalar(select(Member).where(Member.negotiation_id == neg.id, Member.user_id == user.id))
    if exists is not None:
        raise ApiError(409, f"{body.username} is already a member ({exists.role})")
    db.add(Member(negotiation_id=neg.id, user_id=user.id, role=body.role, party=body.party))
    db.commit()
    return {"username": user.username, "role": body.role, "party": body.party}


def _visible(v: Version, me: Member) -> bool:
    return v.kind == "structure" or (me.role == "delegate" and v.party == me.party)


def _version_json(v: Version, names: dict[int, str]) -> dict[str, Any]:
    return {
        "n": v.id,
        "kind": v.kind,
        "party": v.party or None,
        "version": v.party_version,
        "author": names.get(v.author_id),
        "created_at": iso(v.created_at),
        "changed": v.changed,
    }


@router.get("/{negotiation_id}/versions")
def versions(negotiation_id: int, who: Caller = Depends(caller), db: Session = Depends(get_db)) -> dict:
    """Who changed what and when: the structure, and the preferences of the caller's own party."""
    _, me = membership(db, negotiation_id, who.user)
    rows = [
        v
        for v in db.scalars(
            select(Version).where(Version.negotiation_id == negotiation_id).order_by(Version.id)
        )
        if _visible(v, me)
    ]
    names = usernames(db, {v.author_id for v in rows})
    return {"versions": [_version_json(v, names) for v in rows]}


@router.get("/{negotiation_id}/versions/{n}")
def version(
    negotiation_id: int, n: int, who: Caller = Depends(caller), db: Session = Depends(get_db)
) -> dict:
    """One version: the shared structure, or the caller's own party's preferences."""
    _, me = membership(db, negotiation_id, who.user)
    v = db.get(Version, n)
    if v is None or v.negotiation_id != negotiation_id or not _visible(v, me):
        raise not_found("no such version in this negotiation")
    data = shared_view(v.data) if v.kind == "structure" else v.data
    return {**_version_json(v, usernames(db, {v.author_id})), "data": data}


def etag_response(response: Response, version: int) -> None:
    """Set the ETag of a versioned answer."""
    response.headers["ETag"] = f'"{version}"'


class Expression(BaseModel):
    """A red-line expression to check against a negotiation's issues and options."""

    expression: str = Field(max_length=20_000)


@router.post("/{negotiation_id}/expressions")
def check_expression(
    negotiation_id: int, body: Expression, who: Caller = Depends(caller), db: Session = Depends(get_db)
) -> dict:
    """Whether an expression is a valid red line here (the preferences editor checks as you type);
    422 with the parser's message and the character position of the problem otherwise."""
    from dealcraft.model.expr import ExprError, parse
    from dealcraft.model.numeric import written_options

    neg, _ = membership(db, negotiation_id, who.user)
    written = {i["id"]: written_options(i) for i in neg.structure["issues"]}
    options = {issue: ids for issue, (ids, _) in written.items()}
    grids = {issue: grid for issue, (_, grid) in written.items() if grid is not None}
    try:
        parse(body.expression, options, grids)
    except ExprError as e:
        raise ApiError(
            422, e.message, code="invalid_expression", where="expression", extra={"position": e.position}
        ) from None
    return {"expression": body.expression, "valid": True}

"""Start, watch and cancel analyses; results pass through the disclosure rule on the way out."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealcraft.errors import format_location
from dealcraft.store.models import Job, Member
from dealcraft.web.access import compiled, iso, membership
from dealcraft.web.auth import Caller, caller, get_db
from dealcraft.web.disclosure import disclose
from dealcraft.web.errors import ApiError, not_found
from dealcraft.web.job_options import OPTIONS
from dealcraft.web.jobs import LIVE

router = APIRouter(prefix="/api")


class NewJob(BaseModel):
    """A job request: its kind and options."""

    kind: str
    options: dict[str, Any] = Field(default_factory=dict)


def _options(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    if kind not in OPTIONS:
        raise ApiError(422, f"unknown job kind {kind!r}: use one of {', '.join(OPTIONS)}", where="kind")
    try:
        return OPTIONS[kind].model_validate(raw).model_dump()
    except ValidationError as e:
        err = e.errors()[0]
        where = format_location(["options", *err["loc"]])
        raise ApiError(422, f"{where}: {err['msg']}", where=where) from None


@router.post("/negotiations/{negotiation_id}/jobs", status_code=202)
def start(
    negotiation_id: int,
    body: NewJob,
    request: Request,
    response: Response,
    who: Caller = Depends(caller),
    db: Session = Depends(get_db),
) -> dict:
    """Queue an analysis job on the negotiation's current preferences (202)."""
    neg, me = membership(db, negotiation_id, who.user)
    if me.role != "facilitator" and not neg.members_may_run_jobs:
        raise ApiError(403, "only the facilitator may start jobs here (the facilitator can allow members)")
    options = _options(body.kind, body.options)
    state = request.app.state
    busy = db.scalar(
        select(func.count()).select_from(Job).where(Job.server_id == state.server_id, Job.status.in_(LIVE))
    )
    if busy >= state.settings.max_queued_jobs:
        raise ApiError(
            503, f"{busy} jobs are already waiting or running: try again later", headers={"Retry-After": "30"}
        )
    job = Job(
        id=uuid.uuid4().hex,
        negotiation_id=neg.id,
        kind=body.kind,
        options=options,
        scenario=compiled(db, neg),
        status="queued",
        progress=0.0,
        cancel_requested=False,
        server_id=state.server_id,
        heartbeat=0.0,
        created_by=who.user.id,
    )
    db.add(job)
    db.commit()
    state.runner.submit(job.id)
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return {"job": job.id, "status": job.status}


def _job(db: Session, job_id: str, who: Caller) -> tuple[Job, Member]:
    job = db.get(Job, job_id)
    if job is None:
        raise not_found("no such job (or you are not a member of its negotiation)")
    try:
        _, me = membership(db, job.negotiation_id, who.user)
    except ApiError:
        raise not_found("no such job (or you are not a member of its negotiation)") from None
    return job, me


def _summary(job: Job) -> dict[str, Any]:
    return {
        "job": job.id,
        "negotiation": job.negotiation_id,
        "kind": job.kind,
        "status": job.status,
        "progress": round(job.progress, 4),
        "options": job.options,
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "finished_at": iso(job.finished_at),
    }


@router.get("/jobs/{job_id}")
def read(job_id: str, who: Caller = Depends(caller), db: Session = Depends(get_db)) -> dict:
    """A job's status and progress, and its result filtered by the disclosure rule."""
    job, me = _job(db, job_id, who)
    out = _summary(job)
    if job.status == "done" and job.result is not None:
        out["result"] = disclose(job.kind, job.result, me.party if me.role == "delegate" else None)
    if job.error:
        out["error"] = job.error
    return out


@router.delete("/jobs/{job_id}")
def cancel(job_id: str, who: Caller = Depends(caller), db: Session = Depends(get_db)) -> dict:
    """Cancel a queued or running job (its starter or the facilitator)."""
    job, me = _job(db, job_id, who)
    if me.role != "facilitator" and job.created_by != who.user.id:
        raise ApiError(403, "only the member who started this job or the facilitator may cancel it")
    if job.status not in LIVE:
        raise ApiError(409, f"the job is already {job.status}")
    job.status = "failed"
    job.cancel_requested = True
    job.error = f"cancelled by {who.user.username}"
    db.commit()
    return {"job": job.id, "status": job.status, "error": job.error}


@router.get("/negotiations/{negotiation_id}/jobs")
def list_jobs(negotiation_id: int, who: Caller = Depends(caller), db: Session = Depends(get_db)) -> dict:
    """The jobs of one negotiation."""
    membership(db, negotiation_id, who.user)
    rows = db.scalars(select(Job).where(Job.negotiation_id == negotiation_id).order_by(Job.created_at))
    return {"jobs": [_summary(j) for j in rows]}

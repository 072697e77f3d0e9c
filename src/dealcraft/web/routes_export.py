"""Downloads: the scenario as far as the caller may see it, the disclosed results, and the
briefing book built from both."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealcraft.store.models import Job, Member, Negotiation
from dealcraft.web.access import latest, membership
from dealcraft.web.auth import Caller, caller, get_db
from dealcraft.web.confidential import split
from dealcraft.web.disclosure import disclose
from dealcraft.web.errors import ApiError

router = APIRouter(prefix="/api/negotiations")


def entitled_scenario(
    structure: dict[str, Any], party: str | None, own: dict[str, Any] | None
) -> dict[str, Any]:
    """The shared structure, plus (for a delegate) its own party's stakeholders and preferences.

    Other parties keep their id, name and ratification rule but no stakeholders, and the roadmap
    trust keeps only the caller's own party: the file is a record of what the caller may see, not
    a scenario that loads on its own."""
    data = copy.deepcopy(structure)
    preferences: dict[str, Any] = {}
    for p in data["parties"]:
        p.pop("stakeholders", None)
        if party is not None and p["id"] == party and own is not None:
            p["stakeholders"] = copy.deepcopy(own["stakeholders"])
            for sid, pref in own["preferences"].items():
                preferences[f"{party}.{sid}"] = copy.deepcopy(pref)
    data["preferences"] = preferences
    trust = (data.get("roadmap") or {}).get("trust")
    if trust:  # a party's trust tolerance is its own number, like its exposure in a roadmap result
        data["roadmap"]["trust"] = {p: t for p, t in trust.items() if p == party}
    return data


def _filename(title: str, suffix: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", title).strip("-").lower() or "negotiation"
    return f"{stem[:60]}-{suffix}"


def _download(body: str, media: str, name: str) -> Response:
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _viewer_party(me: Member) -> str | None:
    """The party whose private numbers the member may see (None: a facilitator or observer)."""
    return me.party if me.role == "delegate" else None


def _entitled(db: Session, neg: Negotiation, party: str | None) -> dict[str, Any]:
    """The entitled scenario of ``party`` with its latest preferences."""
    own = latest(db, neg.id, party) if party else None
    return entitled_scenario(neg.structure, party, own.data if own else None)


def _entitled_as_analysed(db: Session, job_id: str, party: str | None) -> dict[str, Any]:
    """The entitled scenario as the analysis ``job_id`` saw it (its snapshot of the whole
    scenario), so the report's appendix and the numbers beside it never disagree when a
    delegate saved preferences after the job ran."""
    structure, private = split(db.get(Job, job_id).scenario)
    return entitled_scenario(structure, party, private.get(party) if party else None)


def entitled_yaml(neg: Negotiation, me: Member, username: str, data: dict[str, Any]) -> str:
    """The entitled scenario as YAML, headed by whom it was exported for and what it leaves out."""
    import yaml

    party = _viewer_party(me)
    whose = f"the preferences of {party} only" if party else "no party's preferences"
    head = (
        f"# {neg.title}: exported from dealcraft for {username} ({me.role}).\n"
        f"# The shared structure and {whose}; other parties' stakeholders are private.\n"
    )
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@router.get("/{negotiation_id}/export/scenario.yaml")
def scenario_yaml(
    negotiation_id: int, who: Caller = Depends(caller), db: Session = Depends(get_db)
) -> Response:
    """The scenario YAML the caller is entitled to: the shared part, and a delegate's own party's
    stakeholders and preferences (never another party's)."""
    neg, me = membership(db, negotiation_id, who.user)
    data = _entitled(db, neg, _viewer_party(me))
    text = entitled_yaml(neg, me, who.user.username, data)
    return _download(text, "application/yaml", _filename(neg.title, "scenario.yaml"))


def latest_results(db: Session, negotiation_id: int, party: str | None) -> dict[str, Any]:
    """The newest finished job of each kind, filtered by the disclosure rule for ``party``."""
    rows = db.scalars(
        select(Job)
        .where(Job.negotiation_id == negotiation_id, Job.status == "done")
        .order_by(Job.finished_at, Job.created_at)
    )
    out: dict[str, Any] = {}
    for job in rows:
        if job.result is not None:
            out[job.kind] = {
                "job": job.id,
                "options": job.options,
                "result": disclose(job.kind, job.result, party),
            }
    return out


@router.get("/{negotiation_id}/export/results.json")
def results_json(
    negotiation_id: int, who: Caller = Depends(caller), db: Session = Depends(get_db)
) -> Response:
    """The latest result of each analysis, exactly as the caller may see it (the disclosure rule)."""
    neg, me = membership(db, negotiation_id, who.user)
    party = _viewer_party(me)
    body = {"negotiation": neg.id, "title": neg.title, "viewer": {"role": me.role, "party": party}}
    body["results"] = latest_results(db, negotiation_id, party)
    text = json.dumps(body, indent=2, allow_nan=False) + "\n"
    return _download(text, "application/json", _filename(neg.title, "results.json"))


@router.get("/{negotiation_id}/export/report.html")
def report_html(
    negotiation_id: int, who: Caller = Depends(caller), db: Session = Depends(get_db)
) -> Response:
    """The briefing book as the caller may see it: one offline HTML page built from the latest
    finished results after the disclosure rule and the entitled scenario; it runs no analysis."""
    from dealcraft.web import report_export

    neg, me = membership(db, negotiation_id, who.user)
    party = _viewer_party(me)
    results = latest_results(db, negotiation_id, party)
    if "analyze" not in results:
        raise ApiError(
            409,
            "no analysis has finished yet: run one (an analyze job, e.g. on the results page), "
            "then download the report",
        )
    data = _entitled_as_analysed(db, results["analyze"]["job"], party)
    html = report_export.briefing(
        data,
        entitled_yaml(neg, me, who.user.username, data),
        results,
        title=neg.title,
        note=report_export.viewer_note(who.user.username, me.role, party),
        command=f"GET /api/negotiations/{neg.id}/export/report.html (dealcraft web app)",
    )
    return _download(html, "text/html; charset=utf-8", _filename(neg.title, "report.html"))

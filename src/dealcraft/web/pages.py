"""The browser pages: server-rendered HTML (Jinja2) over the same access rules as the JSON API.

Each page calls the API's own route functions for its data, so a page can never show more than
the API would give the same caller. Changes are made by a small served script (static/app.js)
that calls the JSON API with the CSRF header; no inline script, no CDN."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from dealcraft.web import routes_negotiations, routes_preferences
from dealcraft.web.access import iso, latest, membership, usernames
from dealcraft.web.auth import Caller, caller, get_db
from dealcraft.web.errors import ApiError
from dealcraft.web.routes_export import latest_results

router = APIRouter(include_in_schema=False)
HERE = Path(__file__).parent
STATIC = {"app.js": "text/javascript", "style.css": "text/css", "favicon.svg": "image/svg+xml"}


@functools.cache
def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)


def render(name: str, code: int = 200, **context: Any) -> HTMLResponse:
    """An HTML page from its template."""
    return HTMLResponse(_env().get_template(f"pages/{name}").render(**context), code)


def _who(request: Request, db: Session) -> Caller | None:
    try:
        return caller(request, db)
    except ApiError:
        return None


def _to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(request.url.path)}", 303)


def _failed(e: ApiError, who: Caller) -> HTMLResponse:
    return render("error.html", e.status, user=who.user.username, title="Not available", message=e.message)


def _shown_negotiation(negotiation_id: int, request: Request, db: Session) -> tuple[Caller, dict] | Response:
    """The caller and the negotiation as they may see it, or the page to show instead (the login
    page, or "not available")."""
    who = _who(request, db)
    if who is None:
        return _to_login(request)
    try:
        return who, routes_negotiations.show(negotiation_id, who, db)
    except ApiError as e:
        return _failed(e, who)


@router.get("/")
def home(request: Request, db: Session = Depends(get_db)) -> Response:
    """The start page: the caller's negotiations, or the login page."""
    return RedirectResponse("/negotiations" if _who(request, db) else "/login", 303)


@router.get("/login")
def login_page(request: Request, next: str = "/negotiations") -> HTMLResponse:
    """The login form."""
    target = next if next.startswith("/") and not next.startswith("//") else "/negotiations"
    return render("login.html", user=None, title="Log in", next=target)


@router.get("/negotiations")
def negotiations_page(request: Request, db: Session = Depends(get_db)) -> Response:
    """My negotiations: list and create."""
    from dealcraft.model.builtins import builtin_ids

    who = _who(request, db)
    if who is None:
        return _to_login(request)
    mine = routes_negotiations.list_mine(who, db)["negotiations"]
    return render(
        "negotiations.html",
        user=who.user.username,
        title="My negotiations",
        rows=mine,
        builtins=builtin_ids(),
    )


def preference_status(db: Session, negotiation_id: int, parties: list[str]) -> list[dict[str, Any]]:
    """Per party: entered by a delegate or not, and when it last changed; never any value."""
    rows = {p: latest(db, negotiation_id, p) for p in parties}
    names = usernames(db, {v.author_id for v in rows.values() if v is not None})
    return [
        {
            "party": p,
            "entered": v is not None and v.party_version > 1,
            "version": v.party_version if v else 0,
            "author": names.get(v.author_id) if v else None,
            "changed": iso(v.created_at) if v else None,
        }
        for p, v in rows.items()
    ]


@router.get("/negotiations/{negotiation_id}")
def overview_page(negotiation_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    """A negotiation's shared structure, members and each party's preference status."""
    who = _who(request, db)
    if who is None:
        return _to_login(request)
    try:
        neg = routes_negotiations.show(negotiation_id, who, db)
        people = routes_negotiations.members(negotiation_id, who, db)["members"]
    except ApiError as e:
        return _failed(e, who)
    status = preference_status(db, negotiation_id, [p["id"] for p in neg["parties"]])
    return render(
        "overview.html", user=who.user.username, title=neg["title"], neg=neg, members=people, status=status
    )


@router.get("/negotiations/{negotiation_id}/preferences")
def preferences_page(negotiation_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    """The caller's own party's preferences editor (delegates only)."""
    who = _who(request, db)
    if who is None:
        return _to_login(request)
    try:
        neg, me = membership(db, negotiation_id, who.user)
        prefs = routes_preferences.read(negotiation_id, me.party or "", Response(), who, db)
    except ApiError as e:
        return _failed(e, who)
    issues = {i["id"]: i for i in neg.structure["issues"]}
    return render(
        "preferences.html",
        user=who.user.username,
        title=f"{neg.title}: preferences of {me.party}",
        neg={"id": neg.id, "title": neg.title},
        party=me.party,
        prefs=prefs,
        issues=issues,
        is_number=_is_number,
        is_range=lambda v: isinstance(v, list) and len(v) == 2 and all(map(_is_number, v)),
    )


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


@router.get("/negotiations/{negotiation_id}/results")
def results_page(negotiation_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    """Run the analysis and show what the disclosure rule lets the caller see."""
    found = _shown_negotiation(negotiation_id, request, db)
    if isinstance(found, Response):
        return found
    who, neg = found
    may_run = neg["role"] == "facilitator" or neg["members_may_run_jobs"]
    return render(
        "results.html",
        user=who.user.username,
        title=f"{neg['title']}: results",
        neg=neg,
        may_run=may_run,
        has_steps=bool(neg["steps"]),
    )


@router.get("/negotiations/{negotiation_id}/export")
def export_page(negotiation_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    """Downloads: the scenario the caller may see, the disclosed results."""
    found = _shown_negotiation(negotiation_id, request, db)
    if isinstance(found, Response):
        return found
    who, neg = found
    party = neg["party"] if neg["role"] == "delegate" else None
    kinds = sorted(latest_results(db, negotiation_id, party))
    return render(
        "export.html", user=who.user.username, title=f"{neg['title']}: export", neg=neg, kinds=kinds
    )


@router.get("/static/vendor/axe.min.js")
def axe_js(request: Request) -> FileResponse:
    """axe-core for the browser tests' accessibility checks: served in test mode only."""
    if not request.app.state.settings.test_mode:
        raise ApiError(404, "no such file")
    return FileResponse(HERE / "static" / "vendor" / "axe.min.js", media_type="text/javascript")


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    """The plotly.js bundled with the Python package: charts work without any network."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})


@router.get("/static/{name}")
def static(name: str) -> FileResponse:
    """The pages' own script, styles and plotly.js (no CDN)."""
    if name not in STATIC:
        raise ApiError(404, "no such file")
    return FileResponse(HERE / "static" / name, media_type=STATIC[name])

"""The authorization matrix, generated from the app's route table: every route x every role has
an expected status, and no response ever carries another party's private numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from support import (
    JOB_OPTIONS,
    PARTY,
    ROLES,
    SCENARIO,
    USERS,
    World,
    build_world,
    distinctive,
    leaks,
    make_app,
    password,
    private_numbers,
    public_numbers,
)

from dealcraft.store.models import Job, Version
from dealcraft.web.app import route_table

ALL = dict.fromkeys(ROLES, 200)


def _auth(ok: int, outsider: int = 404, **members: int) -> dict[str, int]:
    """anonymous 401, outsider ``outsider``, every member ``ok`` unless overridden."""
    out = {"anonymous": 401, "outsider": outsider}
    for role in ("observer", "delegate_b", "delegate_a", "facilitator"):
        out[role] = members.get(role, ok)
    return out


FACILITATOR_ONLY = _auth(403, facilitator=200)
OWN_PARTY_A = _auth(404, delegate_a=200)


def _version_of_a(w: World) -> int:
    with w.app.state.sessions() as db:
        return db.query(Version).filter_by(negotiation_id=w.negotiation, party="a").one().id


# (method, path) -> (expected status per role, request maker, needs a fresh world)
Request = Callable[[World, str], tuple[str, dict[str, Any]]]
MATRIX: dict[tuple[str, str], tuple[dict[str, int], Request, bool]] = {
    ("GET", "/api/health"): (ALL, lambda w, r: ("/api/health", {}), False),
    ("GET", "/docs"): (ALL, lambda w, r: ("/docs", {}), False),
    ("GET", "/docs/start.js"): (ALL, lambda w, r: ("/docs/start.js", {}), False),
    ("GET", "/openapi.json"): (ALL, lambda w, r: ("/openapi.json", {}), False),
    # the pages (HTML): a login page for the anonymous, the API's own 404 rules for the rest
    ("GET", "/"): (dict.fromkeys(ROLES, 303), lambda w, r: ("/", {"follow_redirects": False}), False),
    ("GET", "/login"): (ALL, lambda w, r: ("/login", {}), False),
    ("GET", "/negotiations"): (
        {**ALL, "anonymous": 303},
        lambda w, r: ("/negotiations", {"follow_redirects": False}),
        False,
    ),
    ("GET", "/negotiations/{negotiation_id}"): (
        {**_auth(200), "anonymous": 303},
        lambda w, r: (f"/negotiations/{w.negotiation}", {"follow_redirects": False}),
        False,
    ),
    ("GET", "/negotiations/{negotiation_id}/preferences"): (
        {**_auth(404, delegate_a=200, delegate_b=200), "anonymous": 303},
        lambda w, r: (f"/negotiations/{w.negotiation}/preferences", {"follow_redirects": False}),
        False,
    ),
    ("GET", "/negotiations/{negotiation_id}/results"): (
        {**_auth(200), "anonymous": 303},
        lambda w, r: (f"/negotiations/{w.negotiation}/results", {"follow_redirects": False}),
        False,
    ),
    ("GET", "/negotiations/{negotiation_id}/export"): (
        {**_auth(200), "anonymous": 303},
        lambda w, r: (f"/negotiations/{w.negotiation}/export", {"follow_redirects": False}),
        False,
    ),
    ("GET", "/api/negotiations/{negotiation_id}/export/scenario.yaml"): (
        _auth(200),
        lambda w, r: (f"/api/negotiations/{w.negotiation}/export/scenario.yaml", {}),
        False,
    ),
    ("GET", "/api/negotiations/{negotiation_id}/export/results.json"): (
        _auth(200),
        lambda w, r: (f"/api/negotiations/{w.negotiation}/export/results.json", {}),
        False,
    ),
    ("GET", "/api/negotiations/{negotiation_id}/export/report.html"): (
        _auth(200),
        lambda w, r: (f"/api/negotiations/{w.negotiation}/export/report.html", {}),
        False,
    ),
    # axe-core: only a server in test mode serves it
    ("GET", "/static/vendor/axe.min.js"): (
        dict.fromkeys(ROLES, 404),
        lambda w, r: ("/static/vendor/axe.min.js", {}),
        False,
    ),
    ("GET", "/static/plotly.min.js"): (ALL, lambda w, r: ("/static/plotly.min.js", {}), False),
    ("GET", "/static/{name}"): (ALL, lambda w, r: ("/static/app.js", {}), False),
    ("POST", "/api/login"): (
        {**ALL, "anonymous": 401},
        lambda w, r: (
            "/api/login",
            {"json": {"username": USERS.get(r, "nobody"), "password": password(USERS.get(r, "x"))}},
        ),
        True,
    ),
    ("POST", "/api/logout"): (_auth(200, outsider=200), lambda w, r: ("/api/logout", {}), True),
    ("GET", "/api/me"): (_auth(200, outsider=200), lambda w, r: ("/api/me", {}), False),
    ("GET", "/api/negotiations"): (_auth(200, outsider=200), lambda w, r: ("/api/negotiations", {}), False),
    ("POST", "/api/negotiations"): (
        _auth(201, outsider=201),
        lambda w, r: ("/api/negotiations", {"json": {"title": "Mine", "scenario": SCENARIO}}),
        True,
    ),
    ("GET", "/api/negotiations/{negotiation_id}"): (
        _auth(200),
        lambda w, r: (f"/api/negotiations/{w.negotiation}", {}),
        False,
    ),
    ("PATCH", "/api/negotiations/{negotiation_id}"): (
        FACILITATOR_ONLY,
        lambda w, r: (f"/api/negotiations/{w.negotiation}", {"json": {"members_may_run_jobs": True}}),
        True,
    ),
    ("GET", "/api/negotiations/{negotiation_id}/members"): (
        _auth(200),
        lambda w, r: (f"/api/negotiations/{w.negotiation}/members", {}),
        False,
    ),
    ("POST", "/api/negotiations/{negotiation_id}/members"): (
        _auth(403, facilitator=201),
        lambda w, r: (
            f"/api/negotiations/{w.negotiation}/members",
            {"json": {"username": "olga", "role": "observer"}},
        ),
        True,
    ),
    ("GET", "/api/negotiations/{negotiation_id}/preferences/{party}"): (
        OWN_PARTY_A,
        lambda w, r: (f"/api/negotiations/{w.negotiation}/preferences/a", {}),
        False,
    ),
    ("PUT", "/api/negotiations/{negotiation_id}/preferences/{party}"): (
        OWN_PARTY_A,
        lambda w, r: (
            f"/api/negotiations/{w.negotiation}/preferences/a",
            {"json": _prefs_a(w), "headers": {"If-Match": "1"}},
        ),
        True,
    ),
    ("GET", "/api/negotiations/{negotiation_id}/versions"): (
        _auth(200),
        lambda w, r: (f"/api/negotiations/{w.negotiation}/versions", {}),
        False,
    ),
    ("GET", "/api/negotiations/{negotiation_id}/versions/{n}"): (
        OWN_PARTY_A,
        lambda w, r: (f"/api/negotiations/{w.negotiation}/versions/{_version_of_a(w)}", {}),
        False,
    ),
    ("POST", "/api/negotiations/{negotiation_id}/expressions"): (
        _auth(200),
        lambda w, r: (
            f"/api/negotiations/{w.negotiation}/expressions",
            {"json": {"expression": "money == lots"}},
        ),
        True,
    ),
    ("GET", "/api/negotiations/{negotiation_id}/jobs"): (
        _auth(200),
        lambda w, r: (f"/api/negotiations/{w.negotiation}/jobs", {}),
        False,
    ),
    ("POST", "/api/negotiations/{negotiation_id}/jobs"): (
        _auth(403, facilitator=202),
        lambda w, r: (f"/api/negotiations/{w.negotiation}/jobs", {"json": {"kind": "analyze"}}),
        True,
    ),
    ("GET", "/api/jobs/{job_id}"): (_auth(200), lambda w, r: (f"/api/jobs/{w.jobs['analyze']}", {}), False),
    ("DELETE", "/api/jobs/{job_id}"): (
        _auth(403, facilitator=200),
        lambda w, r: (f"/api/jobs/{_queued_job(w)}", {}),
        True,
    ),
}


def _prefs_a(w: World) -> dict[str, Any]:
    token = w.tokens["delegate_a"]
    body = w.client.get(
        f"/api/negotiations/{w.negotiation}/preferences/a", headers={"Authorization": f"Bearer {token}"}
    ).json()
    return {"stakeholders": body["stakeholders"], "preferences": body["preferences"]}


def _queued_job(w: World) -> str:
    """A job that stays queued (inserted directly, never handed to a worker)."""
    if "queued" not in w.jobs:
        with w.app.state.sessions() as db:
            job = Job(
                id="f" * 32,
                negotiation_id=w.negotiation,
                kind="analyze",
                options={"k": 1, "max_packages": 10**9},
                scenario={},
                status="queued",
                progress=0.0,
                cancel_requested=False,
                server_id=w.app.state.server_id,
                heartbeat=0.0,
                created_by=1 + list(USERS).index("facilitator"),
            )
            db.add(job)
            db.commit()
        w.jobs["queued"] = "f" * 32
    return w.jobs["queued"]


def _viewer(role: str) -> str | None:
    return PARTY.get(role)


@pytest.fixture(scope="module")
def shared(module_db_url):
    """One world with finished jobs of every kind, for the read-only routes, plus its secrets."""
    app = make_app(module_db_url)
    with TestClient(app) as client:
        world = build_world(client, jobs=True)
        secrets: dict[str, set[float]] = {"a": set(), "b": set()}
        with app.state.sessions() as db:
            results = {kind: db.get(Job, job_id).result for kind, job_id in world.jobs.items()}
        public = {x for full in results.values() for x in public_numbers(full)}
        for kind, full in results.items():
            for party in secrets:
                secrets[party] |= distinctive(private_numbers(kind, full, party), public)
        assert secrets["a"] and secrets["b"], "the fixture must plant derived numbers for both parties"
        yield world, secrets


def _all_numbers(node: Any) -> list[float]:
    from support import _numbers

    return _numbers(node)


def test_every_route_has_an_entry(shared):
    world, _ = shared
    missing = [route for route in route_table(world.app) if route not in MATRIX]
    assert not missing, f"routes without an authorization-matrix entry: {missing}"
    stale = [route for route in MATRIX if route not in route_table(world.app)]
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def _call(world: World, method: str, path: str, role: str, maker: Request):
    url, kwargs = maker(world, role)
    headers = {**kwargs.pop("headers", {}), **world.headers(role)}
    world.client.cookies.clear()  # bearer tokens only here; cookie sessions have their own tests
    return world.client.request(method, url, headers=headers, **kwargs)


@pytest.mark.parametrize(
    "route", sorted(MATRIX, key=lambda mp: (mp[1], mp[0])), ids=lambda mp: f"{mp[0]} {mp[1]}"
)
def test_matrix(route, shared, module_db_url, tmp_path):
    method, path = route
    expected, maker, fresh = MATRIX[route]
    world, secrets = shared
    if fresh:
        app = make_app(_fresh_url(module_db_url, tmp_path))
        with TestClient(app) as client:
            _check_roles(build_world(client), method, path, expected, maker, secrets)
    else:
        _check_roles(world, method, path, expected, maker, secrets)


def _fresh_url(module_url: str, tmp_path) -> str:
    if module_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    from conftest import _pg_database

    url, _ = _pg_database()  # dropped with the cluster
    return url


def _check_roles(world, method, path, expected, maker, secrets) -> None:
    got = {}
    for role in ROLES:
        r = _call(world, method, path, role, maker)
        got[role] = r.status_code
        assert not leaks(r.text, _viewer(role), secrets), (role, leaks(r.text, _viewer(role), secrets))
        if r.status_code >= 400 and not r.headers["content-type"].startswith("text/html"):
            assert set(r.json()["error"]) >= {"code", "message"}, r.text
    assert got == expected


@pytest.mark.parametrize("kind", list(JOB_OPTIONS))
def test_results_follow_the_disclosure_rule(kind, shared):
    """Each job kind, read by each role: no other party's planted or derived numbers, and the
    delegate sees its own party's numbers (so the filter does not just drop everything)."""
    world, secrets = shared
    job = world.jobs[kind]
    for role in ("observer", "facilitator", "delegate_a", "delegate_b", "delegate_a2"):
        r = world.client.get(f"/api/jobs/{job}", headers=world.headers(role))
        assert r.status_code == 200
        assert r.json()["status"] == "done"
        assert not leaks(r.text, _viewer(role), secrets), (role, leaks(r.text, _viewer(role), secrets))
        own = _viewer(role)
        if own is not None and kind != "simulate":
            numbers = set(_all_numbers(r.json()["result"]))
            assert numbers & secrets[own] or kind in ("robust", "sensitivity"), (kind, role)

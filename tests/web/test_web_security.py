"""CSRF for cookie sessions, security headers, the body limit, login throttling, safe YAML."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from support import SCENARIO, build_world, make_app, password

from dealcraft.store.accounts import add_user
from dealcraft.web.settings import Throttle


@pytest.fixture
def client(db_url):
    with TestClient(make_app(db_url)) as c:
        yield c


def _cookie_login(client: TestClient, user: str) -> dict:
    with client.app.state.sessions() as db:
        add_user(db, user, password(user))
    r = client.post("/api/login", json={"username": user, "password": password(user)})
    assert r.status_code == 200
    cookie = r.headers.get_list("set-cookie")
    session = next(c for c in cookie if c.startswith("dealcraft_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session
    return r.json()


def test_cookie_sessions_need_the_csrf_token_to_change_anything(client):
    login = _cookie_login(client, "carl")
    assert client.get("/api/me").status_code == 200  # reading works with the cookie alone
    body = {"title": "t", "scenario": SCENARIO}
    r = client.post("/api/negotiations", json=body)
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    r = client.post("/api/negotiations", json=body, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert client.get("/api/negotiations").json()["negotiations"] == []  # nothing was created
    csrf = client.cookies.get("dealcraft_csrf")
    assert csrf == login["csrf"]
    assert client.post("/api/negotiations", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    # a bearer token is never sent by a browser on its own: no CSRF token needed
    client.cookies.clear()
    auth = {"Authorization": f"Bearer {login['token']}"}
    assert client.post("/api/negotiations", json=body, headers=auth).status_code == 201


def test_logout_ends_the_session(client):
    login = _cookie_login(client, "lou")
    auth = {"Authorization": f"Bearer {login['token']}"}
    assert client.post("/api/logout", headers=auth).status_code == 200
    r = client.get("/api/me", headers=auth)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("path", ["/api/health", "/api/negotiations", "/docs", "/nowhere"])
def test_security_headers(client, path):
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[-1].split(";")[0]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_docs_page_has_no_inline_script(client):
    html = client.get("/docs").text
    assert "<script>" not in html and "<script src=" in html
    assert client.get("/docs/start.js").headers["content-type"].startswith("text/javascript")
    assert "/api/negotiations/{negotiation_id}/preferences/{party}" in client.get("/openapi.json").text


def test_body_limit_413(client):
    world = build_world(client)
    auth = world.headers("facilitator")
    big = "#" * 3_100_000
    r = client.post("/api/negotiations", json={"title": "big", "scenario": big}, headers=auth)
    assert r.status_code == 413
    assert "2,000,000" in r.json()["error"]["message"]
    # under the request limit but over the scenario limit
    r = client.post("/api/negotiations", json={"title": "big", "scenario": "#" * 2_100_000}, headers=auth)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_streamed_body_over_the_limit_is_413(client):
    world = build_world(client)

    def chunks():
        for _ in range(40):
            yield b" " * 100_000

    r = client.post(
        "/api/negotiations",
        content=chunks(),
        headers={**world.headers("facilitator"), "Content-Type": "application/json"},
    )
    assert r.status_code == 413


def test_yaml_bombs_and_bad_yaml_are_rejected_with_a_location(client):
    world = build_world(client)
    auth = world.headers("facilitator")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 9)}]\n" for k in range(12)
    )
    r = client.post("/api/negotiations", json={"title": "bomb", "scenario": bomb}, headers=auth)
    assert r.status_code == 422 and "aliases" in r.json()["error"]["message"]
    r = client.post("/api/negotiations", json={"title": "t", "scenario": "a: [1, 2"}, headers=auth)
    assert r.status_code == 422 and r.json()["error"]["where"].startswith("scenario: line")
    r = client.post(
        "/api/negotiations", json={"title": "t", "scenario": "!!python/object:os.system {}"}, headers=auth
    )
    assert r.status_code == 422
    r = client.post("/api/negotiations", json={"title": "t", "scenario": "no-such-builtin"}, headers=auth)
    assert r.status_code == 422


def test_builtin_scenario_by_id(client):
    world = build_world(client)
    r = client.post(
        "/api/negotiations",
        json={"title": "Hanoi", "scenario": "hanoi-2019"},
        headers=world.headers("facilitator"),
    )
    assert r.status_code == 201
    shared = client.get(f"/api/negotiations/{r.json()['id']}", headers=world.headers("facilitator")).json()
    assert [p["id"] for p in shared["parties"]] == ["us", "dprk", "rok"]
    assert all("stakeholders" not in p for p in shared["parties"])


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_login_throttling_slows_then_locks(db_url):
    clock = FakeClock()
    rule = Throttle(free=2, lock_at=5, lock_seconds=600, forget_seconds=900)
    app = make_app(db_url, account=rule, address=Throttle(free=100, lock_at=1000), clock=clock)
    with TestClient(app) as client:
        with app.state.sessions() as db:
            add_user(db, "tess", password("tess"))

        def attempt(pw: str):
            return client.post("/api/login", json={"username": "tess", "password": pw})

        assert attempt("wrong").status_code == 401
        assert attempt("wrong").status_code == 401  # two free failures
        assert attempt("wrong").status_code == 401  # third: now wait 1 s, then 2 s, 4 s ...
        r = attempt(password("tess"))  # even the right password must wait
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"
        clock.now += 1
        assert attempt("wrong").status_code == 401  # 4 failures: wait 2 s
        clock.now += 1
        assert attempt("wrong").status_code == 429
        clock.now += 1
        assert attempt("wrong").status_code == 401  # 5th failure: locked for 600 s
        clock.now += 599
        r = attempt(password("tess"))
        assert r.status_code == 429 and int(r.headers["Retry-After"]) <= 1
        clock.now += 2
        assert attempt(password("tess")).status_code == 200  # lock over, and success resets


def test_login_throttling_per_address_covers_many_accounts(db_url):
    clock = FakeClock()
    app = make_app(
        db_url, account=Throttle(free=100, lock_at=1000), address=Throttle(free=3, lock_at=4), clock=clock
    )
    with TestClient(app) as client:
        for k in range(4):
            r = client.post("/api/login", json={"username": f"user{k}", "password": "guess-guess"})
            assert r.status_code == 401
        r = client.post("/api/login", json={"username": "user9", "password": "guess-guess"})
        assert r.status_code == 429 and int(r.headers["Retry-After"]) > 60


def test_errors_have_the_documented_shape(client):
    r = client.post("/api/login", json={"username": "x"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid" and err["where"] == "password"
    r = client.get("/api/nowhere")
    assert r.status_code == 404 and set(r.json()["error"]) >= {"code", "message"}


def test_expired_sessions_are_refused_and_cleaned_up(db_url):
    from sqlalchemy import func, select

    from dealcraft.store.models import Session as LoginSession

    app = make_app(db_url, session_hours=-1)  # every session is born expired
    with TestClient(app) as client:
        with app.state.sessions() as db:
            add_user(db, "eve", password("eve"))
        for _ in range(3):
            token = client.post("/api/login", json={"username": "eve", "password": password("eve")}).json()[
                "token"
            ]
            client.cookies.clear()
            r = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 401 and "expired" in r.json()["error"]["message"]
        with app.state.sessions() as db:
            assert db.scalar(select(func.count()).select_from(LoginSession)) == 1  # older ones deleted

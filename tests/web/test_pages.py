"""The server-rendered pages without a browser: who sees which page, and what is never on it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from support import PLANTED, USERS, build_world, make_app, password


@pytest.fixture
def world(tmp_path):
    with TestClient(make_app(f"sqlite:///{tmp_path / 'd.db'}")) as client:
        yield build_world(client)


def as_user(world, role: str) -> TestClient:
    c = TestClient(world.client.app)
    r = c.post("/api/login", json={"username": USERS[role], "password": password(USERS[role])})
    assert r.status_code == 200
    return c


def test_pages_need_a_login(world):
    c = TestClient(world.client.app)
    r = c.get(f"/negotiations/{world.negotiation}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=/negotiations/{world.negotiation}"
    page = c.get("/login").text
    assert 'name="username"' in page and 'name="password"' in page and ">Log in</button>" in page


def test_no_inline_script_and_own_assets(world):
    c = as_user(world, "facilitator")
    n = world.negotiation
    for path in ("/negotiations", f"/negotiations/{n}", f"/negotiations/{n}/results"):
        r = c.get(path)
        assert r.status_code == 200, (path, r.text)
        assert "script-src 'self'" in r.headers["content-security-policy"]
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", r.text, re.S)
        assert all('src="/static/' in attrs for attrs, body in scripts if "application/json" not in attrs)
        assert "http://" not in r.text and "https://" not in r.text
    for name in ("app.js", "style.css", "favicon.svg", "plotly.min.js"):
        assert c.get(f"/static/{name}").status_code == 200
    assert c.get("/static/../pages.py").status_code == 404


def test_overview_shows_status_never_values(world):
    c = as_user(world, "facilitator")
    page = c.get(f"/negotiations/{world.negotiation}").text
    assert "not entered yet" in page and "Add a member" in page
    for secrets in PLANTED.values():
        assert not [s for s in secrets if s in page]


def test_preferences_page_only_for_own_delegates(world):
    adam = as_user(world, "delegate_a")
    page = adam.get(f"/negotiations/{world.negotiation}/preferences").text
    assert 'id="prefs-form"' in page
    assert [s for s in PLANTED["a"] if s in page]  # its own numbers are there
    assert not [s for s in PLANTED["b"] if s in page]
    for role in ("facilitator", "observer"):
        r = as_user(world, role).get(f"/negotiations/{world.negotiation}/preferences")
        assert r.status_code == 404 and 'id="prefs-form"' not in r.text
    r = as_user(world, "outsider").get(f"/negotiations/{world.negotiation}")
    assert r.status_code == 404 and "Secrets" not in r.text


def test_expression_check_for_the_red_line_editor(world):
    """Any member may check an expression against the shared issues; the answer locates the problem."""
    c = as_user(world, "observer")
    url = f"/api/negotiations/{world.negotiation}/expressions"
    headers = {"X-CSRF-Token": c.cookies.get("dealcraft_csrf", "")}
    shown = c.get(f"/api/negotiations/{world.negotiation}").json()["issues"][0]
    good = f"{shown['id']} != {shown['options'][0]['id']}"
    r = c.post(url, json={"expression": good}, headers=headers)
    assert r.status_code == 200 and r.json()["valid"] is True, r.text
    r = c.post(url, json={"expression": f"{shown['id']} == nowhere"}, headers=headers)
    assert r.status_code == 422 and "nowhere" in r.json()["error"]["message"]
    r = c.post(url, json={"expression": f"{shown['id']} ~ x"}, headers=headers)
    err = r.json()["error"]
    assert r.status_code == 422 and err["position"] == len(shown["id"]) + 1 and err["where"] == "expression"
    olga = as_user(world, "outsider")
    token = {"X-CSRF-Token": olga.cookies.get("dealcraft_csrf", "")}
    r = olga.post(url, json={"expression": good}, headers=token)
    assert r.status_code == 404

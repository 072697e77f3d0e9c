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
    for path in (
        "/negotiations",
        f"/negotiations/{n}",
        f"/negotiations/{n}/results",
        f"/negotiations/{n}/export",
    ):
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


def test_export_gives_each_member_what_it_may_see(world):
    import yaml

    n = world.negotiation
    adam = as_user(world, "delegate_a")
    data = yaml.safe_load(adam.get(f"/api/negotiations/{n}/export/scenario.yaml").text)
    assert {k.split(".")[0] for k in data["preferences"]} == {"a"}
    assert [bool(p.get("stakeholders")) for p in data["parties"]] == [p["id"] == "a" for p in data["parties"]]
    assert set(data["roadmap"]["trust"]) == {"a"}
    assert not [s for s in PLANTED["b"] if s in yaml.safe_dump(data)]
    fiona = as_user(world, "facilitator")
    r = fiona.get(f"/api/negotiations/{n}/export/scenario.yaml")
    assert r.headers["content-disposition"].startswith("attachment;")
    data = yaml.safe_load(r.text)
    assert data["preferences"] == {} and not any("stakeholders" in p for p in data["parties"])
    assert yaml.safe_load(r.text)["issues"] == fiona.get(f"/api/negotiations/{n}").json()["issues"]
    results = fiona.get(f"/api/negotiations/{n}/export/results.json").json()
    assert results["viewer"] == {"role": "facilitator", "party": None} and results["results"] == {}
    page = fiona.get(f"/negotiations/{n}/export").text
    assert "Download the scenario YAML" in page and "No analysis has finished yet" in page


def test_axe_is_served_in_test_mode_only(tmp_path):
    with TestClient(make_app(f"sqlite:///{tmp_path / 'a.db'}", test_mode=True)) as client:
        r = client.get("/static/vendor/axe.min.js")
        assert r.status_code == 200 and r.text.startswith("/*! axe v")
    with TestClient(make_app(f"sqlite:///{tmp_path / 'b.db'}")) as client:
        assert client.get("/static/vendor/axe.min.js").status_code == 404


def test_expression_check_reads_numeric_issues(tmp_path):
    """A negotiation over numeric issues: red lines compare them with numbers, off-grid equality fails."""
    from pathlib import Path

    from support import login

    from dealcraft.store.accounts import add_user

    steel = (Path(__file__).parents[2] / "docs" / "examples" / "steel-trade.yaml").read_text("utf-8")
    with TestClient(make_app(f"sqlite:///{tmp_path / 'd.db'}")) as client:
        with client.app.state.sessions() as db:
            add_user(db, USERS["facilitator"], password(USERS["facilitator"]))
        fac = {"Authorization": f"Bearer {login(client, USERS['facilitator'])}"}
        r = client.post("/api/negotiations", json={"title": "Steel", "scenario": steel}, headers=fac)
        assert r.status_code == 201, r.text
        url = f"/api/negotiations/{r.json()['id']}/expressions"
        numeric = next(
            i
            for i in client.get(f"/api/negotiations/{r.json()['id']}", headers=fac).json()["issues"]
            if "range" in i
        )
        lo, hi = numeric["range"]
        ok = client.post(url, json={"expression": f"{numeric['id']} <= {hi}"}, headers=fac)
        assert ok.status_code == 200, ok.text
        off = client.post(
            url, json={"expression": f"{numeric['id']} == {lo + numeric['step'] / 3}"}, headers=fac
        )
        assert off.status_code == 422, off.text

"""The HTML briefing report of the export page: the disclosed results of finished jobs, never a
new analysis, and never another party's private numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support import (
    PARTY,
    PLANTED,
    build_world,
    distinctive,
    leaks,
    make_app,
    private_numbers,
    public_numbers,
    wait_job,
)

from dealcraft.store.models import Job

REPORT = "/api/negotiations/{}/export/report.html"


@pytest.fixture(scope="module")
def shared(module_db_url):
    """One world with finished jobs of every kind, and each party's derived private numbers."""
    app = make_app(module_db_url)
    with TestClient(app) as client:
        world = build_world(client, jobs=True)
        with app.state.sessions() as db:
            results = {kind: db.get(Job, job_id).result for kind, job_id in world.jobs.items()}
        public = {x for full in results.values() for x in public_numbers(full)}
        secrets = {
            party: {x for kind, full in results.items() for x in private_numbers(kind, full, party)} - public
            for party in PLANTED
        }
        yield world, {party: distinctive(list(xs), public) for party, xs in secrets.items()}


def _report(world, role: str):
    return world.client.get(REPORT.format(world.negotiation), headers=world.headers(role))


def _own_text(html: str) -> str:
    """The report without the inline plotly.js bundle (megabytes of library code, no data)."""
    return re.sub(r"<script>\n.*?</script>", "", html, count=1, flags=re.S)


def _derived_in(html: str, numbers: set[float]) -> set[float]:
    """Derived private numbers written at full precision (as the charts' JSON writes them)."""
    written = set(re.findall(r"-?\d+\.\d+(?:e-?\d+)?", html))
    return {x for x in numbers if repr(x) in written}


@pytest.mark.parametrize("role", ["delegate_a", "delegate_b"])
def test_a_delegate_sees_its_own_numbers_and_none_of_the_other_party(shared, role):
    world, secrets = shared
    own = PARTY[role]
    other = next(p for p in PLANTED if p != own)
    r = _report(world, role)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-disposition"] == 'attachment; filename="secrets-report.html"'
    html = _own_text(r.text)
    assert not leaks(html, own, secrets), leaks(html, own, secrets)
    assert not _derived_in(html, secrets[other])
    assert [s for s in PLANTED[own] if s in html]  # its own stakeholders and preferences (appendix)
    assert _derived_in(html, secrets[own])  # its own utilities and slacks (charts, tables)
    assert "not disclosed to you" in html and "stakeholders not disclosed to you" in html  # the other party


@pytest.mark.parametrize("role", ["facilitator", "observer"])
def test_a_facilitator_or_observer_sees_no_party_numbers(shared, role):
    world, secrets = shared
    html = _own_text(_report(world, role).text)
    assert not leaks(html, None, secrets), leaks(html, None, secrets)
    for party in PLANTED:
        assert not _derived_in(html, secrets[party]), party
    assert "not disclosed to you" in html and "preferences: {}" in html  # the entitled YAML
    assert 'id="sources"' not in html  # needs every party's preferences
    assert "stakeholders not disclosed to you" in html  # "Who decides": every party's members
    shown = ("summary", "stakeholders", "space", "proposals", "sequencing", "uncertainty", "bargaining")
    assert [s for s in shown if f'id="{s}"' not in html] == []


def test_self_contained_and_runs_no_analysis(shared):
    world, _ = shared
    with world.app.state.sessions() as db:
        before = db.query(Job).count()
    html = _report(world, "delegate_a").text
    with world.app.state.sessions() as db:
        assert db.query(Job).count() == before
    tags = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html, re.I)
    external = [t for t in tags if re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", t, re.I)]
    assert not external, external
    assert "<link" not in html.lower() and not re.search(r"@import\s+url\(\s*['\"]?https?:", html)
    assert html.count('class="chart-data"') >= 4 and "Plotly" in html  # charts and plotly.js inline


def test_outsiders_and_strangers_get_what_results_json_gives(shared):
    world, _ = shared
    for role in ("outsider", "anonymous"):
        results = world.client.get(
            f"/api/negotiations/{world.negotiation}/export/results.json", headers=world.headers(role)
        )
        r = _report(world, role)
        assert r.status_code == results.status_code and r.status_code in (401, 404), role
        assert r.json()["error"]["code"] == results.json()["error"]["code"]


def test_export_page_links_the_report(shared):
    world, _ = shared
    page = world.client.get(f"/negotiations/{world.negotiation}/export", headers=world.headers("observer"))
    link = re.search(
        r'<a class="button" id="dl-report" href="([^"]+)" download>HTML briefing report</a>', page.text
    )
    assert link and link.group(1) == REPORT.format(world.negotiation)


def test_409_before_any_analysis(tmp_path):
    with TestClient(make_app(f"sqlite:///{tmp_path / 'd.db'}")) as client:
        world = build_world(client)
        r = _report(world, "facilitator")
        assert r.status_code == 409
        error = r.json()["error"]
        assert error["code"] == "conflict" and "run one" in error["message"]
        page = client.get(f"/negotiations/{world.negotiation}/export", headers=world.headers("facilitator"))
        assert 'id="dl-report"' not in page.text and "has not finished yet" in page.text


def _chromium():
    from dealcraft.errors import DealcraftError
    from dealcraft.report.pdf import find_chromium

    try:
        return find_chromium()
    except DealcraftError as e:
        pytest.skip(f"Chromium is not installed ({e})")


def _open_offline(browser, html: Path) -> tuple[list[str | None], list[str]]:
    """Each chart's drawn flag, and the problems (network requests, console errors) on the way."""
    problems: list[str] = []

    def route(r):
        if not r.request.url.startswith("file://"):
            problems.append(f"network request: {r.request.url}")
            return r.abort()
        return r.continue_()

    page = browser.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.route("**/*", route)
    page.goto(html.as_uri(), wait_until="load")
    page.wait_for_selector("body[data-charts-ready]", state="attached", timeout=60_000)
    drawn = [c.get_attribute("data-drawn") for c in page.query_selector_all("div.chart")]
    page.close()
    return drawn, problems


def test_opens_offline_with_every_chart_drawn(shared, tmp_path):
    """The downloaded file in Chromium from file://: no network request, no console error, and
    every chart the disclosed data leaves drawn (a delegate's, and a facilitator's with fewer)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from dealcraft.report.pdf import launch_args

    world, _ = shared
    chromium = _chromium()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(**launch_args(chromium))
        for role in ("delegate_a", "facilitator"):
            html = tmp_path / f"{role}.html"
            html.write_text(_report(world, role).text, "utf-8")
            drawn, problems = _open_offline(browser, html)
            assert problems == [], role
            assert drawn and drawn == ["1"] * len(drawn), role
        browser.close()


def test_preferences_saved_after_the_analysis_do_not_reach_its_report(tmp_path):
    """The report shows the scenario as the analysis saw it: a reservation saved afterwards is in
    the scenario download but not in the report's appendix beside the older numbers."""
    with TestClient(make_app(f"sqlite:///{tmp_path / 'd.db'}")) as client:
        world = build_world(client)
        fac = world.headers("facilitator")
        r = client.post(f"/api/negotiations/{world.negotiation}/jobs", json={"kind": "analyze"}, headers=fac)
        assert r.status_code == 202, r.text
        assert wait_job(client, r.json()["job"], fac)["status"] == "done"
        url = f"/api/negotiations/{world.negotiation}/preferences/a"
        mine = client.get(url, headers=world.headers("delegate_a"))
        body = mine.json()
        body["preferences"]["boss_alpha"]["reservation"] = 0.4242
        headers = {**world.headers("delegate_a"), "If-Match": mine.headers["etag"]}
        assert client.put(url, json=body, headers=headers).status_code == 200
        scenario = client.get(
            f"/api/negotiations/{world.negotiation}/export/scenario.yaml", headers=world.headers("delegate_a")
        )
        assert "0.4242" in scenario.text
        report = _report(world, "delegate_a")
        assert report.status_code == 200 and "boss_alpha" in report.text
        assert "0.4242" not in _own_text(report.text)

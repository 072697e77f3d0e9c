"""The pages in a real browser: Debian's Chromium (Playwright) against a real `dealcraft serve`
on a free loopback port with a fresh SQLite database."""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

import pytest

from dealcraft.errors import DealcraftError
from dealcraft.report.pdf import find_chromium, launch_args

try:
    CHROMIUM = find_chromium()
    REASON = ""
except DealcraftError as e:
    CHROMIUM = None
    REASON = f"Chromium is not installed ({e})"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=REASON)
sync_api = pytest.importorskip("playwright.sync_api")

OPTIONS = "Options, least to most conceded (the first is the status quo)"
PASSWORDS = {name: f"pw-{name}-2026!" for name in ("fiona", "adam", "bella", "anna")}


def _start(url: str):
    from server import Server

    from dealcraft.store.accounts import add_user
    from dealcraft.store.db import open_database, session_factory

    srv = Server(url, workers=1, test_mode=True)
    engine = open_database(url)
    with session_factory(engine)() as db:
        for name, password in PASSWORDS.items():
            add_user(db, name, password)
        db.commit()
    engine.dispose()
    return srv


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = _start(f"sqlite:///{tmp_path_factory.mktemp('db') / 'dealcraft.db'}")
    yield srv
    srv.stop()


@pytest.fixture
def pg_server():
    """The same server on a fresh PostgreSQL database (.ci/postgres.sh), or a skip."""
    from conftest import PG_SKIP, PG_URL, _pg_database

    if not PG_URL:
        pytest.skip(PG_SKIP)
    url, drop = _pg_database()
    srv = _start(url)
    yield srv
    srv.stop()
    drop()


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: $DEALCRAFT_BROWSER_SHOTS (kept as CI artifacts) or the test's tmp dir."""
    folder = Path(os.environ.get("DEALCRAFT_BROWSER_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser(server):
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(**launch_args(CHROMIUM))
        yield chromium
        chromium.close()


class Person:
    """One browser context (its own cookies) with every console error and response recorded."""

    def __init__(self, browser, server, name: str, shots, viewport=None) -> None:
        self.name, self.server, self.shots = name, server, shots
        self.context = browser.new_context(
            viewport=viewport or {"width": 1100, "height": 900}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.bodies: list[str] = []
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("response", self._record)

    def _record(self, response) -> None:
        if "/api/" in response.url:
            with contextlib.suppress(Exception):  # a body that is gone holds nothing to leak
                self.bodies.append(response.text())

    def go(self, path: str) -> None:
        self.page.goto(self.server.url + path)
        self.ready()

    def ready(self) -> None:
        """Wait until the page's script has set itself up (it marks the body)."""
        self.page.locator("body[data-ready]").wait_for(state="attached")

    def log_in(self) -> None:
        self.go("/login")
        self.page.get_by_label("User name").fill(self.name)
        self.page.get_by_label("Password").fill(PASSWORDS[self.name])
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url("**/negotiations")
        self.ready()

    def log_in_by_keyboard(self) -> None:
        """Log in with the keyboard alone; the focused control has a visible outline."""
        self.go("/login")
        self.page.keyboard.press("Tab")  # the skip link comes first
        assert self.page.evaluate("() => document.activeElement.textContent") == "Skip to content"
        while self.page.evaluate("() => document.activeElement.id") != "username":
            self.page.keyboard.press("Tab")
        self.page.keyboard.type(self.name)
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(PASSWORDS[self.name])
        self.page.keyboard.press("Tab")
        outline = self.page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert (
            self.page.evaluate("() => document.activeElement.textContent") == "Log in" and outline != "none"
        )
        self.page.keyboard.press("Enter")
        self.page.wait_for_url("**/negotiations")
        self.ready()

    def follow(self, link: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link).click()
        self.ready()

    def shot(self, label: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{self.name}-{label}.png"), full_page=True)

    def axe(self) -> list[str]:
        """Run axe-core (served by the app in test mode) on the page: its critical and serious
        violations."""
        self.page.add_script_tag(url=self.server.url + "/static/vendor/axe.min.js")
        found = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
        if os.environ.get("DEALCRAFT_AXE_VERBOSE"):
            print(self.page.url, [(v["id"], v["impact"], v["nodes"][:3]) for v in found])
        return [f"{v['id']} on {v['nodes'][:3]}" for v in found if v["impact"] in ("critical", "serious")]

    def close(self) -> None:
        self.context.close()


def _private_numbers(data: dict, stakeholder: str) -> list[str]:
    """Distinctive number strings of one stakeholder's reservation, for the leak check."""
    return [str(data["preferences"][stakeholder]["reservation"])]


def test_the_whole_story(server, browser, shots):
    _story(server, browser, shots, checks=True)


def test_the_whole_story_on_postgresql(pg_server, browser, shots):
    """The same three-context story against a server on PostgreSQL."""
    _story(pg_server, browser, shots / "postgresql", checks=False)


def _run(person: Person, button: str, kind: str) -> None:
    """Start a job from its button and wait until its status says done."""
    page = person.page
    page.get_by_role("button", name=button).click()
    status = page.locator(f'[data-status="{kind}"]')
    status.filter(has_text=re.compile("done|failed")).wait_for(timeout=120_000)
    assert "done" in status.inner_text(), (status.inner_text(), person.problems)


def _no_other_party(d: Person, party: str, others: set[str]) -> None:
    """Neither the page nor any API answer it received names another party's stakeholder."""
    received = "".join(d.bodies)
    for p2 in others:
        # a stakeholder of another party, as a key or a value (an observation's "by" is part of
        # the shared scenario that every member sees)
        keyed = re.compile(rf'(?<!"by":)(?<!"by": )"{p2}\.[A-Za-z0-9_-]+"')
        m = keyed.search(received)
        assert not m, (
            f"{d.name} received a stakeholder of {p2}: " + received[max(0, m.start() - 300) : m.end() + 100]
        )
        assert not re.search(rf"\b{p2}\.[a-z]", d.page.locator("main").inner_text())


def _story(server, browser, shots, *, checks: bool) -> None:
    """The facilitator creates a negotiation from hanoi-2019 and adds two delegates; each changes
    a weight and a reservation; the facilitator runs the analyses; each delegate sees its own
    numbers and never the other's (on the page and in every answer the page received)."""
    shots.mkdir(parents=True, exist_ok=True)
    fiona = Person(browser, server, "fiona", shots)
    fiona.log_in_by_keyboard()
    fiona.shot("negotiations")
    critical = {"negotiations": fiona.axe()} if checks else {}
    page = fiona.page
    page.get_by_label("Title").fill("Hanoi again")
    page.get_by_label("Built-in scenario").select_option("hanoi-2019")
    with page.expect_navigation():
        page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r".*/negotiations/\d+$"))
    fiona.ready()
    neg_url = page.url.removeprefix(server.url)
    for name, party in (("adam", "us"), ("bella", "dprk")):
        page.get_by_label("User name").fill(name)
        page.get_by_label("Role").select_option("delegate")
        page.get_by_label("Party (delegates)").select_option(party)
        with page.expect_navigation():
            page.get_by_role("button", name="Add member").click()
        fiona.ready()
        page.locator("#members").get_by_text(name).wait_for()
    # a typo in a user name is shown next to the field
    page.get_by_label("User name").fill("nobody")
    page.get_by_role("button", name="Add member").click()
    page.locator('[data-error-for="username"]').get_by_text("no account").wait_for()
    assert fiona.problems == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    fiona.problems.clear()  # Chromium logs the refused request itself; that one was expected
    fiona.shot("overview")
    if checks:
        critical["overview"] = fiona.axe()
    assert "not entered yet" in page.locator("#party-status").inner_text()

    saved = {}
    for name, party, field, reservation in (
        ("adam", "us", "#res-president", "0.4717"),
        ("bella", "dprk", "#res-leader-low", "0.4313"),  # an uncertain reservation: a range
    ):
        d = Person(browser, server, name, shots)
        d.log_in()
        d.follow("Hanoi again")
        d.follow("My party's preferences")
        d.page.locator(field).fill(reservation)
        first = (
            d.page.locator(field).locator("xpath=ancestor::fieldset").locator(".weights input.exact").first
        )
        first.fill(str(float(first.input_value()) + 10))
        d.page.get_by_role("button", name="Save").click()
        d.page.locator("#prefs-ok").get_by_text("Saved as version 2").wait_for()
        d.shot("preferences")
        if checks and name == "adam":
            critical["preferences"] = d.axe()
        saved[name] = (d, party, reservation)

    fiona.go(neg_url)
    status = page.locator("#party-status").inner_text()
    assert status.count("entered (version 2)") == 2
    assert "0.4717" not in page.content() and "0.4313" not in page.content()
    fiona.follow("Results")
    page.get_by_role("button", name="Run the analysis").click()
    page.locator("#job-status").filter(has_text=re.compile("done|failed")).wait_for(timeout=180_000)
    status = page.locator("#job-status").inner_text()
    assert "done" in status, (status, fiona.problems)
    page.locator("#proposals article").first.wait_for(timeout=10_000)
    assert page.locator("#progress").evaluate("e => e.value") == 1
    assert "packages are acceptable to every party" in page.locator("#agreement").inner_text()
    assert "utility of" not in page.locator("#proposals").inner_text()  # no party's numbers
    # the bridge for a package composed option by option: Hanoi's DPRK offer
    page.get_by_label("UN sanctions relief").select_option("lift_2016_17")
    page.get_by_label("Yongbyon nuclear complex").select_option("dismantle")
    _run(fiona, "Find the bridge", "bridge")
    bridge = page.locator("#bridge-out").inner_text()
    assert "The package fails" in bridge and "Smallest change" in bridge
    for button, kind in (
        ("Sequence proposal 1", "roadmap"),
        ("Simulate 200 negotiations", "simulate"),
        ("Test the sensitivity", "sensitivity"),
    ):
        _run(fiona, button, kind)
    for chart in ("#roadmap", "#simulate"):  # no frontier: its utilities are private
        assert page.locator(chart + " .main-svg").first.is_visible(), chart
    assert page.locator("#sensitivity").is_hidden()  # a facilitator sees no party's numbers
    assert "none are shown to you" in page.locator("#sensitivity-note").inner_text()
    fiona.shot("results")
    if checks:
        critical["results"] = fiona.axe()

    for name, (d, party, reservation) in saved.items():
        other = next(r for n, (_, _, r) in saved.items() if n != name)
        d.go(neg_url + "/results")
        d.page.locator("#proposals article").first.wait_for(timeout=60_000)
        for kind in ("bridge", "roadmap", "simulate", "sensitivity"):
            d.page.locator(f'[data-status="{kind}"]').filter(has_text="done").wait_for()
        text = d.page.locator("#proposals").inner_text()
        assert f"utility of {party}" in text
        assert not [p for p, _, _ in saved.values() if p != party and f"utility of {p}" in text]
        for chart in ("#frontier", "#slack", "#roadmap", "#simulate", "#sensitivity"):
            d.page.locator(chart + " .main-svg").first.wait_for()
        d.page.wait_for_load_state("networkidle")
        d.shot("results")
        if checks and name == "adam":
            critical["results (delegate)"] = d.axe()
            if os.environ.get("DEALCRAFT_UPDATE_README_SHOT"):  # the picture in the README
                d.page.evaluate("() => window.scrollTo(0, 0)")
                d.page.screenshot(path=str(Path(__file__).parents[2] / "docs" / "web-results.png"))
        everything = d.page.content() + "".join(d.bodies)
        assert other not in everything and reservation not in d.page.content()
        _no_other_party(d, party, {"us", "dprk", "rok"} - {party})
        results = [json.loads(b)["result"] for b in d.bodies if b.startswith("{") and '"result":{' in b]
        kinds = {
            r_kind
            for b in d.bodies
            if b.startswith("{") and '"result":{' in b
            for r_kind in [json.loads(b)["kind"]]
        }
        assert kinds == {"analyze", "bridge", "roadmap", "simulate", "sensitivity"}, kinds
        for body in [json.loads(b) for b in d.bodies if b.startswith("{") and '"result":{' in b]:
            if body["kind"] == "analyze":
                for row in body["result"]["frontier"] + body["result"]["proposals"]:
                    assert set(row["utilities"]) == {party}
            if body["kind"] == "sensitivity":
                assert {p["stakeholder"].split(".")[0] for p in body["result"]["parameters"]} == {party}
        assert results
        # the export page: the scenario as far as this delegate may see it, and the results
        d.go(neg_url + "/export")
        d.shot("export")
        if checks and name == "adam":
            critical["export"] = d.axe()
        with d.page.expect_download() as info:
            d.page.get_by_role("link", name="Download the scenario YAML").click()
        import yaml

        exported = yaml.safe_load(Path(info.value.path()).read_text("utf-8"))
        own = [p for p in exported["parties"] if p["id"] == party]
        assert own[0]["stakeholders"] and all(
            "stakeholders" not in p for p in exported["parties"] if p["id"] != party
        )
        assert {k.split(".")[0] for k in exported["preferences"]} == {party}
        assert reservation in Path(info.value.path()).read_text("utf-8")
        assert other not in Path(info.value.path()).read_text("utf-8")
        with d.page.expect_download() as info:
            d.page.get_by_role("link", name="Download the results JSON").click()
        dumped = Path(info.value.path()).read_text("utf-8")
        assert set(json.loads(dumped)["results"]) == {
            "analyze",
            "bridge",
            "roadmap",
            "simulate",
            "sensitivity",
        }
        assert other not in dumped
        for p2 in {"us", "dprk", "rok"} - {party}:
            m = re.search(rf'(?<!"by": )"{p2}\.[A-Za-z0-9_-]+"', dumped)
            assert not m, f"the export holds a stakeholder of {p2}: {dumped[m.start() - 200 : m.end()]}"
        assert d.problems == [], d.problems
        d.close()
    if checks:
        fiona.go("/login")
        critical["login"] = fiona.axe()
        assert not any(critical.values()), critical
        _tablet(browser, server, neg_url, shots)
    assert fiona.problems == [], fiona.problems
    fiona.close()


def _tablet(browser, server, neg_url: str, shots) -> None:
    """A tablet-width viewport: nothing wider than the screen, a screenshot to look at."""
    t = Person(browser, server, "adam", shots, viewport={"width": 768, "height": 1024})
    t.log_in()
    for path, label in ((neg_url, "tablet-overview"), (neg_url + "/results", "tablet-results")):
        t.go(path)
        if label == "tablet-results":
            t.page.locator("#simulate .main-svg").first.wait_for()
        width = t.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 768, (label, width)
        t.shot(label)
    t.close()


def test_concurrent_edit_shows_the_conflict_and_merges(server, browser, tmp_path):
    """Two delegates of one party edit the same version; the second sees what changed and
    merges: both changes are in the saved version."""
    fiona = Person(browser, server, "fiona", tmp_path)
    fiona.log_in()
    page = fiona.page
    page.get_by_label("Title").fill("Conflict")
    with page.expect_navigation():
        page.get_by_role("button", name="Create").click()
    fiona.ready()
    for name in ("adam", "anna"):
        page.get_by_label("User name").fill(name)
        page.get_by_label("Party (delegates)").select_option("us")
        with page.expect_navigation():
            page.get_by_role("button", name="Add member").click()
        fiona.ready()
    prefs = page.url.removeprefix(server.url) + "/preferences"
    adam, anna = Person(browser, server, "adam", tmp_path), Person(browser, server, "anna", tmp_path)
    for d in (adam, anna):
        d.log_in()
        d.go(prefs)
    adam.page.locator("#res-president").fill("0.4111")
    adam.page.get_by_role("button", name="Save").click()
    adam.page.locator("#prefs-ok").get_by_text("Saved as version 2").wait_for()
    anna.page.locator("#res-congress").fill("0.6222")
    anna.page.get_by_role("button", name="Save").click()
    conflict = anna.page.locator("#conflict")
    conflict.wait_for()
    text = conflict.inner_text()
    assert "adam saved version 2" in text
    assert "preferences.president.reservation" in text and "0.4111" in text
    assert "preferences.congress.reservation" in text and "0.6222" in text
    rows = anna.page.locator("#conflict-rows tr")
    assert rows.count() == 2, rows.all_inner_texts()  # only the two real changes, no rounding noise
    anna.shot("conflict")
    anna.page.get_by_role("button", name="Merge: my changes on top of theirs").click()
    anna.page.locator("#prefs-ok").get_by_text("Saved as version 3").wait_for()
    assert anna.page.locator("#res-president").input_value() == "0.4111"
    assert anna.page.locator("#res-congress").input_value() == "0.6222"
    adam.go(prefs)
    assert adam.page.locator("#res-president").input_value() == "0.4111"
    assert adam.page.locator("#res-congress").input_value() == "0.6222"
    assert anna.problems == ["Failed to load resource: the server responded with a status of 409 (Conflict)"]
    assert adam.problems == [] and fiona.problems == []
    for p in (fiona, adam, anna):
        p.close()


def test_guided_create_places_errors_next_to_fields(server, browser, tmp_path):
    """The guided form builds a scenario the API checks like an upload; a problem shows next to
    the field it concerns, and the fixed form creates the negotiation."""
    fiona = Person(browser, server, "fiona", tmp_path)
    fiona.log_in()
    page = fiona.page
    page.get_by_label("Title").fill("Guided deal")
    page.get_by_label("Build it here: parties, issues, options").check()
    rows = page.locator('[data-row="party"]')
    rows.nth(0).get_by_label("Party id").fill("north")
    rows.nth(0).get_by_label("Stakeholders (ids whose backing it needs)").fill("leader, bad id!")
    rows.nth(1).get_by_label("Party id").fill("south")
    rows.nth(1).get_by_label("Name").fill("The South")
    rows.nth(1).get_by_label("Stakeholders (ids whose backing it needs)").fill("president")
    issue = page.locator('[data-row="issue"]').nth(0)
    issue.get_by_label("Issue id").fill("border")
    issue.get_by_label("Party that gives").select_option("north")
    issue.get_by_label(OPTIONS).fill("closed, open")
    page.get_by_role("button", name="Add an issue").click()
    second = page.locator('[data-row="issue"]').nth(1)
    second.get_by_label("Issue id").fill("aid")
    second.get_by_label("Party that gives").select_option("south")
    second.get_by_label(OPTIONS).fill("none, food, fuel")
    fiona.shot("guided")
    page.get_by_role("button", name="Create").click()
    error = rows.nth(0).locator('[data-error="stakeholders"]')
    error.filter(has_text=re.compile(".+")).wait_for()
    assert "bad id!" in error.inner_text() or "pattern" in error.inner_text(), error.inner_text()
    assert page.locator('[data-error="stakeholders"]').nth(1).inner_text() == ""
    fiona.problems.clear()  # the refused request (422) is logged by Chromium itself
    rows.nth(0).get_by_label("Stakeholders (ids whose backing it needs)").fill("leader, army")
    with page.expect_navigation():
        page.get_by_role("button", name="Create").click()
    fiona.ready()
    assert page.locator("h1").inner_text() == "Guided deal"
    text = page.locator("main").inner_text()
    assert "The South" in text and "fuel" in text
    assert fiona.problems == [], fiona.problems
    fiona.close()


def test_preferences_sliders_ranges_red_lines_and_sources(server, browser, tmp_path):
    fiona = Person(browser, server, "fiona", tmp_path)
    fiona.log_in()
    page = fiona.page
    page.get_by_label("Title").fill("Editor")
    with page.expect_navigation():
        page.get_by_role("button", name="Create").click()
    fiona.ready()
    page.get_by_label("User name").fill("adam")
    page.get_by_label("Party (delegates)").select_option("us")
    with page.expect_navigation():
        page.get_by_role("button", name="Add member").click()
    fiona.ready()
    prefs = page.url.removeprefix(server.url) + "/preferences"
    fiona.close()

    adam = Person(browser, server, "adam", tmp_path)
    adam.log_in()
    adam.go(prefs)
    p = adam.page
    box = p.locator('[data-stakeholder="president"]')
    sliders = box.locator("input.slider")
    before = [float(v) for v in sliders.evaluate_all("els => els.map(e => e.dataset.exact)")]
    ids = sliders.evaluate_all("els => els.map(e => e.id)")
    sliders.first.focus()
    for _ in range(50):  # the keyboard moves a slider: 50 steps of 0.1 %
        p.keyboard.press("ArrowRight")
    after = [float(v) for v in sliders.evaluate_all("els => els.map(e => e.dataset.exact)")]
    assert after[0] == pytest.approx(round(before[0], 1) + 5, abs=0.01)
    assert sum(after) == pytest.approx(100, abs=0.01)
    shares = [after[k] / sum(after[1:]) for k in range(1, len(after))]
    assert shares == pytest.approx([before[k] / sum(before[1:]) for k in range(1, len(before))], abs=1e-6)
    assert "(sum 100 %)" in box.locator(".sum").inner_text()
    # an uncertain reservation: tick "range", give low and high
    p.locator("#res-president-range").check()
    p.locator("#res-president-low").fill("0.41")
    p.locator("#res-president-high").fill("0.52")
    # a red line from the pickers, and one typed with live validation
    lines = box.locator("input.redline").evaluate_all("els => els.map(e => e.value)")
    assert lines == ["testing >= moratorium"]  # the scenario's own red line is listed
    box.get_by_label("Issue", exact=True).select_option("sanctions")
    box.get_by_label("Operator").select_option(">=")
    box.get_by_label("Option", exact=True).select_option("partial")
    box.get_by_role("button", name="Add this red line").click()
    typed = box.get_by_label("Or type an expression")
    typed.fill("inspectors == nobody")
    box.locator(".check").filter(has_text="nobody").wait_for()
    typed.fill("inspectors != none")
    box.locator(".check").filter(has_text="valid").wait_for()
    typed.press("Enter")
    box.locator("input.redline").nth(2).wait_for()
    assert box.locator("input.redline").evaluate_all("els => els.map(e => e.value)") == [
        *lines,
        "sanctions >= partial",
        "inspectors != none",
    ]
    n = box.locator(".source").count() + 1  # the scenario's own sources come first
    box.get_by_role("button", name="Add a source").click()
    box.get_by_label(f"Document (source {n})").fill("hanoi-memo")
    box.get_by_label(f"Locator (e.g. paragraph 12) (source {n})").fill("paragraph 4")
    box.get_by_label(f"Note (source {n})").fill("the president wants a deal")
    adam.shot("preferences-editor")
    p.get_by_role("button", name="Save").click()
    p.locator("#prefs-ok, #prefs-error").filter(has_text=re.compile(".+")).first.wait_for()
    errors = p.locator(".field-error").evaluate_all("els => els.map(e => e.textContent).filter(Boolean)")
    saved_text = p.locator("#prefs-ok").inner_text()
    assert saved_text == "Saved as version 2.", (p.locator("#prefs-error").inner_text(), errors)

    adam.go(prefs)  # everything came back from the server
    assert p.locator("#res-president-range").is_checked()
    assert p.locator("#res-president-low").input_value() == "0.41"
    assert p.locator("#res-president-high").input_value() == "0.52"
    assert box.locator("input.redline").count() == 3
    assert box.get_by_label(f"Locator (e.g. paragraph 12) (source {n})").input_value() == "paragraph 4"
    shown = dict(sliders.evaluate_all("els => els.map(e => [e.id, parseFloat(e.dataset.exact)])"))
    assert shown == pytest.approx(dict(zip(ids, after, strict=True)), abs=0.01)
    # a broken red line typed into the list is refused on save, next to it
    box.locator("input.redline").nth(2).fill("inspectors ~ none")
    p.get_by_role("button", name="Save").click()
    spot = box.locator('[data-error-for="preferences.president.constraints[2]"]')
    spot.filter(has_text="unexpected character").wait_for()
    assert [m for m in adam.problems if "422" not in m] == [], adam.problems
    adam.close()

"""The briefing book in a real browser: Debian's Chromium driven by Playwright, offline."""

from __future__ import annotations

import re
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealcraft.cli import app
from dealcraft.errors import DealcraftError
from dealcraft.report.labels import Labels
from dealcraft.report.pdf import find_chromium, launch_args
from dealcraft.report.sections import SECTIONS

try:
    CHROMIUM = find_chromium()
except DealcraftError as e:
    CHROMIUM = None
    REASON = f"Chromium is not installed ({e})"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=REASON if CHROMIUM is None else "")
sync_api = pytest.importorskip("playwright.sync_api")

# Charts are drawn in SVG: each must hold data marks (bars, points or lines).
MARKS = ".barlayer .point path, .scatterlayer path.point, .scatterlayer path.js-line"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    html = folder / "hanoi.html"
    args = ["report", "hanoi-2019", "-o", str(html), "--pdf", "--samples", "200", "--runs", "200"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return html


@pytest.fixture(scope="module")
def browser(report):
    """One Chromium for the module (Playwright's sync API allows one instance at a time, so
    the report, whose --pdf runs its own, is written first)."""
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(**launch_args(CHROMIUM))
        yield chromium
        chromium.close()


@contextmanager
def opened(browser, html: Path):
    """The report in a new page from file://, any network request recorded as a problem."""
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1000, "height": 1200})
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            problems.append(f"network request: {r.request.url}")
            r.abort()

    page.route("**/*", route)
    page.goto(html.resolve().as_uri(), wait_until="load")
    page.wait_for_selector("body[data-charts-ready]", state="attached", timeout=60_000)
    try:
        yield page, problems
    finally:
        page.close()


@pytest.fixture(scope="module")
def page(browser, report):
    with opened(browser, report) as opened_page:
        yield opened_page


def assert_charts_drawn(pg) -> int:
    charts = pg.query_selector_all("div.chart")
    assert pg.get_attribute("body", "data-charts-ready") == str(len(charts))
    for chart in charts:
        name = chart.get_attribute("aria-label")
        assert chart.get_attribute("data-drawn") == "1", name
        assert chart.query_selector("svg.main-svg") is not None, name
        assert len(chart.query_selector_all(MARKS)) > 0, f"no data marks in {name!r}"
    return len(charts)


def test_offline_with_no_console_errors(page):
    pg, problems = page
    assert problems == []


def test_every_chart_is_drawn_with_data(page):
    pg, _ = page
    assert assert_charts_drawn(pg) >= 8


def test_two_party_scenario_without_steps(browser, tmp_path):
    html = tmp_path / "tiny.html"
    tiny = str(Path(__file__).parent / "data" / "tiny.yaml")
    result = CliRunner().invoke(app, ["report", tiny, "-o", str(html), "--samples", "100", "--runs", "50"])
    assert result.exit_code == 0, result.output
    with opened(browser, html) as (pg, problems):
        assert assert_charts_drawn(pg) >= 6
        assert problems == []
        assert pg.query_selector("#space .scatterlayer path.js-line") is not None  # the frontier line
        assert "nothing to sequence" in pg.inner_text("#sequencing")


def test_charts_name_parties_not_ids(page):
    pg, _ = page
    text = pg.inner_text("#space .chart")
    assert "United States (utility, 0–1)" in text and "North Korea (DPRK)" in text


def test_table_of_contents_resolves(page):
    pg, _ = page
    links = pg.eval_on_selector_all("nav.toc a", "as => as.map(a => a.getAttribute('href'))")
    assert links == [f"#{s.id}" for s in SECTIONS]
    for href in links:
        assert pg.query_selector(f"section{href}") is not None, href
        pg.click(f"nav.toc a[href='{href}']")
        assert pg.evaluate("location.hash") == href


def test_screenshot_of_each_section(page, tmp_path):
    pg, _ = page
    for s in SECTIONS:
        path = tmp_path / f"{s.id}.png"
        pg.locator(f"section#{s.id}").screenshot(path=str(path))
        assert path.stat().st_size > 5_000, s.id


def test_pdf_has_a_page_per_section_and_the_proposals(report):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(report.with_suffix(".pdf")))
    assert len(reader.pages) >= len(SECTIONS)
    # NFKC undoes the ligatures (ﬀ, ﬁ) that PDF text extraction returns.
    raw = " ".join(p.extract_text() for p in reader.pages)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw))
    html = report.read_text("utf-8")
    assert "Proposal 1" in text and "Proposal 3" in text
    from dealcraft.model.load import load

    lab = Labels(load("hanoi-2019"))
    # Every option of the recommended proposal appears by name in the printed card.
    gives = re.search(r"United States gives</h4><ul>(.*?)</ul>", html, re.S).group(1)
    for option in re.findall(r"</span> (.*?)</li>", gives):
        assert option.replace("&amp;", "&") in text, option
    assert lab.party("dprk") in text

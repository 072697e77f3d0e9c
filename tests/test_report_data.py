"""The report shows exactly the numbers each command prints with --json (same scenario, seed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dealcraft.cli import app
from dealcraft.errors import DealcraftError
from dealcraft.model.load import load, loads
from dealcraft.report import data
from dealcraft.report.collect import collect
from dealcraft.report.labels import Labels
from dealcraft.report.render import Meta, render
from dealcraft.report.sections import SECTIONS, select

TINY = str(Path(__file__).parent / "data" / "tiny.yaml")
SAMPLES, SEED, RUNS = 300, 7, 120
runner = CliRunner()


def cli_json(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def tiny():
    sc = load(TINY)
    return sc, collect(sc, SECTIONS, samples=SAMPLES, seed=SEED, runs=RUNS)


def test_analysis_equals_analyze_json(tiny):
    _, d = tiny
    assert d.analysis == cli_json("analyze", TINY, "--json", "--seed", str(SEED))


def test_robust_equals_robust_json(tiny):
    _, d = tiny
    expected = cli_json("robust", TINY, "--json", "--samples", str(SAMPLES), "--seed", str(SEED))
    assert d.robust == expected


def test_sensitivity_equals_sensitivity_json(tiny):
    _, d = tiny
    expected = cli_json("sensitivity", TINY, "--json", "--samples", str(SAMPLES), "--seed", str(SEED))
    assert d.sensitivity == expected


def test_simulation_equals_simulate_json(tiny):
    _, d = tiny
    assert d.simulation == cli_json("simulate", TINY, "--json", "--runs", str(RUNS), "--seed", str(SEED))


def test_bridges_equal_bridge_json(tiny):
    sc, d = tiny
    for obs in sc.file.observations:
        words = [f"{k}={v}" for k, v in obs.package.items()]
        assert d.bridges[obs.id] == cli_json("bridge", TINY, *words, "--json")


def test_roadmap_equals_roadmap_json():
    sc = load("hanoi-2019")
    d = collect(sc, select("sequencing"), samples=10, seed=0, runs=1)
    expected = cli_json("roadmap", "--json")
    for out in (d.roadmap, expected):
        out["solver"].pop("seconds")
    assert d.roadmap == expected
    assert d.robust is None and d.simulation is None  # only what the section needs


def _html(sc, d, sections=SECTIONS, corpus=None) -> str:
    return render(d, sections, Meta(sc.title, sc.id, "test", SEED, "dealcraft report", "2026-01-01"), corpus)


def test_the_page_shows_the_json_numbers(tiny):
    sc, d = tiny
    html = _html(sc, d)
    a = d.analysis
    assert f"{a['agreement']['count']:,} of {a['packages']:,} packages" in html
    core = d.robust["core_proposals"][0]
    assert f"{100 * core['p_accept']:.1f}%" in html
    lo, hi = core["interval"]
    assert f"{100 * lo:.1f}–{100 * hi:.1f}%" in html
    for w in d.sensitivity["parameters"][:12]:
        assert f"{w['point']:.3f}" in html
    assert f"{100 * d.simulation['p_deal']:.1f}%" in html
    for s in a["stakeholders"]:
        assert f"{s['growth']:,}" in html


def test_every_section_is_in_the_page_once_in_order(tiny):
    sc, d = tiny
    html = _html(sc, d)
    positions = [html.index(f'<section id="{s.id}"') for s in SECTIONS]
    assert positions == sorted(positions)
    assert html.count("<script src") == 0 and "<link" not in html and "<img" not in html
    assert html.count("Plotly.newPlot") == 1  # the loader draws every chart


def test_sections_that_do_not_apply_say_so_in_one_line(tiny):
    sc, d = tiny
    html = _html(sc, d)
    assert "breaks no option into steps, so there is nothing to sequence" in html
    point = loads(Path(TINY).read_text().replace("reservation: [0.3, 0.5]", "reservation: 0.4"), "point.yaml")
    dp = collect(point, select("uncertainty,summary"), samples=50, seed=0, runs=1)
    assert dp.robust is None and dp.sensitivity is None
    assert "so there is no uncertainty to report" in _html(point, dp, select("uncertainty,summary"))


def test_select_keeps_report_order_and_rejects_unknown_names():
    assert [s.id for s in select("sequencing, summary,proposals")] == ["summary", "proposals", "sequencing"]
    with pytest.raises(DealcraftError, match="unknown section.*'nope'.*choose from summary"):
        select("summary,nope")
    with pytest.raises(DealcraftError, match="no section named"):
        select(" , ")


def test_cited_text_reads_the_nth_non_empty_line(tmp_path):
    (tmp_path / "a.txt").write_text("first\n\n  second  \n\nthird\n", "utf-8")
    assert data.cited_text(tmp_path, "a.txt", "paragraph 2") == "second"
    assert data.cited_text(tmp_path, "a.txt", "Paragraph 3") == "third"
    assert data.cited_text(tmp_path, "a.txt", "paragraph 4") is None
    assert data.cited_text(tmp_path, "a.txt", "paragraph 0") is None
    assert data.cited_text(tmp_path, "a.txt", "page 2") is None
    assert data.cited_text(tmp_path, "missing.txt", "paragraph 1") is None
    (tmp_path / "b.pdf").write_text("first\n", "utf-8")
    assert data.cited_text(tmp_path, "b.pdf", "paragraph 1") is None


def test_missing_corpus_folder_is_a_user_error(tmp_path):
    with pytest.raises(DealcraftError, match="no such folder"):
        data.check_corpus(tmp_path / "nowhere")


SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"  # the user's own copy


def test_sources_flag_unsourced_parts():
    sc = load("hanoi-2019")
    html = _html(sc, data.ReportData(sc), select("sources"))
    # The built-in scenario cites every part except the roadmap trust (no sources field there).
    assert html.count("no source</span>") == 1
    assert "Give <code>--corpus DIR</code>" in html
    assert "walk-away point 0.46–0.6 (range)" in html and "walk-away point 0.51" in html
    assert "Uncertain(" not in html
    tiny = load(TINY)
    html = _html(tiny, data.ReportData(tiny), select("sources"))
    parts = 1 + len(tiny.parties) + len(tiny.issues) + len(tiny.stakeholders) + len(tiny.observations)
    assert html.count("no source</span>") == parts
    assert f"{parts} of {parts} parts cite no source" in html


def test_versus_tells_close_packages_as_differences():
    sc = load(TINY)
    lab = Labels(sc)
    ref = {"money": "some", "nukes": "freeze", "office": "open"}
    assert lab.versus(ref, ref) == "= proposal 1"
    assert lab.versus({**ref, "office": "closed"}, ref) == "proposal 1, but office: closed"
    assert lab.versus({"money": "none", "nukes": "keep", "office": "closed"}, None) == "the status quo"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no copy of the source documents at {SEEDS}")
def test_sources_quote_the_cited_paragraph_from_the_corpus():
    sc = load("hanoi-2019")
    html = _html(sc, data.ReportData(sc), select("sources"), corpus=SEEDS)
    first = sc.file.sources[0]
    text = data.cited_text(SEEDS, first.doc, first.at)
    assert text and len(text) > 40
    from markupsafe import escape

    assert f"<blockquote>{escape(text)}</blockquote>" in html
    cited = sum(len(x.sources) for x in [sc.file, *sc.file.parties, *sc.file.issues, *sc.file.observations])
    cited += sum(len(p.sources) for p in sc.file.preferences.values())
    assert html.count("<blockquote>") == cited  # every locator of the built-in scenario resolves


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(alphabet="abc xyz.", min_size=1, max_size=12), st.integers(0, 2)),
        min_size=1,
        max_size=12,
    )
)
def test_paragraph_n_is_the_nth_non_empty_line(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("corpus")
    text = "".join(f"{line}\n" + "\n" * blanks for line, blanks in lines)
    (folder / "d.txt").write_text("\n" + text, "utf-8")
    paragraphs = [line.strip() for line, _ in lines if line.strip()]
    for n, expected in enumerate(paragraphs, start=1):
        assert data.cited_text(folder, "d.txt", f"paragraph {n}") == expected
    assert data.cited_text(folder, "d.txt", f"paragraph {len(paragraphs) + 1}") is None


def test_a_scenario_without_any_deal_still_gets_a_report():
    text = Path(TINY).read_text("utf-8").replace("reservation: 0.5\n", "reservation: 0.99\n")
    sc = loads(text, "nodeal.yaml")
    d = collect(sc, SECTIONS, samples=50, seed=0, runs=20)
    assert d.analysis["agreement"]["count"] == 0 and d.sensitivity is None and d.roadmap is None
    html = _html(sc, d)
    assert "No package is acceptable to every party, so there is no recommended proposal" in html
    assert "so there is no deal space to draw" in html
    assert "so there are no proposals" in html


@pytest.mark.parametrize("viewer", [None, "first"])
def test_disclosed_data_renders_with_the_private_numbers_withheld(tiny, viewer):
    """The JSON after the web app's disclosure rule lacks other parties' numbers: every section
    that can be built from it renders, saying "not disclosed to you" instead of reading them."""
    import dataclasses

    from dealcraft.web.disclosure import disclose

    sc, d = tiny
    party = sc.parties[0].id if viewer else None
    kinds = {"analysis": "analyze", "roadmap": "roadmap", "robust": "robust", "sensitivity": "sensitivity"}
    fields = {f: disclose(k, getattr(d, f), party) for f, k in kinds.items() if getattr(d, f) is not None}
    fields["simulation"] = disclose("simulate", d.simulation, party)
    shown = tuple(s for s in SECTIONS if s.id != "sources")
    disclosed = dataclasses.replace(d, **fields, bridges={}, disclosed=True, scenario_yaml="# entitled\n")
    html = _html(sc, disclosed, shown)
    assert "not disclosed to you" in html and "# entitled" in html
    others = [p for p in sc.parties if p.id != party]
    hidden = [Labels(sc).stakeholder(sc.stakeholders[k].key) for p in others for k in p.stakeholders]
    assert hidden and not [name for name in hidden if name in html]  # no other party's stakeholder

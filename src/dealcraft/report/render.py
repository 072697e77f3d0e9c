"""Render the sections into one self-contained HTML page: CSS, plotly.js and every figure inline,
so the file opens offline and makes no network request."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dealcraft.report import build
from dealcraft.report.data import ReportData
from dealcraft.report.labels import Labels
from dealcraft.report.sections import Section

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Meta:
    """What the header and the appendix show so a reader can reproduce the report (seed, command)."""

    title: str
    scenario: str
    version: str
    seed: int
    command: str
    date: str
    note: str | None = None  # for whom the report was made and what it leaves out (web exports)


def contexts(d: ReportData, sections: tuple[Section, ...], corpus: Path | None) -> list[dict[str, Any]]:
    """Each selected section's id, title and template context."""
    lab = Labels(d.scenario)
    out = []
    for s in sections:
        context = build.sources(d, lab, corpus) if s.id == "sources" else getattr(build, s.id)(d, lab)
        out.append({"id": s.id, "title": s.title, "context": context})
    return out


def _chart_json(figure: dict[str, Any]) -> Markup:
    # Inside <script type="application/json"> only "</" could end the element early.
    return Markup(json.dumps(figure, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"))


def plotly_js() -> str:
    """The plotly.js bundle shipped with plotly, inlined so the page works offline."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def render(d: ReportData, sections: tuple[Section, ...], meta: Meta, corpus: Path | None = None) -> str:
    """The whole report as one HTML page from the selected sections."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    counter = iter(range(1, 10**6))
    env.globals["new_chart_id"] = lambda: f"chart-{next(counter)}"
    env.filters["chart_json"] = _chart_json
    template = env.get_template("report.html.j2")
    return template.render(
        meta=meta,
        sections=contexts(d, sections, corpus),
        css=Markup((TEMPLATES / "report.css").read_text("utf-8")),
        plotly_js=Markup(plotly_js().replace("</script", "<\\/script")),
        loader_js=Markup((TEMPLATES / "loader.js").read_text("utf-8")),
    )


def today() -> str:
    """The report's date, as an ISO date."""
    return date.today().isoformat()

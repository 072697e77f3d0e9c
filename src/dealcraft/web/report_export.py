"""The briefing book of a negotiation as the caller may see it: the report package's sections,
fed with the disclosed results of finished jobs (never a new analysis) and the entitled
scenario (never another party's preferences)."""

from __future__ import annotations

import copy
from typing import Any

from dealcraft.model.scenario import Scenario
from dealcraft.report.data import ReportData
from dealcraft.report.sections import SECTIONS, Section

PLACEHOLDER = "undisclosed"
# The job kind each section reports on (None: none): a section is left out until its job has
# finished, since the report runs no analysis. "sources" is not here: it reads every party's
# stakeholders and preferences from the scenario itself.
NEEDS_JOB: dict[str, str | None] = {
    "summary": "analyze",
    "stakeholders": "analyze",
    "space": "analyze",
    "proposals": "analyze",
    "bridge": "analyze",
    "sequencing": "roadmap",
    "uncertainty": "robust",
    "bargaining": "simulate",
    "appendix": None,
}


def _placeholder_preference(issue: dict[str, Any]) -> dict[str, Any]:
    """Flat, made-up preferences over one issue: enough for the scenario to load, read by no section."""
    values: Any = {"increasing": True} if "options" not in issue else {o["id"]: 0 for o in issue["options"]}
    return {"reservation": 0, "weights": {issue["id"]: 1}, "values": {issue["id"]: values}}


def shell_scenario(entitled: dict[str, Any], source: str) -> Scenario:
    """The entitled scenario made loadable, for its names, issues, steps and observations.

    A party whose stakeholders are private to the caller gets one placeholder stakeholder, and an
    observation made by such a stakeholder is attributed to its party. With ``disclosed`` set
    the sections read private numbers only from the disclosed results, never from this object."""
    from dealcraft.model.load import from_data

    data = copy.deepcopy(entitled)
    hidden = {p["id"] for p in data["parties"] if not p.get("stakeholders")}
    for party in data["parties"]:
        if party["id"] in hidden:
            party["stakeholders"] = [{"id": PLACEHOLDER, "name": "(not disclosed)"}]
            data["preferences"][f"{party['id']}.{PLACEHOLDER}"] = _placeholder_preference(data["issues"][0])
    for obs in data.get("observations") or []:
        owner = str(obs.get("by", "")).split(".")[0]
        if owner in hidden:
            obs["by"] = owner
    return from_data(data, source)


def report_data(sc: Scenario, results: dict[str, Any], scenario_yaml: str) -> ReportData:
    """ReportData from ``latest_results`` (already disclosed): one result per job kind.

    A web bridge job is for any package, not for each observation, so the report's bridges
    (keyed by observation) stay empty."""
    result = {kind: entry["result"] for kind, entry in results.items()}
    return ReportData(
        sc,
        analysis=result.get("analyze"),
        roadmap=result.get("roadmap"),
        robust=result.get("robust"),
        sensitivity=result.get("sensitivity"),
        simulation=result.get("simulate"),
        disclosed=True,
        scenario_yaml=scenario_yaml,
    )


def shown_sections(results: dict[str, Any]) -> tuple[Section, ...]:
    """The report's sections that disclosed results can fill, in the report's order."""
    return tuple(
        s for s in SECTIONS if s.id in NEEDS_JOB and (NEEDS_JOB[s.id] is None or NEEDS_JOB[s.id] in results)
    )


def viewer_note(username: str, role: str, party: str | None) -> str:
    """The line under the title: whose view this is and what it leaves out."""
    whose = f"delegate of {party}" if party else role
    mine = f"Only {party}'s private numbers are shown" if party else "No party's private numbers are shown"
    return (
        f"Exported from the dealcraft web app for {username} ({whose}) from the latest finished "
        f"analyses. {mine}: the other numbers are not disclosed to you. “Assumptions and "
        "sources” needs every party's preferences and is left out."
    )


def _seed(results: dict[str, Any]) -> int:
    """The seed of the sampled analyses shown (0 when none was sampled)."""
    seeds = [e["options"].get("seed") for e in results.values() if isinstance(e.get("options"), dict)]
    return next((s for s in seeds if isinstance(s, int)), 0)


def briefing(
    entitled: dict[str, Any],
    scenario_yaml: str,
    results: dict[str, Any],
    *,
    title: str,
    note: str,
    command: str,
) -> str:
    """The whole self-contained HTML page (CSS, plotly.js and every figure inline)."""
    from dealcraft import __version__
    from dealcraft.report.render import Meta, render, today

    sc = shell_scenario(entitled, f"web negotiation {title!r}")
    data = report_data(sc, results, scenario_yaml)
    meta = Meta(title, sc.id, __version__, _seed(results), command, today(), note)
    return render(data, shown_sections(results), meta)

"""Plotly figure specifications (plain dicts, rendered by the embedded plotly.js).

Every chart uses SVG traces only (no WebGL), so it draws the same in any browser, offline, in
print and in headless Chromium; axes carry units and parties appear by name."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from dealcraft.report.labels import PALETTE, Labels

Figure = dict[str, Any]
FONT = {"family": "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif", "size": 12, "color": "#222"}
RED, GREY, GREEN = "#D55E00", "#999999", "#009E73"


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    layout = {
        "height": height,
        "font": FONT,
        "colorway": list(PALETTE),
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"align": "left"},
    }
    layout.update(extra)
    return layout


def _axis(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title},
        "gridcolor": "#e5e5e5",
        "zerolinecolor": "#bbb",
        "automargin": True,
        **extra,
    }


def hbar(
    names: list[str], values: list[float], title: str, x_title: str, *, colours=None, text=None, percent=False
) -> Figure:
    """A horizontal bar chart, first item at the top."""
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": names,
        "x": values,
        "marker": {"color": colours or PALETTE[0]},
        "text": text,
        "textposition": "auto",
        "hovertemplate": "%{y}: %{x" + (":.1%" if percent else ":,") + "}<extra></extra>",
    }
    height = 90 + 34 * len(names)
    xaxis = _axis(x_title, tickformat=".0%" if percent else ",", rangemode="tozero")
    return {
        "data": [trace],
        "layout": _layout(
            height, title={"text": title}, xaxis=xaxis, yaxis={"autorange": "reversed", "automargin": True}
        ),
    }


def frontier(analysis: dict[str, Any], lab: Labels) -> Figure:
    """Pareto frontier in party utilities: one panel for 2 parties, every pair for 3+."""
    parties = [p["id"] for p in analysis["parties"]]
    pairs = list(combinations(range(len(parties)), 2))
    hover = [lab.changes(package_changes(f["package"], lab), "<br>") for f in analysis["frontier"]]
    d = {p["id"]: p["disagreement"] for p in analysis["parties"]}
    names = {
        "nash": "Nash",
        "kalai_smorodinsky": "Kalai–Smorodinsky",
        "egalitarian": "Egalitarian",
        "utilitarian": "Utilitarian",
    }
    symbols = {
        "nash": "star",
        "kalai_smorodinsky": "diamond",
        "egalitarian": "square",
        "utilitarian": "triangle-up",
    }
    data: list[dict[str, Any]] = []
    layout = _layout(
        440 if len(pairs) == 1 else 400,
        title={"text": "Efficient packages (Pareto frontier) in party utilities"},
        legend={"orientation": "h", "y": -0.25},
    )
    n = len(pairs)
    for k, (a, b) in enumerate(pairs):
        pa, pb = parties[a], parties[b]
        axis = "" if k == 0 else str(k + 1)
        xs = [f["utilities"][pa] for f in analysis["frontier"]]
        ys = [f["utilities"][pb] for f in analysis["frontier"]]
        first = k == 0
        common = {"xaxis": f"x{axis}", "yaxis": f"y{axis}", "legendgroup": "", "showlegend": first}
        if len(pairs) == 1:
            order = sorted(range(len(xs)), key=lambda i: xs[i])
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": [xs[i] for i in order],
                    "y": [ys[i] for i in order],
                    "line": {"color": GREY, "width": 1.5, "shape": "hv"},
                    "name": "frontier",
                    "hoverinfo": "skip",
                    **common,
                    "legendgroup": "line",
                    "legendrank": 1,
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": xs,
                "y": ys,
                "text": hover,
                "name": "efficient packages",
                "marker": {"color": PALETTE[0], "size": 7, "opacity": 0.8},
                "hovertemplate": f"{lab.party(pa)} %{{x:.3f}}, {lab.party(pb)} %{{y:.3f}}"
                "<br>%{text}<extra></extra>",
                **common,
                "legendgroup": "frontier",
                "legendrank": 2,
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [d[pa]],
                "y": [d[pb]],
                "name": "no deal (disagreement point)",
                "marker": {"color": "#000", "size": 10, "symbol": "x"},
                "hovertemplate": "no deal: %{x:.3f}, %{y:.3f}<extra></extra>",
                **common,
                "legendgroup": "d",
                "legendrank": 3,
            }
        )
        # Nash last, so it stays visible when another solution picks the same package.
        for j, (sol, value) in reversed(list(enumerate(analysis["solutions"].items()))):
            if value is None:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [value["utilities"][pa]],
                    "y": [value["utilities"][pb]],
                    "name": names.get(sol, sol),
                    "text": [lab.changes(package_changes(value["package"], lab), "<br>")],
                    "marker": {
                        "color": PALETTE[1 + j],
                        "size": 13 if sol == "nash" else 11,
                        "symbol": symbols.get(sol, "circle"),
                        "line": {"color": "white", "width": 1},
                    },
                    "hovertemplate": f"{names.get(sol, sol)}<br>%{{text}}<extra></extra>",
                    **common,
                    "legendgroup": sol,
                    "legendrank": 4 + j,
                }
            )
        gap = 0.08
        width = (1 - gap * (n - 1)) / n
        layout[f"xaxis{axis}"] = _axis(
            f"{lab.party(pa)} (utility, 0–1)", domain=[k * (width + gap), k * (width + gap) + width]
        )
        layout[f"yaxis{axis}"] = _axis(f"{lab.party(pb)} (utility, 0–1)", anchor=f"x{axis}")
    return {"data": data, "layout": layout}


def package_changes(package: dict[str, str], lab: Labels) -> dict[str, str]:
    """Only the issues that differ from the status quo (for hover texts)."""
    sq = {i.id: i.value(i.status_quo) for i in lab.sc.issues}
    return {k: v for k, v in package.items() if sq.get(k) != v}


def slack(slacks: dict[str, float], lab: Labels, title: str) -> Figure:
    """Stakeholders sorted by slack, those below their walk-away point in red, so the binding ones
    stand out."""
    keys = sorted(slacks, key=lambda k: slacks[k])
    colours = [RED if slacks[k] < 0 else lab.party_colour(lab.stakeholder_party(k)) for k in keys]
    return hbar(
        [lab.stakeholder(k) for k in keys],
        [slacks[k] for k in keys],
        title,
        "slack: utility above the walk-away point (utility units)",
        colours=colours,
        text=[f"{slacks[k]:+.3f}" for k in keys],
    )


def gantt(rm: dict[str, Any], lab: Labels) -> Figure:
    """Phases and steps on a time axis in weeks, one bar per step coloured by the acting party."""
    steps = {s["id"]: s for s in rm["steps"]}
    data, rows, start = [], [], 0.0
    for t, ph in enumerate(rm["phases"]):
        for sid in ph["steps"]:
            s = steps[sid]
            rows.append((t, start, s, max(s["verify_weeks"], 0.5)))
        start += ph["weeks"]
    for party in [p.id for p in lab.sc.parties]:
        mine = [r for r in rows if r[2]["actor"] == party]
        if not mine:
            continue
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": lab.party(party),
                "base": [r[1] for r in mine],
                "x": [r[3] for r in mine],
                "y": [_step(r, lab) for r in mine],
                "marker": {"color": lab.party_colour(party)},
                "customdata": [[r[0] + 1, r[2]["verify_weeks"], r[2]["reversible"]] for r in mine],
                "hovertemplate": "%{y}<br>phase %{customdata[0]}, starts week %{base}"
                "<br>verification %{customdata[1]} weeks, "
                "reversible %{customdata[2]:.0%}<extra>" + lab.party(party) + "</extra>",
            }
        )
    order = [_step(r, lab) for r in rows]
    layout = _layout(
        150 + 22 * len(rows),
        barmode="overlay",
        title={"text": "Steps by phase (bar: verification time)"},
        xaxis=_axis("weeks from the start", rangemode="tozero"),
        yaxis={
            "categoryorder": "array",
            "categoryarray": order,
            "autorange": "reversed",
            "automargin": True,
            "tickfont": {"size": 11},
        },
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right"},
        margin={"l": 60, "r": 20, "t": 80, "b": 50},
    )
    return {"data": data, "layout": layout}


def _step(row, lab: Labels) -> str:
    phase, _, step, _ = row
    return _short(f"{phase + 1}. {step['name']} · {lab.issue(step['issue'])}", 80)


def exposure(rm: dict[str, Any], lab: Labels) -> Figure:
    """Each party's exposure after each phase against its trust (dashed line)."""
    phases = [f"phase {t + 1}" for t in range(len(rm["phases"]))]
    data = []
    parties = list(rm["trust"])
    for party in parties:
        colour = lab.party_colour(party)
        data.append(
            {
                "type": "bar",
                "name": lab.party(party),
                "x": phases,
                "y": [ph["exposure"][party] for ph in rm["phases"]],
                "marker": {"color": colour},
                "legendgroup": party,
                "hovertemplate": f"{lab.party(party)} after %{{x}}: exposure %{{y:.3f}}<extra></extra>",
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"trust of {lab.party(party)}",
                "x": phases,
                "y": [rm["trust"][party]] * len(phases),
                "line": {"color": colour, "dash": "dash", "width": 2},
                "legendgroup": party,
                "hovertemplate": f"trust of {lab.party(party)}: %{{y:.3f}}<extra></extra>",
            }
        )
    layout = _layout(
        360,
        barmode="group",
        title={"text": "Exposure after each phase vs. trust (party-utility units)"},
        xaxis=_axis(""),
        yaxis=_axis("exposure (party-utility units)", rangemode="tozero"),
        legend={"orientation": "h", "y": -0.2},
    )
    return {"data": data, "layout": layout}


def odds(rows: list[tuple[str, float, list[float]]], title: str) -> Figure:
    """P(all accept) with its 95% interval, one bar per proposal."""
    names = [r[0] for r in rows]
    p = [r[1] for r in rows]
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": names,
        "x": p,
        "marker": {"color": PALETTE[0]},
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": [r[2][1] - r[1] for r in rows],
            "arrayminus": [r[1] - r[2][0] for r in rows],
            "color": "#333",
        },
        "text": [f"{x:.1%}" for x in p],
        "textposition": "inside",
        "insidetextanchor": "start",
        "hovertemplate": "%{y}: %{x:.1%}<extra></extra>",
    }
    return {
        "data": [trace],
        "layout": _layout(
            90 + 38 * len(rows),
            title={"text": title},
            xaxis=_axis("P(every party ratifies), 95% interval", range=[0, 1.02], tickformat=".0%"),
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


def tornado(sens: dict[str, Any], lab: Labels, top: int = 12) -> Figure:
    """P(accepted) when each number sits at the low / high end of its range."""
    rows = sens["parameters"][:top]
    names = [_short(parameter_label(r, lab)) for r in rows]
    base = sens["p_accept"]
    data = []
    for end, colour, label in (
        ("p_low", PALETTE[5], "number at its low end"),
        ("p_high", PALETTE[1], "number at its high end"),
    ):
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": label,
                "y": names,
                "x": [r[end] - base for r in rows],
                "base": base,
                "marker": {"color": colour},
                "customdata": [[r["low" if end == "p_low" else "high"], r[end], _flip(r)] for r in rows],
                "hovertemplate": "%{y}<br>at %{customdata[0]:.3f}: P = %{customdata[1]:.1%}"
                "<br>%{customdata[2]}<extra></extra>",
            }
        )
    layout = _layout(
        110 + 30 * len(rows),
        barmode="overlay",
        title={"text": "What moves P(accepted) most (tornado)"},
        xaxis=_axis("P(every party ratifies the recommended proposal)", tickformat=".0%", range=[0, 1.02]),
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 11}},
        legend={"orientation": "h", "y": -0.15},
        margin={"l": 60, "r": 20, "t": 40, "b": 70},
        shapes=[
            {
                "type": "line",
                "x0": base,
                "x1": base,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": "#000", "dash": "dot"},
            }
        ],
    )
    return {"data": data, "layout": layout}


def _flip(r: dict[str, Any]) -> str:
    return "no flip inside the range" if r["threshold"] is None else f"flips at {r['threshold']:.3f}"


def parameter_label(r: dict[str, Any], lab: Labels) -> str:
    """'walk-away point (Military hardliners …)' from a parameter row: what first, then whose."""
    words = r["id"].split(" ", 2)
    who = lab.stakeholder_short(r["stakeholder"])
    if r["kind"] == "reservation":
        what = "walk-away point"
    elif r["kind"] == "weight":
        what = f"weight of {lab.issue(words[2])}"
    elif r["kind"] == "shape":  # a value form's number: 'tariff ideal', 'tariff at 30'
        issue, _, number = words[2].partition(" ")
        what = f"{'value ' if number.startswith('at ') else ''}{number} on {lab.issue(issue)}"
    else:
        issue, _, option = words[2].partition("=")
        what = f"value of {lab.option(issue, option)}"
    return f"{what} ({who})"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def outcomes(sim: dict[str, Any]) -> Figure:
    """How the simulated negotiations ended, as shares of the runs."""
    labels = ["deal (agreed and ratified)", "walk-out", "deadline (no agreement)", "ratification failure"]
    values = [
        sim["p_deal"],
        max(sim["p_walkout"] - sim["p_deadline"], 0.0),
        sim["p_deadline"],
        sim["p_ratification_failure"],
    ]
    return hbar(
        labels,
        values,
        f"Outcomes of {sim['runs']:,} simulated negotiations",
        "share of runs",
        colours=[GREEN, RED, GREY, PALETTE[3]],
        text=[f"{v:.1%}" for v in values],
        percent=True,
    )

"""Section builders: turn the analyses' JSON into what each template shows, with a short
plain-language reading of the numbers. No analysis happens here: only wording and layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dealcraft.report import charts
from dealcraft.report.data import ReportData, cited_text, has_steps, has_uncertainty, scenario_text
from dealcraft.report.labels import Labels, pct

SOLUTION_NAMES = {
    "nash": "Nash bargaining",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
}


def _core_odds(d: ReportData, rank: int) -> dict[str, Any] | None:
    if d.robust is None:
        return None
    return next((o for o in d.robust["core_proposals"] if o["rank"] == rank), None)


def _reference(d: ReportData) -> dict[str, str] | None:
    """The recommended proposal's full package (other packages are told as differences)."""
    if d.analysis is None or not d.analysis["proposals"]:
        return None
    return d.analysis["proposals"][0]["package"]


def _gives(p: dict[str, Any], lab: Labels) -> list[dict[str, Any]]:
    """Per party: what it gives (issue → the proposal's option) and which issues it gains on."""
    out = []
    for party, gives in p["gives"].items():
        out.append(
            {
                "party": lab.party(party),
                "gives": [
                    (lab.issue(c.split(": ")[0]), lab.option(c.split(": ")[0], c.split(" -> ")[-1]))
                    for c in gives
                ],
                "gets": [lab.issue(c.split(": ")[0]) for c in p["gets"][party]],
                "utility": p["utilities"].get(party),  # None: withheld (another party's number)
            }
        )
    return out


def _closest(p: dict[str, Any], lab: Labels) -> tuple[str | None, float | None]:
    """The stakeholder closest to walking away and its slack; (None, None) when the disclosure
    rule withheld them (they belong to another party)."""
    key = p.get("closest_to_walking_away")
    return (None, None) if key is None else (lab.stakeholder(key), p["slack"][key])


def _uncertain(d: ReportData) -> bool | None:
    """Whether the scenario has ranges; None when its numbers were withheld and no robust result
    was disclosed to tell."""
    if not d.disclosed:
        return has_uncertainty(d.scenario)
    return True if d.robust is not None else None


def _sentence(p: dict[str, Any], lab: Labels) -> str:
    """One sentence: how many issues each party moves on."""
    parts = [
        f"{lab.party(party)} moves on {len(gives)} issue{'s' if len(gives) > 1 else ''}"
        for party, gives in p["gives"].items()
        if gives
    ]
    return ("; ".join(parts) or "Keep the status quo") + ", and every party ratifies it at the point values"


def summary(d: ReportData, lab: Labels) -> dict[str, Any]:
    """The opening page: the question, the size of the agreement space, who binds, and the
    recommended proposal with its odds when ranges were sampled."""
    a = d.analysis
    sc = d.scenario
    binding = [s["id"] for s in a["stakeholders"] if s["binding"]]
    growth = {s["id"]: s["growth"] for s in a["stakeholders"]}
    out: dict[str, Any] = {
        "question": sc.description or sc.title,
        "packages": a["packages"],
        "agreement": a["agreement"]["count"],
        "share": a["agreement"]["share"],
        # disclosed: only the viewer's own stakeholders are listed, so who binds overall is unknown
        "binding": None if d.disclosed else [(lab.stakeholder(k), growth[k]) for k in binding],
        "recommended": None,
    }
    if a["proposals"]:
        p = a["proposals"][0]
        closest, slack = _closest(p, lab)
        out["recommended"] = {
            "sentence": _sentence(p, lab),
            "gives": _gives(p, lab),
            "closest": closest,
            "closest_slack": slack,
            "odds": _core_odds(d, 1),
            "samples": d.robust["samples"] if d.robust else None,
        }
    out["uncertain"] = _uncertain(d)
    return out


def stakeholders(d: ReportData, lab: Labels) -> dict[str, Any]:
    """Per party its ratification rule and stakeholders: what share of packages each accepts and
    how much the agreement set would grow without each one's veto (who binds). Disclosed data
    lists the viewer's own party's stakeholders at most: the others' members are None."""
    a = d.analysis
    sc = d.scenario
    accepts = {s["id"]: s for s in a["stakeholders"]}
    parties = []
    for k, p in enumerate(sc.parties):
        rule = (
            "every stakeholder must agree"
            if p.threshold is None
            else f"accepting influence ≥ {p.threshold:g}"
        )
        shown = all(sc.stakeholders[h].key in accepts for h in p.stakeholders)
        parties.append(
            {
                "name": p.name,
                "rule": rule,
                "ratifies": a["parties"][k]["accepts"],
                "disagreement": a["parties"][k].get("disagreement"),  # None: withheld
                "members": [_member(d, h, accepts) for h in p.stakeholders] if shown else None,
            }
        )
    keys = [s["id"] for s in a["stakeholders"]]
    colours = [lab.party_colour(lab.stakeholder_party(k)) for k in keys]
    names = [lab.stakeholder(k) for k in keys]
    share = [accepts[k]["accepts"] / a["packages"] for k in keys]
    growth = [accepts[k]["growth"] for k in keys]
    # disclosed: the strictest and the most binding of all stakeholders are unknown
    ranked = keys if not d.disclosed else []
    top = max(ranked, key=lambda k: accepts[k]["growth"]) if ranked else None
    return {
        "parties": parties,
        "packages": a["packages"],
        "agreement": a["agreement"]["count"],
        "withheld": d.disclosed,
        "strictest": lab.stakeholder(min(ranked, key=lambda k: accepts[k]["accepts"])) if ranked else None,
        "top": lab.stakeholder(top) if top and accepts[top]["growth"] > 0 else None,
        "top_growth": accepts[top]["growth"] if top else 0,
        "charts": []
        if not keys
        else [
            charts.hbar(
                names,
                share,
                "Share of all packages each stakeholder accepts",
                "share of all packages",
                colours=colours,
                text=[pct(x) for x in share],
                percent=True,
            ),
            charts.hbar(
                names,
                growth,
                "Growth of the agreement set without each stakeholder's veto",
                "more packages acceptable to every party (count)",
                colours=colours,
                text=[f"+{g:,}" for g in growth],
            ),
        ],
    }


def _member(d: ReportData, h_index: int, accepts: dict[str, Any]) -> dict[str, Any]:
    """One stakeholder's row: influence, walk-away point, share accepted and veto growth."""
    h = d.scenario.stakeholders[h_index]
    s = accepts[h.key]
    return {
        "name": h.name,
        "influence": h.influence,
        "reservation": float(d.scenario.params.reservations[h_index]),
        "share": s["accepts"] / d.analysis["packages"],
        "growth": s["growth"],
        "binding": s["binding"],
    }


def space(d: ReportData, lab: Labels) -> dict[str, Any]:
    """The fair points and the frontier chart, so readers see where the proposals sit in the space."""
    a = d.analysis
    sols = []
    for name, s in a["solutions"].items():
        sols.append(
            {
                "name": SOLUTION_NAMES.get(name, name),
                "utilities": None if s is None else {lab.party(p): u for p, u in s["utilities"].items()},
            }
        )
    found = {n: s for n, s in a["solutions"].items() if s is not None}
    # the disclosure rule keeps the viewer's own party's utilities at most
    shown = [p["id"] for p in a["parties"] if all(p["id"] in s["utilities"] for s in found.values())]
    sq = {i.id: i.value(i.status_quo) for i in d.scenario.issues}
    matrix = [
        (
            lab.issue(i.id),
            [(lab.option(i.id, s["package"][i.id]), s["package"][i.id] != sq[i.id]) for s in found.values()],
        )
        for i in d.scenario.issues
        if any(s["package"][i.id] != sq[i.id] for s in found.values())
    ]
    return {
        "matrix": matrix,
        "matrix_names": [SOLUTION_NAMES.get(n, n) for n in found],
        "agreement": a["agreement"]["count"],
        "frontier": len(a["frontier"]),
        "parties": len(a["parties"]),
        "solutions": sols,
        "party_names": [lab.party(p) for p in shown],
        "withheld": d.disclosed,
        "charts": [charts.frontier(a, lab)] if a["frontier"] and not d.disclosed else [],
    }


def proposals(d: ReportData, lab: Labels) -> dict[str, Any]:
    """One card per proposal: what each party gives and gets, how close each stakeholder is to its
    limit, and the odds when ranges were sampled."""
    cards = []
    for rank, p in enumerate(d.analysis["proposals"], start=1):
        closest, slack = _closest(p, lab)
        cards.append(
            {
                "rank": rank,
                "note": "starts from the Nash point"
                if rank == 1
                else f"differs on at least {p['distance']} issues from the earlier proposals",
                "rows": _gives(p, lab),
                "versus": None if rank == 1 else lab.versus(p["package"], _reference(d)),
                "closest": closest,
                "closest_slack": slack,
                "odds": _core_odds(d, rank),
                "chart": charts.slack(
                    p["slack"], lab, f"Proposal {rank}: how far each stakeholder is from walking away"
                )
                if p["slack"]
                else None,
            }
        )
    return {
        "cards": cards,
        "withheld": d.disclosed,
        "uncertain": d.robust is not None,
        "samples": d.robust["samples"] if d.robust else None,
    }


def bridge(d: ReportData, lab: Labels) -> dict[str, Any]:
    """Each documented failure (an observation), who rejected it and why, and the bridge that would
    have made it acceptable."""
    sc = d.scenario
    checks = {o["id"]: o for o in d.analysis["observations"]}
    rows = []
    for obs in sc.observations:
        check = checks[obs.id]
        b = d.bridges.get(obs.id)
        original = b["original"] if b else None
        rejecting = []
        if original:
            rejecting = [
                {"name": lab.stakeholder(s["id"]), "slack": s["slack"], "reason": s["reason"]}
                for s in original["stakeholders"]
                if not s["accepts"]
            ]
        bridged = None
        if b and not original["accepted"]:
            bridged = {
                "found": b["bridge"] is not None,
                "changes": [
                    (
                        lab.issue(c["issue"]),
                        lab.option(c["issue"], c["from"]),
                        lab.option(c["issue"], c["to"]),
                    )
                    for c in b["changes"]
                ],
                "parties": []
                if b["bridge"] is None
                else [(lab.party(p["id"]), p["utility"], p["accepts"]) for p in b["bridge"]["parties"]],
            }
        rows.append(
            {
                "id": obs.id,
                "description": obs.description or "",
                "by": lab.party(check["by"]) if "." not in check["by"] else lab.stakeholder(check["by"]),
                "expected": check["expected"],
                "model": check["model"],
                "reproduced": check["reproduced"],
                "package": lab.changes(sc.changes(obs.package)),
                "rejecting": rejecting,
                "bridge": bridged,
            }
        )
    return {"rows": rows}


def sequencing(d: ReportData, lab: Labels) -> dict[str, Any]:
    """The roadmap of the recommended proposal as phases with each party's exposure, or why there is
    none (no steps, no proposal)."""
    if not has_steps(d.scenario):
        return {"skip": "The scenario breaks no option into steps, so there is nothing to sequence."}
    if d.roadmap is None:
        return {
            "skip": "There is no recommended proposal (no package every party accepts), "
            "so there is nothing to sequence."
        }
    rm = d.roadmap
    if not rm["steps"]:
        return {"skip": "The recommended proposal has no steps to sequence."}
    knot = rm["knot"]
    return {
        "skip": None,
        "package": lab.changes(rm["package"]),
        "feasible": rm["feasible"],
        "phases": len(rm["phases"]),
        "weeks": rm["total_weeks"],
        "steps": len(rm["steps"]),
        "trust": [(lab.party(p), t, rm["max_exposure"][p], rm["gain"][p]) for p, t in rm["trust"].items()],
        "required": None
        if rm["required_trust"] is None
        else [(lab.party(p), x) for p, x in rm["required_trust"].items()],
        # another party's exposure and trust at the knot are withheld when disclosed: None
        "knot": None
        if knot is None
        else {"exposure": None, "trust": None, **knot, "party": lab.party(knot["party"])},
        "tempted": [
            (t + 1, lab.party(p), x)
            for t, ph in enumerate(rm["phases"])
            for p, x in ph["defect_incentive"].items()
            if x > 5e-7
        ],
        "table": [
            {
                "phase": t + 1,
                "weeks": ph["weeks"],
                "by_party": [
                    (lab.party(p), [next(s["name"] for s in rm["steps"] if s["id"] == sid) for sid in ids])
                    for p, ids in ph["by_party"].items()
                    if ids
                ],
                "exposure": [(lab.party(p), x, x > rm["trust"][p] + 5e-7) for p, x in ph["exposure"].items()],
            }
            for t, ph in enumerate(rm["phases"])
        ],
        "solver": rm["solver"],
        "withheld": d.disclosed,
        # disclosed to a facilitator or observer: no party's trust, so no exposure chart
        "charts": [charts.gantt(rm, lab)] + ([charts.exposure(rm, lab)] if rm["trust"] else []),
    }


def uncertainty(d: ReportData, lab: Labels) -> dict[str, Any]:
    """How robust the proposals are to the ranges and which assumption flips the answer, or why the
    section is empty (point values only)."""
    if d.disclosed and d.robust is None:
        return {"skip": "No robust analysis was run, so there is no uncertainty to report."}
    if not d.disclosed and not has_uncertainty(d.scenario):
        return {
            "skip": "Every number in this scenario is a point value (no ranges), "
            "so there is no uncertainty to report."
        }
    r = d.robust
    out: dict[str, Any] = {
        "skip": None,
        "samples": r["samples"],
        "p_empty": r["p_empty"],
        "p_empty_interval": r["p_empty_interval"],
        "expected_agreement": r["expected_agreement"],
        # disclosed: only the viewer's own ranges are listed, so their count would mislead
        "parameters": None if d.disclosed else len(r["parameters"]),
        "withheld": d.disclosed,
        "charts": [],
    }
    rows = [(f"robust {o['rank']}", o) for o in r["robust_proposals"]] + [
        (f"proposal {o['rank']}", o) for o in r["core_proposals"]
    ]
    out["table"] = [
        {
            "label": label,
            "changes": lab.versus(o["package"], _reference(d)),
            "p": o["p_accept"],
            "interval": o["interval"],
            **_weakest(o["stakeholders"], lab),
        }
        for label, o in rows
    ]
    if rows:
        out["charts"].append(
            charts.odds(
                [(label.capitalize(), o["p_accept"], o["interval"]) for label, o in rows],
                "Robust and deterministic proposals: P(every party ratifies)",
            )
        )
    s = d.sensitivity
    out["sensitivity"] = None
    if s is not None:
        top = s["parameters"][:12]
        out["sensitivity"] = {
            "p": s["p_accept"],
            "interval": s["interval"],
            "samples": s["samples"],
            "rows": [
                {
                    "name": charts.parameter_label(w, lab),
                    "point": w["point"],
                    "low": w["low"],
                    "high": w["high"],
                    "p_low": w["p_low"],
                    "p_high": w["p_high"],
                    "swing": w["swing"],
                    "threshold": w["threshold"],
                    "uncertain": w["uncertain"],
                }
                for w in top
            ],
            "first": charts.parameter_label(top[0], lab) if top else None,
        }
        if top:
            out["charts"].append(charts.tornado(s, lab))
    return out


def _weakest(odds: dict[str, float], lab: Labels) -> dict[str, Any]:
    """The stakeholder least sure to accept (of those disclosed; None when none is)."""
    if not odds:
        return {"weakest": None, "weakest_p": None}
    key = min(odds, key=odds.get)
    return {"weakest": lab.stakeholder(key), "weakest_p": odds[key]}


def bargaining(d: ReportData, lab: Labels) -> dict[str, Any]:
    """The simulated bargaining: how often it ends in a deal, a walk-out, the deadline or a failed
    ratification."""
    s = d.simulation
    st = s["settings"]
    return {
        "runs": s["runs"],
        "p_deal": s["p_deal"],
        "p_walkout": s["p_walkout"],
        "p_deadline": s["p_deadline"],
        "p_failure": s["p_ratification_failure"],
        "rounds": st["rounds"],
        "mean_rounds": s["mean_rounds"],
        "protocol": st["protocol"],
        "strategies": [(lab.party(p), ", ".join(n)) for p, n in st["strategies"].items()],
        "outcomes": [(o["share"], lab.versus(o["package"], _reference(d))) for o in s["outcomes"][:5]],
        "failed": [
            (o["share"], lab.versus(o["package"], _reference(d))) for o in s["failed_ratification"][:3]
        ],
        "vetoed_by": [(lab.party(p), x) for p, x in s["ratification_failure_by"].items() if x > 0],
        "walkout_by": [(lab.party(p), x) for p, x in s["walkout_by"].items() if x > 0],
        "mean_utility_if_deal": [
            (lab.party(p), x) for p, x in s["mean_utility_if_deal"].items() if x is not None
        ],
        "charts": [charts.outcomes(s)],
    }


def sources(d: ReportData, lab: Labels, corpus: Path | None) -> dict[str, Any]:
    """Every scenario element that carries numbers, with its sources (and cited text)."""
    from dealcraft.model.load import source_file

    f = source_file(d.scenario)
    groups: list[tuple[str, list[dict[str, Any]]]] = []

    def item(what: str, numbers: str, srcs) -> dict[str, Any]:
        return {
            "what": what,
            "numbers": numbers,
            "sources": [
                {
                    "doc": s.doc,
                    "at": s.at,
                    "note": s.note,
                    "quote": s.quote,
                    "text": cited_text(corpus, s.doc, s.at) if corpus else None,
                }
                for s in srcs
            ],
        }

    groups.append(("The scenario", [item(d.scenario.title, "framing of the negotiation", f.sources)]))
    groups.append(
        (
            "Parties and stakeholders",
            [
                item(
                    lab.party(p.id),
                    "ratification rule; influence of "
                    + ", ".join(f"{s.name or s.id} {s.influence:g}" for s in p.stakeholders),
                    p.sources,
                )
                for p in f.parties
            ],
        )
    )
    groups.append(
        (
            "Issues",
            [
                item(
                    lab.issue(i.id),
                    (
                        f"numbers {i.range[0]:g} to {i.range[1]:g}"
                        if i.options is None
                        else f"{len(i.options)} options"
                    )
                    + (f", given by {lab.party(i.giver)}" if i.giver else ""),
                    i.sources,
                )
                for i in f.issues
            ],
        )
    )
    groups.append(
        (
            "Preferences",
            [
                item(
                    lab.stakeholder(key),
                    f"weights of {len(pref.weights)} issues, option values, "
                    f"walk-away point {_number(pref.reservation)}",
                    pref.sources,
                )
                for key, pref in f.preferences.items()
            ],
        )
    )
    if f.observations:
        groups.append(
            (
                "Observations",
                [
                    item(o.description.strip() if o.description else o.id, f"outcome: {o.outcome}", o.sources)
                    for o in f.observations
                ],
            )
        )
    if f.roadmap and f.roadmap.trust:
        groups.append(
            (
                "Sequencing",
                [
                    item(
                        "Trust of each party",
                        ", ".join(f"{lab.party(p)} {t:g}" for p, t in f.roadmap.trust.items()),
                        [],
                    )
                ],
            )
        )
    flat = [i for _, items in groups for i in items]
    return {
        "groups": groups,
        "unsourced": sum(1 for i in flat if not i["sources"]),
        "total": len(flat),
        "corpus": str(corpus) if corpus else None,
        "found": sum(1 for i in flat for s in i["sources"] if s["text"]),
        "cited": sum(len(i["sources"]) for i in flat),
    }


def _number(x: Any) -> str:
    """A scenario number as its author wrote it: 0.5, a range 0.46–0.6, or its distribution."""
    value = x.to_data() if hasattr(x, "to_data") else x
    if isinstance(value, list):
        return f"{value[0]:g}–{value[1]:g} (range)"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items())
    return f"{value:g}" if isinstance(value, float) else str(value)


def _size_text(issue: Any) -> str:
    """How many options an issue of the file has, or the range of a numeric one."""
    if issue.options is None:
        return f"numbers {issue.range[0]:g} to {issue.range[1]:g} in steps of {issue.step:g}"
    return f"{len(issue.options)} options"


def _grid_text(issue: Any) -> str:
    """A numeric issue's grid in words (its points are too many to list)."""
    return f"{issue.options[0]} to {issue.options[-1]} in steps of {issue.step:g}"


def appendix(d: ReportData, lab: Labels) -> dict[str, Any]:
    """The scenario as entered (issues, constraints, the file itself), so readers can check the
    inputs."""
    sc = d.scenario
    return {
        "issues": [
            {
                "name": i.name,
                "giver": lab.party(sc.parties[i.giver].id) if i.giver is not None else "—",
                "status_quo": i.option_names[i.status_quo],
                "options": [_grid_text(i)] if i.numeric else list(i.option_names),
            }
            for i in sc.issues
        ],
        "constraints": [c.text for c in sc.constraints],
        "yaml": scenario_text(sc) if d.scenario_yaml is None else d.scenario_yaml,
        "source": sc.source,
    }

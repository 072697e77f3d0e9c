"""Split a scenario into the shared structure and one private part per party, and put it back.

Private to a party: its stakeholders (who they are, their influence) and their preferences
(weights, values, reservations, red lines, sources). Everything else is shared with every
member of the negotiation."""

from __future__ import annotations

import copy
import re
from typing import Any

from dealcraft.errors import Problem, ScenarioError


def split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(structure, {party id: {"stakeholders": [...], "preferences": {stakeholder id: ...}}})."""
    structure = copy.deepcopy({k: v for k, v in data.items() if k != "preferences"})
    prefs = data.get("preferences") or {}
    private: dict[str, dict[str, Any]] = {}
    for party in structure["parties"]:
        stakeholders = party.pop("stakeholders")
        own = {}
        for s in stakeholders:
            key = f"{party['id']}.{s['id']}"
            if key in prefs:
                own[s["id"]] = copy.deepcopy(prefs[key])
        private[party["id"]] = {"stakeholders": copy.deepcopy(stakeholders), "preferences": own}
    return structure, private


def compile_scenario(structure: dict[str, Any], private: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The whole scenario again: the structure plus each party's latest private part."""
    data = copy.deepcopy(structure)
    preferences: dict[str, Any] = {}
    for party in data["parties"]:
        part = private.get(party["id"], {"stakeholders": [], "preferences": {}})
        party["stakeholders"] = copy.deepcopy(part["stakeholders"])
        for sid, pref in part["preferences"].items():
            preferences[f"{party['id']}.{sid}"] = copy.deepcopy(pref)
    data["preferences"] = preferences
    return data


def party_ids(structure: dict[str, Any]) -> list[str]:
    """Party ids of a scenario's shared structure, in order."""
    return [p["id"] for p in structure["parties"]]


def shared_view(structure: dict[str, Any]) -> dict[str, Any]:
    """What every member sees: parties without stakeholders, issues with options and steps."""
    return {
        "scenario": structure.get("id"),
        "description": structure.get("description"),
        "parties": [
            {k: p.get(k) for k in ("id", "name", "ratification", "description") if k in p}
            for p in structure["parties"]
        ],
        "issues": structure["issues"],
        "status_quo": {i["id"]: _status_quo(i) for i in structure["issues"]},
        "steps": {
            i["id"]: {o["id"]: o["steps"] for o in i.get("options", []) if o.get("steps")}
            for i in structure["issues"]
            if any(o.get("steps") for o in i.get("options", []))
        },
        "constraints": structure.get("constraints", []),
        "observations": structure.get("observations", []),
    }


def _status_quo(issue: dict[str, Any]) -> Any:
    """The issue's status quo as written, else its first option (a numeric issue: the range's low end)."""
    if issue.get("status_quo") is not None:
        return issue["status_quo"]
    return issue["options"][0]["id"] if "options" in issue else issue["range"][0]


_PARTY = re.compile(r"^parties\[(\d+)\]\.stakeholders(.*)$")
_PREF = re.compile(r'^preferences(?:\["([^"]+)"\]|\.([A-Za-z_][A-Za-z0-9_]*))(.*)$')


def body_location(location: str, structure: dict[str, Any], party: str) -> str | None:
    """Where in the PUT body a problem of the compiled scenario lies (None: not in ``party``'s part)."""
    m = _PARTY.match(location)
    if m:
        k = int(m.group(1))
        parties = structure["parties"]
        if k < len(parties) and parties[k]["id"] == party:
            return "stakeholders" + m.group(2)
        return None
    m = _PREF.match(location)
    if m:
        key = m.group(1) or m.group(2)
        owner, _, sid = key.partition(".")
        if owner != party or not sid:
            return None
        rest = m.group(3)
        return f"preferences.{sid}{rest}" if sid.isidentifier() else f'preferences["{sid}"]{rest}'
    return None


def own_problems(error: ScenarioError, structure: dict[str, Any], party: str) -> list[Problem]:
    """The problems of a compiled scenario, located in the PUT body of ``party``'s preferences.

    Problems elsewhere (which a valid earlier state cannot have) are reported without a location
    so no other party's data is quoted."""
    out = []
    for p in error.problems:
        where = body_location(p.location, structure, party)
        out.append(Problem(where or "", p.message))
    return out

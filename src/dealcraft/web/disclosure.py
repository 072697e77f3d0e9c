"""The disclosure rule, applied to the CLI's ``--json`` shapes before a result leaves the server.

Everyone sees packages, per-party verdicts and acceptance probabilities. Numbers that come from a
party's private preferences (stakeholder utilities and slacks, party utilities, disagreement
points and reservations, exposures, sensitivity rows, uncertain parameters) and the identities
of its stakeholders are shown only to that party's delegates; a facilitator or observer
(``party=None``) sees none of them. Hidden fields are removed, never zeroed."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Json = dict[str, Any]


def _own(key: str, party: str | None) -> bool:
    """A stakeholder key "party.stakeholder" (or a party id) that belongs to ``party``."""
    return party is not None and (key == party or key.startswith(party + "."))


def _keep_keys(mapping: Json | None, party: str | None) -> Json | None:
    if mapping is None:
        return None
    return {k: v for k, v in mapping.items() if _own(k, party)}


def _keep_list(keys: list[str], party: str | None) -> list[str]:
    return [k for k in keys if _own(k, party)]


def _drop_unless_own(row: Json, field: str, party: str | None) -> None:
    value = row.get(field)
    if field in row and not (isinstance(value, str) and _own(value, party)):
        del row[field]


def _analyze(data: Json, party: str | None) -> None:
    for p in data.get("parties", []):
        if p["id"] != party:
            p.pop("disagreement", None)
    data["stakeholders"] = [s for s in data.get("stakeholders", []) if _own(s["id"], party)]
    for row in data.get("frontier", []):
        row["utilities"] = _keep_keys(row["utilities"], party)
    for sol in (data.get("solutions") or {}).values():
        if sol is not None:
            sol["utilities"] = _keep_keys(sol["utilities"], party)
    for prop in data.get("proposals", []):
        prop["utilities"] = _keep_keys(prop["utilities"], party)
        prop["slack"] = _keep_keys(prop["slack"], party)
        _drop_unless_own(prop, "closest_to_walking_away", party)
    for obs in data.get("observations", []):
        obs["deciders"] = _keep_list(obs["deciders"], party)


def _verdicts(evaluation: Json | None, party: str | None) -> None:
    """One package's verdicts: every party's yes or no; utilities, reservations and the
    stakeholders behind a no only for their own party."""
    if evaluation is None:
        return
    evaluation["stakeholders"] = [s for s in evaluation.get("stakeholders", []) if _own(s["id"], party)]
    for p in evaluation.get("parties", []):
        if p["id"] != party:
            p.pop("utility", None)
            p.pop("disagreement", None)
            p.pop("rejecting", None)


def _bridge(data: Json, party: str | None) -> None:
    _verdicts(data.get("original"), party)
    _verdicts(data.get("bridge"), party)


def _odds(row: Json, party: str | None) -> None:
    row.pop("expected_nash", None)  # a product of every party's utility gains
    row["stakeholders"] = _keep_keys(row["stakeholders"], party)


def _parameters(rows: list[Json], party: str | None) -> list[Json]:
    return [r for r in rows if _own(r["stakeholder"], party)]


def _robust(data: Json, party: str | None) -> None:
    data["parameters"] = _parameters(data.get("parameters", []), party)
    for row in data.get("robust_proposals", []) + data.get("core_proposals", []):
        _odds(row, party)


def _sensitivity(data: Json, party: str | None) -> None:
    data["parameters"] = _parameters(data.get("parameters", []), party)
    data.pop("omitted", None)  # counts the other parties' parameters
    data["deciders"] = _keep_list(data.get("deciders", []), party)
    data["rejecting"] = _keep_list(data.get("rejecting", []), party)
    _drop_unless_own(data, "closest_to_walking_away", party)


def _roadmap(data: Json, party: str | None) -> None:
    for ph in data.get("phases", []):
        ph["exposure"] = _keep_keys(ph["exposure"], party)
        ph["defect_incentive"] = _keep_keys(ph["defect_incentive"], party)
    for key in ("max_exposure", "required_trust", "trust", "gain"):
        if key in data:
            data[key] = _keep_keys(data[key], party)
    knot = data.get("knot")
    if knot is not None and knot.get("party") != party:
        knot.pop("exposure", None)
        knot.pop("trust", None)
    for step in data.get("steps", []):
        step["effect"] = _keep_keys(step["effect"], party)


def _simulate(data: Json, party: str | None) -> None:
    for key in ("mean_utility", "mean_utility_if_deal"):
        if key in data:
            data[key] = _keep_keys(data[key], party)
    for row in data.get("trace", []):
        for key in ("utility", "aspiration"):
            if key in row:
                row[key] = _keep_keys(row[key], party)


FILTERS: dict[str, Callable[[Json, str | None], None]] = {
    "analyze": _analyze,
    "bridge": _bridge,
    "robust": _robust,
    "sensitivity": _sensitivity,
    "roadmap": _roadmap,
    "simulate": _simulate,
}


def disclose(kind: str, result: Json, party: str | None) -> Json:
    """A copy of ``result`` with what ``party`` (None: no party) may not see removed."""
    data = copy.deepcopy(result)
    FILTERS[kind](data, party)
    return data

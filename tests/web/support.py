"""A negotiation world for the web tests: accounts in every role, jobs, and the private values."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from dealcraft.store.accounts import add_user
from dealcraft.web.app import create_app
from dealcraft.web.settings import Settings

SCENARIO = (Path(__file__).parent.parent / "data" / "confidential.yaml").read_text("utf-8")
ROLES = ("anonymous", "outsider", "observer", "delegate_b", "delegate_a", "facilitator")
USERS = {
    "outsider": "olga",
    "observer": "oscar",
    "delegate_a": "adam",
    "delegate_b": "bella",
    "facilitator": "fiona",
    "delegate_a2": "anna",
}
PARTY = {"delegate_a": "a", "delegate_b": "b", "delegate_a2": "a"}
JOB_OPTIONS = {
    "analyze": {},
    "bridge": {"package": {"money": "lots", "nukes": "keep"}},
    "robust": {"samples": 300},
    "sensitivity": {"samples": 300},
    "roadmap": {},
    "simulate": {"runs": 60},
}

# Planted in confidential.yaml: the private values of each party (text that must never reach
# anyone outside the party).
PLANTED = {
    "a": [
        "boss_alpha",
        "hawk_alpha",
        "2.17",
        "0.313717",
        "1.037",
        "2.113",
        "0.517",
        "0.713917",
        "0.217",
        "0.523319",
        "0.611713",
        "0.301927",
        "0.482913",
        "1.091",
        "0.517293",
        "0.319171",
        "0.051731",
    ],
    "b": [
        "chief_bravo",
        "army_bravo",
        "1.31",
        "0.414253",
        "2.071",
        "1.013",
        "0.617399",
        "0.811357",
        "0.213",
        "3.017",
        "0.529137",
        "0.507713",
        "0.437181",
        "0.561239",
        "0.061173",
    ],
}


def password(user: str) -> str:
    return f"pw-{user}-correct-horse"


@dataclass
class World:
    client: TestClient
    negotiation: int
    tokens: dict[str, str] = field(default_factory=dict)
    jobs: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}

    @property
    def app(self):
        return self.client.app


def make_app(db_url: str, **settings: Any):
    return create_app(Settings(db_url=db_url, job_workers=settings.pop("job_workers", 0), **settings))


def login(client: TestClient, username: str) -> str:
    r = client.post("/api/login", json={"username": username, "password": password(username)})
    assert r.status_code == 200, r.text
    client.cookies.clear()  # the tests authenticate with the bearer token unless they say otherwise
    return r.json()["token"]


def build_world(client: TestClient, *, jobs: bool = False) -> World:
    with client.app.state.sessions() as db:
        for user in USERS.values():
            add_user(db, user, password(user))
    tokens = {role: login(client, user) for role, user in USERS.items()}
    fac = {"Authorization": f"Bearer {tokens['facilitator']}"}
    r = client.post("/api/negotiations", json={"title": "Secrets", "scenario": SCENARIO}, headers=fac)
    assert r.status_code == 201, r.text
    world = World(client, r.json()["id"], tokens)
    for role, user in USERS.items():
        if role in ("outsider", "facilitator"):
            continue
        kind = "observer" if role == "observer" else "delegate"
        body = {"username": user, "role": kind, "party": PARTY.get(role)}
        r = client.post(f"/api/negotiations/{world.negotiation}/members", json=body, headers=fac)
        assert r.status_code == 201, r.text
    if jobs:
        for kind, options in JOB_OPTIONS.items():
            r = client.post(
                f"/api/negotiations/{world.negotiation}/jobs",
                json={"kind": kind, "options": options},
                headers=fac,
            )
            assert r.status_code == 202, r.text
            world.jobs[kind] = r.json()["job"]
        for job in world.jobs.values():
            status = wait_job(client, job, fac)
            assert status["status"] == "done", status
    return world


def wait_job(client: TestClient, job: str, headers: dict[str, str], timeout: float = 120) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        body = client.get(f"/api/jobs/{job}", headers=headers).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"job {job} did not finish in {timeout} s")


# --- private numbers derived by the analyses (an independent list of where each kind puts them) ---


def _numbers(node: Any) -> list[float]:
    if isinstance(node, bool):
        return []
    if isinstance(node, int | float):
        return [float(node)]
    if isinstance(node, dict):
        return [x for v in node.values() for x in _numbers(v)]
    if isinstance(node, list):
        return [x for v in node for x in _numbers(v)]
    return []


def _by_party(mapping: dict | None, party: str) -> list[float]:
    if not mapping:
        return []
    return [
        float(v) for k, v in mapping.items() if (k == party or k.startswith(party + ".")) and v is not None
    ]


def private_numbers(kind: str, full: dict[str, Any], party: str) -> list[float]:
    """Every number in an unfiltered result that comes from ``party``'s private preferences."""
    out: list[float] = []
    if kind == "analyze":
        out += [p["disagreement"] for p in full["parties"] if p["id"] == party]
        for row in full["frontier"] + [s for s in full["solutions"].values() if s] + full["proposals"]:
            out += _by_party(row["utilities"], party)
        for prop in full["proposals"]:
            out += _by_party(prop["slack"], party)
    elif kind in ("robust", "sensitivity"):
        for p in full["parameters"]:
            if p["stakeholder"].startswith(party + "."):
                out += [x for k, v in p.items() if k not in ("p_low", "p_high") for x in _numbers(v)]
        for row in full.get("robust_proposals", []) + full.get("core_proposals", []):
            out += _by_party(row["stakeholders"], party)
    elif kind == "roadmap":
        for ph in full["phases"]:
            out += _by_party(ph["exposure"], party) + _by_party(ph["defect_incentive"], party)
        for key in ("max_exposure", "trust", "gain"):
            out += _by_party(full[key], party)
        for step in full["steps"]:
            out += _by_party(step["effect"], party)
    elif kind == "bridge":
        for ev in (full["original"], full["bridge"]):
            for st in ev["stakeholders"] if ev else []:
                if st["id"].startswith(party + "."):
                    out += [st["utility"], st["reservation"], st["slack"]]
            for p in ev["parties"] if ev else []:
                if p["id"] == party:
                    out += [p["utility"], p["disagreement"]]
    elif kind == "simulate":
        out += _by_party(full["mean_utility"], party) + _by_party(full["mean_utility_if_deal"], party)
    return out


# Fields whose numbers every member may see (verdict counts, probabilities, shares, timings).
PUBLIC_FIELDS = {
    "share",
    "p_accept",
    "interval",
    "p_empty",
    "p_empty_interval",
    "expected_agreement",
    "p_deal",
    "p_walkout",
    "p_ratification_failure",
    "p_deadline",
    "walkout_by",
    "ratification_failure_by",
    "mean_rounds",
    "weeks",
    "total_weeks",
    "reversible",
    "verify_weeks",
    "seconds",
    "rounds",
    "p_low",
    "p_high",
    "accepts",
    "count",
    "packages",
    "feasible",
    "samples",
    "runs",
    "seed",
}


def public_numbers(node: Any) -> set[float]:
    """Numbers under public field names (and per-party acceptance probabilities) of a full result."""
    out: set[float] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k in PUBLIC_FIELDS or (k == "parties" and isinstance(v, dict)):
                out |= set(_numbers(v))
            else:
                out |= public_numbers(v)
    elif isinstance(node, list):
        for v in node:
            out |= public_numbers(v)
    return out


def distinctive(values: list[float], public: set[float]) -> set[float]:
    """Values precise enough (3+ decimals) not to turn up by chance, and not public anyway."""
    return {v for v in values if abs(v * 1000 - round(v * 1000)) > 1e-9 and v not in public}


def leaks(text: str, viewer_party: str | None, secrets: dict[str, set[float]]) -> list[str]:
    """What of the other parties' secrets appears in a response body."""
    found = []
    for party, planted in PLANTED.items():
        if party == viewer_party:
            continue
        for token in planted:  # a plain search first: the regex is slow on a multi-megabyte report
            if token in text and re.search(rf"(?<![\w.]){re.escape(token)}(?![\w])", text):
                found.append(f"{party}: {token}")
        try:
            numbers = set(_numbers(json.loads(text)))
        except ValueError:
            numbers = set()
        found += [f"{party}: derived {x}" for x in numbers & secrets.get(party, set())]
    return found

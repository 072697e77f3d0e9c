"""The API contract: preferences with versions and If-Match, members, versions, jobs."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support import build_world, make_app, wait_job

from dealcraft.model.load import loads


@pytest.fixture
def world(db_url):
    with TestClient(make_app(db_url)) as client:
        yield build_world(client)


def _prefs(world, role="delegate_a", party="a"):
    r = world.client.get(
        f"/api/negotiations/{world.negotiation}/preferences/{party}", headers=world.headers(role)
    )
    assert r.status_code == 200, r.text
    return r


def _put(world, body, if_match, role="delegate_a", party="a"):
    headers = dict(world.headers(role))
    if if_match is not None:
        headers["If-Match"] = if_match
    return world.client.put(
        f"/api/negotiations/{world.negotiation}/preferences/{party}", json=body, headers=headers
    )


def test_shared_part_has_no_preferences(world):
    shared = world.client.get(
        f"/api/negotiations/{world.negotiation}", headers=world.headers("observer")
    ).json()
    assert shared["role"] == "observer" and shared["party"] is None
    assert shared["parties"][1] == {"id": "b", "name": "Bravo", "ratification": {"weighted": 0.6}}
    assert shared["status_quo"] == {"money": "none", "nukes": "keep", "office": "closed"}
    assert shared["steps"]["nukes"]["dismantle"][1]["id"] == "take-apart"
    mine = world.client.get(
        f"/api/negotiations/{world.negotiation}", headers=world.headers("delegate_b")
    ).json()
    assert (mine["role"], mine["party"]) == ("delegate", "b")
    listed = world.client.get("/api/negotiations", headers=world.headers("outsider")).json()
    assert listed == {"negotiations": []}


def test_preferences_round_trip_with_etag_and_versions(world):
    r = _prefs(world)
    assert r.headers["etag"] == '"1"' and r.json()["version"] == 1
    body = r.json()
    assert [s["id"] for s in body["stakeholders"]] == ["boss_alpha", "hawk_alpha"]
    body["preferences"]["boss_alpha"]["reservation"] = 0.35
    r = _put(world, body, r.headers["etag"])
    assert r.status_code == 200 and r.json()["version"] == 2 and r.headers["etag"] == '"2"'
    assert _prefs(world).json()["preferences"]["boss_alpha"]["reservation"] == 0.35
    history = world.client.get(
        f"/api/negotiations/{world.negotiation}/versions", headers=world.headers("delegate_a")
    ).json()["versions"]
    assert [(v["kind"], v["party"], v["version"]) for v in history] == [
        ("structure", None, 1),
        ("preferences", "a", 1),
        ("preferences", "a", 2),
    ]
    assert history[-1]["author"] == "adam"
    assert history[-1]["changed"] == ["preferences.boss_alpha.reservation"]
    one = world.client.get(
        f"/api/negotiations/{world.negotiation}/versions/{history[1]['n']}",
        headers=world.headers("delegate_a"),
    ).json()
    assert one["data"]["preferences"]["boss_alpha"]["reservation"] == 0.313717
    # the other party sees only the structure and its own history
    other = world.client.get(
        f"/api/negotiations/{world.negotiation}/versions", headers=world.headers("delegate_b")
    ).json()["versions"]
    assert [(v["kind"], v["party"]) for v in other] == [("structure", None), ("preferences", "b")]
    structure = world.client.get(
        f"/api/negotiations/{world.negotiation}/versions/{history[0]['n']}", headers=world.headers("observer")
    )
    assert structure.status_code == 200 and "preferences" not in structure.text


def test_put_needs_if_match_and_rejects_stale_versions(world):
    body = _prefs(world).json()
    r = _put(world, body, None)
    assert r.status_code == 428 and r.json()["error"]["code"] == "precondition_required"
    assert _put(world, body, "banana").status_code == 400
    assert _put(world, body, "1").status_code == 200
    changed = copy.deepcopy(body)
    changed["preferences"]["boss_alpha"]["reservation"] = 0.9
    r = _put(world, changed, '"1"', role="delegate_a2")
    assert r.status_code == 409 and r.json()["error"]["current_version"] == 2
    assert _prefs(world).json()["preferences"]["boss_alpha"]["reservation"] == 0.313717  # not overwritten


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda b: b["preferences"]["boss_alpha"]["weights"].update(cash=1),
            "preferences.boss_alpha.weights",
        ),
        (lambda b: b["preferences"]["hawk_alpha"].pop("reservation"), "preferences.hawk_alpha"),
        (lambda b: b["stakeholders"][0].update(influence=-1), "stakeholders[0].influence"),
        (
            lambda b: b["preferences"]["boss_alpha"].update(constraints=["money >> lots"]),
            "preferences.boss_alpha",
        ),
    ],
)
def test_invalid_preferences_are_422_with_locations_and_not_saved(world, change, where):
    body = _prefs(world).json()
    change(body)
    r = _put(world, body, "1")
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_preferences"
    assert any(p["where"].startswith(where) for p in err["problems"]), err
    assert "chief_bravo" not in r.text and "army_bravo" not in r.text
    assert _prefs(world).json()["version"] == 1


def test_saved_preferences_reach_the_next_job(world):
    """The compiled scenario of a job = structure + the latest preferences of every party."""
    body = _prefs(world).json()
    body["preferences"]["boss_alpha"]["reservation"] = 0.99  # a now rejects everything
    assert _put(world, body, "1").status_code == 200
    fac = world.headers("facilitator")
    r = world.client.post(
        f"/api/negotiations/{world.negotiation}/jobs", json={"kind": "analyze"}, headers=fac
    )
    result = wait_job(world.client, r.json()["job"], fac)["result"]
    expected_text = (Path(__file__).parent.parent / "data" / "confidential.yaml").read_text()
    expected = loads(expected_text.replace("reservation: 0.313717", "reservation: 0.99"))
    from dealcraft.analysis.analyze import analyze

    assert result["agreement"]["count"] == analyze(expected).summary.agreement == 0


def test_members_validation(world):
    fac = world.headers("facilitator")
    url = f"/api/negotiations/{world.negotiation}/members"
    r = world.client.post(url, json={"username": "olga", "role": "delegate", "party": "zz"}, headers=fac)
    assert r.status_code == 422 and r.json()["error"]["where"] == "party"
    r = world.client.post(url, json={"username": "olga", "role": "boss"}, headers=fac)
    assert r.status_code == 422 and r.json()["error"]["where"] == "role"
    r = world.client.post(url, json={"username": "ghost", "role": "observer"}, headers=fac)
    assert r.status_code == 422 and r.json()["error"]["where"] == "username"
    r = world.client.post(url, json={"username": "adam", "role": "observer"}, headers=fac)
    assert r.status_code == 409
    members = world.client.get(url, headers=world.headers("observer")).json()["members"]
    assert {"username": "adam", "role": "delegate", "party": "a"} in members


def test_jobs_options_permissions_and_cancel(world):
    fac, dele = world.headers("facilitator"), world.headers("delegate_b")
    url = f"/api/negotiations/{world.negotiation}/jobs"
    r = world.client.post(url, json={"kind": "dance"}, headers=fac)
    assert r.status_code == 422 and r.json()["error"]["where"] == "kind"
    r = world.client.post(url, json={"kind": "robust", "options": {"samples": 0}}, headers=fac)
    assert r.status_code == 422 and r.json()["error"]["where"] == "options.samples"
    r = world.client.post(url, json={"kind": "robust", "options": {"sampels": 10}}, headers=fac)
    assert r.status_code == 422 and r.json()["error"]["where"] == "options.sampels"
    assert world.client.post(url, json={"kind": "analyze"}, headers=dele).status_code == 403
    r = world.client.patch(
        f"/api/negotiations/{world.negotiation}", json={"members_may_run_jobs": True}, headers=fac
    )
    assert r.status_code == 200
    r = world.client.post(
        url, json={"kind": "roadmap", "options": {"package": {"money": "lots"}}}, headers=dele
    )
    assert r.status_code == 202 and r.headers["location"] == f"/api/jobs/{r.json()['job']}"
    done = wait_job(world.client, r.json()["job"], dele)
    assert done["status"] == "done" and done["progress"] == 1.0
    assert done["result"]["package"] == {"money": "lots"}  # the changes from the status quo
    r = world.client.delete(f"/api/jobs/{done['job']}", headers=dele)
    assert r.status_code == 409  # already finished
    bad = world.client.post(
        url, json={"kind": "roadmap", "options": {"package": {"money": "all"}}}, headers=fac
    )
    failed = wait_job(world.client, bad.json()["job"], fac)
    assert failed["status"] == "failed" and "money" in failed["error"]
    listed = world.client.get(url, headers=world.headers("observer")).json()["jobs"]
    assert len(listed) == 2 and all("result" not in j for j in listed)


def test_cancelling_a_running_job_stops_it_and_it_stays_failed(db_url):
    import time

    with TestClient(make_app(db_url)) as client:
        world = build_world(client)
        fac = world.headers("facilitator")
        r = client.post("/api/negotiations", json={"title": "Hanoi", "scenario": "hanoi-2019"}, headers=fac)
        url = f"/api/negotiations/{r.json()['id']}/jobs"
        job = client.post(url, json={"kind": "robust", "options": {"samples": 5000}}, headers=fac).json()[
            "job"
        ]
        end = time.monotonic() + 120
        while client.get(f"/api/jobs/{job}", headers=fac).json()["status"] != "running":
            assert time.monotonic() < end
            time.sleep(0.05)
        r = client.delete(f"/api/jobs/{job}", headers=fac)
        assert r.status_code == 200 and r.json()["error"] == "cancelled by fiona"
        time.sleep(1.5)  # the worker notices at its next progress report and stops
        body = client.get(f"/api/jobs/{job}", headers=fac).json()
        assert body["status"] == "failed" and body["error"] == "cancelled by fiona" and "result" not in body

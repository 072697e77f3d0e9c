"""Against a real `dealcraft serve` process: concurrent saves, and a server killed during a job."""

from __future__ import annotations

import copy
import os
import signal
import threading
import time

from server import Server
from support import SCENARIO, password

from dealcraft.store.accounts import add_user
from dealcraft.store.db import open_database, session_factory
from dealcraft.store.models import Job


def _users(db_url: str, *names: str) -> None:
    engine = open_database(db_url)
    with session_factory(engine)() as db:
        for name in names:
            add_user(db, name, password(name))
    engine.dispose()


def _negotiation(server: Server, fac: str, scenario: str, delegates: dict[str, str]) -> int:
    with server.client(fac) as c:
        r = c.post("/api/negotiations", json={"title": "Live", "scenario": scenario})
        assert r.status_code == 201, r.text
        nid = r.json()["id"]
        for user, party in delegates.items():
            r = c.post(
                f"/api/negotiations/{nid}/members",
                json={"username": user, "role": "delegate", "party": party},
            )
            assert r.status_code == 201, r.text
    return nid


def test_concurrent_saves_give_one_200_and_one_409(db_url):
    _users(db_url, "fiona", "adam", "anna")
    server = Server(db_url)
    try:
        fac = server.login("fiona", password("fiona"))
        nid = _negotiation(server, fac, SCENARIO, {"adam": "a", "anna": "a"})
        tokens = [server.login(u, password(u)) for u in ("adam", "anna")]
        clients = [server.client(t) for t in tokens]
        url = f"/api/negotiations/{nid}/preferences/a"
        winners = []
        for round_ in range(6):
            base = clients[0].get(url).json()
            barrier = threading.Barrier(2)
            results: list = [None, None]

            def save(k: int, base=base, barrier=barrier, results=results, round_=round_) -> None:
                body = copy.deepcopy(
                    {"stakeholders": base["stakeholders"], "preferences": base["preferences"]}
                )
                body["preferences"]["boss_alpha"] = {
                    **body["preferences"]["boss_alpha"],
                    "reservation": 0.1 + round_ / 100 + k / 1000,
                }
                barrier.wait()
                results[k] = clients[k].put(url, json=body, headers={"If-Match": str(base["version"])})

            threads = [threading.Thread(target=save, args=(k,)) for k in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            codes = sorted(r.status_code for r in results)
            assert codes == [200, 409], [r.text for r in results]
            won = next(k for k in range(2) if results[k].status_code == 200)
            winners.append(0.1 + round_ / 100 + won / 1000)
            assert results[1 - won].json()["error"]["current_version"] == base["version"] + 1
        # nothing lost: every winner's save is a version, in order, and the latest is the last one
        history = clients[0].get(f"/api/negotiations/{nid}/versions").json()["versions"]
        mine = [v for v in history if v["kind"] == "preferences"]
        assert [v["version"] for v in mine] == list(range(1, 8))
        saved = [clients[0].get(f"/api/negotiations/{nid}/versions/{v['n']}").json() for v in mine[1:]]
        assert [s["data"]["preferences"]["boss_alpha"]["reservation"] for s in saved] == winners
        for c in clients:
            c.close()
    finally:
        server.stop()


def test_a_killed_server_leaves_its_job_failed_not_running(db_url):
    _users(db_url, "fiona")
    server = Server(db_url, heartbeat=0.5)
    restarted = None
    try:
        fac = server.login("fiona", password("fiona"))
        nid = _negotiation(server, fac, "hanoi-2019", {})
        with server.client(fac) as c:
            job = c.post(
                f"/api/negotiations/{nid}/jobs", json={"kind": "robust", "options": {"samples": 5000}}
            ).json()["job"]
            end = time.monotonic() + 120
            while c.get(f"/api/jobs/{job}").json()["status"] != "running":
                assert time.monotonic() < end, "the job never started"
                time.sleep(0.1)
        server.kill()
        restarted = Server(db_url, heartbeat=0.5)
        fac = restarted.login("fiona", password("fiona"))
        with restarted.client(fac) as c:
            end = time.monotonic() + 60
            while (body := c.get(f"/api/jobs/{job}").json())["status"] == "running":
                assert time.monotonic() < end, "the job is still 'running' a minute after its server died"
                time.sleep(0.2)
            assert body["status"] == "failed"
            assert "server stopped" in body["error"]
            # and the restarted server runs new jobs
            small = _negotiation(restarted, fac, SCENARIO, {})
            new = c.post(f"/api/negotiations/{small}/jobs", json={"kind": "analyze"}).json()["job"]
            end = time.monotonic() + 120
            while (body := c.get(f"/api/jobs/{new}").json())["status"] in ("queued", "running"):
                assert time.monotonic() < end
                time.sleep(0.1)
            assert body["status"] == "done", body
    finally:
        server.stop()
        if restarted is not None:
            restarted.stop()


def _start_long_job(server: Server) -> str:
    fac = server.login("fiona", password("fiona"))
    nid = _negotiation(server, fac, "hanoi-2019", {})
    with server.client(fac) as c:
        url = f"/api/negotiations/{nid}/jobs"
        job = c.post(url, json={"kind": "robust", "options": {"samples": 5000}}).json()["job"]
        end = time.monotonic() + 120
        while c.get(f"/api/jobs/{job}").json()["status"] != "running":
            assert time.monotonic() < end, "the job never started"
            time.sleep(0.1)
    return job


def _group_gone(pgid: int, timeout: float = 20) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def _job_row(db_url: str, job: str) -> Job:
    engine = open_database(db_url)
    with session_factory(engine)() as db:
        row = db.get(Job, job)
    engine.dispose()
    return row


def test_a_stopped_server_fails_its_jobs_and_leaves_no_process(db_url):
    _users(db_url, "fiona")
    server = Server(db_url)
    try:
        job = _start_long_job(server)
        server.stop()  # SIGTERM: a clean shutdown
        assert server.proc.returncode is not None
        assert _group_gone(server.proc.pid), "worker processes outlived the server"
        row = _job_row(db_url, job)
        assert row.status == "failed" and "server was stopped" in row.error
    finally:
        server.kill()


def test_workers_of_a_killed_server_exit(db_url):
    """SIGKILL to the server process alone: its idle and busy workers notice and exit."""
    _users(db_url, "fiona")
    server = Server(db_url, workers=2)
    try:
        _start_long_job(server)
        fac = server.login("fiona", password("fiona"))
        small = _negotiation(server, fac, SCENARIO, {})
        with server.client(fac) as c:  # a second worker runs a quick job, then sits idle
            quick = c.post(f"/api/negotiations/{small}/jobs", json={"kind": "analyze"}).json()["job"]
            end = time.monotonic() + 120
            while c.get(f"/api/jobs/{quick}").json()["status"] != "done":
                assert time.monotonic() < end
                time.sleep(0.1)
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.wait(30)
        assert _group_gone(server.proc.pid), "orphaned worker processes are still running"
    finally:
        server.kill()

"""Load on `dealcraft serve` over loopback: mixed reads at a fixed rate, latency percentiles.

Starts a real server (SQLite in a temporary directory, 2 job workers), creates accounts and a
negotiation, finishes one analysis, then sends GET requests at a fixed rate (open loop: a request
is sent on schedule whether or not earlier ones have answered) and records every latency. The
baseline is the same mix at a low rate in the same run; while the load runs, analysis jobs are
queued and must still complete. Loopback only; bounded by --rate and --seconds.

    python bench/bench_serve.py [--rate 50] [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np

from results import write_section

SCENARIO = (Path(__file__).parent.parent / "tests" / "data" / "confidential.yaml").read_text("utf-8")
PASSWORD = "bench-password-1"


def start_server(db_url: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from dealcraft.cli import main; main()",
            "serve",
            "--port",
            "0",
            "--db",
            db_url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    for line in proc.stdout:
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", line)
        if m:
            return proc, m.group(1)
    raise SystemExit("the server did not start")


def setup(url: str, db_url: str) -> tuple[dict[str, str], list[str], int]:
    for name in ("fiona", "adam"):
        subprocess.run(
            [sys.executable, "-c", "from dealcraft.cli import main; main()", "users", "add", name,
             "--password-stdin", "--db", db_url],
            input=PASSWORD + "\n", text=True, check=True, capture_output=True,
        )  # fmt: skip
    tokens = {}
    with httpx.Client(base_url=url) as c:
        for name in ("fiona", "adam"):
            tokens[name] = c.post("/api/login", json={"username": name, "password": PASSWORD}).json()["token"]
        fac = {"Authorization": f"Bearer {tokens['fiona']}"}
        nid = c.post("/api/negotiations", json={"title": "Bench", "scenario": SCENARIO}, headers=fac).json()[
            "id"
        ]
        member = {"username": "adam", "role": "delegate", "party": "a"}
        c.post(f"/api/negotiations/{nid}/members", json=member, headers=fac)
        job = c.post(f"/api/negotiations/{nid}/jobs", json={"kind": "analyze"}, headers=fac).json()["job"]
        wait_jobs(c, [job], fac)
    paths = [
        "/api/health",
        "/api/negotiations",
        f"/api/negotiations/{nid}",
        f"/api/negotiations/{nid}/preferences/a",
        f"/api/negotiations/{nid}/versions",
        f"/api/jobs/{job}",
    ]
    return tokens, paths, nid


def wait_jobs(c: httpx.Client, jobs: list[str], headers: dict, timeout: float = 600) -> list[str]:
    end = time.monotonic() + timeout
    states = ["queued"] * len(jobs)
    while time.monotonic() < end:
        states = [c.get(f"/api/jobs/{j}", headers=headers).json()["status"] for j in jobs]
        if all(s in ("done", "failed") for s in states):
            break
        time.sleep(0.2)
    return states


def load(
    url: str, token: str, paths: list[str], rate: float, seconds: float
) -> tuple[np.ndarray, int, float]:
    """Send len(paths)-cycled GETs at ``rate`` per second for ``seconds``; latencies (s), errors."""
    n = int(rate * seconds)
    latencies = np.full(n, np.nan)
    errors = [0]
    lock = threading.Lock()
    local = threading.local()

    def client() -> httpx.Client:
        if not hasattr(local, "c"):
            local.c = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        return local.c

    def one(k: int) -> None:
        t0 = time.perf_counter()
        try:
            ok = client().get(paths[k % len(paths)]).status_code == 200
        except httpx.HTTPError:
            ok = False
        latencies[k] = time.perf_counter() - t0
        if not ok:
            with lock:
                errors[0] += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for k in range(n):
            delay = start + k / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, k)
    elapsed = time.perf_counter() - start
    return latencies, errors[0], n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--jobs", type=int, default=4, help="robust jobs queued during the load")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        proc, url = start_server(db_url)
        try:
            tokens, paths, nid = setup(url, db_url)
            base_lat, base_err, base_rate = load(url, tokens["adam"], paths, 5, 10)
            fac = {"Authorization": f"Bearer {tokens['fiona']}"}
            with httpx.Client(base_url=url) as c:
                jobs = [
                    c.post(
                        f"/api/negotiations/{nid}/jobs",
                        json={"kind": "robust", "options": {"samples": 20000}},
                        headers=fac,
                    ).json()["job"]  # fmt: skip
                    for _ in range(args.jobs)
                ]
                lat, err, achieved = load(url, tokens["adam"], paths, args.rate, args.seconds)
                states = wait_jobs(c, jobs, fac)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)

    def pct(a: np.ndarray) -> list[float]:
        return [float(np.percentile(a, q) * 1000) for q in (50, 95, 99)]

    b, m = pct(base_lat), pct(lat)
    rows = [
        f"| baseline: 5 req/s, 10 s | {base_rate:.1f} | {b[0]:.1f} | {b[1]:.1f} | {b[2]:.1f} | "
        f"{base_err} | — |",
        f"| load: {args.rate:g} req/s, {args.seconds:g} s, {args.jobs} robust jobs queued | {achieved:.1f} | "
        f"{m[0]:.1f} | {m[1]:.1f} | {m[2]:.1f} | {err} | {m[1] / b[1]:.1f}× |",
    ]
    done = sum(s == "done" for s in states)
    cores, loadavg = os.cpu_count(), os.getloadavg()[0]
    body = "\n".join(
        [
            "## Web server under load (`bench/bench_serve.py`)",
            "",
            f"`dealcraft serve` on loopback (SQLite, 2 job workers), one delegate's token; reads cycle over "
            f"{len(paths)} routes (health, list, shared part, own preferences, versions, a finished job's "
            "filtered result), sent open-loop at a fixed rate by 32 client threads. The baseline is the same "
            "mix at 5 req/s in the same run. While the load runs, "
            f"{args.jobs} `robust` jobs (20,000 samples each) are queued: {done} of {args.jobs} completed. "
            f"Machine: {cores} cores, load average {loadavg:.1f} at the end (shared with other work, so "
            "absolute latencies are pessimistic).",
            "",
            "| phase | achieved req/s | p50 ms | p95 ms | p99 ms | errors | p95 / baseline p95 |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *rows,
        ]
    )
    print(body)
    if not args.no_write:
        write_section("serve", body)


if __name__ == "__main__":
    main()

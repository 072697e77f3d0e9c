"""Run `dealcraft serve` as a real process on a free loopback port (for the tests and the bench)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time

import httpx

START = "from dealcraft.cli import main; main()"


class Server:
    def __init__(
        self, db_url: str, *, workers: int = 1, heartbeat: float = 5.0, test_mode: bool = False
    ) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                START,
                "serve",
                "--port",
                "0",
                "--db",
                db_url,
                "--workers",
                str(workers),
                "--heartbeat",
                str(heartbeat),
                *(["--test-mode"] if test_mode else []),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: kill() takes the job workers too
            env={**os.environ, "COLUMNS": "200"},
        )
        self.url = self._wait_for_url()

    def _wait_for_url(self, timeout: float = 120) -> str:
        end = time.monotonic() + timeout
        lines = []
        while time.monotonic() < end:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"listening on (http://\S+?)/ ", line)
            if m:
                return m.group(1)
        self.kill()
        raise RuntimeError("the server did not start:\n" + "".join(lines))

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)

    def login(self, username: str, password: str) -> str:
        with self.client() as c:
            r = c.post("/api/login", json={"username": username, "password": password})
            r.raise_for_status()
            return r.json()["token"]

    def kill(self) -> None:
        """SIGKILL the server and its workers: no clean-up of any kind."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

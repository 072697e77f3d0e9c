"""Server settings (defaults for production; tests shorten the clocks)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Throttle:
    """Failed logins per account and per address: ``free`` failures cost nothing, each further
    one doubles the wait before the next try (1 s, 2 s, 4 s ...), and at ``lock_at`` failures the
    key is locked for ``lock_seconds``. Counters forget after ``forget_seconds`` without a failure."""

    free: int = 3
    lock_at: int = 10
    lock_seconds: float = 15 * 60
    forget_seconds: float = 15 * 60


@dataclass
class Settings:
    """Where the database is and how jobs run."""

    db_url: str
    job_workers: int = 2  # worker processes (0: threads in the server process, for tests)
    max_queued_jobs: int = 50  # queued + running jobs per server before new ones get 503
    heartbeat: float = 5.0  # seconds between heartbeats of servers and running jobs
    session_hours: float = 12.0
    max_body: int = 3_000_000  # bytes of a request body (a scenario itself may be 2 MB)
    account: Throttle = field(default_factory=Throttle)
    address: Throttle = field(default_factory=lambda: Throttle(free=20, lock_at=50))
    clock: Callable[[], float] = time.time
    test_mode: bool = False  # serves the vendored axe-core for the browser tests' accessibility checks

    @property
    def stale_after(self) -> float:
        """Seconds without a heartbeat after which a server's jobs count as orphaned."""
        return 3 * self.heartbeat

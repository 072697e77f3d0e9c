"""Login throttling, stored in the database so every server process applies the same counters."""

from __future__ import annotations

import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealcraft.store.models import LoginFailure
from dealcraft.web.settings import Throttle


def wait_seconds(db: Session, key: str, rule: Throttle, now: float) -> float:
    """Seconds ``key`` must still wait before its next login attempt (0: go ahead)."""
    row = db.get(LoginFailure, key)
    if row is None:
        return 0.0
    if now >= row.locked_until and now - row.last_failure_at > rule.forget_seconds:
        return 0.0
    if row.locked_until > now:
        return row.locked_until - now
    if row.failures <= rule.free:
        return 0.0
    delay = 2.0 ** (row.failures - rule.free - 1)
    return max(0.0, row.last_failure_at + delay - now)


def record_failure(db: Session, key: str, rule: Throttle, now: float) -> None:
    """Count a failed login and lock when the rule says so."""
    row = db.get(LoginFailure, key)
    if row is None:
        row = LoginFailure(key=key, failures=0, last_failure_at=0.0, locked_until=0.0)
        db.add(row)
    elif now >= row.locked_until and now - row.last_failure_at > rule.forget_seconds:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= rule.lock_at:
        row.locked_until = now + rule.lock_seconds
        row.failures = 0  # after the lock, the count starts again


def clear(db: Session, key: str) -> None:
    """Forget failures after a successful login (locks stay until they expire)."""
    row = db.scalar(select(LoginFailure).where(LoginFailure.key == key))
    if row is not None and row.locked_until <= 0:
        db.delete(row)
    elif row is not None:
        row.failures = 0


def retry_after(seconds: float) -> str:
    """The Retry-After header value for a wait in seconds."""
    return str(max(1, math.ceil(seconds)))

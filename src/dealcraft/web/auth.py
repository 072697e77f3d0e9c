"""Sessions: bearer tokens and the browser's cookie, CSRF for cookie-authenticated changes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import Depends, Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dealcraft.store.models import Session as LoginSession
from dealcraft.store.models import User
from dealcraft.web.errors import ApiError

COOKIE = "dealcraft_session"
CSRF_COOKIE = "dealcraft_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE = {"GET", "HEAD", "OPTIONS"}


def token_hash(token: str) -> str:
    """What the store keeps of a session token (never the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


def get_db(request: Request):
    """A database session per request, closed when the request ends."""
    db: Session = request.app.state.sessions()
    try:
        yield db
    finally:
        db.close()


@dataclass(frozen=True)
class Caller:
    """The logged-in user behind a request and the session it came with."""

    user: User
    session: LoginSession
    via_cookie: bool


def new_session(db: Session, user: User, hours: float) -> tuple[str, LoginSession]:
    """A fresh token (stored as its hash); the user's expired sessions are deleted on the way."""
    now = datetime.now(UTC)
    db.execute(delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    row = LoginSession(
        token_hash=token_hash(token),
        csrf=secrets.token_urlsafe(24),
        user_id=user.id,
        expires_at=datetime.now(UTC) + timedelta(hours=hours),
    )
    db.add(row)
    db.commit()
    return token, row


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def caller(request: Request, db: Session = Depends(get_db)) -> Caller:
    """The logged-in caller (401 otherwise). Cookie sessions must send the CSRF token to change
    anything; bearer tokens are never sent by a browser on its own, so they need none."""
    header = request.headers.get("authorization", "")
    via_cookie = False
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
    else:
        token = request.cookies.get(COOKIE, "")
        via_cookie = bool(token)
    if not token:
        raise ApiError(401, "log in first (POST /api/login) and send Authorization: Bearer <token>")
    row = db.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    if row is None or _aware(row.expires_at) <= datetime.now(UTC):
        raise ApiError(401, "the session has expired or was logged out: log in again")
    if via_cookie and request.method not in SAFE:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent, row.csrf):
            raise ApiError(
                403,
                f"missing or wrong {CSRF_HEADER} header: cookie sessions must echo the "
                f"{CSRF_COOKIE} cookie in it to change anything",
                code="csrf",
            )
    user = db.get(User, row.user_id)
    if user is None:
        raise ApiError(401, "the account no longer exists")
    return Caller(user, row, via_cookie)

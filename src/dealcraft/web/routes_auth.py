"""Login, logout, who am I, health."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from dealcraft.store.accounts import dummy_verify, find_user, verify_password
from dealcraft.web import throttle
from dealcraft.web.auth import COOKIE, CSRF_COOKIE, Caller, caller, get_db, new_session
from dealcraft.web.errors import ApiError
from dealcraft.web.settings import Settings

router = APIRouter(prefix="/api")


class Login(BaseModel):
    """A login request."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


@router.get("/health")
def health(db: Session = Depends(get_db)) -> dict:
    """The server and its database answer."""
    db.execute(text("SELECT 1"))
    return {"status": "ok", "database": db.get_bind().dialect.name}


@router.post("/login")
def login(body: Login, request: Request, response: Response, db: Session = Depends(get_db)) -> dict:
    """A bearer token (also set as an HttpOnly cookie); repeated failures are slowed down, then locked."""
    settings: Settings = request.app.state.settings
    now = settings.clock()
    keys = [
        (f"user:{body.username.lower()}", settings.account),
        (f"addr:{request.client.host if request.client else '?'}", settings.address),
    ]
    wait = max(throttle.wait_seconds(db, key, rule, now) for key, rule in keys)
    if wait > 0:
        raise ApiError(
            429,
            "too many failed logins for this account or address: "
            f"try again in {throttle.retry_after(wait)} s",
            headers={"Retry-After": throttle.retry_after(wait)},
        )
    user = find_user(db, body.username)
    if user is None:
        dummy_verify(body.password)
    if user is None or not verify_password(user.password_hash, body.password):
        for key, rule in keys:
            throttle.record_failure(db, key, rule, now)
        db.commit()
        raise ApiError(401, "wrong user name or password")
    for key, _ in keys:
        throttle.clear(db, key)
    token, session = new_session(db, user, settings.session_hours)
    secure = request.url.scheme == "https"
    age = int(settings.session_hours * 3600)
    response.set_cookie(COOKIE, token, max_age=age, httponly=True, samesite="lax", secure=secure)
    response.set_cookie(CSRF_COOKIE, session.csrf, max_age=age, httponly=False, samesite="lax", secure=secure)
    return {"token": token, "csrf": session.csrf, "username": user.username}


@router.post("/logout")
def logout(response: Response, who: Caller = Depends(caller), db: Session = Depends(get_db)) -> dict:
    """End the caller's session and clear its cookie."""
    db.delete(db.merge(who.session))
    db.commit()
    response.delete_cookie(COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return {"status": "logged out"}


@router.get("/me")
def me(who: Caller = Depends(caller)) -> dict:
    """Who the caller is."""
    return {"username": who.user.username, "admin": who.user.is_admin}

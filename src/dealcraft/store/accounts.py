"""Accounts: creating users and checking passwords (Argon2id through argon2-cffi)."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealcraft.errors import DealcraftError
from dealcraft.store.models import User

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = 8

_hasher = PasswordHasher()  # library defaults (Argon2id, RFC 9106 low-memory profile)


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the hashing cost (tests use a cheap one; production keeps the defaults)."""
    global _hasher
    _hasher = hasher


def hash_password(password: str) -> str:
    """Argon2id hash to store instead of the password."""
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether the password matches the stored hash; a malformed hash counts as no match."""
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# Verifying against this when the user does not exist keeps the reply time the same.
_DUMMY: dict[str, str] = {}


def dummy_verify(password: str) -> None:
    """Spend the time of a real check, so an unknown user name answers as slowly as a wrong password."""
    if "hash" not in _DUMMY:
        _DUMMY["hash"] = hash_password("not a real password")
    verify_password(_DUMMY["hash"], password)


def check_new_password(password: str) -> None:
    """Refuse a password that is too short, saying how long it must be."""
    if len(password) < MIN_PASSWORD:
        raise DealcraftError(f"the password is too short: use at least {MIN_PASSWORD} characters")


def find_user(db: Session, username: str) -> User | None:
    """The user with this name, or None."""
    return db.scalar(select(User).where(User.username == username))


def add_user(db: Session, username: str, password: str, *, admin: bool = False) -> User:
    """Create a user after checking the name (unique, allowed characters) and the password."""
    if not USERNAME.match(username):
        raise DealcraftError(
            f"cannot use {username!r} as a user name: use up to 64 letters, digits and _ . @ - "
            "starting with a letter or digit"
        )
    if find_user(db, username) is not None:
        raise DealcraftError(f"user {username!r} already exists: pick another name or use `users passwd`")
    check_new_password(password)
    user = User(username=username, password_hash=hash_password(password), is_admin=admin)
    db.add(user)
    db.commit()
    return user


def set_password(db: Session, username: str, password: str) -> None:
    """Change a user's password (``dealcraft users passwd``), checking it like a new one."""
    user = find_user(db, username)
    if user is None:
        raise DealcraftError(f"no user {username!r}: see `dealcraft users list`")
    check_new_password(password)
    user.password_hash = hash_password(password)
    db.commit()


def list_users(db: Session) -> list[User]:
    """Every user, by name."""
    return list(db.scalars(select(User).order_by(User.username)))

"""Fixtures for the store and web tests: a database per test on SQLite and (when
DEALCRAFT_TEST_PG_URL names a server, see .ci/postgres.sh) on PostgreSQL too."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

PG_URL = os.environ.get("DEALCRAFT_TEST_PG_URL")
PG_SKIP = (
    'PostgreSQL tests need a server: run `eval "$(.ci/postgres.sh start)"` first '
    "(sets DEALCRAFT_TEST_PG_URL); .ci/run does this"
)
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(autouse=True, scope="session")
def _cheap_hashes():
    """Argon2 with the smallest cost: the tests log in hundreds of times."""
    from argon2 import PasswordHasher

    from dealcraft.store import accounts

    accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield


def _pg_database() -> tuple[str, callable]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(PG_URL)
    name = f"dc_{uuid.uuid4().hex[:12]}"
    conninfo = dict(
        host=admin.host, port=admin.port, user=admin.username, dbname=admin.database or "postgres"
    )
    with psycopg.connect(**conninfo, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from dealcraft.web import jobs

        for url in [u for u in jobs._ENGINES if name in u]:
            jobs._ENGINES.pop(url).dispose()
        with psycopg.connect(**conninfo, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.set(database=name).render_as_string(hide_password=False), drop


def _database(backend: str, folder: Path):
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'dealcraft.db'}"
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    url, drop = _pg_database()
    yield url
    drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL (not yet migrated) on each backend."""
    yield from _database(request.param, tmp_path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(request, tmp_path_factory):
    """The same, shared by the tests of one module."""
    yield from _database(request.param, tmp_path_factory.mktemp("db"))

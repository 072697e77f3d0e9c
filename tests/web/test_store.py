"""The store: migrations, SQLite pragmas, accounts, the job sweep."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import inspect, text

from dealcraft.errors import DealcraftError
from dealcraft.store.accounts import add_user, find_user, list_users, set_password, verify_password
from dealcraft.store.db import make_engine, open_database, session_factory, upgrade
from dealcraft.store.models import Base, Job, Negotiation, Server
from dealcraft.web import jobs


def test_migrations_build_exactly_the_models(db_url):
    engine = open_database(db_url)
    assert upgrade(engine) == "0001"  # idempotent
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        columns = {c["name"] for c in inspect(engine).get_columns(name)}
        assert columns == {c.name for c in table.columns}, name


def test_no_model_change_without_a_migration(db_url):
    """Alembic's autogenerate finds nothing to add: the migrations and the models agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = open_database(db_url)
    with engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
    assert diff == []


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with session_factory(engine)() as db:
        db.add(Negotiation(title="t", structure={}, created_by=12345))
        with pytest.raises(Exception, match="FOREIGN KEY"):
            db.commit()


def test_bad_database_urls_are_user_errors(tmp_path):
    with pytest.raises(DealcraftError, match="cannot read database URL"):
        make_engine("not a url")
    with pytest.raises(DealcraftError, match="unsupported database"):
        make_engine("mysql://x@y/z")
    with pytest.raises(DealcraftError, match="cannot open the database"):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_accounts(db_url):
    db = session_factory(open_database(db_url))()
    user = add_user(db, "ada", "long enough pw")
    assert user.password_hash.startswith("$argon2id$") and "long enough" not in user.password_hash
    assert verify_password(find_user(db, "ada").password_hash, "long enough pw")
    assert not verify_password(user.password_hash, "wrong password")
    with pytest.raises(DealcraftError, match="already exists"):
        add_user(db, "ada", "another password")
    with pytest.raises(DealcraftError, match="too short"):
        add_user(db, "bob", "short")
    with pytest.raises(DealcraftError, match="user name"):
        add_user(db, "bad name!", "long enough pw")
    set_password(db, "ada", "a new password")
    assert verify_password(find_user(db, "ada").password_hash, "a new password")
    with pytest.raises(DealcraftError, match="no user"):
        set_password(db, "nobody", "a new password")
    assert [u.username for u in list_users(db)] == ["ada"]
    db.close()


def _job(db, job_id: str, status: str, server: str, heartbeat: float) -> None:
    db.add(
        Job(
            id=job_id,
            negotiation_id=1,
            kind="analyze",
            options={},
            scenario={},
            status=status,
            progress=0.0,
            cancel_requested=False,
            server_id=server,
            heartbeat=heartbeat,
            created_by=db.query(Negotiation).one().created_by,
        )
    )


def test_sweep_fails_jobs_of_dead_servers_and_dead_workers(db_url):
    engine = open_database(db_url)
    now = time.time()
    with session_factory(engine)() as db:
        user = add_user(db, "ada", "long enough pw")
        db.add(Negotiation(id=1, title="t", structure={}, created_by=user.id))
        db.flush()
        db.add(Server(id="alive", pid=1, heartbeat=now))
        db.add(Server(id="dead", pid=2, heartbeat=now - 100))
        _job(db, "running-on-dead", "running", "dead", now)
        _job(db, "queued-on-dead", "queued", "dead", 0)
        _job(db, "worker-died", "running", "alive", now - 100)
        _job(db, "fine", "running", "alive", now)
        _job(db, "waiting", "queued", "alive", 0)
        _job(db, "finished", "done", "dead", 0)
        db.commit()
    assert jobs.sweep(engine, stale_after=15, now=now) == 3
    with session_factory(engine)() as db:
        status = {j.id: (j.status, j.error or "") for j in db.query(Job)}
    assert status["running-on-dead"][0] == "failed" and "server stopped" in status["running-on-dead"][1]
    assert (
        status["queued-on-dead"][0] == "failed" and "before this job started" in status["queued-on-dead"][1]
    )
    assert status["worker-died"][0] == "failed" and "worker process" in status["worker-died"][1]
    assert {k: v[0] for k, v in status.items() if k in ("fine", "waiting", "finished")} == {
        "fine": "running",
        "waiting": "queued",
        "finished": "done",
    }

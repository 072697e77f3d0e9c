"""Where the database is, how to connect to it, and how to bring its schema up to date."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import sessionmaker

from dealcraft.errors import DealcraftError

ENV_VAR = "DEALCRAFT_DB"


def default_url() -> str:
    """``$DEALCRAFT_DB``, else an SQLite file in the user data directory (created on demand)."""
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    import platformdirs

    folder = Path(platformdirs.user_data_dir("dealcraft", appauthor=False))
    return f"sqlite:///{folder / 'dealcraft.db'}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    url = url or default_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DealcraftError(
            f"cannot read database URL {url!r}: use sqlite:///path/to/file.db or "
            "postgresql+psycopg://user:password@host:5432/name"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise DealcraftError(
            f"unsupported database {parsed.get_backend_name()!r} in {url!r}: use sqlite:/// or postgresql+psycopg://"
        )
    return create_engine(parsed, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker:
    """Sessions whose objects stay readable after commit, so callers can use what they just saved
    without another query."""
    return sessionmaker(engine, expire_on_commit=False)


def upgrade(engine: Engine) -> str:
    """Apply every migration not yet applied (no alembic.ini needed); return the head revision."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() or ""


def open_database(url: str | None = None) -> Engine:
    """Connect and migrate: what every command that uses the database does first."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    except Exception as e:  # the server may be down, the file unwritable...
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(e, SQLAlchemyError | OSError):
            raise DealcraftError(
                f"cannot open the database {engine.url.render_as_string(hide_password=True)}: "
                f"{getattr(e, 'orig', None) or e}. Check the --db URL and that the server is running."
            ) from None
        raise
    return engine

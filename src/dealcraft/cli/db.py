"""`dealcraft db`: the web app's database (migrations, where it is)."""

from __future__ import annotations

import typer

from dealcraft.cli.app import app
from dealcraft.cli.common import console, user_errors

DB_OPT = typer.Option(
    None,
    "--db",
    help="Database URL: sqlite:///file.db or postgresql+psycopg://user@host/name "
    "(default: $DEALCRAFT_DB, else dealcraft.db in the user data directory).",
)

db_app = typer.Typer(help="The web app's database: migrations and location.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def database_url(db: str | None) -> str:
    """The ``--db`` URL if given, else the default location (so every command agrees on one database)."""
    from dealcraft.store.db import default_url

    return db or default_url()


def open_db(db: str | None):
    """Connect to (and migrate) the database; a session factory for it."""
    from dealcraft.store.db import open_database, session_factory

    return session_factory(open_database(database_url(db)))


@db_app.command()
def upgrade(db: str = DB_OPT) -> None:
    """Create the database if needed and apply every pending migration."""
    with user_errors():
        from dealcraft.store.db import open_database
        from dealcraft.store.db import upgrade as run_upgrade

        engine = open_database(database_url(db))
        head = run_upgrade(engine)
    console.print(f"{engine.url.render_as_string(hide_password=True)} is at revision {head}", highlight=False)


@db_app.command()
def where(db: str = DB_OPT) -> None:
    """Print the database URL the other commands use."""
    console.print(database_url(db), highlight=False, soft_wrap=True)

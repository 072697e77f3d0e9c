"""The store: accounts, negotiations, versions of each party's preferences and jobs (SQLAlchemy 2).

SQLite by default (WAL, foreign keys on), PostgreSQL by URL; the schema is only ever changed by
the Alembic migrations shipped in :mod:`dealcraft.store.migrations`.
"""

# Nothing is re-exported: import the modules directly, so SQLAlchemy loads only for the commands
# and the web app that use the store.
__all__: list[str] = []

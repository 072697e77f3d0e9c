"""The store: accounts, negotiations, versions of each party's preferences and jobs (SQLAlchemy 2).

SQLite by default (WAL, foreign keys on), PostgreSQL by URL; the schema is only ever changed by
the Alembic migrations shipped in :mod:`dealcraft.store.migrations`.
"""

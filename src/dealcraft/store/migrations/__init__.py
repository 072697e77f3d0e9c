"""Alembic migrations, shipped inside the package and applied programmatically (see db.upgrade)."""

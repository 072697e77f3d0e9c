"""Alembic migrations, shipped inside the package and applied programmatically (see db.upgrade)."""

# Nothing to export: Alembic reads this folder as its script location.
__all__: list[str] = []

"""Registers the core commands (one module per group keeps each small)."""

from dealcraft.cli import analyze, db, files, package, roadmap, serve, simulate, uncertainty, users  # noqa: F401

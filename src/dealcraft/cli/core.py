"""Registers the core commands (one module per group keeps each small)."""

from dealcraft.cli import analyze, files, package, report, roadmap, simulate, uncertainty  # noqa: F401

"""Registers the core commands (one module per group keeps each small)."""

from dealcraft.cli import analyze, evidence, files, package, roadmap, simulate, uncertainty  # noqa: F401

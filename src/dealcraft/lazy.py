"""Lazy re-exports for package ``__init__`` modules (PEP 562).

A package lists where each public name lives; the defining module is imported on first use.
This keeps `import dealcraft` and the CLI's start-up free of the heavy libraries (pydantic's
schema, OR-Tools, Dask, SciPy) until a command needs them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports ``homes[name]`` (a module path,
    optionally ``module:attribute`` when the attribute has another name) on first access."""

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attr = homes[name].partition(":")
        return getattr(importlib.import_module(module), attr or name)

    return __getattr__

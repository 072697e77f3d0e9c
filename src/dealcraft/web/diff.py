"""Which paths changed between two versions (the "what" of the version history)."""

from __future__ import annotations

from typing import Any

from dealcraft.errors import format_location


def changed_paths(old: Any, new: Any, limit: int = 50) -> list[str]:
    """Paths (a.b[2].c) where two JSON-like values differ, at most ``limit`` of them."""
    out: list[str] = []
    _walk(old, new, (), out, limit)
    return out


def _walk(old: Any, new: Any, path: tuple, out: list[str], limit: int) -> None:
    if len(out) >= limit or old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            _walk(old.get(key, _MISSING), new.get(key, _MISSING), (*path, key), out, limit)
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for k, (a, b) in enumerate(zip(old, new, strict=True)):
            _walk(a, b, (*path, k), out, limit)
        return
    out.append(format_location(path) or "(everything)")


_MISSING = object()

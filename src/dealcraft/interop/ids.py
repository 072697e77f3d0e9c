"""Scenario ids from other tools' labels (`$4.37`, `19'' LCD`): valid, readable and unique."""

from __future__ import annotations

import re

_VALID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


def derive_id(label: str) -> str:
    """``label`` if it is a valid id, else its runs of other characters turned into ``_``."""
    if _VALID.match(label):
        return label
    out = re.sub(r"[^A-Za-z0-9_.\-]+", "_", label.strip()).strip("_.-")
    out = out.lstrip(".-")
    return out or "x"


def unique_ids(labels: list[str]) -> list[str]:
    """One id per label, derived, with ``_2``, ``_3``... where two labels give the same id."""
    taken: set[str] = set()
    out = []
    for label in labels:
        base = derive_id(label)
        candidate, k = base, 1
        while candidate in taken:
            k += 1
            candidate = f"{base}_{k}"
        taken.add(candidate)
        out.append(candidate)
    return out

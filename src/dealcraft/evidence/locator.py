"""Locators (a source's ``at``): parse them and find the paragraphs they point to.

Grammar (case and extra spaces ignored; ``-``, ``–`` or ``to`` between range ends)::

    paragraph N | paragraphs N-M | page P | page P, paragraph N | page P, paragraphs N-M

Page locators are for PDFs only. ``paragraph N`` in a PDF counts blocks through the whole
document; ``page P, paragraph N`` counts within page P.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dealcraft.evidence.documents import Document, Paragraph

_RANGE = r"(\d+)(?:\s*(?:-|–|—|to)\s*(\d+))?"
_PATTERN = re.compile(
    rf"^\s*(?:page\s+(\d+))?\s*,?\s*(?:paragraphs?\s+{_RANGE})?\s*$",
    re.I,
)
SYNTAX = "write 'paragraph N', 'paragraphs N-M', 'page P' or 'page P, paragraph N'"


class LocatorError(ValueError):
    """A locator that cannot be read or points past the end of its document."""


@dataclass(frozen=True)
class Locator:
    """A parsed ``at``: an optional page and an optional paragraph range (``last`` = ``first`` for one)."""

    page: int | None
    first: int | None
    last: int | None

    def __str__(self) -> str:
        parts = [f"page {self.page}"] if self.page is not None else []
        if self.first is not None:
            same = self.last == self.first
            parts.append(f"paragraph {self.first}" if same else f"paragraphs {self.first}-{self.last}")
        return ", ".join(parts)


def parse(at: str) -> Locator:
    """Read a locator; LocatorError with the accepted syntax if it cannot be read."""
    m = _PATTERN.match(at)
    if not m or not at.strip() or (m.group(1) is None and m.group(2) is None):
        raise LocatorError(f"cannot read locator {at!r}: {SYNTAX}")
    page = int(m.group(1)) if m.group(1) else None
    first = int(m.group(2)) if m.group(2) else None
    last = int(m.group(3)) if m.group(3) else first
    if (page is not None and page < 1) or (first is not None and (first < 1 or last < first)):
        raise LocatorError(f"locator {at!r}: numbers start at 1 and a range runs low to high")
    return Locator(page, first, last)


def resolve(doc: Document, at: str | None) -> list[Paragraph]:
    """The paragraphs ``at`` names in ``doc`` (all of them when ``at`` is empty)."""
    if at is None or not at.strip():
        return list(doc.paragraphs)
    loc = parse(at)
    pool = list(doc.paragraphs)
    if loc.page is not None:
        if doc.kind != "pdf":
            raise LocatorError(f"page locators are for PDFs; {doc.id} is {doc.kind}: use 'paragraph N'")
        if loc.page > doc.pages:
            raise LocatorError(f"{doc.id} has {doc.pages} page(s), no page {loc.page}")
        pool = [p for p in pool if p.page == loc.page]
    if loc.first is None:
        return pool
    where = f"page {loc.page} of {doc.id}" if loc.page is not None else doc.id
    if loc.last > len(pool):
        raise LocatorError(f"{where} has {len(pool)} paragraph(s), no paragraph {loc.last}")
    return pool[loc.first - 1 : loc.last]

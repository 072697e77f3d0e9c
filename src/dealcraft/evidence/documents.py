"""Read a corpus document into numbered paragraphs, one rule per file type.

* ``.txt``: every non-empty line is a paragraph.
* ``.md``: blocks separated by blank lines (a fenced code block is one block).
* ``.html``/``.htm``: the text of each innermost block element (see :mod:`.html`).
* ``.pdf``: text blocks per page (see :mod:`.pdf`), numbered within their page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dealcraft.errors import DealcraftError

SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


class DocumentError(DealcraftError):
    """A corpus file that cannot be read (corrupt PDF, unreadable file)."""


@dataclass(frozen=True)
class Paragraph:
    """One numbered block of a document: the unit locators point to and quotes are matched in."""

    number: int  # 1-based; within the page for PDFs, within the document otherwise
    text: str
    page: int | None = None  # 1-based page for PDFs

    @property
    def at(self) -> str:
        """This paragraph's locator, in the syntax sources use."""
        if self.page is None:
            return f"paragraph {self.number}"
        return f"page {self.page}, paragraph {self.number}"


@dataclass(frozen=True)
class Document:
    """A corpus file read into paragraphs by the rule of its file type."""

    id: str  # the file name
    kind: str  # txt | md | html | pdf
    paragraphs: tuple[Paragraph, ...]

    @property
    def pages(self) -> int:
        """The last page holding text (0 for a document without pages), for page-range errors."""
        return max((p.page or 0 for p in self.paragraphs), default=0)


def kind_of(path: Path) -> str | None:
    """The paragraph rule for a file by its suffix (txt, md, html, pdf), None if it is no document."""
    return SUFFIXES.get(path.suffix.lower())


def corpus_files(folder: Path) -> list[Path]:
    """The documents of a corpus folder (top level, known suffixes, hidden files skipped)."""
    if not folder.is_dir():
        raise DealcraftError(f"corpus {folder}: no such folder; pass --corpus DIR or fix 'corpus:'")
    return sorted(p for p in folder.iterdir() if p.is_file() and kind_of(p) and not p.name.startswith("."))


def read_document(path: Path) -> Document:
    """Parse one file; raise DocumentError naming the file if it cannot be read."""
    kind = kind_of(path)
    if kind is None:
        raise DocumentError(f"{path.name}: not a corpus document (use .txt, .md, .html, .htm or .pdf)")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DocumentError(f"{path.name}: cannot read it ({e.strerror})") from None
    return parse_document(path.name, kind, data)


def parse_document(name: str, kind: str, data: bytes) -> Document:
    """Split a file's bytes into paragraphs (kept apart from reading so tests need no files)."""
    if kind == "pdf":
        from dealcraft.evidence.pdf import pdf_paragraphs

        return Document(name, kind, tuple(pdf_paragraphs(name, data)))
    text = data.decode("utf-8-sig", errors="replace")
    if kind == "txt":
        blocks = [line.strip() for line in text.splitlines()]
    elif kind == "md":
        blocks = markdown_blocks(text)
    else:
        from dealcraft.evidence.html import html_blocks

        blocks = html_blocks(text)
    blocks = [b for b in blocks if b]
    return Document(name, kind, tuple(Paragraph(k + 1, b) for k, b in enumerate(blocks)))


_FENCE = re.compile(r"^\s*(```|~~~)")


def markdown_blocks(text: str) -> list[str]:
    """Blank-line-separated blocks; a fenced code block stays one block even with blank lines."""
    blocks: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        mark = _FENCE.match(line)
        if fence is None and mark:
            fence = mark.group(1)
        elif fence is not None and mark and mark.group(1) == fence:
            fence = None
        elif fence is None and not line.strip():
            blocks.append(" ".join(current))
            current = []
            continue
        current.append(line.strip())
    blocks.append(" ".join(current))
    return [b.strip() for b in blocks]

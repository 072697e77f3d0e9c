"""PDF paragraphs: text blocks per page, read with pypdf's layout mode.

Layout mode keeps the page's vertical spacing, so a gap wider than the line spacing shows up
as a blank line; a block is a run of lines between blank lines, its whitespace collapsed.
Blocks are numbered from 1 on each page.
"""

from __future__ import annotations

import io
import logging
import re

from dealcraft.evidence.documents import DocumentError, Paragraph

_SPACE = re.compile(r"\s+")


def pdf_paragraphs(name: str, data: bytes) -> list[Paragraph]:
    """The text blocks of each page; DocumentError naming the file for an encrypted or damaged PDF."""
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files warn on every object
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError(f"{name}: the PDF is encrypted; save an unencrypted copy in the corpus")
        out = []
        for page_no, page in enumerate(reader.pages, start=1):
            text = page.extract_text(extraction_mode="layout")
            blocks = [_SPACE.sub(" ", b).strip() for b in re.split(r"\n\s*\n", text)]
            out += [Paragraph(k + 1, b, page_no) for k, b in enumerate(x for x in blocks if x)]
        return out
    except DocumentError:
        raise
    except Exception as e:  # pypdf raises many kinds on damaged input; all mean "unreadable"
        raise DocumentError(f"{name}: cannot read this PDF ({type(e).__name__}: {e})") from None

"""Quote matching: normalise typography, then find the quote or its nearest paragraph.

Curly quotes, dashes, non-breaking spaces and runs of whitespace often differ between a quote
typed by an analyst and the source; nothing else (case, wording) is forgiven.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from dealcraft.evidence.documents import Paragraph

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text with typography made uniform (quotes, dashes, spaces), so only wording and case count."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE.sub(" ", text).strip()


def contains(text: str, quote: str) -> bool:
    """Whether the quote appears in the text once both are normalised."""
    return normalise(quote) in normalise(text)


@dataclass(frozen=True)
class NearMatch:
    """Where a quote is, or how close the best paragraph comes, for the "found ... instead" hint."""

    paragraph: Paragraph
    exact: bool  # the whole (normalised) quote appears there
    ignoring_case: bool  # ... but only when case is ignored
    share: float  # otherwise: share of the quote's characters matched in order (0..1)


def nearest(paragraphs: list[Paragraph], quote: str) -> NearMatch | None:
    """Where in the document the quote is, or the paragraph that comes closest."""
    q = normalise(quote)
    best: NearMatch | None = None
    for p in paragraphs:
        text = normalise(p.text)
        if q in text:
            return NearMatch(p, True, False, 1.0)
        if q.lower() in text.lower():
            best = NearMatch(p, False, True, 1.0)
            continue
        matcher = difflib.SequenceMatcher(None, q, text, autojunk=False)
        share = sum(b.size for b in matcher.get_matching_blocks() if b.size >= 3) / max(len(q), 1)
        if best is None or (not best.ignoring_case and share > best.share):
            best = NearMatch(p, False, False, share)
    return best

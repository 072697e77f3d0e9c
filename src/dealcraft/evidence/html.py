"""HTML paragraphs: the text of each innermost block element, page furniture dropped."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser

BLOCKS = "p, li, blockquote, h1, h2, h3, h4, h5, h6, td, th, pre, dt, dd, figcaption"
DROPPED = "script, style, noscript, template, nav, header, footer, aside, form, button, svg"
_SPACE = re.compile(r"\s+")
_BREAK = re.compile(r"<br\s*/?>", re.I)


def html_blocks(text: str) -> list[str]:
    """One string per block element that holds no other block element (so a ``<li>`` wrapping
    a ``<p>`` counts once), in document order. Scripts, styles and navigation are removed."""
    tree = HTMLParser(_BREAK.sub(" ", text))
    root = tree.body or tree.root
    if root is None:
        return []
    for node in root.css(DROPPED):
        node.decompose()
    out = []
    for node in root.css(BLOCKS):
        if len(node.css(BLOCKS)) > 1:  # css() matches the node itself too
            continue
        out.append(_SPACE.sub(" ", node.text(deep=True)).strip())
    return out

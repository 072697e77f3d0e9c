"""Parse untrusted XML with the standard library, refusing what makes XML dangerous.

Like defusedxml, a document that declares a DTD or entities is refused outright: GENIUS files
never need them, and entity expansion ("billion laughs") or external entities are the attacks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from dealcraft.errors import DealcraftError

_FORBIDDEN = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse_file(path: Path) -> ET.Element:
    """The root element of ``path``; DealcraftError naming the file for anything unreadable."""
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DealcraftError(f"{path}: not UTF-8 text (byte {e.start}); save the file as UTF-8") from None
    except OSError as e:
        raise DealcraftError(f"{path}: cannot read it ({e.strerror})") from None
    return parse_text(text, str(path))


def parse_text(text: str, source: str) -> ET.Element:
    """The root element of ``text``; refuses DTDs and entity declarations."""
    if _FORBIDDEN.search(text):
        raise DealcraftError(
            f"{source}: declares a DTD or entities, which dealcraft refuses for safety; remove the "
            "<!DOCTYPE ...> / <!ENTITY ...> lines (GENIUS files do not need them)"
        )
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # an encoding declaration is moot on a str
    try:
        return ET.fromstring(text)
    except ET.ParseError as e:
        line, column = e.position
        raise DealcraftError(f"{source}: line {line}, column {column + 1}: not well-formed XML") from None

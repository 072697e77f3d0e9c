"""Write one benchmark's section of bench/RESULTS.md, leaving the other sections alone."""

from __future__ import annotations

import platform
import re
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = (
    "# Benchmark results\n\n"
    "Each section is written by one script in `bench/` (run it to refresh that section). "
    "Speeds are ratios measured in one run against a baseline run in the same process.\n"
)


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section between `<!-- name -->` markers."""
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else HEADER
    stamp = f"_{date.today().isoformat()}, Python {platform.python_version()}, {platform.machine()}_\n\n"
    block = f"<!-- {name} -->\n{body.rstrip()}\n\n{stamp}<!-- /{name} -->"
    pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->", re.S)
    text = (
        pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    )
    RESULTS.write_text(text, "utf-8")

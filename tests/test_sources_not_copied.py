"""The project writes the facts of its source articles in its own words: no run of 8 words
from a source may appear in the code, the scenarios or the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 8


def shingles(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source articles not beside the checkout")
def test_no_sentence_of_a_source_is_copied():
    sources: set[str] = set()
    for path in SEEDS.glob("*.txt"):
        sources |= shingles(path.read_text("utf-8", errors="ignore"))
    copied = {}
    for path in ROOT.rglob("*"):
        if path.suffix in {".md", ".py", ".yaml", ".json"} and not {".git", ".venv"} & set(path.parts):
            found = shingles(path.read_text("utf-8", errors="ignore")) & sources
            if found:
                copied[str(path.relative_to(ROOT))] = sorted(found)[:3]
    assert not copied, copied

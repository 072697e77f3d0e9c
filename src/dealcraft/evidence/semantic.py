"""Optional semantic re-ranking of search hits (the ``dealcraft[semantic]`` extra).

No embedding model that ships inside a PyPI package and runs offline is wired in yet, so the
extra is declared but empty: asking for ``--semantic`` explains that instead of silently
falling back to keyword ranking.
"""

from __future__ import annotations

from dealcraft.errors import DealcraftError
from dealcraft.evidence.index import Hit

MESSAGE = (
    "--semantic: semantic re-ranking is not available in this version: no offline embedding model is "
    "installed (the 'dealcraft[semantic]' extra does not provide one yet). Search without --semantic: "
    "results are ranked by bm25, paragraphs holding every query word first."
)


def rerank(query: str, hits: list[Hit]) -> list[Hit]:
    raise DealcraftError(MESSAGE)

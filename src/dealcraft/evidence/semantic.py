"""Semantic re-ranking of search hits (``--semantic``): not available yet.

Re-ranking needs an embedding model that ships inside a PyPI package (no download at run
time, works with no network). None that was examined qualifies for this project: one
advertised package ships no model file in its wheel, another bundles its model but only as a
binary for a different Python version. Until one does, ``--semantic`` stops with this message
instead of silently falling back to keyword ranking, and there is no ``semantic`` extra.
"""

from __future__ import annotations

from dealcraft.errors import DealcraftError
from dealcraft.evidence.index import Hit

MESSAGE = (
    "--semantic: semantic re-ranking is not available yet: it needs an embedding model that ships "
    "inside a Python package and runs offline, and dealcraft supports none so far (there is no "
    "'dealcraft[semantic]' extra to install). Search without --semantic: results are ranked by bm25, "
    "paragraphs holding every query word first."
)


def rerank(query: str, hits: list[Hit]) -> list[Hit]:
    """Re-order hits by meaning; for now always a DealcraftError saying why it is unavailable."""
    raise DealcraftError(MESSAGE)

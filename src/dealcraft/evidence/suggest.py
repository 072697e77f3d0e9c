"""Passages the corpus offers for numbers that rest on no source, so the analyst can cite them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dealcraft.evidence.check import NumberCover
from dealcraft.evidence.index import Hit, Index
from dealcraft.model.schema import ScenarioFile

# Words too common to steer a search; the rest of the query is OR-ed and ranked by bm25.
_STOP = """a an and are as at be but by for from has have in into is it its no not of on or so than that
the their them then there these they this to was were which while who will with would"""
STOPWORDS = frozenset(_STOP.split())


@dataclass(frozen=True)
class Suggestion:
    """Passages offered for one poorly backed number, with the query that found them."""

    cover: NumberCover
    query: str
    hits: tuple[Hit, ...]


def query_for(file: ScenarioFile, cover: NumberCover, names: dict[str, str]) -> str:
    """Words from the stakeholder, issue and option names and the notes on the issue/option."""
    parts = [names.get(cover.stakeholder, cover.stakeholder)]
    issue = next((i for i in file.issues if i.id == cover.issue), None)
    if issue is not None:
        parts += [issue.name or issue.id, *(s.note or "" for s in issue.sources)]
        if len(cover.number) == 3:
            option = next((o for o in (issue.options or []) if o.id == cover.number[2]), None)
            if option is not None:
                parts += [option.name or option.id, *(s.note or "" for s in option.sources)]
    elif cover.number == ("reservation",):
        parts.append("no deal walk away")
    words = re.findall(r"\w+", " ".join(parts).replace("_", " "))
    return " ".join(dict.fromkeys(w for w in words if w.lower() not in STOPWORDS and len(w) > 1))


def suggest(
    file: ScenarioFile, covers: list[NumberCover], names: dict[str, str], index: Index, limit: int = 3
) -> list[Suggestion]:
    """The ``limit`` best passages for each number, searched with words that describe it."""
    out = []
    for cover in covers:
        query = query_for(file, cover, names)
        hits = tuple(index.search(query, limit)) if query else ()
        out.append(Suggestion(cover, query, hits))
    return out

"""JSON for the evidence commands: one pure function per command, data in, dict out."""

from __future__ import annotations

from typing import Any

from dealcraft.evidence.check import CheckResult
from dealcraft.evidence.index import Hit
from dealcraft.evidence.suggest import Suggestion


def check_json(result: CheckResult) -> dict[str, Any]:
    return {
        "scenario": result.scenario,
        "corpus": result.corpus,
        "sources": [
            {"where": s.where, "doc": s.doc, "at": s.at, "status": s.status, "message": s.message}
            for s in result.sources
        ],
        "coverage": [
            {
                "stakeholder": c.stakeholder,
                "numbers": c.numbers,
                "pinned": c.pinned,
                "general": c.general,
                "none": c.none,
            }
            for c in result.coverage()
        ],
        "unsourced": result.unsourced,
    }


def _hits(hits: tuple[Hit, ...] | list[Hit]) -> list[dict[str, Any]]:
    return [{"doc": h.doc, "at": h.at, "score": h.score, "snippet": h.snippet} for h in hits]


def search_json(query: str, hits: list[Hit]) -> dict[str, Any]:
    return {"query": query, "results": _hits(hits)}


def suggest_json(scenario: str, corpus: str, suggestions: list[Suggestion]) -> dict[str, Any]:
    return {
        "scenario": scenario,
        "corpus": corpus,
        "suggestions": [
            {
                "where": s.cover.where,
                "stakeholder": s.cover.stakeholder,
                "level": s.cover.level,
                "query": s.query,
                "results": _hits(s.hits),
            }
            for s in suggestions
        ],
    }

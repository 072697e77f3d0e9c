"""The sections of the briefing book, their ids (for ``--sections``) and what each needs."""

from __future__ import annotations

from dataclasses import dataclass

from dealcraft.errors import DealcraftError


@dataclass(frozen=True)
class Section:
    """One section of the report: its id for ``--sections``, title, and the jobs it needs run."""

    id: str
    title: str
    needs: frozenset[
        str
    ]  # jobs in report.collect: analysis, bridges, roadmap, robust, sensitivity, simulation


def _s(id_: str, title: str, *needs: str) -> Section:
    return Section(id_, title, frozenset(needs))


SECTIONS: tuple[Section, ...] = (
    _s("summary", "Summary", "analysis", "robust"),
    _s("stakeholders", "Who decides", "analysis"),
    _s("space", "The deal space", "analysis"),
    _s("proposals", "Proposals", "analysis", "robust"),
    _s("bridge", "What failed and the bridge", "analysis", "bridges"),
    _s("sequencing", "Sequencing", "analysis", "roadmap"),
    _s("uncertainty", "How sure", "analysis", "robust", "sensitivity"),
    _s("bargaining", "Bargaining", "analysis", "simulation"),
    _s("sources", "Assumptions and sources"),
    _s("appendix", "Appendix"),
)
BY_ID = {s.id: s for s in SECTIONS}


def select(spec: str | None) -> tuple[Section, ...]:
    """Read ``--sections a,b,c`` (any order, shown in the report's order); None: all."""
    if spec is None:
        return SECTIONS
    wanted = [w.strip() for w in spec.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in BY_ID]
    if unknown or not wanted:
        what = f"unknown section(s) {', '.join(map(repr, unknown))}" if unknown else "no section named"
        raise DealcraftError(f"--sections {spec!r}: {what}; choose from {', '.join(BY_ID)} (comma-separated)")
    return tuple(s for s in SECTIONS if s.id in wanted)

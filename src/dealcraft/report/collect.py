"""Run the analyses the selected sections need, once each, with a progress line per job."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dealcraft.model.scenario import Scenario
from dealcraft.report import data
from dealcraft.report.sections import Section


@contextmanager
def _silent(_label: str) -> Iterator[None]:
    yield


def collect(
    sc: Scenario,
    sections: tuple[Section, ...],
    *,
    samples: int,
    seed: int,
    runs: int,
    announce=_silent,
) -> data.ReportData:
    """The data for ``sections``; ``announce(label)`` wraps each job (the CLI shows progress)."""
    needs = set().union(*(s.needs for s in sections)) if sections else set()
    out = data.ReportData(sc)
    uncertain = data.has_uncertainty(sc)
    result = None
    if "analysis" in needs:
        with announce("agreement set, frontier and proposals"):
            out.analysis, result = data.analysis(sc, 3, seed)
    recommended = result.proposals[0].package if result is not None and result.proposals else None
    if "bridges" in needs:
        with announce("observations and bridges"):
            for obs in sc.observations:
                out.bridges[obs.id] = data.bridge(sc, obs.package)
    if "roadmap" in needs and recommended is not None and data.has_steps(sc):
        with announce("sequencing the recommended proposal"):
            out.roadmap = data.roadmap(sc, recommended, seed)
    if "robust" in needs and uncertain:
        with announce(f"robust proposals ({samples:,} samples)"):
            out.robust = data.robust(sc, samples, seed, result.proposals if result else None)
    if "sensitivity" in needs and uncertain and recommended is not None:
        with announce(f"sensitivity of the recommended proposal ({samples:,} samples)"):
            out.sensitivity = data.sensitivity(sc, recommended, samples, seed)
    if "simulation" in needs:
        with announce(f"bargaining simulation ({runs:,} runs)"):
            out.simulation = data.simulation(sc, runs, seed)
    return out

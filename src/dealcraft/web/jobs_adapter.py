"""The one place where a web job runs an analysis: ``run(kind, scenario, options, progress)``.

It calls the service layer, so the result is exactly the dict the CLI's ``--json`` prints for
the same job; the disclosure filter then removes what a caller may not see."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

Progress = Callable[[float], None]
KINDS = ("analyze", "bridge", "robust", "roadmap", "simulate", "sensitivity")


class FractionTracker:
    """The service layer's tracker for a job row: turns each stage's ``advance(n)`` calls into
    one overall fraction 0..1. Job stages are not known in advance, so each new stage spans
    half of what remains: the fraction only grows and reaches 1 when the job ends."""

    def __init__(self, report: Progress) -> None:
        self.report, self.done = report, 0.0

    @contextlib.contextmanager
    def stage(
        self, label: str, total: int | None, work: int | None = None
    ) -> Iterator[Callable[[int], None]]:
        """Report this stage's share of the job as it advances."""
        start, span = self.done, (1.0 - self.done) / 2
        count = [0]

        def advance(n: int) -> None:
            count[0] += n
            if total:
                self.report(start + span * min(count[0] / total, 1.0))

        yield advance
        self.done = start + span
        self.report(self.done)


def run(kind: str, scenario: Scenario, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Run one job of ``kind`` and return its ``--json`` dict."""
    if kind not in KINDS:
        raise DealcraftError(f"unknown job kind {kind!r}: use one of {', '.join(KINDS)}")
    from dealcraft import service

    tracker = FractionTracker(progress)
    limit = options.get("max_packages")
    common: dict[str, Any] = {"tracker": tracker} | ({"max_packages": limit} if limit else {})
    if kind == "analyze":
        out = service.analyze(scenario, proposals=options["k"], **common)
    elif kind == "bridge":
        out = service.bridge(scenario, options["package"], **common)
    elif kind == "robust":
        out = service.robust(
            scenario,
            samples=options["samples"],
            seed=options["seed"],
            proposals=options["proposals"],
            **common,
        )
    elif kind == "sensitivity":
        out = service.sensitivity(
            scenario,
            options.get("package") or None,
            proposal=None if options.get("package") else options.get("proposal") or 1,
            samples=options["samples"],
            seed=options["seed"],
            swing=options["swing"],
            **common,
        )
    elif kind == "roadmap":
        out = service.roadmap(
            scenario,
            options.get("package") or None,
            proposal=None if options.get("package") else options.get("proposal") or 1,
            trust=options.get("trust") or None,
            opening=options.get("opening"),
            solver=options["solver"],
            time_limit=options["time_limit"],
            threads=1,
            seed=options["seed"],
            **common,
        )
    else:
        out = service.simulate(
            scenario,
            strategies=options.get("strategies") or None,
            runs=options["runs"],
            rounds=options.get("rounds"),
            seed=options["seed"],
            protocol=options["protocol"],
            information=options["information"],
            anticipate=options["anticipate"],
            patience=options["patience"],
            parties=options.get("parties") or None,
            openings=options["openings"],
            point=options["point"],
            tracker=tracker,
        )
    progress(1.0)
    return out.to_json()

"""The one place where a web job calls the analyses: ``run(kind, scenario, options, progress)``.

It returns exactly the dict the CLI's ``--json`` prints for the same job, so the web app and the
CLI show the same numbers; the disclosure filter then removes what a caller may not see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

Progress = Callable[[float], None]
KINDS = ("analyze", "robust", "roadmap", "simulate", "sensitivity")


class _Counter:
    """Turns the analyses' ``advance(n)`` calls into a fraction 0..1 of ``total``."""

    def __init__(self, total: int, report: Progress, start: float = 0.0, span: float = 1.0) -> None:
        self.total, self.done, self.report, self.start, self.span = max(total, 1), 0, report, start, span

    def __call__(self, n: int) -> None:
        self.done += n
        self.report(self.start + self.span * min(self.done / self.total, 1.0))


def run(kind: str, scenario: Scenario, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    if kind not in KINDS:
        raise DealcraftError(f"unknown job kind {kind!r}: use one of {', '.join(KINDS)}")
    result = globals()[f"_{kind}"](scenario, options, progress)
    progress(1.0)
    return result


def _proposal_package(sc: Scenario, n: int, max_packages: int, progress: Progress, span: float):
    from dealcraft.analysis.analyze import analyze

    found = analyze(sc, n, progress=_Counter(sc.size, progress, 0.0, span), max_packages=max_packages)
    if len(found.proposals) < n:
        raise DealcraftError(
            f"there is no proposal {n}: the scenario has {len(found.proposals)}; "
            "give the package as issue=option changes instead"
        )
    return found.proposals[n - 1].package


def _package(sc: Scenario, options: dict[str, Any], progress: Progress, span: float):
    if options.get("package"):
        return sc.package(options["package"])
    return _proposal_package(sc, options.get("proposal") or 1, options["max_packages"], progress, span)


def _analyze(sc: Scenario, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from dealcraft.analysis.analyze import analyze, to_json

    counter = _Counter(sc.size, progress)
    return to_json(analyze(sc, options["k"], progress=counter, max_packages=options["max_packages"]))


def _robust(sc: Scenario, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from dealcraft.analysis.analyze import analyze
    from dealcraft.analysis.uncertainty.robust import robust
    from dealcraft.cli.uncertainty import robust_json

    k, limit = options["proposals"], options["max_packages"]
    core = analyze(sc, k, progress=_Counter(sc.size, progress, 0.0, 0.1), max_packages=limit).proposals
    counter = _Counter(options["samples"] * sc.size, progress, 0.1, 0.9)
    result = robust(
        sc, options["samples"], options["seed"], k, progress=counter, core=core, max_packages=limit
    )
    return robust_json(result)


def _sensitivity(sc: Scenario, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from dealcraft.analysis.uncertainty.sampling import ParameterSpace
    from dealcraft.analysis.uncertainty.sensitivity import sensitivity
    from dealcraft.cli.uncertainty import sensitivity_json

    package = _package(sc, options, progress, 0.2)
    counter = _Counter(len(ParameterSpace(sc).all), progress, 0.2, 0.8)
    result = sensitivity(sc, package, options["samples"], options["seed"], options["swing"], progress=counter)
    return sensitivity_json(result)


def _roadmap(sc: Scenario, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from dealcraft.analysis.roadmap import roadmap, to_json

    package = _package(sc, options, progress, 0.5)
    result = roadmap(
        sc,
        package,
        options.get("trust") or None,
        options.get("opening"),
        solver=options["solver"],
        time_limit=options["time_limit"],
        workers=1,
        seed=options["seed"],
    )
    return to_json(result)


def _simulate(sc: Scenario, options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from dealcraft.analysis.simulate import candidates, project, summarize
    from dealcraft.analysis.simulate import simulate as run_simulation
    from dealcraft.cli.simulate import _openings

    if options.get("parties"):
        sc = project(sc, options["parties"])
    use_openings = options["openings"]
    cands = candidates(sc, _openings(sc, use_openings), progress=_Counter(sc.size, progress, 0.0, 0.2))
    runs = options["runs"]
    counter = _Counter(runs, progress, 0.2, 0.8)
    sim = run_simulation(
        sc,
        strategies=options.get("strategies") or None,
        runs=runs,
        rounds=options.get("rounds"),
        seed=options["seed"],
        protocol=options["protocol"],
        information=options["information"],
        anticipate=options["anticipate"],
        patience=options["patience"],
        openings=use_openings,
        uncertainty=not options["point"],
        cands=cands,
        progress=counter,
    )
    return summarize(sim)

"""The report's one door to the analyses: every number it shows comes through here.

Each function returns exactly the dict the matching CLI command prints with ``--json`` for the
same scenario, seed and sample counts, so the briefing book and the terminal never disagree.
The analyses are reached through their current homes (the JSON builders of some still live in
the CLI modules); when they move into a service package only this module changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario

Progress = Callable[[int], None] | None


@dataclass
class ReportData:
    """Everything the sections read (None: not computed because no selected section needs it,
    or because it does not apply to the scenario)."""

    scenario: Scenario
    analysis: dict[str, Any] | None = None
    bridges: dict[str, dict[str, Any]] = field(default_factory=dict)  # observation id -> bridge JSON
    roadmap: dict[str, Any] | None = None
    robust: dict[str, Any] | None = None
    sensitivity: dict[str, Any] | None = None
    simulation: dict[str, Any] | None = None


def has_uncertainty(sc: Scenario) -> bool:
    """Whether any number is a range (robust and sensitivity only make sense then)."""
    from dealcraft.analysis.uncertainty.sampling import ParameterSpace

    return bool(ParameterSpace(sc).uncertain)


def has_steps(sc: Scenario) -> bool:
    return any(option.steps for issue in sc.file.issues for option in issue.options)


def analysis(sc: Scenario, proposals: int = 3, seed: int = 0):
    """``dealcraft analyze --json``: returns (JSON dict, the Analysis object for reuse)."""
    from dealcraft.analysis.analyze import analyze, to_json

    result = analyze(sc, proposals)
    data = to_json(result)
    data["seed"] = seed
    return data, result


def bridge(sc: Scenario, package: dict[str, str]) -> dict[str, Any]:
    """``dealcraft bridge --json`` for one package given as {issue: option}."""
    from dealcraft.analysis.bridge import bridge as find_bridge
    from dealcraft.cli.package import bridge_json

    return bridge_json(sc, find_bridge(sc, sc.package(package)))


def roadmap(sc: Scenario, package: tuple[int, ...], seed: int = 0) -> dict[str, Any]:
    """``dealcraft roadmap --json`` (default: proposal 1)."""
    from dealcraft.analysis.roadmap import roadmap as run_roadmap
    from dealcraft.analysis.roadmap import to_json

    return to_json(run_roadmap(sc, package, seed=seed))


def robust(sc: Scenario, samples: int, seed: int, core, proposals: int = 3) -> dict[str, Any]:
    """``dealcraft robust --json`` (``core``: the proposals of the same analysis)."""
    from dealcraft.analysis.uncertainty.backend import backend
    from dealcraft.analysis.uncertainty.robust import robust as run_robust
    from dealcraft.cli.uncertainty import robust_json

    with backend(None, None) as runner:
        result = run_robust(sc, samples, seed, proposals, backend=runner, core=core)
    return robust_json(result)


def sensitivity(sc: Scenario, package: tuple[int, ...], samples: int, seed: int) -> dict[str, Any]:
    """``dealcraft sensitivity --json`` for one package (default swing 0.1)."""
    from dealcraft.analysis.uncertainty.sensitivity import sensitivity as run_sensitivity
    from dealcraft.cli.uncertainty import sensitivity_json

    return sensitivity_json(run_sensitivity(sc, package, samples, seed, 0.1))


def simulation(sc: Scenario, runs: int, seed: int) -> dict[str, Any]:
    """``dealcraft simulate --json`` with the default strategy mix, protocol and openings."""
    from dealcraft.analysis.simulate import candidates, summarize
    from dealcraft.analysis.simulate import simulate as run_simulation
    from dealcraft.cli.simulate import _openings

    cands = candidates(sc, _openings(sc, True))
    return summarize(run_simulation(sc, runs=runs, seed=seed, cands=cands))


def scenario_text(sc: Scenario) -> str:
    """The scenario as its author wrote it (built-ins from the package, files from disk)."""
    from dealcraft.model.load import builtin_text

    prefix = "built-in scenario "
    if sc.source.startswith(prefix):
        return builtin_text(sc.source[len(prefix) :])
    try:
        return Path(sc.source).read_text("utf-8")
    except OSError:
        return ""


# --- sources --------------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"^\s*paragraph\s+(\d+)\s*$", re.I)


def check_corpus(corpus: Path) -> Path:
    if not corpus.is_dir():
        raise DealcraftError(
            f"--corpus {corpus}: no such folder; give the folder that holds the source documents "
            "the scenario cites (e.g. --corpus ../shared/seeds)"
        )
    return corpus


def cited_text(corpus: Path, doc: str, at: str | None) -> str | None:
    """The cited paragraph of a plain-text source (paragraph N = the N-th non-empty line),
    or None when the document, its format or the locator cannot be read."""
    path = corpus / doc
    match = _PARAGRAPH.match(at or "")
    if match is None or path.suffix.lower() != ".txt" or not path.is_file():
        return None
    try:
        lines = [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        return None
    n = int(match.group(1))
    return lines[n - 1] if 1 <= n <= len(lines) else None

"""The report's one door to the analyses: every number it shows comes through here.

Each function returns exactly the dict the matching CLI command prints with ``--json`` for the
same scenario, seed and sample counts, so the briefing book and the terminal never disagree.
Every job goes through :mod:`dealcraft.service`, and cited paragraphs through the evidence
layer, the same functions the commands use.
"""

from __future__ import annotations

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
    or because it does not apply to the scenario).

    ``disclosed``: the JSON went through the web app's disclosure rule, so the numbers that come
    from a party's private preferences are there for the viewer's own party at most, and the
    scenario is good for names, issues, steps and observations only (other parties' preferences
    are placeholders). The sections then say "not disclosed to you" instead of reading them.
    ``scenario_yaml``: the scenario text the appendix shows (None: the scenario's own file)."""

    scenario: Scenario
    analysis: dict[str, Any] | None = None
    bridges: dict[str, dict[str, Any]] = field(default_factory=dict)  # observation id -> bridge JSON
    roadmap: dict[str, Any] | None = None
    robust: dict[str, Any] | None = None
    sensitivity: dict[str, Any] | None = None
    simulation: dict[str, Any] | None = None
    disclosed: bool = False
    scenario_yaml: str | None = None


def has_uncertainty(sc: Scenario) -> bool:
    """Whether any number is a range (robust and sensitivity only make sense then)."""
    from dealcraft.engine.sampling import ParameterSpace

    return bool(ParameterSpace(sc).uncertain)


def has_steps(sc: Scenario) -> bool:
    """Whether the file describes steps of its own (not only one default step per option)."""
    return any(
        step.id != f"{sc.issues[i].id}:{sc.issues[i].options[o]}"
        for (i, o), steps in sc.steps.items()
        for step in steps
    )


def analysis(sc: Scenario, proposals: int = 3, seed: int = 0):
    """``dealcraft analyze --json``: returns (JSON dict, the Analysis object for reuse)."""
    from dealcraft import service

    out = service.analyze(sc, proposals=proposals, seed=seed)
    return out.to_json(), out.analysis


def bridge(sc: Scenario, package: tuple[int, ...] | dict[str, str | int | float]) -> dict[str, Any]:
    """``dealcraft bridge --json`` for one package."""
    from dealcraft import service

    return service.bridge(sc, package).to_json()


def roadmap(sc: Scenario, package: tuple[int, ...], seed: int = 0) -> dict[str, Any]:
    """``dealcraft roadmap --json`` for one package."""
    from dealcraft import service

    return service.roadmap(sc, package, seed=seed).to_json()


def robust(sc: Scenario, samples: int, seed: int, core, proposals: int = 3) -> dict[str, Any]:
    """``dealcraft robust --json`` (``core``: the proposals of the same analysis)."""
    from dealcraft import service

    return service.robust(sc, samples=samples, seed=seed, proposals=proposals, core=core).to_json()


def sensitivity(sc: Scenario, package: tuple[int, ...], samples: int, seed: int) -> dict[str, Any]:
    """``dealcraft sensitivity --json`` for one package (default swing)."""
    from dealcraft import service

    return service.sensitivity(sc, package, samples=samples, seed=seed).to_json()


def simulation(sc: Scenario, runs: int, seed: int) -> dict[str, Any]:
    """``dealcraft simulate --json`` with the default strategy mix, protocol and openings."""
    from dealcraft import service

    return service.simulate(sc, runs=runs, seed=seed).to_json()


def scenario_text(sc: Scenario) -> str:
    """The scenario as its author wrote it (built-ins from the package, files from disk)."""
    from dealcraft.model.builtins import builtin_text

    prefix = "built-in scenario "
    if sc.source.startswith(prefix):
        return builtin_text(sc.source[len(prefix) :])
    try:
        return Path(sc.source).read_text("utf-8")
    except OSError:
        return ""


# --- sources --------------------------------------------------------------------------------


def check_corpus(corpus: Path) -> Path:
    """The corpus folder, or a clear error when it does not exist."""
    if not corpus.is_dir():
        raise DealcraftError(
            f"--corpus {corpus}: no such folder; give the folder that holds the source documents "
            "the scenario cites (e.g. --corpus ../shared/seeds)"
        )
    return corpus


_CORPORA: dict[Path, Any] = {}


def cited_text(corpus: Path, doc: str, at: str | None) -> str | None:
    """The cited paragraph(s) of a source, read by the evidence layer (the same rules as
    `dealcraft evidence check`), or None when the document or the locator cannot be read."""
    from dealcraft.evidence.corpus import Corpus
    from dealcraft.evidence.documents import DocumentError
    from dealcraft.evidence.locator import LocatorError, resolve

    folder = Path(corpus).resolve()
    if folder not in _CORPORA:
        _CORPORA[folder] = Corpus(folder)
    try:
        paragraphs = resolve(_CORPORA[folder].document(doc), at)
    except (LookupError, DocumentError, LocatorError):
        return None
    return "\n\n".join(p.text for p in paragraphs) if at else None

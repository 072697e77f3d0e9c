"""The one place the evidence layer loads scenarios and works out which corpus they cite."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dealcraft.errors import DealcraftError
from dealcraft.model.load import load, source_file
from dealcraft.model.scenario import Scenario


@dataclass(frozen=True)
class Loaded:
    """A scenario with the folder of its file, against which a relative ``corpus:`` is resolved."""

    scenario: Scenario
    base: Path | None  # folder of the scenario file; None for a built-in scenario


def load_scenario(reference: str) -> Loaded:
    """Load a scenario file or built-in id and remember where the file lies."""
    path = Path(reference)
    return Loaded(load(reference), path.parent if path.is_file() else None)


def declared_corpus(loaded: Loaded) -> Path | None:
    """The scenario's own ``corpus:`` folder, resolved against the scenario file's folder."""
    declared = source_file(loaded.scenario).corpus
    if declared is None:
        return None
    path = Path(declared).expanduser()
    return path if path.is_absolute() or loaded.base is None else loaded.base / path


def corpus_for(loaded: Loaded, override: Path | None) -> Path:
    """``--corpus`` if given, else the scenario's ``corpus:``; a clear error if neither exists."""
    folder = override if override is not None else declared_corpus(loaded)
    if folder is None:
        where = loaded.scenario.source
        hint = "" if loaded.base else " (built-in scenarios ship no documents: point at your own copy)"
        raise DealcraftError(
            f"{where}: no corpus known: pass --corpus DIR, the folder of the cited documents, "
            f"or add 'corpus: DIR' to the scenario{hint}"
        )
    if not folder.is_dir():
        raise DealcraftError(f"corpus {folder}: no such folder; check --corpus or the scenario's 'corpus:'")
    return folder

"""Jobs that speak other tools' formats: import GENIUS XML or a spatial actor data set (CSV) as
a scenario, export one as GENIUS.

One function per job, each returning a typed result; the CLI prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from dealcraft.errors import DealcraftError


@dataclass(frozen=True)
class GeniusImport:
    """The scenario text (YAML with its header comment) and the scenario's id."""

    text: str
    scenario_id: str
    parties: int
    issues: int


def import_genius(paths: list[Path], scale: str = "genius", real_points: int | None = None) -> GeniusImport:
    """``paths``: a folder, or a domain file followed by profile files; ``real_points``: grid
    points of each real issue (default 101). The text is checked by loading it, so what is
    returned always loads."""
    from dealcraft.interop.genius_import import REAL_POINTS, find_files
    from dealcraft.interop.genius_import import import_genius as convert
    from dealcraft.model.load import loads

    if not paths:
        raise DealcraftError("give a GENIUS folder, or DOMAIN.xml followed by one or more PROFILE.xml")
    if len(paths) == 1 and paths[0].is_dir():
        domain, profiles = find_files(paths[0])
    else:
        for p in paths:
            if not p.is_file():
                raise DealcraftError(f"{p}: no such file")
        domain, profiles = paths[0], paths[1:]
    imported = convert(domain, profiles, scale, REAL_POINTS if real_points is None else real_points)
    header = "".join(f"# {line}\n" for line in imported.header.splitlines())
    text = header + yaml.safe_dump(imported.data, sort_keys=False, allow_unicode=True, width=110)
    scenario = loads(text, f"scenario imported from {domain}")
    return GeniusImport(text, scenario.id, len(scenario.parties), len(scenario.issues))


@dataclass(frozen=True)
class SpatialImport:
    """The scenario text (YAML with its header comment), its size, and the notes to show."""

    text: str
    scenario_id: str
    parties: int
    issues: int
    notes: tuple[str, ...]


def import_spatial(
    path: Path,
    *,
    columns: str | None = None,
    loss: str = "quadratic",
    scale: str | None = None,
    step: float | None = None,
) -> SpatialImport:
    """A spatial actor data set (one row per actor and issue) as a scenario; ``columns`` is the
    ``field=header,...`` text of ``--columns``, ``scale`` the ``lo,hi`` text of ``--scale``. The
    text is checked by loading it, so what is returned always loads."""
    from dealcraft.interop.spatial import Options, parse_columns, parse_scale
    from dealcraft.interop.spatial import import_spatial as convert
    from dealcraft.model.load import loads

    options = Options(parse_columns(columns), loss, parse_scale(scale), step)
    imported = convert(path, options)
    header = "".join(f"# {line}\n" for line in imported.header.splitlines())
    text = header + yaml.safe_dump(imported.data, sort_keys=False, allow_unicode=True, width=110)
    scenario = loads(text, f"scenario imported from {path}")
    return SpatialImport(text, scenario.id, len(scenario.parties), len(scenario.issues), imported.notes)


@dataclass(frozen=True)
class GeniusExport:
    """The GENIUS files written, and what of the scenario they could not carry."""

    files: tuple[Path, ...]
    warnings: tuple[str, ...]


def export_genius(scenario: str, folder: Path, *, force: bool = False) -> GeniusExport:
    """Write ``scenario`` (a file or a built-in id) as a GENIUS domain + one profile per party."""
    from dealcraft.interop.genius_export import export_genius as write
    from dealcraft.model.load import load

    exported = write(load(scenario), folder, force=force)
    return GeniusExport(exported.files, exported.warnings)

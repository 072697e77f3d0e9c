"""GENIUS domain + profiles -> a dealcraft scenario (plain data, ready for YAML).

The conventions are explicit (see docs/howto/import-genius.md):

* ``genius`` (default): as GENIUS reads a profile, each item's evaluation is divided by the
  largest evaluation of its issue; the reservation value is kept as written.
* ``negmas``: as NegMAS 0.16 reads it, evaluations are raw, so utility is sum(w * eval); we divide
  every evaluation by the profile's largest one (a positive factor, which changes no frontier or
  Nash point) and take the disagreement point max(reserved value, lowest utility).

dealcraft divides weights by their sum; the reservation is divided by the same factor so that
who accepts what does not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from dealcraft.errors import DealcraftError
from dealcraft.interop.genius_xml import GeniusIssue, GeniusProfile, read_domain, read_profile
from dealcraft.interop.ids import derive_id, unique_ids
from dealcraft.model.numeric import MAX_GRID, grid_size

SCALES = ("genius", "negmas")
REAL_POINTS = 101  # grid points of a real issue (0, 0.01, ..., 1 on [0, 1]); --real-points
STAKEHOLDER = "profile"  # each GENIUS profile becomes one party with this one stakeholder

HEADERS = {
    "genius": "scale genius: each evaluation divided by the largest evaluation of its issue (as GENIUS "
    "does); reservation values as written",
    "negmas": "scale negmas: raw evaluations (as NegMAS 0.16 does), divided by the profile's largest "
    "one; reservation = max(reserved value, lowest utility)",
}


@dataclass(frozen=True)
class Imported:
    """The scenario as plain data and the header comment that says how it was converted."""

    data: dict[str, Any]
    header: str


def find_files(folder: Path) -> tuple[Path, list[Path]]:
    """The domain file and the profiles of an ANAC-style folder (the domain is the XML file whose
    root is <negotiation_template> or whose name contains 'domain')."""
    if not folder.is_dir():
        raise DealcraftError(f"{folder}: no such folder; give a folder or DOMAIN.xml PROFILE.xml ...")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xml")
    domains = [p for p in files if "domain" in p.stem.lower()]
    if len(domains) != 1:
        found = ", ".join(p.name for p in domains) or "none"
        raise DealcraftError(
            f"{folder}: expected exactly one domain file (an .xml with 'domain' in its name), found {found}; "
            "pass the files explicitly: dealcraft import genius DOMAIN.xml PROFILE.xml ..."
        )
    profiles = [p for p in files if p != domains[0]]
    if not profiles:
        raise DealcraftError(f"{folder}: no profile files next to {domains[0].name}")
    return domains[0], profiles


def import_genius(
    domain_path: Path, profile_paths: list[Path], scale: str = "genius", real_points: int = REAL_POINTS
) -> Imported:
    """Read the files and convert them with the chosen convention; a ``real`` issue becomes a
    numeric issue of ``real_points`` grid points from its lower to its upper bound."""
    if scale not in SCALES:
        raise DealcraftError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    if not profile_paths:
        raise DealcraftError(f"{domain_path}: no profiles given; pass at least one PROFILE.xml")
    if real_points < 2 or real_points > MAX_GRID:
        raise DealcraftError(f"--real-points {real_points}: give between 2 and {MAX_GRID:,} points")
    domain = read_domain(domain_path)
    grids = {i.name: _grid(domain_path, i, real_points) for i in domain if i.numeric}
    profiles = [read_profile(p, domain) for p in profile_paths]
    data = _scenario(domain_path, domain, grids, profile_paths, profiles, scale)
    files = ", ".join(p.name for p in [domain_path, *profile_paths])
    header = f"Imported from GENIUS XML ({files}) by dealcraft import genius.\n{HEADERS[scale]}."
    if grids:
        header += (
            f"\nInteger issues: every whole number of their range; real issues: {real_points} grid points; "
            "their evaluation functions as GENIUS computes them (piecewise linear, exact)."
        )
    return Imported(data, header)


def _grid(domain_path: Path, issue: GeniusIssue, real_points: int) -> tuple[float, float, float]:
    """(lo, hi, step) of a numeric issue's grid: step 1 for integers, else ``real_points`` points."""
    lo, hi = issue.lower, issue.upper
    if issue.kind == "integer":
        if hi - lo + 1 > MAX_GRID:
            raise DealcraftError(
                f"{domain_path}: integer issue {issue.name!r} has {int(hi - lo + 1):,} values, more than the "
                f"{MAX_GRID:,} grid points a numeric issue may have; narrow its bounds"
            )
        return lo, hi, 1.0
    step = float((Decimal(repr(hi)) - Decimal(repr(lo))) / (real_points - 1))
    if not grid_size(lo, hi, step)[1]:
        raise DealcraftError(
            f"{domain_path}: real issue {issue.name!r} [{lo!r}, {hi!r}] cannot be cut into {real_points} "
            "equal decimal steps; choose another --real-points (e.g. 11 or 101)"
        )
    return lo, hi, step


def _scenario(domain_path, domain: list[GeniusIssue], grids, paths, profiles, scale) -> dict[str, Any]:
    issue_ids = unique_ids([i.name for i in domain])
    option_ids = [unique_ids(list(i.values)) for i in domain]
    party_ids = unique_ids([p.stem for p in paths])
    issues = []
    for issue, iid, oids in zip(domain, issue_ids, option_ids, strict=True):
        entry: dict[str, Any] = {"id": iid}
        if iid != issue.name:
            entry["name"] = issue.name
        if issue.numeric:
            lo, hi, step = grids[issue.name]
            entry["range"] = [_plain(lo), _plain(hi)]
            entry["step"] = _plain(step)
        else:
            entry["options"] = [
                {"id": o, "name": label} if o != label else {"id": o}
                for o, label in zip(oids, issue.values, strict=True)
            ]
        issues.append(entry)
    parties, preferences = [], {}
    for path, pid, profile in zip(paths, party_ids, profiles, strict=True):
        party: dict[str, Any] = {"id": pid}
        if pid != path.stem:
            party["name"] = path.stem
        party["stakeholders"] = [{"id": STAKEHOLDER}]
        if profile.discount is not None:
            party["discount"] = profile.discount
        parties.append(party)
        preferences[f"{pid}.{STAKEHOLDER}"] = _preference(
            domain, grids, issue_ids, option_ids, profile, scale
        )
    title = re.sub(r"[_\- ]?domain$", "", domain_path.stem, flags=re.IGNORECASE) or domain_path.stem
    return {
        "dealcraft": 1,
        "id": derive_id(title),
        "title": title,
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }


def _preference(domain, grids, issue_ids, option_ids, profile: GeniusProfile, scale: str) -> dict[str, Any]:
    total = sum(profile.weights.values())
    curves = {i.name: profile.functions[i.name].points(*grids[i.name][:2]) for i in domain if i.numeric}
    highest = {i.name: max(profile.evaluations[i.name].values()) for i in domain if not i.numeric}
    highest.update({name: max(v for _, v in points) for name, points in curves.items()})
    if (
        scale == "genius"
    ):  # GENIUS divides discrete evaluations by their issue's largest; functions as they are
        divisor = {i.name: (1.0 if i.numeric else highest[i.name]) for i in domain}
    else:
        top = max(highest.values())
        divisor = {i.name: top for i in domain}
    values: dict[str, Any] = {}
    for issue, iid, oids in zip(domain, issue_ids, option_ids, strict=True):
        d = divisor[issue.name]
        if issue.numeric:
            values[iid] = {"points": [[_plain(x), (v / d if d > 0 else 0.0)] for x, v in curves[issue.name]]}
            continue
        table = profile.evaluations[issue.name]
        values[iid] = {
            o: (table[label] / d if d > 0 else 0.0) for o, label in zip(oids, issue.values, strict=True)
        }
    # the utility dealcraft computes is sum(w * v) / total; the reservation follows on that scale
    if scale == "genius":
        reservation = (profile.reservation or 0.0) / total
    else:
        top = divisor[domain[0].name]
        lows = {i.name: min(profile.evaluations[i.name].values()) for i in domain if not i.numeric}
        lows.update({name: min(v for _, v in points) for name, points in curves.items()})
        lowest = sum(profile.weights[i.name] * lows[i.name] for i in domain)
        reserved = profile.reservation if profile.reservation is not None else float("-inf")
        reservation = max(reserved, lowest) / (total * top) if top > 0 else 0.0
    return {
        "reservation": float(reservation),
        "weights": {iid: profile.weights[i.name] for i, iid in zip(domain, issue_ids, strict=True)},
        "values": values,
    }


def _plain(x: float) -> int | float:
    """An integral float as an int (YAML shows 10, not 10.0)."""
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else float(x)

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
from pathlib import Path
from typing import Any

from dealcraft.errors import DealcraftError
from dealcraft.interop.genius_xml import GeniusIssue, GeniusProfile, read_domain, read_profile
from dealcraft.interop.ids import derive_id, unique_ids

SCALES = ("genius", "negmas")
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


def import_genius(domain_path: Path, profile_paths: list[Path], scale: str = "genius") -> Imported:
    """Read the files and convert them with the chosen convention."""
    if scale not in SCALES:
        raise DealcraftError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    if not profile_paths:
        raise DealcraftError(f"{domain_path}: no profiles given; pass at least one PROFILE.xml")
    domain = read_domain(domain_path)
    profiles = [read_profile(p, domain) for p in profile_paths]
    data = _scenario(domain_path, domain, profile_paths, profiles, scale)
    files = ", ".join(p.name for p in [domain_path, *profile_paths])
    header = f"Imported from GENIUS XML ({files}) by dealcraft import genius.\n{HEADERS[scale]}."
    return Imported(data, header)


def _scenario(domain_path, domain: list[GeniusIssue], paths, profiles, scale) -> dict[str, Any]:
    issue_ids = unique_ids([i.name for i in domain])
    option_ids = [unique_ids(list(i.values)) for i in domain]
    party_ids = unique_ids([p.stem for p in paths])
    issues = []
    for issue, iid, oids in zip(domain, issue_ids, option_ids, strict=True):
        entry: dict[str, Any] = {"id": iid}
        if iid != issue.name:
            entry["name"] = issue.name
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
        preferences[f"{pid}.{STAKEHOLDER}"] = _preference(domain, issue_ids, option_ids, profile, scale)
    title = re.sub(r"[_\- ]?domain$", "", domain_path.stem, flags=re.IGNORECASE) or domain_path.stem
    return {
        "dealcraft": 1,
        "id": derive_id(title),
        "title": title,
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }


def _preference(domain, issue_ids, option_ids, profile: GeniusProfile, scale: str) -> dict[str, Any]:
    total = sum(profile.weights.values())
    if scale == "genius":
        divisor = {i.name: max(profile.evaluations[i.name].values()) for i in domain}
    else:
        top = max(max(t.values()) for t in profile.evaluations.values())
        divisor = {i.name: top for i in domain}
    values = {}
    for issue, iid, oids in zip(domain, issue_ids, option_ids, strict=True):
        table = profile.evaluations[issue.name]
        d = divisor[issue.name]
        values[iid] = {
            o: (table[label] / d if d > 0 else 0.0) for o, label in zip(oids, issue.values, strict=True)
        }
    # the utility dealcraft computes is sum(w * v) / total; the reservation follows on that scale
    if scale == "genius":
        reservation = (profile.reservation or 0.0) / total
    else:
        top = divisor[domain[0].name]
        lowest = sum(profile.weights[i.name] * min(profile.evaluations[i.name].values()) for i in domain)
        reserved = profile.reservation if profile.reservation is not None else float("-inf")
        reservation = max(reserved, lowest) / (total * top) if top > 0 else 0.0
    return {
        "reservation": float(reservation),
        "weights": {iid: profile.weights[i.name] for i, iid in zip(domain, issue_ids, strict=True)},
        "values": values,
    }

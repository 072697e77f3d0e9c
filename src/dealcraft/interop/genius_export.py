"""A dealcraft scenario -> GENIUS XML: one domain file and one profile per party.

A party's utility (the influence-weighted mean of its stakeholders' utilities) is linear
additive, so it is written exactly: an issue's weight is the largest contribution the issue can
make to the party utility and each item's evaluation is its contribution divided by that weight
(so every issue's best item evaluates to 1, as GENIUS expects). The reservation value is the
party's disagreement value. What GENIUS cannot say is returned as warnings and written as a
comment in every file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from dealcraft.engine.utility import issue_tables
from dealcraft.errors import DealcraftError
from dealcraft.model.load import source_file
from dealcraft.model.scenario import Scenario
from dealcraft.model.schema import ScenarioFile


@dataclass(frozen=True)
class Exported:
    """The files written and what they could not carry."""

    files: tuple[Path, ...]
    warnings: tuple[str, ...]


def lost_features(scenario: Scenario) -> list[str]:
    """What of the scenario the GENIUS files cannot express."""
    file = source_file(scenario)
    checks = (
        (
            bool(scenario.constraints),
            f"{len(scenario.constraints)} scenario constraint(s) (packages ruled out)",
        ),
        (any(scenario.stakeholder_constraints), "red lines of stakeholders (their own constraints)"),
        (
            any(len(p.stakeholders) > 1 for p in scenario.parties),
            "level-II ratification: each party is written as one utility, its stakeholders' mean",
        ),
        (file is not None and _has_steps(file), "steps of options (roadmaps)"),
        (bool(scenario.observations), f"{len(scenario.observations)} observation(s)"),
        (
            any(i.grid is not None for i in scenario.issues),
            "numeric issues as such: each is written as discrete items, one per grid point (exact)",
        ),
        (any(p.power != 1 for p in scenario.parties), "bargaining power of parties"),
        (any(i.giver is not None for i in scenario.issues), "givers of issues"),
        (any(i.status_quo != 0 for i in scenario.issues), "status-quo options"),
        (
            scenario.uncertain is not None and file is not None and _has_ranges(scenario),
            "ranges of uncertain numbers (their point values are written)",
        ),
    )
    return [message for lost, message in checks if lost]


def _has_steps(file: ScenarioFile) -> bool:
    return any(o.steps for i in file.issues for o in (i.options or []))


def _has_ranges(scenario: Scenario) -> bool:
    u = scenario.uncertain
    return any(not x.is_fixed for d in (u.weights, u.values, u.reservations) for x in d.values())


def _labels(ids: tuple[str, ...], names: tuple[str, ...]) -> tuple[str, ...]:
    """Names as GENIUS labels when they are unique, ids otherwise."""
    return names if len(set(names)) == len(names) else ids


def export_genius(scenario: Scenario, folder: Path, *, force: bool = False) -> Exported:
    """Write ``folder/<id>_domain.xml`` and ``folder/<party>.xml`` for every party."""
    warnings = lost_features(scenario)
    domain_path = folder / f"{scenario.id}_domain.xml"
    paths = [domain_path] + [folder / f"{p.id}.xml" for p in scenario.parties]
    if folder.exists() and not folder.is_dir():
        raise DealcraftError(f"{folder} is a file: give a folder for the GENIUS files")
    clash = [p.name for p in paths if p.exists()]
    if clash and not force:
        raise DealcraftError(
            f"{folder}: {', '.join(clash)} exist(s): pass --force to overwrite, or another -o"
        )
    issue_labels = _labels(tuple(i.id for i in scenario.issues), tuple(i.name for i in scenario.issues))
    option_labels = [_labels(i.options, i.option_names) for i in scenario.issues]
    comment = _comment(scenario, warnings)
    tables = [scenario.party_matrix @ t for t in issue_tables(scenario.params)]  # (P, radix) each
    d = scenario.disagreement
    discounts = (
        {p.id: p.discount for p in source_file(scenario).parties} if source_file(scenario) is not None else {}
    )
    trees = [_domain(issue_labels, option_labels, comment)]
    for k, party in enumerate(scenario.parties):
        trees.append(
            _profile(
                issue_labels,
                option_labels,
                [t[k] for t in tables],
                float(d[k]),
                discounts.get(party.id),
                comment,
            )
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, tree in zip(paths, trees, strict=True):
            ET.indent(tree)
            tree.write(path, encoding="utf-8", xml_declaration=True)
    except OSError as e:
        raise DealcraftError(f"{folder}: cannot write the GENIUS files ({e.strerror})") from None
    return Exported(tuple(paths), tuple(warnings))


def _comment(scenario: Scenario, warnings: list[str]) -> str:
    text = f" Exported from dealcraft scenario {scenario.id!r}. "
    if warnings:
        text += "Not expressible in GENIUS and left out: " + "; ".join(warnings) + ". "
    return text.replace("--", "- -")


def _objective(parent: ET.Element, n: int) -> ET.Element:
    space = ET.SubElement(parent, "utility_space", number_of_issues=str(n))
    return ET.SubElement(
        space, "objective", index="0", etype="objective", type="objective", description="", name="root"
    )


def _issue(objective: ET.Element, k: int, name: str) -> ET.Element:
    return ET.SubElement(
        objective, "issue", index=str(k + 1), etype="discrete", type="discrete", vtype="discrete", name=name
    )


def _domain(issue_labels, option_labels, comment: str) -> ET.ElementTree:
    root = ET.Element("negotiation_template")
    root.append(ET.Comment(comment))
    objective = _objective(root, len(issue_labels))
    for k, (name, labels) in enumerate(zip(issue_labels, option_labels, strict=True)):
        issue = _issue(objective, k, name)
        for o, label in enumerate(labels):
            ET.SubElement(issue, "item", index=str(o + 1), value=label, cost="0", description=label)
    return ET.ElementTree(root)


def _profile(issue_labels, option_labels, contributions, reservation, discount, comment) -> ET.ElementTree:
    root = ET.Element("utility_space", type="any", number_of_issues=str(len(issue_labels)))
    root.append(ET.Comment(comment))
    objective = ET.SubElement(
        root, "objective", index="1", etype="objective", type="objective", description="", name="any"
    )
    weights = []
    for k, (name, labels, row) in enumerate(zip(issue_labels, option_labels, contributions, strict=True)):
        issue = _issue(objective, k, name)
        top = float(row.max())
        weights.append(top)
        for o, label in enumerate(labels):
            value = float(row[o]) / top if top > 0 else 0.0
            ET.SubElement(issue, "item", index=str(o + 1), value=label, evaluation=repr(value))
    if sum(weights) <= 0:  # the party gains nothing anywhere: any weights give its utility, 0
        weights = [1.0 / len(weights)] * len(weights)
    for k, w in enumerate(weights):
        ET.SubElement(objective, "weight", index=str(k + 1), value=repr(w))
    ET.SubElement(root, "reservation", value=repr(reservation))
    if discount is not None:
        ET.SubElement(root, "discount_factor", value=repr(discount))
    return ET.ElementTree(root)

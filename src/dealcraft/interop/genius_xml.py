"""GENIUS XML (the ANAC domains) as plain data: a domain's issues, a profile's weights and
evaluations. No conventions here: numbers are kept exactly as the files give them."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from dealcraft.errors import DealcraftError
from dealcraft.interop.xmlsafe import parse_file

DISCRETE = "discrete"


@dataclass(frozen=True)
class GeniusIssue:
    """One issue: its GENIUS index, name, type (discrete, integer, real) and item labels."""

    index: str
    name: str
    kind: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class GeniusProfile:
    """One additive utility profile, numbers as written: weights and evaluations by issue name."""

    source: str
    weights: dict[str, float]
    evaluations: dict[str, dict[str, float]]
    reservation: float | None
    discount: float | None


def _issues(root: ET.Element, source: str) -> list[ET.Element]:
    issues = list(root.iter("issue"))
    if not issues:
        raise DealcraftError(f"{source}: no <issue> elements; is this a GENIUS domain or profile file?")
    return issues


def _kind(issue: ET.Element) -> str:
    return (issue.get("type") or issue.get("etype") or DISCRETE).lower()


def read_domain(path: Path) -> list[GeniusIssue]:
    """The issues of a GENIUS domain file, in file order. Numeric (integer, real) issues are
    refused with the issue named: the scenario format has no numeric issues yet."""
    source = str(path)
    out = []
    for k, issue in enumerate(_issues(parse_file(path), source)):
        name = issue.get("name")
        where = f"{source}: issue {k + 1}"
        if not name:
            raise DealcraftError(f'{where} has no name attribute: give it name="..."')
        kind = _kind(issue)
        if kind != DISCRETE:
            raise DealcraftError(
                f"{where} ({name!r}) is a {kind} issue: dealcraft imports discrete issues only for now "
                "(numeric issues are coming); list its values as <item> elements to import it"
            )
        values = tuple(item.get("value") or "" for item in issue.iter("item"))
        if not values or any(not v for v in values):
            raise DealcraftError(
                f'{where} ({name!r}): every <item> needs a value="..." label, and at least one'
            )
        if len(set(values)) != len(values):
            raise DealcraftError(f"{where} ({name!r}): two items share a label; labels must be unique")
        out.append(GeniusIssue(issue.get("index") or str(k + 1), name, kind, values))
    names = [i.name for i in out]
    if len(set(names)) != len(names):
        raise DealcraftError(f"{source}: two issues share a name; issue names must be unique")
    return out


def _number(text: str | None, where: str, what: str) -> float:
    try:
        x = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DealcraftError(f"{where}: {what} {text!r} is not a number") from None
    if not math.isfinite(x):
        raise DealcraftError(f"{where}: {what} {text!r} is not a finite number")
    return x


def _optional_value(root: ET.Element, tag: str, source: str) -> float | None:
    node = root.find(f".//{tag}")
    if node is None or node.get("value") is None:
        return None
    return _number(node.get("value"), f"{source}: <{tag}>", "value")


def read_profile(path: Path, domain: list[GeniusIssue]) -> GeniusProfile:
    """A GENIUS utility profile checked against its domain: every issue weighted, every item
    evaluated (evaluations >= 0), labels matching the domain's."""
    source = str(path)
    root = parse_file(path)
    by_name = {i.name: i for i in domain}
    weights_by_index = {w.get("index"): w for w in root.iter("weight")}
    weights: dict[str, float] = {}
    evaluations: dict[str, dict[str, float]] = {}
    for k, issue in enumerate(_issues(root, source)):
        name = issue.get("name") or ""
        where = f"{source}: issue {k + 1} ({name!r})"
        if name not in by_name:
            raise DealcraftError(f"{where} is not in the domain: use one of {', '.join(by_name)}")
        if _kind(issue) != DISCRETE:
            raise DealcraftError(
                f"{where} is a {_kind(issue)} issue: only discrete issues can be imported for now "
                "(numeric issues are coming)"
            )
        evaluations[name] = _evaluations(issue, by_name[name], where)
        weights[name] = _weight(weights_by_index.get(issue.get("index")), issue, where)
    missing = [i.name for i in domain if i.name not in weights]
    if missing:
        raise DealcraftError(f"{source}: no weight and evaluations for issue(s) {', '.join(missing)}")
    if sum(weights.values()) <= 0:
        raise DealcraftError(f"{source}: all weights are 0; give at least one issue a positive weight")
    discount = _discount(root, source)
    return GeniusProfile(source, weights, evaluations, _optional_value(root, "reservation", source), discount)


def _evaluations(issue: ET.Element, domain_issue: GeniusIssue, where: str) -> dict[str, float]:
    """An issue's evaluation per item label: every label in the domain, each evaluated >= 0."""
    table: dict[str, float] = {}
    for item in issue.iter("item"):
        label = item.get("value") or ""
        if label not in domain_issue.values:
            raise DealcraftError(
                f"{where}: item {label!r} is not in the domain: use one of {', '.join(domain_issue.values)}"
            )
        x = _number(item.get("evaluation"), f"{where}, item {label!r}", "evaluation")
        if x < 0:
            raise DealcraftError(f"{where}, item {label!r}: evaluation {x} is negative; GENIUS needs >= 0")
        table[label] = x
    missing = [v for v in domain_issue.values if v not in table]
    if missing:
        raise DealcraftError(f"{where}: no evaluation for item(s) {', '.join(missing)}")
    return table


def _weight(node: ET.Element | None, issue: ET.Element, where: str) -> float:
    """The issue's weight from its <weight> element (matched by index), >= 0."""
    if node is None:
        raise DealcraftError(f'{where}: no <weight index="{issue.get("index")}"> for it')
    w = _number(node.get("value"), f"{where}: its weight", "value")
    if w < 0:
        raise DealcraftError(f"{where}: weight {w} is negative; weights must be >= 0")
    return w


def _discount(root: ET.Element, source: str) -> float | None:
    """The discount factor in (0, 1], or None when absent or 0 (GENIUS writes 0 for "no discount")."""
    discount = _optional_value(root, "discount_factor", source)
    if discount is not None and not 0 < discount <= 1:
        if discount != 0:
            raise DealcraftError(f"{source}: <discount_factor> {discount} must be in (0, 1]")
        discount = None
    return discount

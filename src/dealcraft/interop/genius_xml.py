"""GENIUS XML (the ANAC domains) as plain data: a domain's issues, a profile's weights and
evaluations. No conventions here: numbers are kept exactly as the files give them.

Numeric issues: an ``integer`` issue has ``lowerbound``/``upperbound`` attributes and, in a
profile, ``<evaluator slope=".." offset=".."/>`` (value ``offset + slope * (x - lowerbound)``);
a ``real`` issue has its bounds as attributes or in a ``<range>`` child and, in a profile,
``<evaluator ftype="linear" parameter0=".." parameter1=".."/>`` (``parameter1 * x +
parameter0``), ``ftype="constant"`` (``parameter0``) or ``ftype="triangular"`` (0 outside
``parameter0``..``parameter1``, 1 at ``parameter2``). GENIUS clamps linear values to [0, 1].
Every one of them is piecewise linear, so :meth:`NumericEvaluator.points` gives it exactly.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from dealcraft.errors import DealcraftError
from dealcraft.interop.xmlsafe import parse_file

DISCRETE = "discrete"
NUMERIC = ("integer", "real")
REAL_FUNCTIONS = ("linear", "constant", "triangular")


@dataclass(frozen=True)
class GeniusIssue:
    """One issue: its GENIUS index, name, type (discrete, integer, real), item labels (discrete)
    and bounds (integer, real)."""

    index: str
    name: str
    kind: str
    values: tuple[str, ...]
    lower: float = 0.0
    upper: float = 0.0

    @property
    def numeric(self) -> bool:
        """Whether the issue is an integer or real range rather than a list of items."""
        return self.kind in NUMERIC


@dataclass(frozen=True)
class NumericEvaluator:
    """A profile's evaluation function of an integer or real issue, as GENIUS computes it."""

    function: str  # "linear" (slope, offset from ``origin``), "constant" or "triangular"
    slope: float = 0.0
    offset: float = 0.0
    origin: float = 0.0  # x where the linear function equals offset (an integer issue's lowerbound)
    triangle: tuple[float, float, float] = (0.0, 0.0, 0.0)  # lower, upper, top

    def __call__(self, x: float) -> float:
        """The evaluation at ``x``."""
        if self.function == "constant":
            return self.offset
        if self.function == "triangular":
            lo, hi, top = self.triangle
            if x < lo or x >= hi:
                return 0.0
            return (x - lo) / (top - lo) if x < top else 1.0 - (x - top) / (hi - top)
        return min(1.0, max(0.0, self.offset + self.slope * (x - self.origin)))

    def points(self, lo: float, hi: float) -> list[tuple[float, float]]:
        """(x, value) at ``lo``, ``hi`` and every kink between: the function exactly, as a
        piecewise-linear curve over [lo, hi]."""
        xs = {lo, hi}
        if self.function == "linear" and self.slope != 0:
            for level in (0.0, 1.0):
                xs.add(self.origin + (level - self.offset) / self.slope)
        elif self.function == "triangular":
            xs.update(self.triangle)
        inside = sorted(x for x in xs if lo <= x <= hi)
        return [(x, self(x)) for x in inside]


@dataclass(frozen=True)
class GeniusProfile:
    """One additive utility profile, numbers as written: weights and evaluations by issue name."""

    source: str
    weights: dict[str, float]
    evaluations: dict[str, dict[str, float]]  # discrete issues: item label -> evaluation
    reservation: float | None
    discount: float | None
    functions: dict[str, NumericEvaluator] = field(default_factory=dict)  # integer and real issues


def _issues(root: ET.Element, source: str) -> list[ET.Element]:
    issues = list(root.iter("issue"))
    if not issues:
        raise DealcraftError(f"{source}: no <issue> elements; is this a GENIUS domain or profile file?")
    return issues


def _kind(issue: ET.Element) -> str:
    return (issue.get("type") or issue.get("etype") or DISCRETE).lower()


def _bounds(issue: ET.Element, where: str) -> tuple[float, float] | None:
    """An integer or real issue's lowerbound and upperbound: attributes, or a <range> child."""
    node = issue if issue.get("lowerbound") is not None else issue.find("range")
    if node is None or node.get("lowerbound") is None or node.get("upperbound") is None:
        return None
    lo = _number(node.get("lowerbound"), where, "lowerbound")
    hi = _number(node.get("upperbound"), where, "upperbound")
    return lo, hi


def _numeric_issue(issue: ET.Element, k: int, name: str, kind: str, where: str) -> GeniusIssue:
    bounds = _bounds(issue, f"{where} ({name!r})")
    if bounds is None:
        raise DealcraftError(
            f'{where} ({name!r}, type {kind}) has no bounds: give it lowerbound="..." '
            'upperbound="..." (or a <range lowerbound=".." upperbound=".."/> child)'
        )
    lo, hi = bounds
    if lo >= hi:
        raise DealcraftError(f"{where} ({name!r}): lowerbound {lo:g} must be below upperbound {hi:g}")
    if kind == "integer" and not (lo.is_integer() and hi.is_integer()):
        raise DealcraftError(
            f"{where} ({name!r}): an integer issue needs whole-number bounds, got {lo:g}..{hi:g}"
        )
    return GeniusIssue(issue.get("index") or str(k + 1), name, kind, (), lo, hi)


def read_domain(path: Path) -> list[GeniusIssue]:
    """The issues of a GENIUS domain file, in file order: discrete issues with their items,
    integer and real issues with their bounds."""
    source = str(path)
    out = []
    for k, issue in enumerate(_issues(parse_file(path), source)):
        name = issue.get("name")
        where = f"{source}: issue {k + 1}"
        if not name:
            raise DealcraftError(f'{where} has no name attribute: give it name="..."')
        kind = _kind(issue)
        if kind in NUMERIC:
            out.append(_numeric_issue(issue, k, name, kind, where))
            continue
        if kind != DISCRETE:
            raise DealcraftError(
                f"{where} ({name!r}) is a {kind} issue: dealcraft reads discrete, integer and real issues"
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
    functions: dict[str, NumericEvaluator] = {}
    for k, issue in enumerate(_issues(root, source)):
        name = issue.get("name") or ""
        where = f"{source}: issue {k + 1} ({name!r})"
        known = _domain_issue(issue, by_name, where)
        weights[name] = _weight(weights_by_index, issue, where)
        if known.numeric:
            functions[name] = _evaluator(issue, known, where)
        else:
            evaluations[name] = _item_table(issue, known, where)
    missing = [i.name for i in domain if i.name not in weights]
    if missing:
        raise DealcraftError(f"{source}: no weight and evaluations for issue(s) {', '.join(missing)}")
    if sum(weights.values()) <= 0:
        raise DealcraftError(f"{source}: all weights are 0; give at least one issue a positive weight")
    discount = _discount(root, source)
    reservation = _optional_value(root, "reservation", source)
    return GeniusProfile(source, weights, evaluations, reservation, discount, functions)


def _domain_issue(issue: ET.Element, by_name: dict[str, GeniusIssue], where: str) -> GeniusIssue:
    """The domain's issue of the same name and type as this profile issue."""
    name = issue.get("name") or ""
    if name not in by_name:
        raise DealcraftError(f"{where} is not in the domain: use one of {', '.join(by_name)}")
    if _kind(issue) != by_name[name].kind:
        raise DealcraftError(
            f"{where} is of type {_kind(issue)} here but of type {by_name[name].kind} in the domain"
        )
    return by_name[name]


def _item_table(issue: ET.Element, known: GeniusIssue, where: str) -> dict[str, float]:
    """A discrete issue's evaluations by item label: every domain item, each >= 0."""
    table: dict[str, float] = {}
    for item in issue.iter("item"):
        label = item.get("value") or ""
        if label not in known.values:
            raise DealcraftError(
                f"{where}: item {label!r} is not in the domain: use one of {', '.join(known.values)}"
            )
        x = _number(item.get("evaluation"), f"{where}, item {label!r}", "evaluation")
        if x < 0:
            raise DealcraftError(f"{where}, item {label!r}: evaluation {x} is negative; GENIUS needs >= 0")
        table[label] = x
    missing = [v for v in known.values if v not in table]
    if missing:
        raise DealcraftError(f"{where}: no evaluation for item(s) {', '.join(missing)}")
    return table


def _discount(root: ET.Element, source: str) -> float | None:
    """The profile's discount factor in (0, 1], or None (absent, or 0: GENIUS's "no discount")."""
    discount = _optional_value(root, "discount_factor", source)
    if discount is not None and not 0 < discount <= 1:
        if discount != 0:
            raise DealcraftError(f"{source}: <discount_factor> {discount} must be in (0, 1]")
        discount = None
    return discount


def _weight(weights_by_index: dict, issue: ET.Element, where: str) -> float:
    node = weights_by_index.get(issue.get("index"))
    if node is None:
        raise DealcraftError(f'{where}: no <weight index="{issue.get("index")}"> for it')
    w = _number(node.get("value"), f"{where}: its weight", "value")
    if w < 0:
        raise DealcraftError(f"{where}: weight {w} is negative; weights must be >= 0")
    return w


def _evaluator(issue: ET.Element, domain_issue: GeniusIssue, where: str) -> NumericEvaluator:
    """The evaluation function of an integer or real issue in a profile (no <evaluator>: 0, as
    in GENIUS)."""
    node = issue.find("evaluator")
    if node is None:
        return NumericEvaluator("constant")
    if domain_issue.kind == "integer":
        bounds = _bounds(issue, where)
        origin = bounds[0] if bounds is not None else domain_issue.lower
        slope = _number(node.get("slope"), f"{where}, <evaluator>", "slope")
        offset = _number(node.get("offset"), f"{where}, <evaluator>", "offset")
        return NumericEvaluator("linear", slope, offset, origin)
    function = (node.get("ftype") or "").lower()
    if function not in REAL_FUNCTIONS:
        raise DealcraftError(
            f"{where}, <evaluator>: ftype {node.get('ftype')!r} is not supported: use one of "
            f"{', '.join(REAL_FUNCTIONS)}"
        )

    def parameter(k: int) -> float:
        return _number(node.get(f"parameter{k}"), f"{where}, <evaluator>", f"parameter{k}")

    if function == "linear":
        return NumericEvaluator("linear", parameter(1), parameter(0), 0.0)
    if function == "constant":
        value = parameter(0)
        if not 0 <= value <= 1:
            raise DealcraftError(f"{where}, <evaluator>: constant {value:g} must be in [0, 1]")
        return NumericEvaluator("constant", offset=value)
    lo, hi, top = parameter(0), parameter(1), parameter(2)
    if not lo < top < hi:
        raise DealcraftError(
            f"{where}, <evaluator>: a triangular function needs parameter0 < parameter2 < parameter1 "
            f"(lower < top < upper), got {lo:g}, {top:g}, {hi:g}"
        )
    return NumericEvaluator("triangular", triangle=(lo, hi, top))

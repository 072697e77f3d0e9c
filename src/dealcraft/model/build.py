"""Check a parsed scenario file across its parts and compile it into a :class:`Scenario`.

Every problem is collected (not just the first), each with its location in the file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

import numpy as np

from dealcraft.errors import Problem, ScenarioError, format_location
from dealcraft.model import expr
from dealcraft.model.about import about_problems
from dealcraft.model.numbers import Uncertain, check_within
from dealcraft.model.numeric import MAX_GRID, ValueShape, find_point, grid_point, grid_size, number_text
from dealcraft.model.scenario import (
    IssueInfo,
    ObservationInfo,
    Parameters,
    PartyInfo,
    Scenario,
    StakeholderInfo,
    UncertainParameters,
    option_hint,
)
from dealcraft.model.schema import ScenarioFile, ValueForm
from dealcraft.model.steps import DEFAULT_VERIFY_WEEKS, StepInfo, resolve_steps


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: tuple | list | str, message: str) -> None:
        loc = location if isinstance(location, str) else format_location(location)
        self.problems.append(Problem(loc, message))


def _duplicates(ids: list[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    out = []
    for k, x in enumerate(ids):
        if x in seen:
            out.append((k, x))
        seen.add(x)
    return out


def build(file: ScenarioFile, source: str) -> Scenario:
    """Compile ``file``; raise ScenarioError listing every problem found."""
    c = _Collector()
    party_ids = [p.id for p in file.parties]
    issue_ids = [i.id for i in file.issues]
    for k, dup in _duplicates(party_ids):
        c.add(("parties", k, "id"), f"party id {dup!r} is used twice: party ids must be unique")
    for k, dup in _duplicates(issue_ids):
        c.add(("issues", k, "id"), f"issue id {dup!r} is used twice: issue ids must be unique")

    shapeless = [i for i, issue in enumerate(file.issues) if issue.options is None and issue.range is None]
    for i in shapeless:
        c.add(
            ("issues", i, "options"),
            "required key 'options' is missing: add it (a numeric issue has range and step instead)",
        )
    if shapeless:  # without every issue's options nothing else can be checked
        raise ScenarioError(source, c.problems)
    stakeholders, parties, power = _compile_parties(file, c)
    before = len(c.problems)
    issues = _compile_issues(file, party_ids, c)
    if any(p.location.endswith((".range", ".step")) for p in c.problems[before:]):
        raise ScenarioError(source, c.problems)  # without its grid nothing can be checked against it
    options = {i.id: i.options for i in issues}
    grids = {i.id: i.grid for i in issues if i.grid is not None}
    constraints = _parse_all(file.constraints, options, grids, ("constraints",), c)
    params, uncertain, own_constraints = _compile_preferences(file, stakeholders, issues, options, grids, c)
    observations = _compile_observations(file, parties, stakeholders, issues, c)
    steps, openings = _compile_extensions(file, party_ids, issues, c)
    c.problems.extend(about_problems(file))
    if c.problems:
        raise ScenarioError(source, c.problems)
    return Scenario(
        id=file.id,
        title=file.title or file.id,
        description=file.description or "",
        source=source,
        issues=tuple(issues),
        parties=tuple(parties),
        stakeholders=tuple(stakeholders),
        params=params,
        uncertain=replace(uncertain, power=power),
        constraints=tuple(constraints),
        stakeholder_constraints=tuple(own_constraints),
        observations=tuple(observations),
        steps=steps,
        trust=dict(file.roadmap.trust) if file.roadmap else {},
        openings=openings,
        rounds=file.talks.rounds if file.talks is not None else None,
        file=file,
    )


def _compile_parties(
    file: ScenarioFile, c: _Collector
) -> tuple[list[StakeholderInfo], list[PartyInfo], dict[int, Uncertain]]:
    stakeholders: list[StakeholderInfo] = []
    parties: list[PartyInfo] = []
    power: dict[int, Uncertain] = {}
    for p, party in enumerate(file.parties):
        for k, dup in _duplicates([s.id for s in party.stakeholders]):
            c.add(
                ("parties", p, "stakeholders", k, "id"),
                f"stakeholder id {dup!r} is used twice in party {party.id!r}",
            )
        members = []
        for s in party.stakeholders:
            members.append(len(stakeholders))
            stakeholders.append(StakeholderInfo(f"{party.id}.{s.id}", s.name or s.id, p, s.influence))
        if not math.isfinite(sum(s.influence for s in party.stakeholders)):
            c.add(
                ("parties", p, "stakeholders"),
                "the influences sum to more than the largest float: influences are relative, "
                "scale them down (e.g. to sum to 1)",
            )
        threshold = None if party.ratification == "all" else party.ratification.weighted
        point = 1.0
        if party.power is not None and _positive_power(party.power, ("parties", p, "power"), c):
            point, power[p] = party.power.point, party.power
        discount = 1.0 if party.discount is None else party.discount
        parties.append(
            PartyInfo(party.id, party.name or party.id, threshold, tuple(members), point, discount)
        )
    return stakeholders, parties, power


def _positive_power(u: Uncertain, loc: tuple, c: _Collector) -> bool:
    """Power is a positive exponent: a fixed value, a range's low end, a normal's mean above 0
    (draws of a normal are clipped to a small positive floor when sampled)."""
    if u.lo > 0:  # a range's or distribution's low end; a normal's mean
        return True
    c.add(
        loc,
        f"power must be > 0, got {u.to_data()!r}: a party's bargaining power is a positive "
        "exponent (1 = equal power; 2 = twice the weight of a party with 1)",
    )
    return False


def _compile_issues(file: ScenarioFile, party_ids: list[str], c: _Collector) -> list[IssueInfo]:
    issues = []
    for i, issue in enumerate(file.issues):
        if issue.numeric:
            issues.append(_compile_numeric_issue(i, issue, party_ids, c))
            continue
        assert issue.options is not None
        option_ids = [o.id for o in issue.options]
        for k, dup in _duplicates(option_ids):
            c.add(("issues", i, "options", k, "id"), f"option id {dup!r} is used twice in issue {issue.id!r}")
        giver = _giver(i, issue, party_ids, c)
        if issue.giver is None and any(o.steps for o in issue.options):
            c.add(("issues", i, "giver"), "an issue with steps needs a giver: name the party that takes them")
        sq = 0
        if isinstance(issue.status_quo, int | float):
            c.add(("issues", i, "status_quo"), _number_for_id(issue.status_quo, issue.id, option_ids))
        elif issue.status_quo is not None:
            if issue.status_quo in option_ids:
                sq = option_ids.index(issue.status_quo)
            else:
                c.add(
                    ("issues", i, "status_quo"),
                    f"unknown option {issue.status_quo!r}: use one of {', '.join(option_ids)}",
                )
        names = tuple(o.name or o.id for o in issue.options)
        issues.append(IssueInfo(issue.id, issue.name or issue.id, giver, sq, tuple(option_ids), names))
    return issues


def _number_for_id(value: float, issue_id: str, option_ids: list[str]) -> str:
    return (
        f"issue {issue_id!r} is discrete, so it takes an option id, not the number {value!r}: "
        f"use one of {', '.join(option_ids)} (put an id that looks like a number in quotes, e.g. '{value}')"
    )


def _giver(i: int, issue: Any, party_ids: list[str], c: _Collector) -> int | None:
    giver = party_ids.index(issue.giver) if issue.giver in party_ids else None
    if issue.giver is not None and giver is None:
        c.add(("issues", i, "giver"), f"unknown party {issue.giver!r}: use one of {', '.join(party_ids)}")
    return giver


def _compile_numeric_issue(i: int, issue: Any, party_ids: list[str], c: _Collector) -> IssueInfo:
    """A numeric issue as an ordinary issue whose options are its grid points (a placeholder
    two-point grid when the range or step is wrong: build() then stops after the issues)."""
    giver = _giver(i, issue, party_ids, c)
    before = len(c.problems)
    grid = _grid(i, issue, c)
    ids = tuple(number_text(x) for x in grid)
    sq = 0
    if issue.status_quo is not None and len(c.problems) == before:
        found = _grid_index(issue.status_quo, grid, issue.step or 1.0)
        if found is None:
            c.add(
                ("issues", i, "status_quo"),
                f"{issue.status_quo!r} is not on the grid {_grid_text(grid)}: use a grid value",
            )
        else:
            sq = found
    step = float(issue.step)
    return IssueInfo(issue.id, issue.name or issue.id, giver, sq, ids, ids, grid=grid, step=step)


def _grid_text(grid: tuple[float, ...]) -> str:
    shown = [number_text(x) for x in grid[:3]]
    return ", ".join(shown) + (f", ..., {number_text(grid[-1])}" if len(grid) > 3 else "")


def _grid_index(value: Any, grid: tuple[float, ...], step: float) -> int | None:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    return find_point(grid, float(value), step) if math.isfinite(float(value)) else None


def _count_text(n: int) -> str:
    return f"{n:,}" if n < 10**15 else f"about {Decimal(n):.1E}"


def _grid(i: int, issue: Any, c: _Collector) -> tuple[float, ...]:
    """The grid lo, lo + step, ..., hi; every problem of range and step is collected."""
    lo, hi = issue.range
    step = issue.step
    before = len(c.problems)
    if lo >= hi:
        c.add(
            ("issues", i, "range"),
            (f"range [{lo:g}, {hi:g}] needs lo < hi (a grid has at least 2 points): write it as [low, high]"),
        )
    if step <= 0:
        c.add(("issues", i, "step"), f"step must be > 0, got {step:g}: the grid is lo, lo+step, ..., hi")
    if len(c.problems) > before:
        return (0.0, 1.0)
    n, exact = grid_size(lo, hi, step)
    if not exact:
        c.add(
            ("issues", i, "step"),
            f"step {step:g} does not divide the range [{lo:g}, {hi:g}] ({n - 1} steps reach "
            f"{number_text(grid_point(lo, step, n - 1))}): pick a step that divides hi - lo or move hi",
        )
        return (0.0, 1.0)
    if n > MAX_GRID:
        c.add(
            ("issues", i, "step"),
            f"the grid has {_count_text(n)} points, more than the limit of {MAX_GRID:,}: use a coarser step "
            f"(e.g. {(hi - lo) / 100:g})",
        )
        return (0.0, 1.0)
    return tuple(grid_point(lo, step, k) for k in range(n))


def _parse_all(
    texts: list[str], options: Mapping, grids: Mapping, loc: tuple, c: _Collector
) -> list[expr.Expression]:
    parsed = []
    for k, text in enumerate(texts):
        try:
            parsed.append(expr.parse(text, options, grids))
        except expr.ExprError as e:
            c.add((*loc, k), f"bad constraint: {e}")
    return parsed


class _PreferenceTables:
    """The judgment numbers as arrays while they are read: point values, and where each came
    from (for sampling and sensitivity)."""

    def __init__(self, n_stakeholders: int, issues: list[IssueInfo]) -> None:
        self.issues = issues
        self.issue_ids = [i.id for i in issues]
        self.weights = np.zeros((n_stakeholders, len(issues)))
        self.values = [np.zeros((n_stakeholders, i.radix)) for i in issues]
        self.reservations = np.zeros(n_stakeholders)
        self.u_w: dict[tuple[int, int], Uncertain] = {}
        self.u_v: dict[tuple[int, int, int], Uncertain] = {}
        self.u_r: dict[int, Uncertain] = {}
        self.shapes: dict[tuple[int, int], ValueShape] = {}

    def read_reservation(self, s: int, pref: Any, loc: tuple, c: _Collector) -> None:
        """A fixed reservation may be any number (GENIUS has < 0); a range stays in [0, 1]."""
        if not pref.reservation.is_fixed:
            _bounded(pref.reservation, 0, 1, (*loc, "reservation"), "a reservation range", c)
        self.reservations[s] = pref.reservation.point
        self.u_r[s] = pref.reservation

    def read_weights(self, s: int, pref: Any, loc: tuple, c: _Collector) -> None:
        """Each weight of a known issue, >= 0; then whether they add up to something usable."""
        for issue_id, w in pref.weights.items():
            if issue_id not in self.issue_ids:
                c.add(
                    (*loc, "weights", issue_id),
                    f"unknown issue {issue_id!r}: use one of {', '.join(self.issue_ids)}",
                )
                continue
            if _bounded(w, 0, None, (*loc, "weights", issue_id), "a weight", c):
                self.weights[s, self.issue_ids.index(issue_id)] = w.point
                self.u_w[(s, self.issue_ids.index(issue_id))] = w
        if not _finite_total(pref.weights.values()):
            c.add(
                (*loc, "weights"),
                "the weights sum to more than the largest float: weights are relative, "
                "scale them down (e.g. to sum to 1)",
            )
        elif self.weights[s].sum() <= 0 and pref.weights:
            c.add((*loc, "weights"), "all weights are 0: give at least one issue a positive weight")
        elif not pref.weights:
            c.add((*loc, "weights"), "no weights: give each issue the stakeholder cares about a weight")

    def read_values(self, s: int, pref: Any, loc: tuple, c: _Collector) -> None:
        """Each option value of a known issue and option, in [0, 1]."""
        for issue_id, table in pref.values.items():
            if issue_id not in self.issue_ids:
                c.add(
                    (*loc, "values", issue_id),
                    f"unknown issue {issue_id!r}: use one of {', '.join(self.issue_ids)}",
                )
                continue
            i = self.issue_ids.index(issue_id)
            where = (*loc, "values", issue_id)
            if isinstance(table, ValueForm) or self.issues[i].numeric:
                self.read_form(s, i, table, where, c)
                continue
            for option_id, v in table.items():
                if option_id not in self.issues[i].options:
                    c.add(
                        (*loc, "values", issue_id, option_id),
                        f"unknown option {option_id!r} of issue {issue_id!r}: "
                        f"use one of {', '.join(self.issues[i].options)}",
                    )
                    continue
                o = self.issues[i].options.index(option_id)
                if _bounded(v, 0, 1, (*loc, "values", issue_id, option_id), "a value", c):
                    self.values[i][s, o] = v.point
                    self.u_v[(s, i, o)] = v

    def read_form(self, s: int, i: int, form: Any, loc: tuple, c: _Collector) -> None:
        """A value form on a numeric issue, compiled to its row of values over the grid."""
        issue = self.issues[i]
        if not isinstance(form, ValueForm):
            c.add(
                loc,
                f"issue {issue.id!r} is numeric: give a value form, not an option table, e.g. "
                "{ideal: 40, loss: quadratic, width: 100}, {points: [[lo, 1.0], [hi, 0.0]]} "
                "or {increasing: true}",
            )
            return
        if issue.grid is None:
            c.add(
                loc,
                f"issue {issue.id!r} is discrete: give a value per option ({', '.join(issue.options)}); "
                "ideal, loss, width, points, increasing and decreasing describe numeric issues",
            )
            return
        shape = value_shape(form)
        if form.points is not None and not _covers(shape.xs, issue.grid):
            c.add(
                (*loc, "points"),
                f"the points run from {shape.xs[0]:g} to {shape.xs[-1]:g} but the range is "
                f"[{number_text(issue.grid[0])}, {number_text(issue.grid[-1])}]: add points at both ends",
            )
            return
        self.values[i][s] = shape.point_row(np.asarray(issue.grid))
        self.shapes[(s, i)] = shape

    def compiled(self) -> tuple[Parameters, UncertainParameters]:
        """Weights normalised per stakeholder (an overflowing sum is reported, left at 0)."""
        totals = self.weights.sum(axis=1, keepdims=True)
        ok = (totals > 0) & np.isfinite(totals)
        weights = np.divide(self.weights, totals, out=np.zeros_like(self.weights), where=ok)
        params = Parameters(weights, tuple(self.values), self.reservations)
        return params, UncertainParameters(self.u_w, self.u_v, self.u_r, self.shapes)


def _check_preference_keys(file: ScenarioFile, keys: list[str], c: _Collector) -> None:
    """Every preferences entry names a stakeholder."""
    for key in file.preferences:
        if key not in keys:
            c.add(
                ("preferences", key),
                f"no stakeholder {key!r}: keys are 'party.stakeholder', one of {', '.join(keys)}",
            )


def _check_value_coverage(pref: Any, issues: list[IssueInfo], loc: tuple, c: _Collector) -> None:
    """An issue the stakeholder weighs needs a value for every option."""
    for issue in issues:
        w = pref.weights.get(issue.id)
        if w is None or max(w.lo, w.hi) <= 0:
            continue
        given = pref.values.get(issue.id, {})
        if issue.numeric or isinstance(given, ValueForm):
            if issue.id not in pref.values:
                c.add(
                    (*loc, "values", issue.id),
                    f"issue {issue.id!r} has weight {w.to_data()} but no value form: add one, e.g. "
                    f"values.{issue.id}: {{increasing: true}} or {{ideal: ..., loss: linear, width: ...}}",
                )
            continue
        missing = [o for o in issue.options if o not in given]
        if missing:
            c.add(
                (*loc, "values", issue.id),
                f"issue {issue.id!r} has weight {w.to_data()} but no value for option(s) "
                f"{', '.join(missing)}: give every option a value in [0, 1]",
            )


def _compile_preferences(file, stakeholders, issues, options, grids, c):
    """Each stakeholder's weights, values, reservation and red lines, every problem collected."""
    keys = [s.key for s in stakeholders]
    tables = _PreferenceTables(len(stakeholders), issues)
    own: list[tuple[expr.Expression, ...]] = [()] * len(stakeholders)
    _check_preference_keys(file, keys, c)
    for s, key in enumerate(keys):
        pref = file.preferences.get(key)
        if pref is None:
            c.add(
                ("preferences",), f'no preferences for stakeholder {key!r}: add an entry preferences["{key}"]'
            )
            continue
        loc = ("preferences", key)
        tables.read_reservation(s, pref, loc, c)
        tables.read_weights(s, pref, loc, c)
        tables.read_values(s, pref, loc, c)
        _check_value_coverage(pref, issues, loc, c)
        own[s] = tuple(_parse_all(pref.constraints, options, grids, (*loc, "constraints"), c))
    params, uncertain = tables.compiled()
    return params, uncertain, own


def value_shape(form: ValueForm) -> ValueShape:
    """The compiled form of a checked value form (the schema has checked its numbers)."""
    numbers = form.numbers()
    if form.points is not None:
        return ValueShape("points", None, tuple(x for x, _ in form.points), False, numbers)
    if form.loss is not None:
        return ValueShape("loss", form.loss, (), False, numbers)
    return ValueShape("monotone", None, (), bool(form.increasing), numbers)


def _covers(xs: tuple[float, ...], grid: tuple[float, ...]) -> bool:
    slack = 1e-9 * (grid[-1] - grid[0])
    return xs[0] <= grid[0] + slack and xs[-1] >= grid[-1] - slack


def _finite_total(numbers: Iterable[Uncertain]) -> bool:
    """Whether the largest values these numbers can take (normal: mean + 10 sd) sum to a float."""
    top = [max(u.lo, u.hi) + 10 * u.sd for u in numbers]
    return all(math.isfinite(x) for x in top) and math.isfinite(sum(top))


def _bounded(u: Uncertain, lo: float, hi: float | None, loc: tuple, what: str, c: _Collector) -> bool:
    try:
        check_within(u, lo, hi, what)
        return True
    except ValueError as e:
        c.add(loc, str(e))
        return False


def check_package(
    choice: Mapping[str, str | int | float], issues: list[IssueInfo], loc: tuple, c: _Collector
) -> tuple[int, ...] | None:
    """Option indices of an {issue: option} mapping (others at the status quo), or None when a
    name is unknown (the problems are collected)."""
    by_id = {i.id: (k, i) for k, i in enumerate(issues)}
    digits = [i.status_quo for i in issues]
    ok = True
    for issue_id, option_id in choice.items():
        if issue_id not in by_id:
            c.add((*loc, issue_id), f"unknown issue {issue_id!r}: use one of {', '.join(by_id)}")
            ok = False
            continue
        k, issue = by_id[issue_id]
        found = issue.find(option_id)
        if found is None:
            if isinstance(option_id, int | float) and not issue.numeric:
                message = _number_for_id(option_id, issue_id, list(issue.options))
            elif issue.numeric:
                message = f"{option_id!r} is not on the grid of issue {issue_id!r}: use {option_hint(issue)}"
            else:
                choices = ", ".join(issue.options)
                message = f"unknown option {option_id!r} of issue {issue_id!r}: use one of {choices}"
            c.add((*loc, issue_id), message)
            ok = False
            continue
        digits[k] = found
    return tuple(digits) if ok else None


def _compile_observations(file, parties, stakeholders, issues, c) -> list[ObservationInfo]:
    out = []
    party_ids = [p.id for p in parties]
    keys = [s.key for s in stakeholders]
    for k, dup in _duplicates([o.id for o in file.observations]):
        c.add(("observations", k, "id"), f"observation id {dup!r} is used twice")
    for k, obs in enumerate(file.observations):
        package = check_package(obs.package, issues, ("observations", k, "package"), c)
        party = party_ids.index(obs.by) if obs.by in party_ids else None
        holder = keys.index(obs.by) if obs.by in keys else None
        if party is None and holder is None:
            c.add(
                ("observations", k, "by"),
                f"unknown party or stakeholder {obs.by!r}: "
                f"use a party id ({', '.join(party_ids)}) or 'party.stakeholder'",
            )
        if package is not None and (party is not None or holder is not None):
            out.append(
                ObservationInfo(
                    obs.id, package, obs.outcome == "accepted", party, holder, obs.description or ""
                )
            )
    return out


def _compile_extensions(
    file: ScenarioFile, party_ids: list[str], issues: list[IssueInfo], c: _Collector
) -> tuple[dict[tuple[int, int], tuple[StepInfo, ...]], dict[str, tuple[int, ...]]]:
    """Steps (roadmaps), trust and openings (simulated talks), checked against the parties."""
    steps, step_problems = resolve_steps(file)
    c.problems.extend(step_problems)
    for i, issue in enumerate(issues):
        for o, option in enumerate(issue.options if issue.numeric else ()):  # a move is one step
            steps[(i, o)] = (
                StepInfo(
                    f"{issue.id}:{option}", f"{issue.name} {option}", i, o, 1.0, 0.0, DEFAULT_VERIFY_WEEKS, ()
                ),
            )
    openings: dict[str, tuple[int, ...]] = {}
    if file.roadmap is not None:
        for party in file.roadmap.trust:
            if party not in party_ids:
                c.add(
                    ("roadmap", "trust", party), f"unknown party {party!r}: use one of {', '.join(party_ids)}"
                )
    if file.talks is not None:
        for party, package in file.talks.openings.items():
            if party not in party_ids:
                c.add(
                    ("talks", "openings", party),
                    f"unknown party {party!r}: use one of {', '.join(party_ids)}",
                )
            digits = check_package(package, issues, ("talks", "openings", party), c)
            if digits is not None and party in party_ids:
                openings[party] = digits
    return steps, openings

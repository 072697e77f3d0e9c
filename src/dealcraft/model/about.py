"""Which numbers a source supports (`about`), and where every source of a file sits.

A preference's numbers are its reservation, each weight and each option value. A source in a
preference may pin itself to some of them with ``about`` (``reservation``, ``weights.<issue>``,
``values.<issue>`` for a whole table, ``values.<issue>.<option>``); without ``about`` it
supports the whole preference. Kept in the model layer because the file compiler rejects bad
targets with located errors, and the evidence checker needs the same walk.
"""

from __future__ import annotations

from collections.abc import Iterator

from dealcraft.errors import Problem, format_location
from dealcraft.model.numbers import Uncertain
from dealcraft.model.schema import Preference, ScenarioFile, Source, ValueForm

Number = tuple[str, ...]  # ("reservation",) | ("weights", issue) | ("values", issue, option)


def walk_sources(file: ScenarioFile) -> Iterator[tuple[tuple, Source]]:
    """Every source in the file with its location, in file order."""
    for k, s in enumerate(file.sources):
        yield ("sources", k), s
    yield from _party_sources(file)
    yield from _issue_sources(file)
    for key, pref in file.preferences.items():
        for k, s in enumerate(pref.sources):
            yield ("preferences", key, "sources", k), s
    for n, obs in enumerate(file.observations):
        for k, s in enumerate(obs.sources):
            yield ("observations", n, "sources", k), s


def _party_sources(file: ScenarioFile) -> Iterator[tuple[tuple, Source]]:
    """Sources of each party, then of its stakeholders, with their locations."""
    for p, party in enumerate(file.parties):
        for k, s in enumerate(party.sources):
            yield ("parties", p, "sources", k), s
        for h, holder in enumerate(party.stakeholders):
            for k, s in enumerate(holder.sources):
                yield ("parties", p, "stakeholders", h, "sources", k), s


def _issue_sources(file: ScenarioFile) -> Iterator[tuple[tuple, Source]]:
    """Sources of each issue, then of its options, with their locations."""
    for i, issue in enumerate(file.issues):
        for k, s in enumerate(issue.sources):
            yield ("issues", i, "sources", k), s
        for o, option in enumerate(issue.options or []):
            for k, s in enumerate(option.sources):
                yield ("issues", i, "options", o, "sources", k), s


def targets(source: Source) -> list[str]:
    """The numbers a source names in ``about`` (empty: it supports the whole preference)."""
    if source.about is None:
        return []
    return [source.about] if isinstance(source.about, str) else list(source.about)


def numbers(pref: Preference) -> list[Number]:
    """The preference's numbers in file order."""
    out: list[Number] = [("reservation",)]
    out += [("weights", issue) for issue in pref.weights]
    out += [("values", issue, name) for issue, table in pref.values.items() for name in value_numbers(table)]
    return out


def value_numbers(table: dict[str, Uncertain] | ValueForm) -> dict[str, Uncertain]:
    """The numbers of one values entry by name: an option table's values, or a value form's
    ``ideal``/``width`` or point values (keyed by their x)."""
    return table.numbers() if isinstance(table, ValueForm) else table


def covers(target: str, number: Number) -> bool:
    """Whether an ``about`` target names this number (``values.<issue>`` names a whole table)."""
    return target == ".".join(number) or (number[0] == "values" and target == f"values.{number[1]}")


def number_location(key: str, number: Number) -> str:
    """Where a number sits in the file (``preferences["us.hawks"].weights.sanctions``), for messages."""
    return format_location(("preferences", key, *number))


def about_problems(file: ScenarioFile) -> list[Problem]:
    """Located problems for `about` outside a preference or naming no number of it."""
    problems = []
    for loc, source in walk_sources(file):
        if source.about is None:
            continue
        where = format_location((*loc, "about"))
        if loc[0] != "preferences":
            problems.append(
                Problem(where, "'about' pins a source to numbers of a preference: move it or drop 'about'")
            )
            continue
        pref = file.preferences[loc[1]]
        for t in targets(source):
            message = _target_problem(t, pref, file)
            if message:
                problems.append(Problem(where, message))
    return problems


def _target_problem(target: str, pref: Preference, file: ScenarioFile) -> str | None:
    if any(covers(target, n) for n in numbers(pref)):
        return None
    options = {i.id: [o.id for o in i.options or []] for i in file.issues}
    numeric = {i.id for i in file.issues if i.numeric}
    kind, _, rest = target.partition(".")
    usage = "write reservation, weights.<issue>, values.<issue> or values.<issue>.<option>"
    if kind == "weights" and rest:
        if rest not in options:
            return f"{target!r}: unknown issue {rest!r}; use one of {', '.join(options)}"
        return f"{target!r}: this preference gives issue {rest!r} no weight; add one or drop the target"
    if kind == "values" and rest:
        issue = next((i for i in options if rest == i or rest.startswith(i + ".")), None)
        if issue is None:
            return f"{target!r}: unknown issue in {rest!r}; use one of {', '.join(options)}"
        option = rest[len(issue) + 1 :]
        if option and issue in numeric:
            return (
                f"{target!r}: the value form of numeric issue {issue!r} has no number {option!r} here; "
                "name ideal, width or the x of one of its points"
            )
        if option and option not in options[issue]:
            choices = ", ".join(options[issue])
            return f"{target!r}: unknown option {option!r} of issue {issue!r}; use one of {choices}"
        return f"{target!r}: this preference gives no value there; add one or drop the target"
    return f"unknown target {target!r}: {usage}"

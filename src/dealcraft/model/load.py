"""Read scenario files (YAML or JSON) and built-in scenarios, with errors a user can act on."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from dealcraft.errors import DealcraftError, Problem, ScenarioError, format_location
from dealcraft.model.build import build
from dealcraft.model.builtins import DEFAULT_SCENARIO, builtin_ids, builtin_text
from dealcraft.model.document import parse_json, parse_yaml
from dealcraft.model.limits import count_problems, max_file_bytes, size_problem
from dealcraft.model.scenario import Scenario
from dealcraft.model.schema import ScenarioFile, dump


def load(reference: str | Path = DEFAULT_SCENARIO) -> Scenario:
    """Load a scenario from a file path or a built-in id."""
    path = Path(reference)
    if path.is_file():
        return loads(_read(path), str(path), json_format=path.suffix.lower() == ".json")
    if isinstance(reference, str) and reference in builtin_ids():
        return loads(builtin_text(reference), f"built-in scenario {reference}")
    if path.suffix.lower() in {".yaml", ".yml", ".json"} or path.parent != Path("."):
        raise DealcraftError(f"{path}: no such file. Check the path (built-ins: {', '.join(builtin_ids())}).")
    raise DealcraftError(
        f"{reference!r} is neither a scenario file nor a built-in scenario: "
        f"built-ins are {', '.join(builtin_ids())}"
    )


def _read(path: Path) -> str:
    try:
        problem = size_problem(path.stat().st_size, max_file_bytes())
        if problem:  # before reading: a huge file would cost its size several times over in memory
            raise ScenarioError(str(path), [problem])
        return path.read_text("utf-8")
    except UnicodeDecodeError as e:
        raise DealcraftError(f"{path}: not UTF-8 text (byte {e.start}); save the file as UTF-8") from None
    except OSError as e:
        raise DealcraftError(f"{path}: cannot read it ({e.strerror})") from None


def loads(text: str, source: str = "<string>", *, json_format: bool = False) -> Scenario:
    """Parse and check scenario text; raise ScenarioError naming every problem."""
    problem = size_problem(len(text.encode("utf-8", "surrogatepass")), max_file_bytes())
    if problem:
        raise ScenarioError(source, [problem])
    data = parse_text(text, source, json_format=json_format)
    return from_data(data, source)


def parse_text(text: str, source: str, *, json_format: bool = False) -> Any:
    """The document as plain data (nesting, size and duplicate keys checked: see model.document)."""
    return parse_json(text, source) if json_format else parse_yaml(text, source)


def from_data(data: Any, source: str) -> Scenario:
    """The scenario from parsed plain data; problems raise ScenarioError naming ``source``."""
    if not isinstance(data, dict):
        raise ScenarioError(
            source,
            [
                Problem(
                    "", "a scenario must be a mapping with keys dealcraft, id, parties, issues, preferences"
                )
            ],
        )
    if data.get("dealcraft") != 1:
        raise ScenarioError(
            source,
            [
                Problem(
                    "dealcraft",
                    "format version must be 1 (write 'dealcraft: 1' at the top), "
                    f"got {data.get('dealcraft')!r}",
                )
            ],
        )
    too_many = count_problems(data)
    if too_many:
        raise ScenarioError(source, too_many)
    try:
        file = ScenarioFile.model_validate(data)
    except ValidationError as e:
        problems = list(dict.fromkeys(_problem(err) for err in e.errors()))  # unions repeat themselves
        raise ScenarioError(source, problems) from None
    return build(file, source)


def source_file(scenario: Scenario) -> ScenarioFile:
    """The parsed file behind a compiled scenario, for tools whose subject is the file itself
    (checking its citations, writing it back out). Analyses use the compiled fields instead;
    only the model layer touches ``Scenario.file`` (tests/test_architecture.py checks it)."""
    return scenario.file


def to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in the file format (what :func:`from_data` reads back)."""
    return dump(scenario.file)


def dumps(scenario: Scenario) -> str:
    """The scenario as YAML text that :func:`loads` reads back into the same compiled scenario
    (comments and key order of the original file are not kept)."""
    return yaml.safe_dump(to_data(scenario), sort_keys=False, allow_unicode=True, width=100)


def _problem(err: dict) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    message = err["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        hint = f"; allowed keys here: {', '.join(allowed)}" if allowed else ""
        message = f"unknown key {loc[-1]!r}: check the spelling{hint}"
    elif kind == "finite_number":
        got = err.get("input")
        message = f"must be a finite number, got {got!r}: write an ordinary number (not NaN or infinity)"
    elif kind == "missing":
        message = f"required key {loc[-1]!r} is missing: add it"
    elif (
        kind == "string_type" and isinstance(err.get("input"), bool) or any(isinstance(p, bool) for p in loc)
    ):
        message = "YAML reads yes/no/on/off/true/false as booleans, not ids: put the id in quotes (e.g. 'no')"
    elif "ratification" in loc and loc[-1] != "weighted":
        message = (
            "ratification must be 'all' (every stakeholder a veto player) or {weighted: t} with 0 < t <= 1"
        )
    elif kind == "string_type" and isinstance(err.get("input"), int | float):
        message = (
            f"expected an id (text), got the number {err['input']!r}: put it in quotes, e.g. '{err['input']}'"
        )
    return Problem(format_location(_clean(loc)), message)


def _clean(loc: tuple) -> tuple:
    """Drop pydantic's union-member tags (e.g. 'Weighted', "literal['all']") from a location."""
    return tuple(p for p in loc if not (isinstance(p, str) and (p[:1].isupper() or "[" in p)))


def _allowed_keys(loc: tuple) -> list[str]:
    """The keys a model accepts at ``loc`` (walking the schema's type annotations)."""
    node: Any = ScenarioFile
    for part in _clean(loc):
        node = _unwrap_container(node, part)
        if node is None:
            return []
    node = _model_in(node)
    return list(node.model_fields) if node else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found:
            return found
    return None


def _unwrap_container(annotation: Any, part: Any) -> Any:
    model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    if model is not None and isinstance(part, str):
        field = model.model_fields.get(part)
        return field.annotation if field else None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _unwrap_container(arg, part)
            if found is not None:
                return found
        return None
    if origin in (list, tuple):
        return typing.get_args(annotation)[0]
    if origin is dict:
        return typing.get_args(annotation)[1]
    return None

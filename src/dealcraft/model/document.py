"""Parse YAML/JSON scenario text safely: bounded nesting, no alias bombs, no duplicate keys.

PyYAML's composer and the json module both recurse once per nesting level, so a document
nested ~1,000 deep ends in a RecursionError; YAML aliases can make a small file expand into
billions of values; and both formats silently keep the last of two equal keys. Here every
one of these is a located :class:`ScenarioError` instead.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dealcraft.errors import Problem, ScenarioError
from dealcraft.model.limits import MAX_DEPTH, MAX_NODES

_MERGE = "tag:yaml.org,2002:merge"
_DEPTH_FIX = f"the limit is {MAX_DEPTH} levels (a scenario needs about 8): flatten the structure"


class _Stop(Exception):
    """Carries one problem out of the YAML machinery."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _line(node_or_mark: Any) -> int:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return mark.line + 1


_FAST = getattr(yaml, "CSafeLoader", None)  # libyaml: ~10x faster, when PyYAML was built with it
_EVENTS = getattr(yaml, "CBaseLoader", None)


def _check_depth(text: str) -> None:
    """Walk the event stream (flat, no recursion) before anything composes the nested nodes."""
    depth = 0
    events = yaml.parse(text, Loader=_EVENTS) if _EVENTS else yaml.parse(text, Loader=yaml.SafeLoader)
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                where = f"line {_line(event)}"
                raise _Stop(Problem(where, f"nested more than {MAX_DEPTH} levels deep: {_DEPTH_FIX}"))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Loader(_FAST or yaml.SafeLoader):  # type: ignore[misc]
    """SafeLoader with an expansion limit and duplicate-key errors (the nesting limit is
    checked on the event stream first, see _check_depth)."""

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return self.construct_document(node)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node)
            try:
                first = seen.get(key)
            except TypeError:  # unhashable keys are reported by PyYAML itself
                continue
            if first is not None:
                raise _Stop(_duplicate(key, first, _line(key_node)))
            seen[key] = _line(key_node)
        return super().construct_mapping(node, deep)


def _duplicate(key: Any, first: int, again: int) -> Problem:
    return Problem(
        f"line {again}",
        f"duplicate key {key!r} (first at line {first}, again at line {again}; a key may appear "
        "only once in a mapping): remove or rename one of them",
    )


def _check_expansion(root: Node) -> None:
    """Reject documents whose aliases refer to themselves, nest too deep once expanded, or
    expand to more than MAX_NODES values (an alias bomb), without expanding anything."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            active.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_NODES:
                raise _Stop(
                    Problem(
                        f"line {_line(node)}",
                        f"this value expands to more than {MAX_NODES:,} values through YAML aliases "
                        "(*name): write the values out or use fewer aliases",
                    )
                )
            if depth[key] > MAX_DEPTH:
                raise _Stop(
                    Problem(f"line {_line(node)}", f"nested more than {MAX_DEPTH} levels deep: {_DEPTH_FIX}")
                )
            continue
        if key in size:
            continue
        if key in active:
            raise _Stop(
                Problem(f"line {_line(node)}", "a YAML alias refers to the value that contains it: remove it")
            )
        active.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def parse_yaml(text: str, source: str) -> Any:
    """YAML text to data, with nesting, alias and duplicate-key checks done on the event stream."""
    loader = None
    try:
        _check_depth(text)
        loader = _Loader(text)
        return loader.get_single_data()
    except _Stop as e:
        raise ScenarioError(source, [e.problem]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(e, "problem", None) or str(e)
        raise ScenarioError(source, [Problem(where, f"invalid YAML: {what}")]) from None
    finally:
        if loader is not None:
            loader.dispose()


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]]')
_COLON = re.compile(r"\s*:")


def parse_json(text: str, source: str) -> Any:
    """json.loads after an iterative scan that bounds the nesting and finds duplicate keys."""
    duplicates = _scan_json(text, source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ScenarioError(
            source, [Problem(f"line {e.lineno}, column {e.colno}", f"invalid JSON: {e.msg}")]
        ) from None
    if duplicates:
        raise ScenarioError(source, duplicates)
    return data


def _scan_json(text: str, source: str) -> list[Problem]:
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line(pos: int) -> int:
        return bisect.bisect_right(newlines, pos) + 1

    stack: list[dict[str, int] | None] = []  # per open bracket: keys seen (objects) or None (arrays)
    problems: list[Problem] = []
    for m in _JSON_TOKEN.finditer(text):
        token = m.group()
        if token in "{[":
            if len(stack) >= MAX_DEPTH:
                where = f"line {line(m.start())}"
                raise ScenarioError(
                    source, [Problem(where, f"nested more than {MAX_DEPTH} levels deep: {_DEPTH_FIX}")]
                )
            stack.append({} if token == "{" else None)
        elif token in "}]":
            if stack:
                stack.pop()
        elif stack and stack[-1] is not None and _COLON.match(text, m.end()):
            try:
                key = json.loads(token)
            except ValueError:
                continue  # json.loads reports the bad string
            keys = stack[-1]
            at = line(m.start())
            if key in keys:
                problems.append(_duplicate(key, keys[key], at))
            else:
                keys[key] = at
    return problems

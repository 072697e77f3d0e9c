"""YAML from strangers: safe_load only, with limits on size, aliases and nodes.

An alias-heavy document ("billion laughs") builds a tiny object graph that explodes when the
model layer walks it, so aliases and the node count are capped before anything is constructed."""

from __future__ import annotations

from typing import Any

import yaml

from dealcraft.errors import Problem, ScenarioError

MAX_BYTES = 2_000_000
MAX_ALIASES = 100
MAX_NODES = 200_000


class _LimitedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._nodes = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases (*name): write the values out")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise yaml.YAMLError(f"more than {MAX_NODES} YAML nodes: the scenario is too large")
        return super().compose_node(parent, index)


def parse(text: str, source: str) -> Any:
    """Parse YAML (or JSON, a subset) into plain data; errors as a located ScenarioError."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ScenarioError(source, [Problem("", f"the scenario is larger than {MAX_BYTES:,} bytes")])
    try:
        loader = _LimitedLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(e, "problem", None) or str(e)
        raise ScenarioError(source, [Problem(where, f"invalid YAML: {what}")]) from None

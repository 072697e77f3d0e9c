"""The scenarios shipped inside the package: their ids, text and a quick summary.

Kept free of the schema (pydantic) so that listing them is instant; loading one for analysis
goes through :func:`dealcraft.model.load.load`, which checks everything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources

import yaml

from dealcraft.errors import DealcraftError
from dealcraft.model.numeric import written_options

DEFAULT_SCENARIO = "hanoi-2019"  # what every command analyses when no scenario is named


def builtin_ids() -> list[str]:
    """Ids of the built-in scenarios, sorted."""
    folder = resources.files("dealcraft") / "scenarios"
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_text(scenario_id: str) -> str:
    """The YAML text of a built-in scenario (a clear error for an unknown id)."""
    if scenario_id not in builtin_ids():
        raise DealcraftError(
            f"no built-in scenario {scenario_id!r}: built-ins are {', '.join(builtin_ids())} "
            "(or give the path of a scenario file)"
        )
    return (resources.files("dealcraft") / "scenarios" / f"{scenario_id}.yaml").read_text("utf-8")


@dataclass(frozen=True)
class BuiltinSummary:
    """What `dealcraft scenarios` lists about a built-in (read from its YAML, not validated:
    built-ins are validated by the test suite)."""

    id: str
    title: str
    parties: int
    issues: int
    packages: int


def builtin_summary(scenario_id: str) -> BuiltinSummary:
    """Title and sizes of a built-in scenario."""
    # libyaml when PyYAML has it: the pure-Python parser was most of `dealcraft scenarios`'s start-up
    data = yaml.load(builtin_text(scenario_id), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    issues = data["issues"]
    return BuiltinSummary(
        scenario_id,
        data.get("title") or scenario_id,
        len(data["parties"]),
        len(issues),
        math.prod(len(written_options(i)[0]) for i in issues),
    )

"""The `evaluate` and `bridge` jobs: one package's verdicts, and the smallest fix for a failed one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dealcraft.analysis.bridge import Bridge
from dealcraft.analysis.bridge import bridge as find_bridge
from dealcraft.analysis.evaluate import Evaluation
from dealcraft.analysis.evaluate import evaluate as evaluate_package
from dealcraft.engine.space import DEFAULT_LIMIT
from dealcraft.errors import DealcraftError
from dealcraft.model.scenario import Scenario
from dealcraft.service.analysis import nth_proposal
from dealcraft.service.output import evaluation_json
from dealcraft.service.progress import SILENT, Tracker

PackageRef = Sequence[int] | Mapping[str, str | int | float]


def package_digits(scenario: Scenario, package: PackageRef) -> tuple[int, ...]:
    """Option indices of a package given as indices or as {issue: option} changes."""
    if isinstance(package, Mapping):
        return scenario.package(package)
    return tuple(int(x) for x in package)


def chosen_package(
    scenario: Scenario,
    package: PackageRef | None,
    proposal: int | None,
    max_packages: int = DEFAULT_LIMIT,
    tracker: Tracker = SILENT,
) -> tuple[int, ...]:
    """The package a job works on: the one given, else proposal ``proposal`` (default 1, the
    Nash one) of the analysis at the point values; giving both is a user error."""
    if package and proposal is not None:
        raise DealcraftError("give either --proposal N or issue=option changes, not both")
    if package:
        return package_digits(scenario, package)
    return nth_proposal(scenario, 1 if proposal is None else proposal, max_packages, tracker)


@dataclass(frozen=True)
class EvaluateOutput:
    """Every stakeholder's and party's verdict on one package."""

    scenario: Scenario
    evaluation: Evaluation

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft evaluate --json` prints."""
        return evaluation_json(self.scenario, self.evaluation)


def evaluate(scenario: Scenario, package: PackageRef) -> EvaluateOutput:
    """Who accepts ``package``, by how much, and why not."""
    return EvaluateOutput(scenario, evaluate_package(scenario, package_digits(scenario, package)))


@dataclass(frozen=True)
class BridgeOutput:
    """A failed offer's verdicts and the acceptable package with the fewest changes."""

    scenario: Scenario
    bridge: Bridge

    def to_json(self) -> dict[str, Any]:
        """What `dealcraft bridge --json` prints."""
        sc, b = self.scenario, self.bridge
        return {
            "original": evaluation_json(sc, b.original),
            "bridge": None if b.evaluation is None else evaluation_json(sc, b.evaluation),
            "changes": [{"issue": c.issue, "from": c.before, "to": c.after} for c in b.changes],
        }


def bridge(
    scenario: Scenario,
    package: PackageRef,
    *,
    max_packages: int = DEFAULT_LIMIT,
    method: str = "auto",
    tracker: Tracker = SILENT,
) -> BridgeOutput:
    """Why ``package`` fails and the acceptable package reachable with the fewest issue changes
    (``method``: enumerate, fold or auto, as for :func:`analyze`)."""
    digits = package_digits(scenario, package)
    with tracker.stage("searching", scenario.size) as advance:
        found = find_bridge(scenario, digits, progress=advance, max_packages=max_packages, method=method)
    return BridgeOutput(scenario, found)

"""Action for action: sequence a package's steps so every side's exposure stays within its trust."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealcraft.lazy import lazy_exports

_HOMES = {
    "Phase": "dealcraft.analysis.roadmap.plan",
    "Roadmap": "dealcraft.analysis.roadmap.plan",
    "at_once": "dealcraft.analysis.roadmap.plan",
    "roadmap": "dealcraft.analysis.roadmap.plan",
    "StepProblem": "dealcraft.analysis.roadmap.problem",
    "build_problem": "dealcraft.analysis.roadmap.problem",
}
__all__ = [
    "Phase",
    "Roadmap",
    "StepProblem",
    "at_once",
    "build_problem",
    "roadmap",
]

if TYPE_CHECKING:
    from dealcraft.analysis.roadmap.plan import Phase, Roadmap, at_once, roadmap
    from dealcraft.analysis.roadmap.problem import StepProblem, build_problem

__getattr__ = lazy_exports(__name__, _HOMES)

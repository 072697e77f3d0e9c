"""Action for action: sequence a package's steps so every side's exposure stays within its trust."""

from dealcraft.analysis.roadmap.api import Phase, Roadmap, at_once, roadmap, to_json
from dealcraft.analysis.roadmap.model import StepProblem, build_problem

__all__ = ["Phase", "Roadmap", "StepProblem", "at_once", "build_problem", "roadmap", "to_json"]

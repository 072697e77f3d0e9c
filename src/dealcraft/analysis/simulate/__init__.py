"""Simulated bargaining: agents with strategies, protocols, level-II ratification, Monte Carlo.

Entry point: :func:`simulate` (runs); the summary of the runs is in
:mod:`dealcraft.service.bargaining_json`. To add a bargaining strategy, subclass :class:`Strategy`
and :func:`register` it (one class in :mod:`~dealcraft.analysis.simulate.strategies`).
"""

from dealcraft.analysis.simulate.candidates import Candidates, candidates
from dealcraft.analysis.simulate.projection import project
from dealcraft.analysis.simulate.runner import Simulation, parse_strategies, simulate
from dealcraft.analysis.simulate.state import DEADLINE, DEAL, RATIFICATION_FAILURE, WALKOUT, Settings
from dealcraft.analysis.simulate.strategies import STRATEGIES, Strategy, aspiration, register, strategy

__all__ = [
    "DEADLINE",
    "DEAL",
    "RATIFICATION_FAILURE",
    "STRATEGIES",
    "WALKOUT",
    "Candidates",
    "Settings",
    "Simulation",
    "Strategy",
    "aspiration",
    "candidates",
    "parse_strategies",
    "project",
    "register",
    "simulate",
    "strategy",
]

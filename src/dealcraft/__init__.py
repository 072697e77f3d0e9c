"""dealcraft: analyse and prepare negotiations.

The names most used from Python are re-exported here::

    import dealcraft
    scenario = dealcraft.load("hanoi-2019")
    result = dealcraft.analyze(scenario, k=3)
"""

from dealcraft.analysis.analyze import analyze, to_json
from dealcraft.analysis.bridge import bridge
from dealcraft.analysis.evaluate import evaluate
from dealcraft.errors import DealcraftError, ScenarioError
from dealcraft.model.load import load, loads

__version__ = "0.1.0"

__all__ = [
    "DealcraftError",
    "ScenarioError",
    "__version__",
    "analyze",
    "bridge",
    "evaluate",
    "load",
    "loads",
    "to_json",
]

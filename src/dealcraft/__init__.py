"""dealcraft: analyse and prepare negotiations.

The names most used from Python are re-exported here::

    import dealcraft
    scenario = dealcraft.load("hanoi-2019")
    result = dealcraft.analyze(scenario, k=3)

Every job an interface runs (with its JSON form) is in :mod:`dealcraft.service`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealcraft.lazy import lazy_exports

__version__ = "0.1.0"

# name -> module; imported on first use so that `import dealcraft` (and the CLI's start-up)
# does not pay for the schema and the engine until they are needed.
_HOMES = {
    "DealcraftError": "dealcraft.errors",
    "ScenarioError": "dealcraft.errors",
    "analyze": "dealcraft.analysis.analyze",
    "bridge": "dealcraft.analysis.bridge",
    "evaluate": "dealcraft.analysis.evaluate",
    "load": "dealcraft.model.load",
    "loads": "dealcraft.model.load",
    "dumps": "dealcraft.model.load",
    "to_json": "dealcraft.service.analysis:analysis_json",
}
__all__ = [
    "DealcraftError",
    "ScenarioError",
    "__version__",
    "analyze",
    "bridge",
    "dumps",
    "evaluate",
    "load",
    "loads",
    "to_json",
]

if TYPE_CHECKING:
    from dealcraft.analysis.analyze import analyze
    from dealcraft.analysis.bridge import bridge
    from dealcraft.analysis.evaluate import evaluate
    from dealcraft.errors import DealcraftError, ScenarioError
    from dealcraft.model.load import dumps, load, loads
    from dealcraft.service.analysis import analysis_json as to_json


__getattr__ = lazy_exports(__name__, _HOMES)

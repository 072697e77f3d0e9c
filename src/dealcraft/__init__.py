"""dealcraft: analyse and prepare negotiations.

The public library API lives in :mod:`dealcraft.api`; the most used names are
re-exported here.
"""

from dealcraft.errors import DealcraftError, ScenarioError

__version__ = "0.1.0"

__all__ = ["DealcraftError", "ScenarioError", "__version__"]

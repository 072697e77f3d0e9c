"""Analyses built on the engine: evaluation, proposals, bridges, observations, roadmaps...

Main modules: :mod:`~dealcraft.analysis.analyze` (the full exact analysis of a scenario),
:mod:`~dealcraft.analysis.evaluate` (one package's verdicts), :mod:`~dealcraft.analysis.bridge`
(repair a failed offer), :mod:`~dealcraft.analysis.proposals`, :mod:`~dealcraft.analysis.explain`
(who gives and gets what), :mod:`~dealcraft.analysis.observations`; subpackages
:mod:`~dealcraft.analysis.roadmap` (action-for-action sequencing),
:mod:`~dealcraft.analysis.uncertainty` (Monte Carlo, robustness, sensitivity, calibration) and
:mod:`~dealcraft.analysis.simulate` (simulated bargaining).
"""

# Nothing is re-exported: import the modules directly. Importing this package loads nothing,
# so one analysis never pays for the libraries of another (OR-Tools, SciPy, Dask).
__all__: list[str] = []

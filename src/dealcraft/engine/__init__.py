"""Engine: vectorised numpy computations over the package space. No pydantic in here.

Main modules: :mod:`~dealcraft.engine.space` (package numbers, head/tail split, blocks),
:mod:`~dealcraft.engine.utility` (additive utility tables), :mod:`~dealcraft.engine.acceptance`
(stakeholder verdicts, party ratification), :mod:`~dealcraft.engine.block_verdicts` and
:mod:`~dealcraft.engine.scan` (one pass over the whole space), :mod:`~dealcraft.engine.frontier`
(Pareto frontier, bargaining solutions), :mod:`~dealcraft.engine.sampling` and
:mod:`~dealcraft.engine.sampled` (uncertain numbers, many samples at once).
"""

# Nothing is re-exported: import the submodules directly. Importing this package loads
# nothing, so a caller pays only for the modules it uses (start-up time matters for the CLI).
__all__: list[str] = []

"""Model layer: the scenario file format, its validation and its compiled numeric form.

Main modules: :mod:`~dealcraft.model.load` (read files and built-in scenarios),
:mod:`~dealcraft.model.schema` (the file format as pydantic models), :mod:`~dealcraft.model.build`
(cross-checks, compilation), :mod:`~dealcraft.model.scenario` (the compiled :class:`Scenario`
everything above this layer works on), with :mod:`~dealcraft.model.expr` (constraints),
:mod:`~dealcraft.model.numbers` (judgment numbers), :mod:`~dealcraft.model.steps` (roadmap steps)
and :mod:`~dealcraft.model.builtins` (the shipped scenarios).
"""

# Nothing is re-exported: import the submodules directly. Importing this package loads
# nothing, so a caller pays only for the modules it uses (start-up time matters for the CLI).
__all__: list[str] = []

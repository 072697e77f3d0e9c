"""The briefing book: one self-contained HTML report (and PDF) of every analysis of a scenario.

``collect`` runs the analyses through ``report.data`` (the same JSON as the CLI's ``--json``),
``build`` words and charts each section, ``render`` writes the page, ``pdf`` prints it."""

# Nothing is re-exported: import the modules directly, so `dealcraft --help` never loads Jinja2
# or Plotly.
__all__: list[str] = []

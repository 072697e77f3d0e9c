"""Evidence behind the numbers: source corpora, checked locators and quotes, coverage, search.

A corpus is a folder of documents (.txt, .md, .html/.htm, .pdf) whose file names are the
document ids that scenario sources cite. Modules: ``documents`` (reading each file type into
paragraphs), ``locator`` (``paragraph 12``, ``page 2, paragraph 3``), ``quotes`` (normalised
matching), ``check`` (every source + coverage of the numbers), ``index`` (SQLite FTS5 search),
``suggest`` (passages for unsourced numbers), ``scenario`` (loading a scenario with its corpus).
The jobs that combine them, and their JSON, are in :mod:`dealcraft.service.evidence`.
"""

# Nothing is re-exported: import the modules directly, so a caller loads only the readers it needs.
__all__: list[str] = []

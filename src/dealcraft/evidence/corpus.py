"""A corpus folder: its documents by id (file name), read once each."""

from __future__ import annotations

from pathlib import Path

from dealcraft.evidence.documents import Document, DocumentError, corpus_files, kind_of, read_document


class MissingDocument(LookupError):
    """The cited document is not in the corpus (or is not a file name)."""


class Corpus:
    """The documents of one folder by id; each is parsed on first use and kept, because a
    scenario cites the same document many times."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.files = {p.name: p for p in corpus_files(self.folder)}
        self._cache: dict[str, Document | DocumentError] = {}

    def document(self, doc_id: str) -> Document:
        """The parsed document; MissingDocument or DocumentError with a message for the user."""
        if "/" in doc_id or "\\" in doc_id:
            raise MissingDocument(f"{doc_id!r} is a path: a document id is a file name inside the corpus")
        if doc_id not in self.files:
            hint = "" if kind_of(Path(doc_id)) else " (documents are .txt, .md, .html, .htm or .pdf)"
            raise MissingDocument(f"no document {doc_id!r} in {self.folder}{hint}")
        if doc_id not in self._cache:
            try:
                self._cache[doc_id] = read_document(self.files[doc_id])
            except DocumentError as e:
                self._cache[doc_id] = e
        found = self._cache[doc_id]
        if isinstance(found, DocumentError):
            raise found
        return found

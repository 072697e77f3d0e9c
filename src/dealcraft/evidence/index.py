"""Full-text search over a corpus: an SQLite FTS5 index (bm25, porter + unicode61 tokenizer).

The index lives in one SQLite file, by default in the user cache directory (one file per
corpus folder, named by a hash of its absolute path), so read-only corpora work and the
corpus folder stays clean; ``path`` chooses another place. :meth:`Index.refresh` re-reads only
files whose content hash changed (size and modification time are checked first, so an
unchanged corpus is not re-hashed) and drops files that disappeared.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dealcraft.errors import DealcraftError
from dealcraft.evidence.documents import DocumentError, corpus_files, read_document

SCHEMA_VERSION = "2"
TOKENIZER = "porter unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class Hit:
    """One paragraph that matches a search, with its locator and a snippet to show."""

    doc: str
    at: str
    score: float  # -bm25: higher is better
    snippet: str  # matched words between ** markers
    text: str
    all_words: bool  # the paragraph holds every query term


@dataclass
class Refresh:
    """What bringing the index up to date did, so the user sees why a search took longer."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # file -> why it could not be read

    @property
    def changed(self) -> bool:
        """Whether any document was added, re-read or removed."""
        return bool(self.added or self.updated or self.removed)


def default_index_path(corpus: Path) -> Path:
    """One index file per corpus folder in the user cache directory (the corpus may be read-only)."""
    from platformdirs import user_cache_dir

    key = hashlib.sha256(str(Path(corpus).resolve()).encode()).hexdigest()[:16]
    return Path(user_cache_dir("dealcraft")) / "evidence" / f"{Path(corpus).resolve().name}-{key}.sqlite"


class Index:
    """A SQLite FTS5 index of a corpus's paragraphs, refreshed per file by content hash so a
    changed corpus costs only the changed files."""

    def __init__(self, corpus: Path, path: Path | None = None):
        self.corpus = Path(corpus)
        self.path = Path(path) if path is not None else default_index_path(self.corpus)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path)
            self._schema()
        except (OSError, sqlite3.Error) as e:
            raise DealcraftError(
                f"index {self.path}: cannot open it ({e}); choose another place with --index PATH"
            ) from None

    def close(self) -> None:
        """Close the database (the index stays on disk for the next search)."""
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _schema(self) -> None:
        db = self.db
        db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            db.executescript("DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS paragraphs;")
        db.executescript(
            f"""
            CREATE TABLE IF NOT EXISTS files(
                name TEXT PRIMARY KEY, hash TEXT NOT NULL, size INTEGER, mtime_ns INTEGER, error TEXT,
                first_row INTEGER, rows INTEGER);
            CREATE VIRTUAL TABLE IF NOT EXISTS paragraphs
                USING fts5(text, doc UNINDEXED, at UNINDEXED, tokenize='{TOKENIZER}');
            INSERT OR REPLACE INTO meta VALUES ('version', '{SCHEMA_VERSION}');
            """
        )
        db.commit()

    def refresh(self, progress: Callable[[int, int], None] | None = None) -> Refresh:
        """Bring the index up to date with the corpus folder; ``progress(done, total)``."""
        stats = Refresh()
        files = corpus_files(self.corpus)
        known = {
            name: (h, size, mtime, err)
            for name, h, size, mtime, err in self.db.execute(
                "SELECT name, hash, size, mtime_ns, error FROM files"
            )
        }
        with self.db:
            for gone in sorted(set(known) - {p.name for p in files}):
                self._drop(gone)
                stats.removed.append(gone)
            for k, path in enumerate(files):
                self._refresh_file(path, known.get(path.name), stats)
                if progress:
                    progress(k + 1, len(files))
        return stats

    def _refresh_file(self, path: Path, known: tuple | None, stats: Refresh) -> None:
        st = path.stat()
        if known and known[1] == st.st_size and known[2] == st.st_mtime_ns:
            stats.unchanged += 1
            if known[3]:
                stats.errors[path.name] = known[3]
            return
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if known and known[0] == digest:
            self.db.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE name = ?",
                (st.st_size, st.st_mtime_ns, path.name),
            )
            stats.unchanged += 1
            if known[3]:
                stats.errors[path.name] = known[3]
            return
        if known:
            self._drop(path.name)
        error, first, rows = None, None, 0
        try:
            doc = read_document(path)
            # Consecutive rowids per file, so dropping a file is a range delete, not a table scan.
            first = self.db.execute("SELECT coalesce(max(rowid), 0) + 1 FROM paragraphs").fetchone()[0]
            rows = len(doc.paragraphs)
            self.db.executemany(
                "INSERT INTO paragraphs(rowid, text, doc, at) VALUES (?, ?, ?, ?)",
                [(first + k, p.text, doc.id, p.at) for k, p in enumerate(doc.paragraphs)],
            )
        except DocumentError as e:
            error = str(e)
            stats.errors[path.name] = error
        self.db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
            (path.name, digest, st.st_size, st.st_mtime_ns, error, first, rows),
        )
        (stats.updated if known else stats.added).append(path.name)

    def _drop(self, name: str) -> None:
        row = self.db.execute("SELECT first_row, rows FROM files WHERE name = ?", (name,)).fetchone()
        if row and row[0] is not None:
            self.db.execute(
                "DELETE FROM paragraphs WHERE rowid BETWEEN ? AND ?", (row[0], row[0] + row[1] - 1)
            )
        self.db.execute("DELETE FROM files WHERE name = ?", (name,))

    def count(self) -> int:
        """The number of indexed paragraphs."""
        return self.db.execute("SELECT count(*) FROM paragraphs").fetchone()[0]

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """Ranked paragraphs: those holding every query term first, each group by bm25."""
        every, some = fts_queries(query)
        hits: list[Hit] = []
        seen: set[tuple[str, str]] = set()
        for match, complete in [(every, True)] + ([(some, False)] if some != every else []):
            if len(hits) >= limit:
                break
            for hit in self._match(match, limit + len(hits), complete):
                if (hit.doc, hit.at) not in seen and len(hits) < limit:
                    seen.add((hit.doc, hit.at))
                    hits.append(hit)
        return hits

    def _match(self, match: str, limit: int, complete: bool) -> list[Hit]:
        rows = self.db.execute(
            "SELECT doc, at, bm25(paragraphs), snippet(paragraphs, 0, '**', '**', '…', 16), text "
            "FROM paragraphs WHERE paragraphs MATCH ? ORDER BY bm25(paragraphs), rowid LIMIT ?",
            (match, limit),
        ).fetchall()
        return [Hit(doc, at, round(-rank, 4), snip, text, complete) for doc, at, rank, snip, text in rows]


_TERM = re.compile(r'"([^"]*)"|([\w]+)', re.UNICODE)


def fts_queries(query: str) -> tuple[str, str]:
    """(all terms, any term) as FTS5 match strings. Every term is quoted, so the user's text
    never reaches FTS5's own syntax: ``"..."`` keeps a phrase, other punctuation separates
    words, and AND/OR/NEAR/* are searched as plain words."""
    terms = []
    for phrase, word in _TERM.findall(query):
        words = re.findall(r"\w+", phrase) if phrase else [word]
        if words and words != [""]:
            terms.append('"' + " ".join(words) + '"')
    terms = list(dict.fromkeys(terms))
    if not terms:
        raise DealcraftError(f"the query {query!r} has no words to search for: give one or more words")
    return " AND ".join(terms), " OR ".join(terms)

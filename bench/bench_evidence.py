"""Evidence search: indexing a corpus of 1,000 documents of ~1,000 words, and query latency.

Targets from the design: a full index in under 30 s and a query in under 50 ms. The baseline,
run in the same process on the same paragraphs, is a plain Python scan (every paragraph
lower-cased and searched for every query word), which is what search costs without an index.

Run: ``python bench/bench_evidence.py`` (about a minute).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dealcraft.evidence.documents import read_document  # noqa: E402
from dealcraft.evidence.index import Index  # noqa: E402

from results import write_section  # noqa: E402

DOCS = 1_000
PARAGRAPHS = 10  # per document
WORDS = 100  # per paragraph
QUERIES = 200


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return sorted({"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(size)})


def write_corpus(folder: Path, rng: random.Random, vocab: list[str]) -> None:
    weights = [1 / (k + 1) for k in range(len(vocab))]  # Zipf-like, as in real text
    for d in range(DOCS):
        paragraphs = [" ".join(rng.choices(vocab, weights, k=WORDS)) + "." for _ in range(PARAGRAPHS)]
        (folder / f"doc{d:04d}.txt").write_text("\n".join(paragraphs) + "\n", "utf-8")


def main() -> None:
    rng = random.Random(7)
    vocab = vocabulary(rng)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus, rng, vocab)
        index_path = Path(tmp) / "index.sqlite"

        start = time.perf_counter()
        ix = Index(corpus, index_path)
        stats = ix.refresh()
        full = time.perf_counter() - start
        assert len(stats.added) == DOCS and ix.count() == DOCS * PARAGRAPHS

        start = time.perf_counter()
        assert not ix.refresh().changed
        noop = time.perf_counter() - start

        for d in range(10):  # ten documents edited
            path = corpus / f"doc{d:04d}.txt"
            path.write_text(path.read_text("utf-8") + "an added closing line.\n", "utf-8")
            os.utime(path, ns=(d + 1, d + 1))
        start = time.perf_counter()
        assert len(ix.refresh().updated) == 10
        incremental = time.perf_counter() - start

        queries = [" ".join(rng.sample(vocab[50:2000], rng.randint(1, 3))) for _ in range(QUERIES)]
        latencies = []
        for q in queries:
            start = time.perf_counter()
            ix.search(q, 10)
            latencies.append(time.perf_counter() - start)
        ix.close()

        paragraphs = [p.text.lower() for f in sorted(corpus.iterdir()) for p in read_document(f).paragraphs]
        scan = []
        for q in queries[:20]:
            words = q.split()
            start = time.perf_counter()
            _ = [p for p in paragraphs if any(w in p for w in words)]
            scan.append(time.perf_counter() - start)

    median = statistics.median(latencies)
    p95 = sorted(latencies)[int(0.95 * len(latencies))]
    words = DOCS * PARAGRAPHS * WORDS
    body = "\n".join(
        [
            "## Evidence search (`bench/bench_evidence.py`)",
            "",
            f"{DOCS:,} generated text documents of {PARAGRAPHS * WORDS:,} words "
            f"({PARAGRAPHS} paragraphs each, {words:,} words in all, Zipf-distributed over a "
            "20,000-word vocabulary); SQLite FTS5 "
            "with the porter/unicode61 tokenizer; queries of 1–3 words, top 10 by bm25.",
            "",
            "| measure | time | target | share of target |",
            "|---|---:|---:|---:|",
            f"| full index (read, hash, insert) | {full:.2f} s | 30 s | {full / 30:.0%} |",
            f"| refresh, nothing changed | {noop * 1000:.0f} ms | | |",
            f"| refresh after 10 files changed | {incremental * 1000:.0f} ms | | |",
            f"| query, median of {QUERIES} | {median * 1000:.2f} ms | 50 ms | {median / 0.05:.1%} |",
            f"| query, 95th percentile | {p95 * 1000:.2f} ms | 50 ms | {p95 / 0.05:.1%} |",
            "",
            f"Baseline in the same run: scanning the {DOCS * PARAGRAPHS:,} paragraphs in Python for the "
            f"query words takes {statistics.median(scan) * 1000:.1f} ms a query (median of 20), "
            f"{statistics.median(scan) / median:.0f}× the indexed query "
            "(which also ranks and builds snippets).",
        ]
    )
    print(body)
    write_section("evidence", body)


if __name__ == "__main__":
    main()

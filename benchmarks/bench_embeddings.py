"""Which offline encoder finds the gold evidence: dense-only recall@5, BM25 for reference.

Searches the section and table passages of the shipped corpus (the passages
retrieval ranks) with each question of the dev gold set that has evidence. A
passage hits when it comes from an evidence document and contains one of its
quotes (whitespace removed); recall@5 is the share of evidence documents hit
in the top 5, "filtered" restricts the search to the gold documents (as
retrieval does once it has recognised the department).

    python benchmarks/bench_embeddings.py [--gold eval/gold/dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import ROOT, offline  # noqa: E402

ENCODERS = ("use-multilingual", "all-minilm")
K = 5
Ranker = Callable[[str, Sequence[str]], list[int]]  # (question, doc_ids) -> passage indexes


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def load_questions(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r.get("answerable") and r.get("evidence")]


def recall_at_k(questions: list[dict], chunks: list, rank: Ranker, filtered: bool) -> float:
    """Mean share of evidence documents with a quote in the top K passages."""
    from indexing.metadata import doc_id_for

    texts = [_squeeze(c.text) for c in chunks]
    total = 0.0
    for q in questions:
        quotes: dict[str, list[str]] = {}
        for ev in q["evidence"]:
            quotes.setdefault(doc_id_for(ev["doc"]), []).append(_squeeze(ev["quote"]))
        top = rank(q["question"], sorted(quotes) if filtered else [])[:K]
        hit = {
            doc
            for doc, wanted in quotes.items()
            if any(chunks[i].doc_id == doc and any(w in texts[i] for w in wanted) for i in top)
        }
        total += len(hit) / len(quotes)
    return total / len(questions)


def dense_ranker(name: str, chunks: list) -> tuple[Ranker, float]:
    from indexing.embeddings import get_embedder

    embedder = get_embedder(name)
    started = time.perf_counter()
    matrix = embedder.embed([c.text for c in chunks])
    seconds = time.perf_counter() - started
    doc_of = np.array([c.doc_id for c in chunks])

    def rank(question: str, doc_ids: Sequence[str]) -> list[int]:
        scores = matrix @ embedder.embed([question])[0]
        if doc_ids:
            scores = np.where(np.isin(doc_of, list(doc_ids)), scores, -2.0)
        return [int(i) for i in np.argsort(-scores)[: K * 2]]

    return rank, seconds


def bm25_ranker(chunks: list) -> Ranker:
    from retrieval.search import LexicalIndex

    index = LexicalIndex(chunks)

    def rank(question: str, doc_ids: Sequence[str]) -> list[int]:
        return [i for i, _ in index.search(question, K * 2, doc_ids=doc_ids)]

    return rank


def main() -> None:
    offline()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold" / "dev.jsonl")
    args = parser.parse_args()
    from indexing.pipeline import discover, parse_document

    chunks = [
        c
        for path in discover([ROOT / "data"])
        for c in parse_document(path).chunks
        if c.kind in ("section", "table")
    ]
    questions = load_questions(args.gold)
    print(f"{len(questions)} questions with evidence, {len(chunks)} section/table passages\n")
    print(f"| retriever | recall@{K} | recall@{K} filtered | encode s |")
    print("|---|---|---|---|")
    for name in ENCODERS:
        rank, seconds = dense_ranker(name, chunks)
        row = [recall_at_k(questions, chunks, rank, f) for f in (False, True)]
        print(f"| dense {name} | {row[0]:.2f} | {row[1]:.2f} | {seconds:.1f} |")
    rank = bm25_ranker(chunks)
    row = [recall_at_k(questions, chunks, rank, f) for f in (False, True)]
    print(f"| BM25 (LexicalIndex) | {row[0]:.2f} | {row[1]:.2f} | - |")


if __name__ == "__main__":
    main()

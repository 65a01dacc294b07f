"""A plain llama-index RAG over the same documents, as a peer to compare with.

Fixed-size chunks, one vector index, the same embedder as ours, no tables,
no sections, no figures store and no LLM: what a team would get from the
llama-index starter example. If our structure-aware pipeline does not beat
this on the same questions, the structure is not paying for itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from time import perf_counter
from typing import Any

from config import Settings
from eval.gold import GoldItem
from eval.matching import missing
from eval.score import BaselineScore, retrieval_scores, top_sources
from retrieval.records import Retrieved

log = logging.getLogger(__name__)

CHUNK_SIZE = 512
CHUNK_OVERLAP = 64


class BaselineError(RuntimeError):
    """The baseline cannot be built (no documents, no embedder)."""


def _embed_model(settings: Settings) -> Any:
    """Our configured embedder as a llama-index `BaseEmbedding`."""
    from indexing import embeddings

    embedder = embeddings.get_embedder(settings.embed_model)
    return embeddings.llama_index_embedding(embedder)


def corpus_paths(data_dir: Path) -> list[Path]:
    """The text documents of the corpus (README files are not documents)."""
    paths = sorted(p for p in data_dir.glob("*.txt") if p.is_file())
    if not paths:
        raise BaselineError(f"no .txt documents in {data_dir}: set JUESUAN_DATA_DIR")
    return paths


def build_retriever(
    settings: Settings, k: int, embed_model: Any = None, chunk_size: int = CHUNK_SIZE
) -> Any:
    """A llama-index vector retriever over fixed-size chunks of data_dir.

    `embed_model` defaults to ours, so the comparison isolates what our
    indexing adds, not which encoder is better.
    """
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core.node_parser import SentenceSplitter

    LlamaSettings.llm = None
    documents = [
        Document(
            text=path.read_text(encoding="utf-8"),
            metadata={"source": path.name, "doc_id": path.stem},
        )
        for path in corpus_paths(settings.data_dir)
    ]
    splitter = SentenceSplitter(chunk_size=chunk_size, chunk_overlap=CHUNK_OVERLAP)
    nodes = splitter.get_nodes_from_documents(documents)
    log.info("baseline: %d chunks from %d documents", len(nodes), len(documents))
    index = VectorStoreIndex(nodes, embed_model=embed_model or _embed_model(settings))
    return index.as_retriever(similarity_top_k=k)


def query_text(item: GoldItem) -> str:
    """What a plain RAG searches with: earlier questions, then this one.

    A starter RAG has no question rewriting; joining the conversation's
    questions is the least it needs to answer a follow-up at all.
    """
    return " ".join([turn.q for turn in item.history] + [item.question])


def _passages(results: Iterable[Any]) -> tuple[Retrieved, ...]:
    """llama-index's nodes as the records our own answers rank (kind "passage", no section)."""
    return tuple(
        Retrieved(
            text=r.node.get_content(),
            doc_id=r.node.metadata.get("doc_id", ""),
            source=r.node.metadata.get("source", ""),
            kind="passage",
            where="",
            score=r.score,
        )
        for r in results
    )


def score_baseline(
    item: GoldItem, passages: tuple[Retrieved, ...], latency_ms: float, k: int
) -> BaselineScore:
    """Retrieval scores, and whether the top chunk alone holds the whole answer."""
    recall, rr = retrieval_scores(item.evidence, passages, k)
    top = passages[0].text if passages else ""
    contains = not missing(top, item.must_include, item.unit) if item.answerable else None
    return BaselineScore(
        id=item.id,
        type=item.type,
        lang=item.lang,
        answerable=item.answerable,
        top_chunk_correct=contains,
        recall=recall,
        reciprocal_rank=rr,
        latency_ms=latency_ms,
        top_sources=top_sources(passages),
    )


def run_baseline(
    items: list[GoldItem], settings: Settings, k: int, progress: bool = True
) -> list[BaselineScore]:
    """Every gold question through the plain retriever."""
    from tqdm import tqdm

    retriever = build_retriever(settings, k)
    scores = []
    for item in tqdm(items, desc="baseline", unit="q", disable=not progress):
        start = perf_counter()
        passages = _passages(retriever.retrieve(query_text(item)))
        latency = (perf_counter() - start) * 1000
        scores.append(score_baseline(item, passages, latency, k))
    return scores

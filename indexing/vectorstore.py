"""The vector store: passages and figure sentences in chromadb, through llama-index.

Embedded (`PersistentClient`) by default; a Chroma server (`HttpClient`) when
JUESUAN_CHROMA_HOST is set. Records are written as llama-index `TextNode`s via
`ChromaVectorStore`, with embeddings computed by our own encoder (a collection
without our function would try to download chromadb's ONNX model).

Each record id carries the content hash of its document version. A new version
is added before the SQL store switches to it and the old one is deleted after,
so a crash at any point leaves a complete, usable version behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from config import Settings, offline
from indexing.embeddings import Embedder, chroma_function
from indexing.records import Chunk

log = logging.getLogger(__name__)
BATCH = 256
PAGE = 5000  # ids listed or deleted per call


def vector_id(chunk_id: str, sha256: str) -> str:
    """A passage's record id: the chunk and the document version (content hash) it is of."""
    return f"{chunk_id}@{sha256[:12]}"


def _client(settings: Settings) -> Any:
    offline()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class ChunkStore:
    """Dense search over passages; one collection per embedding model."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.embedder = embedder
        name = f"{settings.collection}-{_slug(embedder.name)}"
        self.collection = _client(settings).get_or_create_collection(
            name=name,
            embedding_function=chroma_function(embedder),
            metadata={"hnsw:space": "cosine"},
        )
        self.store = ChromaVectorStore(chroma_collection=self.collection)

    def add(self, chunks: Sequence[Chunk], sha256: str) -> int:
        """Write one document version's passages; returns how many were embedded.

        A passage whose text is already stored for this document (the previous
        version) keeps its vector: correcting one number in a re-uploaded file
        re-embeds the few passages that changed, not the whole document.
        """
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        known = self._stored_vectors(chunks[0].doc_id) if chunks else {}
        embedded = 0
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start : start + BATCH]
            missing = list(dict.fromkeys(c.text for c in batch if c.text not in known))
            if missing:
                known.update(zip(missing, self.embedder.embed(missing), strict=True))
                embedded += len(missing)
            nodes = [
                TextNode(
                    id_=vector_id(c.chunk_id, sha256),
                    text=c.text,
                    embedding=[float(x) for x in known[c.text]],
                    metadata=_flat(c, sha256),
                    excluded_embed_metadata_keys=list(_flat(c, sha256)),
                    excluded_llm_metadata_keys=list(_flat(c, sha256)),
                    # ChromaVectorStore writes the source node id into the
                    # `doc_id` metadata; without it every record says "None"
                    # and filtering or deleting by document matches nothing.
                    relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=c.doc_id)},
                )
                for c in batch
            ]
            self.store.add(nodes)
        return embedded

    def _stored_vectors(self, doc_id: str) -> dict[str, Any]:
        """Text -> vector of the passages already stored for a document."""
        stored = self.collection.get(where={"doc_id": doc_id}, include=["documents", "embeddings"])
        texts = stored.get("documents") or []
        vectors = stored.get("embeddings")
        if vectors is None:
            return {}
        return dict(zip(texts, vectors, strict=True))

    def ids(self, doc_id: str) -> list[str]:
        """Record ids stored for a document (`chunk_id@sha12`), for audits and tests.

        A filter on metadata: it reads through the collection, so it grows with it."""
        return list(self.collection.get(where={"doc_id": doc_id}, include=[])["ids"])

    def has(self, ids: Iterable[str]) -> bool:
        """Whether every one of these records is stored (a look-up by id, not a scan)."""
        wanted = set(ids)
        if not wanted:
            return True
        return len(set(self.collection.get(ids=list(wanted), include=[])["ids"])) == len(wanted)

    def all_ids(self) -> list[str]:
        """Every record id in the collection (a scan, in pages): for the orphan check."""
        found: list[str] = []
        while page := self.collection.get(include=[], limit=PAGE, offset=len(found))["ids"]:
            found += page
        return found

    def delete_ids(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), PAGE):
            self.collection.delete(ids=list(ids[start : start + PAGE]))

    def remove(self, doc_id: str, keep_sha256: str | None = None) -> None:
        """Delete a document's passages, except the version being kept."""
        where: dict[str, Any] = {"doc_id": doc_id}
        if keep_sha256:
            where = {"$and": [{"doc_id": doc_id}, {"sha256": {"$ne": keep_sha256}}]}
        self.collection.delete(where=where)

    def search(
        self, query: str, top_k: int, doc_ids: Sequence[str] = (), kinds: Sequence[str] = ()
    ) -> list[tuple[str, float, dict[str, Any]]]:
        """(chunk_id, cosine similarity, metadata), best first."""
        from llama_index.core.vector_stores import (
            FilterCondition,
            FilterOperator,
            MetadataFilter,
            MetadataFilters,
            VectorStoreQuery,
        )

        filters = []
        if doc_ids:
            filters.append(
                MetadataFilter(key="doc_id", value=list(doc_ids), operator=FilterOperator.IN)
            )
        if kinds:
            filters.append(
                MetadataFilter(key="kind", value=list(kinds), operator=FilterOperator.IN)
            )
        result = self.store.query(
            VectorStoreQuery(
                query_embedding=self.embedder.embed([query])[0].tolist(),
                similarity_top_k=top_k,
                filters=MetadataFilters(filters=filters, condition=FilterCondition.AND)
                if filters
                else None,
            )
        )
        hits = []
        for node, score in zip(result.nodes or [], result.similarities or [], strict=False):
            hits.append((node.metadata["chunk_id"], float(score), dict(node.metadata)))
        return hits

    def count(self) -> int:
        return int(self.collection.count())


def _flat(chunk: Chunk, sha256: str) -> dict[str, Any]:
    """Chroma metadata must be flat scalars."""
    meta = {k: v for k, v in chunk.metadata.items() if isinstance(v, str | int | float | bool)}
    loc = chunk.locator
    return meta | {
        "chunk_id": chunk.chunk_id,
        "kind": chunk.kind,
        "sha256": sha256,
        "line_start": loc.line_start,
        "line_end": loc.line_end,
        "page_start": loc.page_start or 0,
    }


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")[:40]

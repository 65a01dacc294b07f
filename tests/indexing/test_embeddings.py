"""The offline encoder and the adapters chromadb and llama-index call it through."""

from __future__ import annotations

import numpy as np
import pytest

from indexing.embeddings import (
    USE_MULTILINGUAL,
    Embedder,
    chroma_function,
    get_embedder,
    llama_index_embedding,
)

PASSAGES = [
    "2024年度一般公共预算财政拨款“三公”经费支出决算中，公务接待费支出决算32.73万元。",
    "住房公积金支出决算69.09万元，主要用于按规定为职工缴纳住房公积金。",
]
QUERY = "三公经费里的公务接待费花了多少钱？"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder(USE_MULTILINGUAL)


def test_use_multilingual_gives_normalised_512_dimensional_vectors(embedder: Embedder) -> None:
    vectors = embedder.embed([QUERY, *PASSAGES])
    assert (embedder.name, embedder.dim) == (USE_MULTILINGUAL, 512)
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, 512)


def test_encoder_is_loaded_once_per_process(embedder: Embedder) -> None:
    assert get_embedder(USE_MULTILINGUAL) is embedder


def test_chinese_query_is_closer_to_its_matching_passage(embedder: Embedder) -> None:
    query, matching, unrelated = embedder.embed([QUERY, *PASSAGES])
    assert float(query @ matching) > float(query @ unrelated) + 0.05


def test_chroma_adapter_returns_the_encoder_vectors(embedder: Embedder) -> None:
    function = chroma_function(embedder)
    vectors = function(PASSAGES)
    np.testing.assert_allclose(np.asarray(vectors), embedder.embed(PASSAGES), atol=1e-6)
    assert function.get_config() == {"model": USE_MULTILINGUAL}


def test_llama_index_adapter_returns_the_encoder_vectors(embedder: Embedder) -> None:
    adapter = llama_index_embedding(embedder)
    expected = embedder.embed([QUERY, *PASSAGES])
    np.testing.assert_allclose(adapter.get_query_embedding(QUERY), expected[0], atol=1e-6)
    np.testing.assert_allclose(adapter.get_text_embedding_batch(PASSAGES), expected[1:], atol=1e-6)

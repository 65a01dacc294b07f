"""Passage search (`retrieval.search`) and its tokens (`indexing.tokens`) on the real index."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from config import Settings
from indexing.tokens import tokenize
from retrieval import search
from retrieval.engine import Engine, get_engine
from retrieval.search import LexicalIndex, hybrid_search

GUANXIAN = "000_14fd902755dfec5d"
ZAOZHUANG = "001_f4ec1982bbb312b3"
ALL_DOCS = (
    GUANXIAN,
    ZAOZHUANG,
    "002_6b8b447dd5f33aed",
    "003_5bf6c4be2fcbdf28",
    "004_8e0e4eb5d50c1166",
)


@pytest.fixture(scope="module")
def engine(built_index: Settings) -> Engine:
    return get_engine(built_index)


def test_tokenize_joins_a_number_split_by_stray_spaces() -> None:
    assert "4637.79" in tokenize("4, 637. 79")


def test_tokenize_makes_bigrams_of_chinese_runs() -> None:
    assert tokenize("公务接待费") == ["公务", "务接", "接待", "待费"]


def test_tokenize_drops_question_word_bigrams() -> None:
    assert "多少" not in tokenize("公务接待费是多少")


@pytest.mark.parametrize("doc_id", ALL_DOCS)
def test_lexical_search_finds_the_09_table_for_a_sangong_query_within_a_department(
    engine: Engine, doc_id: str
) -> None:
    hits = engine.lexical.search("“三公”经费支出决算", 3, [doc_id], ("table",))
    first = engine.lexical.chunks[hits[0][0]]
    assert first.doc_id == doc_id
    assert first.kind == "table" and first.metadata["table_id"] == "09"
    assert all(engine.lexical.chunks[i].doc_id == doc_id for i, _ in hits)


def test_lexical_search_finds_a_number_by_its_value(engine: Engine) -> None:
    hits = engine.lexical.search("1, 085. 76", 3)
    assert hits
    assert {engine.lexical.chunks[i].doc_id for i, _ in hits} == {ZAOZHUANG}
    assert "1085.76" in tokenize(engine.lexical.chunks[hits[0][0]].text)


def test_unknown_tokens_score_zero_instead_of_raising(engine: Engine) -> None:
    scores = engine.lexical.scores("qqqzzz 鑫鑫鑫 98765432")
    assert scores.shape == (len(engine.lexical.chunks),)
    assert not np.any(scores)
    assert engine.lexical.search("qqqzzz 鑫鑫鑫", 5) == []


def test_empty_lexical_index_returns_no_hits() -> None:
    index = LexicalIndex([])
    assert index.search("公务接待费", 5) == []


def test_hybrid_search_keeps_to_the_departments_and_kinds_asked(engine: Engine) -> None:
    hits = hybrid_search(engine.lexical, None, "政府采购支出总额", 5, [GUANXIAN], ("section",), 0.0)
    assert len(hits) == 5
    assert {(h.chunk.doc_id, h.chunk.kind) for h in hits} == {(GUANXIAN, "section")}
    assert [h.lexical_rank for h in hits] == [0, 1, 2, 3, 4]
    assert "政府采购支出总额 28.65 万元" in hits[0].chunk.text


def test_hybrid_search_fuses_dense_ranks_without_a_department_filter(engine: Engine) -> None:
    hits = hybrid_search(
        engine.lexical, engine.stores.chunks, "政府采购支出总额", 8, (), ("section",), 0.3
    )
    assert any(h.dense_rank is not None for h in hits)


def test_hybrid_search_fuses_dense_ranks_within_a_department_filter(engine: Engine) -> None:
    hits = hybrid_search(
        engine.lexical, engine.stores.chunks, "政府采购支出总额", 8, [GUANXIAN], ("section",), 0.3
    )
    assert any(h.dense_rank is not None for h in hits)


@pytest.mark.parametrize("kinds", [(), ("section",), ("section", "table")])
def test_scores_within_one_department_are_those_over_every_passage(
    engine: Engine, kinds: tuple[str, ...]
) -> None:
    lexical = engine.lexical
    within = lexical.positions([ZAOZHUANG], kinds)
    assert len(within) and {lexical.chunks[i].doc_id for i in within} == {ZAOZHUANG}
    assert not kinds or {lexical.chunks[i].kind for i in within} <= set(kinds)
    scoped = lexical.scores("公务接待费 决算数 2024", within)
    assert np.array_equal(scoped, lexical.scores("公务接待费 决算数 2024")[within])


def test_search_within_departments_ranks_as_over_every_passage(engine: Engine) -> None:
    lexical = engine.lexical
    query = "住房公积金 支出 决算"
    scores = lexical.scores(query)
    for scope in ([GUANXIAN], [GUANXIAN, ZAOZHUANG], list(ALL_DOCS)):
        hits = lexical.search(query, 12, scope, ("section", "table"))
        allowed = set(lexical.positions(scope, ("section", "table")))
        best = sorted((i for i in allowed if scores[i] > 0), key=lambda i: (-scores[i], i))
        assert [i for i, _ in hits] == best[:12]


def test_bm25_scores_are_those_of_bm25s_over_the_same_passages(engine: Engine) -> None:
    lexical = engine.lexical
    reference = bm25s.BM25()
    reference.index([tokenize(c.text) for c in lexical.chunks], show_progress=False)
    for query in ("公务接待费 决算数 2024", "住房公积金 支出 决算", "1085.76 政府采购"):
        known = [t for t in tokenize(query) if t in lexical.vocab]
        ours, theirs = lexical.scores(query), reference.get_scores(known)
        assert np.allclose(ours, theirs, rtol=1e-5, atol=1e-5), query
        assert list(np.argsort(-ours, kind="stable")[:10]) == list(
            np.argsort(-theirs, kind="stable")[:10]
        )


def test_removing_and_adding_back_a_document_scores_as_a_fresh_index(engine: Engine) -> None:
    lexical = engine.lexical
    query = "公务接待费 决算数 2024"
    before = lexical.scores(query)
    part = next(p for p in lexical.parts if p.doc_id == ZAOZHUANG)
    without = lexical.updated([ZAOZHUANG], [])
    fresh = LexicalIndex([c for c in lexical.chunks if c.doc_id != ZAOZHUANG])
    assert ZAOZHUANG not in {c.doc_id for c in without.chunks}
    assert [c.chunk_id for c in without.chunks] == [c.chunk_id for c in fresh.chunks]
    assert np.array_equal(without.scores(query), fresh.scores(query))
    back = without.updated([], [part])
    assert np.array_equal(back.scores(query), before)
    assert np.array_equal(lexical.scores(query), before)  # the index in use is left whole
    assert sum(p.doc_id == ZAOZHUANG for p in back.parts) == 1


def test_scores_over_many_documents_are_those_document_by_document(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "政府采购 支出 2024 公务接待费"
    lexical = LexicalIndex(engine.lexical.chunks)  # a fresh index: nothing cached
    by_document = lexical.scores(query)
    monkeypatch.setattr(search, "FEW_SEGMENTS", 0)  # every search takes the corpus-wide path
    assert np.array_equal(lexical.scores(query), by_document)
    within = lexical.positions([GUANXIAN, ZAOZHUANG], ("table",))
    assert np.array_equal(lexical.scores(query, within), by_document[within])
    assert by_document.max() > 0

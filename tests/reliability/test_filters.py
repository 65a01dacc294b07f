"""Filters are a contract: they never widen to documents they leave out.

A filter matching nothing used to answer from all documents (`scope =
list(query.doc_ids) or list(docs)`): `{"year": 2023}` gave the 2024 figures of
every department. A question about a department the filter leaves out was
answered about the filtered one.
"""

from __future__ import annotations

import pytest

from config import Settings
from retrieval import ask

from .conftest import GAOPING, ZAOZHUANG, App

NO_MATCH = "没有符合筛选条件的决算"
QUESTION = "2024年公务接待费是多少？"


@pytest.mark.parametrize(
    "filters",
    [{"year": 2023}, {"department": "枣庄市财政局"}, {"doc_ids": ["no-such-doc"]}],
    ids=["year", "department", "doc_ids"],
)
def test_a_filter_matching_no_document_declines(reader: App, filters: dict):
    body = reader.client.post("/api/ask", json={"question": QUESTION, "filters": filters}).json()
    assert body["declined"] is True
    assert NO_MATCH in body["answer"]
    assert body["citations"] == [] and body["figures"] == []


def test_a_filter_matching_no_document_declines_in_english(built_index: Settings):
    answer = ask("how much was 公务接待费?", filters={"year": 2023}, settings=built_index)
    assert answer.declined
    assert "no final account matches the filters" in answer.text
    assert answer.citations == ()


def test_a_question_about_a_department_outside_the_filter_says_so(built_index: Settings):
    answer = ask(
        "枣庄市人民政府办公室2024年公务接待费是多少？",
        filters={"doc_ids": [GAOPING]},
        settings=built_index,
    )
    assert answer.declined
    assert "问题问的是枣庄市人民政府办公室，不在筛选范围内" in answer.text
    assert "筛选后只有高平市人民政府办公室" in answer.text
    assert "32.73" not in answer.text and answer.citations == ()


def test_an_english_question_outside_the_filter_says_so_in_english(built_index: Settings):
    answer = ask(
        "how much was 公务接待费 in Zaozhuang", filters={"doc_ids": [GAOPING]}, settings=built_index
    )
    assert answer.declined
    assert "which the filters leave out" in answer.text
    assert "Zaozhuang" in answer.text


def test_a_place_no_document_covers_is_named_under_a_filter_too(built_index: Settings):
    answer = ask(
        "滕州市人民政府办公室2024年的公务接待费是多少？",
        filters={"doc_ids": [ZAOZHUANG, GAOPING]},
        settings=built_index,
    )
    assert answer.declined and "没有滕州市的决算" in answer.text


def test_a_filter_naming_the_asked_department_still_answers(built_index: Settings):
    answer = ask(QUESTION, filters={"doc_ids": [ZAOZHUANG]}, settings=built_index)
    assert not answer.declined
    assert "32.73" in answer.text
    assert {c.doc_id for c in answer.citations} == {ZAOZHUANG}

"""Filters are a contract: they never widen to documents they leave out.

A filter matching nothing used to answer from all documents (`scope =
list(query.doc_ids) or list(docs)`): `{"year": 2023}` gave the 2024 figures of
every department. A question about a department the filter leaves out was
answered about the filtered one.
"""

from __future__ import annotations

import gradio as gr
import pytest

from config import Settings
from retrieval import ask
from retrieval.records import Filters
from web import handlers
from web.labels import labels

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
    answer = ask("how much was 公务接待费?", filters=Filters(year=2023), settings=built_index)
    assert answer.declined
    assert "no final account matches the filters" in answer.text
    assert answer.citations == ()


def test_a_question_about_a_department_outside_the_filter_says_so(built_index: Settings):
    answer = ask(
        "枣庄市人民政府办公室2024年公务接待费是多少？",
        filters=Filters(doc_ids=(GAOPING,)),
        settings=built_index,
    )
    assert answer.declined
    assert "问题问的是枣庄市人民政府办公室，不在筛选范围内" in answer.text
    assert "筛选后只有高平市人民政府办公室" in answer.text
    assert "32.73" not in answer.text and answer.citations == ()


def test_an_english_question_outside_the_filter_says_so_in_english(built_index: Settings):
    answer = ask(
        "how much was 公务接待费 in Zaozhuang",
        filters=Filters(doc_ids=(GAOPING,)),
        settings=built_index,
    )
    assert answer.declined
    assert "which the filters leave out" in answer.text
    assert "Zaozhuang" in answer.text


def test_a_place_no_document_covers_is_named_under_a_filter_too(built_index: Settings):
    answer = ask(
        "滕州市人民政府办公室2024年的公务接待费是多少？",
        filters=Filters(doc_ids=(ZAOZHUANG, GAOPING)),
        settings=built_index,
    )
    assert answer.declined and "没有滕州市的决算" in answer.text


def test_a_filter_naming_the_asked_department_still_answers(built_index: Settings):
    answer = ask(QUESTION, filters=Filters(doc_ids=(ZAOZHUANG,)), settings=built_index)
    assert not answer.declined
    assert "32.73" in answer.text
    assert {c.doc_id for c in answer.citations} == {ZAOZHUANG}


@pytest.mark.parametrize(
    ("filters", "named"),
    [
        ({"yaer": 2024}, "unknown filter 'yaer'"),
        ({"year": "二〇二四"}, "filter 'year' must be a year"),
        ({"year": 2024.5}, "filter 'year' must be a year"),
        ({"doc_ids": ZAOZHUANG}, "filter 'doc_ids' must be a list of ids"),
        ({"doc_ids": [1, 2]}, "filter 'doc_ids' must be a list of ids"),
        ({"place": 12}, "filter 'place' must be text"),
    ],
    ids=[
        "unknown key",
        "year as words",
        "fractional year",
        "doc_ids a string",
        "doc_ids numbers",
        "place",
    ],
)
def test_a_malformed_filter_is_a_422_naming_it(reader: App, filters: dict, named: str):
    response = reader.client.post("/api/ask", json={"question": QUESTION, "filters": filters})
    assert response.status_code == 422
    assert named in response.json()["detail"]


def test_blank_filters_in_the_api_filter_nothing(reader: App):
    blank = {"doc_ids": [], "place": "", "department": None, "year": None}
    question = "枣庄市人民政府办公室2024年公务接待费是多少？"
    body = reader.client.post("/api/ask", json={"question": question, "filters": blank}).json()
    assert body == reader.client.post("/api/ask", json={"question": question}).json()
    assert not body["declined"] and "32.73" in body["answer"]


def test_the_pages_pickers_become_filters_blank_meaning_all():
    assert handlers.chosen_filters("", "", "") == Filters()
    assert not handlers.chosen_filters("", "", "").active
    assert handlers.chosen_filters("", "高平", "2024") == Filters(place="高平", year=2024)


def test_the_page_shows_its_sentence_for_a_malformed_filter(built_index: Settings):
    with pytest.raises(gr.Error) as raised:
        handlers.respond(QUESTION, [], [], "", "", "二〇二四", "English", built_index)
    assert raised.value.message == labels("en")["invalid_filter"]


def test_ask_takes_filters_as_a_record_not_a_dict(built_index: Settings):
    with pytest.raises(TypeError, match="Filters.from_json"):
        ask(QUESTION, filters={"year": 2024}, settings=built_index)  # type: ignore[arg-type]

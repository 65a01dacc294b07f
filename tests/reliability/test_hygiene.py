"""Text hygiene at the edge: surrogates and control characters never reach the engine.

A lone UTF-16 surrogate is valid JSON ("\\udc80") but no valid UTF-8; it used
to give a 500 (the encoder's `encode("utf-8")`, and FastAPI's validation
handler echoing it). Each way in is tried: the question, the history, every
filter, the JSON API, `ask` and the chat page's handler.
"""

from __future__ import annotations

import gradio as gr
import pytest

from config import Settings
from retrieval import QuestionError, ask
from retrieval.records import Filters
from web import handlers
from web.labels import labels

from .conftest import App

QUESTION = "枣庄市人民政府办公室2024年公务接待费是多少？"
# Raw bodies: a JSON encoder would refuse to write some of these itself.
SURROGATE_BODIES = {
    "question": rb'{"question": "\udc80"}',
    "question tail": '{"question": "公务接待费是多少\\ud800"}'.encode(),
    "history q": '{"question": "那高平呢？", "history": [{"q": "\\udc80", "a": "32.73"}]}'.encode(),
    "history a": '{"question": "那高平呢？", "history": [{"q": "枣庄", "a": "\\udfff"}]}'.encode(),
    "department": '{"question": "公务接待费是多少？", "filters": {"department": "\\udc80"}}'.encode(),
    "place": '{"question": "公务接待费是多少？", "filters": {"place": "枣\\udc80"}}'.encode(),
    "doc_ids": '{"question": "公务接待费是多少？", "filters": {"doc_ids": ["\\udc80"]}}'.encode(),
}


def post(app: App, body: bytes):
    return app.client.post("/api/ask", content=body, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("where", list(SURROGATE_BODIES))
def test_lone_surrogate_anywhere_in_an_ask_is_422_naming_it(reader: App, where: str):
    response = post(reader, SURROGATE_BODIES[where])
    assert response.status_code == 422
    assert "lone UTF-16 surrogate" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        rb'{"question": "\udc80", "filters": {"year": "\udc80"}}',
        rb'{"question": ["\udc80"]}',
        rb'{"question": "x", "history": ["\udc80"]}',
    ],
)
def test_malformed_ask_holding_a_surrogate_is_a_readable_422(reader: App, body: bytes):
    response = post(reader, body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]


def test_control_characters_in_a_question_are_read_as_spaces(reader: App):
    body = '{"question": "\\u001b[2J枣庄市人民政府办公室\\u00002024年公务接待费是多少？\\u0007"}'
    response = post(reader, body.encode())
    assert response.status_code == 200
    assert "32.73" in response.json()["answer"]


def test_ask_refuses_a_lone_surrogate_in_the_question_or_history(built_index: Settings):
    with pytest.raises(QuestionError, match="surrogate"):
        ask("公务接待费\udc80", settings=built_index)
    with pytest.raises(QuestionError, match="history turn 1 'a'"):
        ask("那高平呢？", history=[{"q": QUESTION, "a": "\ud800"}], settings=built_index)


def test_a_year_filter_that_is_not_a_year_is_refused_where_filters_are_read(reader: App):
    with pytest.raises(QuestionError, match="filter 'year' must be a year"):
        Filters.from_json({"year": "二〇二四"})
    body = {"question": QUESTION, "filters": {"year": "二〇二四"}}
    response = reader.client.post("/api/ask", json=body)
    assert response.status_code == 422
    assert "filter 'year' must be a year" in response.json()["detail"]


def test_chat_shows_a_sentence_for_a_surrogate_not_a_python_error(built_index: Settings):
    with pytest.raises(gr.Error) as raised:
        handlers.respond("公务接待费\udc80", [], [], "", "", "", "中文", built_index)
    assert raised.value.message == labels("zh")["invalid_text"]


def test_chat_shows_a_sentence_for_a_surrogate_in_its_history(built_index: Settings):
    turns = [{"q": "\udc80", "a": ""}]
    with pytest.raises(gr.Error) as raised:
        handlers.respond(QUESTION, [], turns, "", "", "", "English", built_index)
    assert raised.value.message == labels("en")["invalid_text"]


def test_chat_keeps_only_the_last_turns_of_a_long_conversation(built_index: Settings):
    turns = [{"q": QUESTION, "a": "32.73"}] * 50
    out = handlers.respond("那高平市人民政府办公室呢？", [], turns, "", "", "", "中文", built_index)
    assert len(out[2]) == 51  # the page keeps the whole conversation
    assert not out[3].declined

"""The records' JSON form, defined on the records themselves."""

from __future__ import annotations

import json

import pytest

from retrieval.records import Answer, Filters, Retrieved
from retrieval.validate import QuestionError


def test_retrieved_figure_has_no_score_key_and_passage_keeps_its_score():
    figure = Retrieved("公务接待费32.73万元", "001", "001_x.txt", "figure", "公务接待费")
    found = Retrieved("本年支出合计", "001", "001_x.txt", "section", "三、支出", score=0.5)
    assert figure.to_dict() == {
        "text": "公务接待费32.73万元",
        "doc_id": "001",
        "source": "001_x.txt",
        "kind": "figure",
        "where": "公务接待费",
    }
    assert found.to_dict()["score"] == 0.5


def test_answer_to_dict_writes_each_retrieved_item_in_its_json_form():
    figure = Retrieved("32.73", "001", "001_x.txt", "figure", "公务接待费")
    reply = Answer(text="32.73 万元[1]", language="zh", retrieved=(figure,))
    out = json.loads(json.dumps(reply.to_dict(), ensure_ascii=False))
    assert out["retrieved"] == [figure.to_dict()]


def test_filters_read_their_json_form_and_give_it_back():
    data = {"doc_ids": ["001", "002"], "place": "枣庄", "department": "政府办", "year": 2024}
    filters = Filters.from_json(data)
    assert filters == Filters(doc_ids=("001", "002"), place="枣庄", department="政府办", year=2024)
    assert filters.active
    assert filters.to_json() == data
    assert Filters.from_json(json.loads(json.dumps(filters.to_json()))) == filters


def test_filters_left_out_null_or_blank_filter_nothing():
    blank = Filters.from_json({"doc_ids": [], "place": " ", "department": None, "year": ""})
    assert blank == Filters() == Filters.from_json({})
    assert not blank.active
    assert blank.to_json() == {}
    assert Filters.from_json({"year": " 2024 "}) == Filters(year=2024)  # the page's picker


def test_filters_name_an_unknown_key():
    with pytest.raises(QuestionError, match="unknown filter 'yaer': use doc_ids, place") as e:
        Filters.from_json({"year": 2024, "yaer": 2024})
    assert e.value.reason == "invalid_filter" and e.value.status == 422


@pytest.mark.parametrize("year", ["二〇二四", "2024年", 2024.0, 24, True, [2024]])
def test_filters_refuse_a_year_that_is_not_an_integer_year(year):
    with pytest.raises(QuestionError, match="filter 'year' must be a year such as 2024"):
        Filters.from_json({"year": year})


@pytest.mark.parametrize("doc_ids", ["001", [1], ["001", None], {"001": 1}])
def test_filters_refuse_doc_ids_that_are_not_a_list_of_strings(doc_ids):
    with pytest.raises(QuestionError, match="filter 'doc_ids' must be a list of ids"):
        Filters.from_json({"doc_ids": doc_ids})


def test_filters_refuse_text_a_json_writer_cannot_write_and_clean_the_rest():
    with pytest.raises(QuestionError, match="filter 'place' holds an invalid character"):
        Filters.from_json({"place": "枣\udc80"})
    assert Filters.from_json({"department": "\x1b政府办\x00"}).department == "政府办"
    with pytest.raises(QuestionError, match="filters must be an object"):
        Filters.from_json(["doc_ids"])  # type: ignore[arg-type]

"""The answer records' JSON form, defined on the records themselves."""

from __future__ import annotations

import json

from retrieval.records import Answer, Retrieved


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

"""The gold loader reads the dev set, types every field and rejects bad lines."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from config import ROOT
from eval.gold import (
    DEFAULT_GOLD,
    Evidence,
    GoldFormatError,
    Turn,
    check_evidence,
    load_gold,
)


@pytest.fixture(scope="module")
def items():
    return load_gold(DEFAULT_GOLD)


def test_dev_set_has_100_questions(items):
    assert len(items) == 100


def test_dev_set_has_95_answerable_and_5_unanswerable(items):
    assert sum(item.answerable for item in items) == 95


def test_fields_are_typed(items):
    item = next(i for i in items if i.id == "zz-039")
    assert item.value == 2203.91
    assert item.unit == "万元"
    assert item.must_include == ("2203.91",)
    assert item.docs == ("001_f4ec1982bbb312b3.txt",)
    assert item.evidence[0] == Evidence(
        "001_f4ec1982bbb312b3.txt", "合 计\t4, 637. 79\t2, 433. 87\t2, 203. 91", "公开05表 合计行"
    )
    assert item.history == (Turn("枣庄市政府办2024年项目支出是多少？", "2,228.12万元"),)


def test_null_value_and_unit_become_none_and_empty(items):
    item = next(i for i in items if i.id == "zz-034")
    assert (item.value, item.unit, item.evidence, item.answerable) == (None, "", (), False)


def test_integer_value_is_read_as_float(items):
    item = next(i for i in items if i.id == "gx-013")
    assert isinstance(item.value, float) and item.value == 10.0


def test_every_dev_evidence_quote_is_in_its_document(items):
    assert check_evidence(items, ROOT / "data") == []


def test_changed_quote_is_reported(items):
    item = next(i for i in items if i.id == "gp-001")
    changed = replace(item, evidence=(Evidence(item.docs[0], "住房公积金 99.99", ""),))
    assert check_evidence([changed], ROOT / "data") == [
        "gp-001: quote not found in 002_6b8b447dd5f33aed.txt: 住房公积金 99.99"
    ]


def _write(tmp_path, rows):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def _first_row():
    return json.loads(DEFAULT_GOLD.read_text(encoding="utf-8").splitlines()[0])


def test_other_gold_file_in_same_format_loads(tmp_path):
    row = {**_first_row(), "id": "new-001"}
    assert [item.id for item in load_gold(_write(tmp_path, [row]))] == ["new-001"]


def test_missing_field_names_line_and_field(tmp_path):
    row = _first_row()
    del row["must_include"]
    with pytest.raises(GoldFormatError, match="gold.jsonl line 2: missing field 'must_include'"):
        load_gold(_write(tmp_path, [_first_row(), row]))


def test_string_answerable_is_rejected(tmp_path):
    row = {**_first_row(), "answerable": "yes"}
    with pytest.raises(GoldFormatError, match="field 'answerable' has the wrong type"):
        load_gold(_write(tmp_path, [row]))


def test_duplicate_id_is_rejected(tmp_path):
    with pytest.raises(GoldFormatError, match="duplicate id 'gp-001'"):
        load_gold(_write(tmp_path, [_first_row(), _first_row()]))


def test_missing_gold_file_says_where_to_look(tmp_path):
    with pytest.raises(FileNotFoundError, match="see eval/gold/README.md"):
        load_gold(tmp_path / "nope.jsonl")

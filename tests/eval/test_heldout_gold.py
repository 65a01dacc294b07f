"""The held-out gold set loads and its evidence is in the documents.

`eval/gold/heldout.jsonl` holds questions of the same nine kinds as
`unseen.jsonl`, written blind from the six documents and never shown to the
team. The id says the class and the document: `ho-c3-pt-01` is class 3
(conditions over rows) on the 普陀区 PDF; `x2`, `x3`, `x5` name a question
over that many documents. The notes start with the class.

Evidence of the .txt documents and of the PDF is checked in two tests, as in
test_unseen_gold.py: `check_evidence` reads a PDF as the lines `load_lines`
gives, so a change to the PDF reader shows up as the PDF test failing alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from config import ROOT
from eval.gold import check_evidence, load_gold

HELDOUT = ROOT / "eval" / "gold" / "heldout.jsonl"
OTHER_GOLD = ("dev.jsonl", "real_dev.jsonl", "unseen.jsonl")
DATA = ROOT / "data"
PDF = "上海市普陀区_财政局_2024.pdf"
ID = re.compile(r"^ho-c(?P<cls>[1-9])-(?P<doc>gx|zz|gp|yc|yg|pt|x[2-6])-\d{2}$")
DOC_OF_CODE = {
    "gx": "000_14fd902755dfec5d.txt",
    "zz": "001_f4ec1982bbb312b3.txt",
    "gp": "002_6b8b447dd5f33aed.txt",
    "yc": "003_5bf6c4be2fcbdf28.txt",
    "yg": "004_8e0e4eb5d50c1166.txt",
    "pt": PDF,
}


@pytest.fixture(scope="module")
def items():
    return load_gold(HELDOUT)


def _only(items, keep):
    """Items with their evidence restricted to the documents `keep` accepts."""
    out = []
    for item in items:
        evidence = tuple(e for e in item.evidence if keep(e.doc))
        if evidence:
            out.append(replace(item, evidence=evidence))
    return out


def test_at_least_36_questions_with_heldout_ids(items):
    assert len(items) >= 36
    assert all(ID.match(item.id) for item in items), [i.id for i in items if not ID.match(i.id)]


def test_every_class_has_at_least_four_questions(items):
    classes = Counter(int(ID.match(item.id)["cls"]) for item in items)
    assert sorted(classes) == list(range(1, 10))
    assert all(n >= 4 for n in classes.values()), classes


def test_notes_name_the_class_of_the_id(items):
    for item in items:
        assert item.notes.startswith(f"class {ID.match(item.id)['cls']} "), item.id


def test_the_id_names_the_documents_of_the_question(items):
    for item in items:
        code = ID.match(item.id)["doc"]
        if code.startswith("x"):
            assert len(item.docs) == int(code[1:]), item.id
        else:
            assert item.docs == (DOC_OF_CODE[code],), item.id


def test_all_six_documents_are_covered_and_the_pdf_at_least_6_times(items):
    docs = Counter(doc for item in items for doc in item.docs)
    corpus = {p.name for p in DATA.iterdir() if p.suffix in (".txt", ".pdf")}
    assert set(docs) == corpus
    assert docs[PDF] >= 6


def test_about_one_question_in_six_is_english(items):
    english = [item for item in items if item.lang == "en"]
    assert len(english) * 8 >= len(items), len(english)


def test_unanswerable_questions_expect_nothing(items):
    for item in items:
        if not item.answerable:
            assert item.must_include == () and item.evidence == (), item.id
        else:
            assert item.must_include and item.evidence, item.id


def test_evidence_docs_are_among_the_item_docs(items):
    for item in items:
        assert {e.doc for e in item.evidence} <= set(item.docs), item.id


def test_every_txt_evidence_quote_is_in_its_document(items):
    txt = _only(items, lambda doc: doc.endswith(".txt"))
    assert len(txt) >= 25
    assert check_evidence(txt, DATA) == []


def test_every_pdf_evidence_quote_is_in_the_pdf_lines(items):
    pdf = _only(items, lambda doc: doc == PDF)
    assert len(pdf) >= 6
    assert check_evidence(pdf, DATA) == []


def test_history_turns_are_given_for_follow_ups(items):
    follow_ups = [item for item in items if item.type == "followup"]
    assert follow_ups and all(item.history for item in follow_ups)


def test_questions_are_new(items):
    seen = {
        item.question
        for name in OTHER_GOLD
        if (path := Path(HELDOUT.parent, name)).is_file()
        for item in load_gold(path)
    }
    assert not seen & {item.question for item in items}


def test_ids_are_not_used_by_the_other_gold_files(items):
    seen = {
        item.id
        for name in OTHER_GOLD
        if (path := Path(HELDOUT.parent, name)).is_file()
        for item in load_gold(path)
    }
    assert not seen & {item.id for item in items}

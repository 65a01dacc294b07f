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

import pytest

from config import ROOT
from eval.gold import load_gold
from tests.eval.gold_checks import DATA, PDF, assert_sound, used_by

HELDOUT = ROOT / "eval" / "gold" / "heldout.jsonl"
OTHER_GOLD = ("dev.jsonl", "real_dev.jsonl", "unseen.jsonl")
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


def test_every_item_is_sound_and_its_evidence_is_in_the_documents(items):
    assert_sound(items, min_txt=25, min_pdf=6)


def test_questions_and_ids_are_new(items):
    questions, ids = used_by(OTHER_GOLD)
    assert not questions & {item.question for item in items}
    assert not ids & {item.id for item in items}

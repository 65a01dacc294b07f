"""The hand-written unseen gold set (issue 13) loads and its evidence is in the documents.

`eval/gold/unseen.jsonl` holds questions of the nine kinds of issue 13, over
the five text documents and the real PDF. Its class is the `cN` in each id
(`un-c3-gx-01` is class 3, conditions over rows, on 冠县) and the start of
its notes.

Evidence of the .txt documents and of the PDF is checked in two tests:
`check_evidence` reads a PDF as the lines `load_lines` gives, so a change to
the PDF reader shows up as the PDF test failing on its own.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from config import ROOT
from eval.gold import load_gold
from tests.eval.gold_checks import DATA, PDF, assert_sound, used_by

UNSEEN = ROOT / "eval" / "gold" / "unseen.jsonl"
CLASS = re.compile(r"^un-c([1-9])-")


@pytest.fixture(scope="module")
def items():
    return load_gold(UNSEEN)


def test_at_least_80_questions_with_unseen_ids(items):
    assert len(items) >= 80
    assert all(item.id.startswith("un-") for item in items)


def test_every_class_of_issue_13_has_about_ten_questions(items):
    classes = Counter(int(CLASS.match(item.id)[1]) for item in items)
    assert sorted(classes) == list(range(1, 10))
    assert all(n >= 9 for n in classes.values()), classes


def test_notes_name_the_class_of_the_id(items):
    for item in items:
        assert item.notes.startswith(f"class {CLASS.match(item.id)[1]} "), item.id


def test_all_six_documents_are_covered_and_the_pdf_at_least_12_times(items):
    docs = Counter(doc for item in items for doc in item.docs)
    corpus = {p.name for p in DATA.iterdir() if p.suffix in (".txt", ".pdf")}
    assert set(docs) == corpus
    assert docs[PDF] >= 12


def test_every_item_is_sound_and_its_evidence_is_in_the_documents(items):
    assert_sound(items, min_txt=60, min_pdf=10)


def test_questions_are_new(items):
    questions, _ = used_by(("dev.jsonl", "real_dev.jsonl"))
    assert not questions & {item.question for item in items}

"""The second held-out gold set loads and its evidence is in the documents.

`eval/gold/heldout2.jsonl` holds 60 questions of the nine kinds of
`unseen.jsonl`, written blind from the six documents by someone who never ran
the assistant. The id says the class and the document: `h2-c7-yc-02` is class 7
(inside the appendices) on 阳城; `x3`, `x5` name a question over several
documents (`x5`: "the five offices except one").
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from config import ROOT
from eval.gold import load_gold
from tests.eval.gold_checks import DATA, PDF, assert_blind_sound, assert_new

HELDOUT2 = ROOT / "eval" / "gold" / "heldout2.jsonl"
OTHER_GOLD = ("dev.jsonl", "real_dev.jsonl", "unseen.jsonl", "heldout.jsonl")
ID = re.compile(r"^h2-c(?P<cls>[1-9])-(?P<doc>gx|zz|gp|yc|yg|pt|x[2-6])-\d{2}$")


@pytest.fixture(scope="module")
def items():
    return load_gold(HELDOUT2)


def test_sixty_questions_with_their_ids(items):
    assert len(items) == 60
    assert all(ID.match(item.id) for item in items), [i.id for i in items if not ID.match(i.id)]


def test_every_class_has_at_least_six_questions(items):
    classes = Counter(int(ID.match(item.id)["cls"]) for item in items)
    assert sorted(classes) == list(range(1, 10))
    assert all(n >= 6 for n in classes.values()), classes


def test_all_six_documents_are_covered_and_the_pdf_at_least_8_times(items):
    docs = Counter(doc for item in items for doc in item.docs)
    corpus = {p.name for p in DATA.iterdir() if p.suffix in (".txt", ".pdf")}
    assert set(docs) == corpus
    assert docs[PDF] >= 8


def test_every_item_is_sound_and_its_evidence_is_in_the_documents(items):
    assert_blind_sound(items, min_txt=40, min_pdf=8)


def test_questions_and_ids_are_new(items):
    assert_new(items, OTHER_GOLD)

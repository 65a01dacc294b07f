"""The third held-out gold set loads and its evidence is in the documents.

`eval/gold/heldout3.jsonl` holds 60 questions written blind from the six
documents by someone who never ran the assistant: class 0 is the ordinary
questions of `dev.jsonl` (lookups, budget against actual, counts, shares,
changes, definitions, explanations, follow-ups), classes 1-9 the nine kinds of
`unseen.jsonl`. The id says the class and the document: `h3-c7-yc-01` is class
7 (inside the appendices) on 阳城; `x2`, `x3` name a question over several
documents.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from config import ROOT
from eval.gold import load_gold
from tests.eval.gold_checks import DATA, PDF, assert_blind_sound, assert_new

HELDOUT3 = ROOT / "eval" / "gold" / "heldout3.jsonl"
OTHER_GOLD = ("dev.jsonl", "real_dev.jsonl", "unseen.jsonl", "heldout.jsonl", "heldout2.jsonl")
ID = re.compile(r"^h3-c(?P<cls>[0-9])-(?P<doc>gx|zz|gp|yc|yg|pt|x[2-6])-\d{2}$")


@pytest.fixture(scope="module")
def items():
    return load_gold(HELDOUT3)


def test_sixty_questions_with_their_ids(items):
    assert len(items) == 60
    assert all(ID.match(item.id) for item in items), [i.id for i in items if not ID.match(i.id)]


def test_every_class_is_covered(items):
    classes = Counter(int(ID.match(item.id)["cls"]) for item in items)
    assert sorted(classes) == list(range(10))
    assert classes[0] >= 12, classes
    assert all(classes[n] >= 5 for n in range(1, 10)), classes


def test_all_six_documents_are_covered_and_the_pdf_at_least_10_times(items):
    docs = Counter(doc for item in items for doc in item.docs)
    corpus = {p.name for p in DATA.iterdir() if p.suffix in (".txt", ".pdf")}
    assert set(docs) == corpus
    assert docs[PDF] >= 10


def test_english_and_unanswerable_questions_are_there(items):
    assert sum(item.lang == "en" for item in items) >= 12
    assert sum(not item.answerable for item in items) >= 8
    follow_ups = [item for item in items if item.type == "followup"]
    assert follow_ups and all(item.history for item in follow_ups)


def test_every_item_is_sound_and_its_evidence_is_in_the_documents(items):
    assert_blind_sound(items, min_txt=40, min_pdf=10)


def test_questions_and_ids_are_new(items):
    assert_new(items, OTHER_GOLD)

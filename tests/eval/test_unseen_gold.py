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
from dataclasses import replace
from pathlib import Path

import pytest

from config import ROOT
from eval.gold import check_evidence, load_gold

UNSEEN = ROOT / "eval" / "gold" / "unseen.jsonl"
DATA = ROOT / "data"
PDF = "上海市普陀区_财政局_2024.pdf"
CLASS = re.compile(r"^un-c([1-9])-")


@pytest.fixture(scope="module")
def items():
    return load_gold(UNSEEN)


def _only(items, keep):
    """Items with their evidence restricted to the documents `keep` accepts."""
    out = []
    for item in items:
        evidence = tuple(e for e in item.evidence if keep(e.doc))
        if evidence:
            out.append(replace(item, evidence=evidence))
    return out


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
    # Restricted to .txt documents: an older check_evidence read every document
    # as UTF-8 text, which fails on a PDF (its PDF path was fixed separately).
    txt = _only(items, lambda doc: doc.endswith(".txt"))
    assert len(txt) >= 60
    assert check_evidence(txt, DATA) == []


def test_every_pdf_evidence_quote_is_in_the_pdf_lines(items):
    pdf = _only(items, lambda doc: doc == PDF)
    assert len(pdf) >= 10
    assert check_evidence(pdf, DATA) == []


def test_history_turns_are_given_for_follow_ups(items):
    follow_ups = [item for item in items if item.type == "followup"]
    assert follow_ups and all(item.history for item in follow_ups)


def test_questions_are_new(items):
    seen = {
        item.question
        for name in ("dev.jsonl", "real_dev.jsonl")
        if (path := Path(UNSEEN.parent, name)).is_file()
        for item in load_gold(path)
    }
    assert not seen & {item.question for item in items}

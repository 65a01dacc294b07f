"""Checks every hand-written gold file must pass (unseen, heldout): shared by their tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from config import ROOT
from eval.gold import GoldItem, check_evidence, load_gold

GOLD = ROOT / "eval" / "gold"
DATA = ROOT / "data"
PDF = "上海市普陀区_财政局_2024.pdf"


def evidence_within(items: Iterable[GoldItem], keep: Callable[[str], bool]) -> list[GoldItem]:
    """Items with their evidence restricted to the documents `keep` accepts."""
    out = []
    for item in items:
        evidence = tuple(e for e in item.evidence if keep(e.doc))
        if evidence:
            out.append(replace(item, evidence=evidence))
    return out


def assert_sound(items: Sequence[GoldItem], min_txt: int, min_pdf: int) -> None:
    """Unanswerable items expect nothing, answerable ones something; evidence
    comes from the item's documents and every quote is in them (.txt and PDF
    apart: a change to the PDF reader shows up on its own)."""
    for item in items:
        if not item.answerable:
            assert item.must_include == () and item.evidence == (), item.id
        else:
            assert item.must_include and item.evidence, item.id
        assert {e.doc for e in item.evidence} <= set(item.docs), item.id
    follow_ups = [item for item in items if item.type == "followup"]
    assert follow_ups and all(item.history for item in follow_ups)
    txt = evidence_within(items, lambda doc: doc.endswith(".txt"))
    assert len(txt) >= min_txt and check_evidence(txt, DATA) == []
    pdf = evidence_within(items, lambda doc: doc == PDF)
    assert len(pdf) >= min_pdf and check_evidence(pdf, DATA) == []


def used_by(names: Iterable[str]) -> tuple[set[str], set[str]]:
    """(questions, ids) of the other gold files named."""
    items = [i for n in names if (p := Path(GOLD, n)).is_file() for i in load_gold(p)]
    return {i.question for i in items}, {i.id for i in items}


def assert_blind_sound(items: Sequence[GoldItem], min_txt: int, min_pdf: int) -> None:
    """The held-out sets' soundness: what an answer must state iff answerable (an
    unanswerable item may quote what the document gives instead, as its decline
    says), evidence from the item's documents, every quote in them."""
    for item in items:
        assert bool(item.must_include) == item.answerable, item.id
        assert item.answerable <= bool(item.evidence), item.id
        assert {e.doc for e in item.evidence} <= set(item.docs), item.id
    txt = evidence_within(items, lambda doc: doc.endswith(".txt"))
    assert len(txt) >= min_txt and check_evidence(txt, DATA) == []
    pdf = evidence_within(items, lambda doc: doc == PDF)
    assert len(pdf) >= min_pdf and check_evidence(pdf, DATA) == []


def assert_new(items: Sequence[GoldItem], others: Sequence[str]) -> None:
    """No question and no id of `items` is in the other gold files."""
    questions, ids = used_by(others)
    assert not questions & {item.question for item in items}
    assert not ids & {item.id for item in items}

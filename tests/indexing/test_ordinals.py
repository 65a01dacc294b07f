"""Chinese ordinal markers are written once (indexing/ordinals.py)."""

from __future__ import annotations

import re

from config import ROOT
from indexing.ordinals import ARTICLE, ITEM, PAREN, PART


def test_marker_pieces_match_the_shapes_the_disclosures_print():
    assert re.fullmatch(PART, "第三部分") and re.fullmatch(ITEM, "十一、")
    assert re.fullmatch(PAREN, "（二）") and re.fullmatch(PAREN, "(十)")
    assert re.fullmatch(ARTICLE, "第一条") and not re.fullmatch(ITEM, "1、")


def test_no_other_module_spells_out_the_numerals():
    spelled = [
        path.relative_to(ROOT).as_posix()
        for folder in ("indexing", "retrieval", "web", "eval")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "ordinals.py" and "一二三四五六七八九十" in path.read_text(encoding="utf-8")
    ]
    assert spelled == []

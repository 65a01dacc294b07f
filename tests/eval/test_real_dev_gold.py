"""The real-PDF gold set's evidence is in the PDF as the loader reads it.

Its quotes once included the old flattened extraction's number lines
("2993.92 2940.05"); the loader now groups a line's characters by overlap, so
every quote must be a substring of a line `load_lines` gives.
"""

from __future__ import annotations

from eval.gold import check_evidence, load_gold
from tests.eval.gold_checks import DATA, GOLD


def test_every_real_dev_evidence_quote_is_in_the_pdf_lines():
    items = load_gold(GOLD / "real_dev.jsonl")
    assert check_evidence(items, DATA) == []
    assert all(item.evidence for item in items if item.answerable)

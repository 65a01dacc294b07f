"""parse_number on the number shapes the disclosures print."""

from __future__ import annotations

import pytest

from indexing.numbers import is_percent, parse_number


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("4, 637. 79", 4637.79),
        ("1,444.05", 1444.05),
        ("182.8", 182.8),
        ("２，２３８．５３", 2238.53),
        ("81.73%", 81.73),
        ("0.01", 0.01),
    ],
)
def test_amounts_parse_to_their_value(cell: str, value: float) -> None:
    assert parse_number(cell) == value


@pytest.mark.parametrize("cell", ["-", "———", "——", "", "  ", "合计", "AT WILL II"])
def test_dashes_blanks_and_words_are_no_number(cell: str) -> None:
    assert parse_number(cell) is None


def test_percent_is_recognised() -> None:
    assert is_percent("81.73%") and is_percent("81.73％") and not is_percent("81.73")


def test_format_value_keeps_every_printed_decimal():
    from indexing.numbers import format_value

    assert format_value(1.443) == "1.443"
    assert format_value(182.8) == "182.8"
    assert format_value(4637.79) == "4,637.79"
    assert format_value(-0.07) == "-0.07"


def test_rounding_tolerance_is_written_only_in_numbers():
    from config import ROOT

    written = [
        path.relative_to(ROOT).as_posix()
        for folder in ("indexing", "retrieval", "web", "eval")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "numbers.py" and "0.011" in path.read_text(encoding="utf-8")
    ]
    assert written == []

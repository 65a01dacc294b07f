"""Parse the numbers as the disclosures print them.

PDF extraction leaves stray spaces inside numbers ("4, 637. 79"), full-width
digits and dashes for "no amount". A wrong parse would put a wrong figure in
front of a journalist, so anything that is not clearly a number is None.
"""

from __future__ import annotations

import re

# Amounts and rates are printed to two decimals (0.01 万元, 0.01%): two of them
# that differ by at most one unit of the last place (plus float error) agree
# up to rounding ("本套报表金额单位转换时可能存在尾数误差").
ROUNDING = 0.011

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％－", "0123456789.,%-")
# A dash-only or empty cell means "no amount", not zero.
_EMPTY = re.compile(r"^[\s\-—–―_/]*$")
# Digits with optional thousands groups and decimals, tolerating spaces after , and .
_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:,\s?\d{3})+(?:\.\s?\d+)?$|^[-+]?\d+(?:\.\s?\d+)?$")


def normalise(text: str) -> str:
    """Full-width to half-width and the stray spaces PDF extraction adds."""
    text = text.translate(_FULLWIDTH).strip()
    text = re.sub(r"(?<=[\d,.])\s+(?=[\d,.])", "", text)
    return re.sub(r"(?<=\d)\s+(?=[.,])|(?<=[.,])\s+(?=\d)", "", text)


def parse_number(cell: str) -> float | None:
    """Value of a table cell or a number in a sentence; None when not a number.

    >>> parse_number("4, 637. 79")
    4637.79
    >>> parse_number("———") is None
    True
    """
    if cell is None or _EMPTY.match(cell):
        return None
    text = normalise(cell).rstrip("%").strip()
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", "").replace(" ", ""))


def is_percent(cell: str) -> bool:
    """True for "81.73%" or "81.73％"."""
    return normalise(cell).endswith("%")


def format_value(value: float) -> str:
    """How an amount is printed in answers: thousands separators, no float noise."""
    if value == int(value):
        return f"{int(value):,}"
    # Up to 4 decimals: source figures such as 1.443 (万元) must not be rounded.
    return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e12 else str(value)

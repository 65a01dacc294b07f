"""Decide whether a text says what the gold set expects.

An answer is right when it states the right figures, however it prints them:
"1,444.05", "4, 637. 79" (stray spaces from PDF extraction), "１４４４.０５",
"182.80" for 182.8, "32.73万元" for 327,300元. A wrong unit is a wrong answer:
"32.73元" is not 32.73万元. Everything else is compared after folding
widths and removing whitespace, so （） and () or "1 个" and "1个" agree.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TERMS_PATH = Path(__file__).with_name("terms.yaml")

# A number as printed: thousands groups, decimals, and one stray space after
# "," or "." as PDF extraction leaves them ("4, 637. 79"). Tabs and other
# spaces separate numbers (table cells), so they never join two numbers.
_NUMBER = r"\d{1,3}(?:, ?\d{3})+(?:\. ?\d+)?|\d+(?:\. ?\d+)?"
_SIGN = r"[-−–]"
# Only digits and the signs that belong to numbers are folded before numbers
# are read: the Chinese comma "，" separates items and must stay one.
_DIGITS = str.maketrans("０１２３４５６７８９．％－", "0123456789.%-")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number mentioned in a text, with its magnitude and unit resolved."""

    printed: float  # the digits as written: 32.73 in "32.73万元"
    scaled: float  # times the magnitude: 327300.0
    unit: str  # canonical unit ("元", "%", "个", …) or ""
    signed: bool  # written with a minus sign
    scaled_by_word: bool = False  # a magnitude word (万, million) was written


@dataclass(frozen=True, slots=True)
class Terms:
    """The scoring vocabulary from terms.yaml."""

    magnitudes: dict[str, float]
    units: dict[str, str]  # spelling (lower case) -> canonical unit
    synonyms: dict[str, tuple[str, ...]]  # folded name -> all folded names of it


@lru_cache(maxsize=1)
def terms() -> Terms:
    """Load terms.yaml once; it is read-only data."""
    raw = yaml.safe_load(TERMS_PATH.read_text(encoding="utf-8"))
    units = {
        spelling.lower(): canonical
        for canonical, spellings in raw["units"].items()
        for spelling in spellings
    }
    synonyms: dict[str, tuple[str, ...]] = {}
    for group in raw["synonyms"]:
        folded = tuple(fold(name) for name in group)
        for name in folded:
            synonyms[name] = folded
    magnitudes = {word.lower(): float(factor) for word, factor in raw["magnitudes"].items()}
    return Terms(magnitudes=magnitudes, units=units, synonyms=synonyms)


def fold(text: str) -> str:
    """Full-width to half-width, lower case, no whitespace at all.

    Used for quotes: the document's "出国（境）" and a citation's "出国(境)",
    or "4, 637. 79" and "4,637.79", must compare equal.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", "", text)


def contains_quote(text: str, quote: str) -> bool:
    """True when `text` contains `quote`, ignoring whitespace and widths."""
    needle = fold(quote)
    return bool(needle) and needle in fold(text)


def _to_float(digits: str) -> float:
    return float(digits.replace(",", "").replace(" ", ""))


@lru_cache(maxsize=1)
def _mention_pattern() -> re.Pattern[str]:
    """Number, then optional magnitude word, then optional unit."""
    vocabulary = terms()

    def alternation(words: list[str]) -> str:
        ordered = sorted(words, key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)

    magnitude = alternation(list(vocabulary.magnitudes))
    unit = alternation(list(vocabulary.units))
    # An ASCII word must end at a word boundary: "percentage" is not "percent".
    return re.compile(
        rf"(?P<sign>{_SIGN})?(?<![\d.])(?P<number>{_NUMBER})(?![\d])"
        rf"(?:\s*(?P<magnitude>{magnitude})(?![a-z]))?"
        rf"(?:\s*(?P<unit>{unit})(?![a-z]))?",
        re.IGNORECASE,
    )


def quantities(text: str) -> list[Quantity]:
    """Every number mentioned in `text`, in order."""
    folded = text.translate(_DIGITS)
    vocabulary = terms()
    found = []
    for match in _mention_pattern().finditer(folded):
        printed = _to_float(match["number"])
        word = (match["magnitude"] or "").lower()
        factor = vocabulary.magnitudes.get(re.sub(r"\s+", " ", word), 1.0)
        unit = vocabulary.units.get(re.sub(r"\s+", " ", (match["unit"] or "").lower()), "")
        found.append(
            Quantity(
                printed=printed,
                scaled=printed * factor,
                unit=unit,
                signed=bool(match["sign"]),
                scaled_by_word=bool(word),
            )
        )
    return found


def parse_quantity(text: str) -> Quantity | None:
    """The quantity when `text` is nothing but one ("1,444.05", "32.73万元", "4人次")."""
    stripped = text.translate(_DIGITS).strip()
    match = _mention_pattern().fullmatch(stripped)
    if not match:
        return None
    return quantities(stripped)[0]


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _value_matches(expected: Quantity, mention: Quantity, gold_unit: Quantity | None) -> bool:
    """One expected number against one mention in the answer.

    An expected number written with its unit must match in unit and scaled
    value. A bare expected number takes the question's unit: when the answer
    writes a unit of that kind, the scaled values must agree (so "32.73元" is
    wrong for 32.73万元); otherwise the printed digits must agree.
    """
    if expected.signed and not mention.signed:
        return False
    if expected.unit or expected.scaled_by_word:
        same_unit = expected.unit == mention.unit or not expected.unit
        return same_unit and _same(abs(expected.scaled), abs(mention.scaled))
    if gold_unit is not None and gold_unit.unit and mention.unit == gold_unit.unit:
        return _same(abs(expected.printed * gold_unit.scaled), abs(mention.scaled))
    return _same(abs(expected.printed), abs(mention.printed)) or _same(
        abs(expected.printed), abs(mention.scaled)
    )


def _canonical_numbers(text: str) -> str:
    """Fold, then print every number without separators or trailing zeros."""

    def canonical(match: re.Match[str]) -> str:
        value = _to_float(match[0])
        return f"{value:.10f}".rstrip("0").rstrip(".")

    with_numbers = re.sub(_NUMBER, canonical, text.translate(_DIGITS))
    return fold(with_numbers)


def _text_matches(expected: str, text: str) -> bool:
    """Expected words (with any numbers in them) inside the text."""
    needle = _canonical_numbers(expected)
    if not needle:
        return True
    haystack = _canonical_numbers(text)
    for name in terms().synonyms.get(fold(expected), (needle,)):
        pattern = re.escape(name)
        if name[0].isdigit():
            pattern = r"(?<![\d.])" + pattern
        if name[-1].isdigit():
            pattern += r"(?!\.?\d)"
        if re.search(pattern, haystack):
            return True
    return False


def includes(text: str, expected: str, gold_unit: str = "") -> bool:
    """True when `text` states `expected` (one must_include string).

    `gold_unit` is the unit of the gold answer ("万元", "%", "人次"): a bare
    expected number is read in that unit when the answer gives one.
    """
    wanted = parse_quantity(expected)
    if wanted is None:
        return _text_matches(expected, text)
    unit = parse_quantity(f"1{gold_unit}") if gold_unit else None
    return any(_value_matches(wanted, mention, unit) for mention in quantities(text))


def missing(text: str, expected: tuple[str, ...], gold_unit: str = "") -> tuple[str, ...]:
    """The must_include strings that `text` does not state."""
    return tuple(item for item in expected if not includes(text, item, gold_unit))


def same_value(a: float, a_unit: str, b: float, b_unit: str) -> bool:
    """Two figures equal once their units are resolved (32.73 万元 = 327300 元).

    A figure without a unit is compared by its digits; signs are ignored
    because a decrease is printed both as "-0.07" and "减少0.07".
    """
    first = parse_quantity(f"1{a_unit}") if a_unit else None
    second = parse_quantity(f"1{b_unit}") if b_unit else None
    if first is None or second is None:
        return _same(abs(a), abs(b))
    if first.unit and second.unit and first.unit != second.unit:
        return False
    return _same(abs(a * first.scaled), abs(b * second.scaled))

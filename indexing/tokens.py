"""Tokens for lexical search over Chinese disclosures.

Chinese has no spaces, and jieba's dictionary splits budget terms
inconsistently (公务接待费 vs 公务 / 接待费), so passages are indexed as
character bigrams of each Chinese run — robust to any segmentation — plus
jieba words for longer matches, lower-cased Latin words, and numbers with their
separators and stray spaces removed ("4, 637. 79" → "4637.79") so a number
typed by a user finds the cell.
"""

from __future__ import annotations

import re

from indexing.numbers import normalise

_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-zA-Z]+")
_NUMBER = re.compile(r"\d[\d,.\s]*\d|\d")
# Characters so common in these documents that they carry no signal as unigrams.
_STOP_BIGRAMS = frozenset({"的是", "是多", "多少", "什么", "哪些", "一个", "其中", "我们"})


def tokenize(text: str) -> list[str]:
    """Bigrams of Chinese runs, Latin words and normalised numbers."""
    tokens: list[str] = []
    for run in _CJK.findall(text):
        if len(run) == 1:
            tokens.append(run)
            continue
        tokens += [b for i in range(len(run) - 1) if (b := run[i : i + 2]) not in _STOP_BIGRAMS]
    tokens += [w.lower() for w in _LATIN.findall(text) if len(w) > 1]
    for raw in _NUMBER.findall(normalise(text)):
        number = raw.replace(",", "").replace(" ", "")
        if number:
            tokens.append(number)
    return tokens

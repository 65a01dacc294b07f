"""A sentence that states a figure's value in words, to cite beside its table row.

A journalist checks a number where the document says it: "本年支出 794.48
万元" in the 情况说明 under the heading of the fund it is about, or "全年执行数
177868 元" on the project's own page. When the figure store holds the number
from one row only (the 合计 row of a project's budget table, one table's
cell), the document's sentences are read for one that prints the same value
in the same unit and is about the same thing: on the same project's pages for
a project's figure, or under a heading or in a sentence that names most of
the metric for any other. A table row printed inside a page (cells split by
tabs) is not a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexing.numbers import ROUNDING, normalise, parse_number
from indexing.records import Chunk, Figure
from retrieval.engine import Engine
from retrieval.evidence import split_sentences
from retrieval.projects import core, squeeze
from retrieval.tokens import tokenize

# A number and its unit as sentences print them ("177868 元", "794.48万元", "44.47%");
# a number ending a range ("100-80%", a scoring rule) states no figure.
_AMOUNT = re.compile(
    r"(?<![\d.\-–~～至])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|元|%|％)"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_NAMED = 0.6  # share of the metric's character pairs the heading and sentence repeat


@dataclass(frozen=True, slots=True)
class Stated:
    """A sentence of a page, the amounts it prints (value, unit) and where it stands:
    its passage and its paragraph (which may name the project the sentence is about)."""

    chunk: Chunk
    text: str
    amounts: tuple[tuple[float, str], ...]
    paragraph: str


def stating_sentence(engine: Engine, figure: Figure) -> Stated | None:
    """The document's sentence that prints `figure`'s value and is about it, or None."""
    best: tuple[tuple[float, ...], Stated] | None = None
    for stated in engine.statements(figure.doc_id, _statements):
        if stated.text in figure.quote or not _prints(stated, figure):
            continue
        named, *score = _about(stated, figure)
        if named >= MIN_NAMED and (best is None or tuple(score) > best[0]):
            best = (tuple(score), stated)
    return best[1] if best else None


def _statements(chunks: list[Chunk]) -> tuple[Stated, ...]:
    """Every sentence of these pages that prints an amount, tables' rows left out."""
    found: list[Stated] = []
    for chunk in chunks:
        for paragraph in chunk.body.split("\n"):
            if "\t" in paragraph:
                continue
            for text in split_sentences(paragraph):
                if len(_CJK.findall(text)) < 4:
                    continue
                if amounts := tuple(_amounts(text)):
                    found.append(Stated(chunk, text, amounts, paragraph))
    return tuple(found)


def _amounts(text: str) -> list[tuple[float, str]]:
    out = []
    for m in _AMOUNT.finditer(normalise(text)):
        value = parse_number(m.group(1))
        if value is not None:
            out.append((value, "%" if m.group(2) in ("%", "％") else m.group(2)))
    return out


def _prints(stated: Stated, figure: Figure) -> bool:
    """The sentence prints the value in the figure's unit, or in 万元 for 元
    (3,022,110.75 元 is "302.21 万元") and in 元 for 万元."""
    unit = "%" if figure.unit in ("%", "％") else figure.unit
    for value, printed in stated.amounts:
        if printed == unit and abs(value - figure.value) <= ROUNDING:
            return True
        if (unit, printed) == ("元", "万元") and abs(value - figure.value / 10_000) <= ROUNDING:
            return True
        if (unit, printed) == ("万元", "元") and abs(value / 10_000 - figure.value) <= ROUNDING:
            return True
    return False


def _about(stated: Stated, figure: Figure) -> tuple[float, ...]:
    """How surely the sentence is about the figure: on the figure's project's own
    pages for a project's figure; else the share of the metric's character pairs
    the passage's heading and the sentence repeat (which must be most of them),
    then ranked by the heading alone (a sentence under the heading of the fund
    is about the fund, where another mentions it in passing), then the sentence."""
    metric = figure.metric
    if figure.source == "appendix":  # on its pages, or a paragraph naming it (情况说明)
        project = stated.chunk.project
        if project and core(project) == core(metric):
            return (1.0, 1.0, _share(metric, stated.text))
        named = not project and core(metric) in squeeze(stated.paragraph)
        return (1.0, 0.5, _share(metric, stated.text)) if named else (0.0, 0.0, 0.0)
    if stated.chunk.project:
        return (0.0, 0.0, 0.0)
    section = stated.chunk.section
    return (
        _share(metric, f"{section}{stated.text}"),
        _share(metric, section),
        _share(metric, stated.text),
    )


def _share(name: str, text: str) -> float:
    """The share of the name's tokens (its character pairs) that the text has."""
    pairs = set(tokenize(squeeze(name)))
    return len(pairs & set(tokenize(squeeze(text)))) / len(pairs) if pairs else 0.0

"""Numbers a question quotes ("到底是49.70万元还是73.84万元？"): say what each is.

A reader who has seen two figures for one name asks which is right. Each
quoted number is looked up among the document's figures and named by the
figure that states it (its table, row and measure), so the reader sees the
two scopes; with two numbers, their difference is named too when a figure
states it (171.07 + 13.58 = 184.65: 商品和服务支出 and 资本性支出).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexing.numbers import format_value
from indexing.records import Figure
from retrieval.cite import Citations, figure_where

# an amount in the question: decimals, or a number with its unit (not a year)
_QUOTED = re.compile(r"(?<![\d.])(\d{1,9}(?:,\d{3})*(?:\.\d+)?)\s*(万元|元)")
_TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class Quoted:
    """A number of the question and the figure that states it (None: no figure does)."""

    value: float
    unit: str
    figure: Figure | None


# a threshold ("单价100万元以上的设备", "over 10万元") is a condition, not a quoted figure
_THRESHOLD = re.compile(r"^\s*(?:\(含\)|（含）)?(?:以上|以下|及以上|及以下|左右|上下|起|之间)")
# asking which of two numbers, or whether one is right
_DISPUTED = re.compile(r"还是|到底|究竟|是不是|是否|对不对|\bor\b|\breally\b", re.IGNORECASE)


def quoted_amounts(text: str) -> list[tuple[float, str]]:
    """The amounts a question quotes to be checked ("到底是49.70万元还是73.84万元"),
    in order, each once; none when it quotes a threshold or asks nothing of them."""
    found: dict[tuple[float, str], None] = {}
    for m in _QUOTED.finditer(text):
        if _THRESHOLD.match(text[m.end() :]):
            continue
        found.setdefault((float(m.group(1).replace(",", "")), m.group(2)), None)
    return list(found) if found and _DISPUTED.search(text) else []


def explain(figures: Sequence[Figure], amounts: Sequence[tuple[float, str]]) -> list[Quoted]:
    """Each quoted amount with the figure of the document that states it: a
    table's cell before a sentence, the first printed."""
    out = []
    for value, unit in amounts:
        same = [f for f in figures if f.unit == unit and abs(f.value - value) <= _TOLERANCE]
        same.sort(key=lambda f: (f.source != "table", f.measure != "决算数", f.locator.line_start))
        out.append(Quoted(value, unit, same[0] if same else None))
    return out


def difference(figures: Sequence[Figure], quoted: Sequence[Quoted]) -> Quoted | None:
    """With two quoted amounts both stated, the figure stating their difference."""
    if len(quoted) != 2 or any(q.figure is None for q in quoted):
        return None
    a, b = quoted
    gap = round(abs(a.value - b.value), 2)
    found = explain(figures, [(gap, a.unit)])[0]
    return found if found.figure is not None and gap else None


def _named(f: Figure) -> str:
    """Where a figure is printed: a table's cell path, or a sentence's section and metric."""
    return figure_where(f) if f.source == "table" else f"{figure_where(f)}：{f.metric}"


def quoted_lines(
    quoted: Sequence[Quoted], gap: Quoted | None, shown: str, cites: Citations, lang: str
) -> str:
    """One line per quoted amount the answer has not already stated, then the difference."""
    lines = []
    for q in quoted:
        amount = f"{format_value(q.value)} {q.unit}"
        if q.figure is None:
            lines.append(
                f"{amount} in the question: no figure of the documents states it."
                if lang == "en"
                else f"问题中的 {amount}：文件中没有这一数字。"
            )
        elif format_value(q.value) not in shown:
            n = cites.figure(q.figure)
            lines.append(
                f"{amount} in the question is {_named(q.figure)} [{n}]."
                if lang == "en"
                else f"问题中的 {amount} 是{_named(q.figure)}[{n}]。"
            )
    if gap is not None and gap.figure is not None:
        a, b = quoted
        n = cites.figure(gap.figure)
        big, small = (a, b) if a.value >= b.value else (b, a)
        formula = (
            f"{format_value(big.value)} − {format_value(small.value)} = {format_value(gap.value)}"
        )
        lines.append(
            f"The two differ by {formula} {gap.unit}, which is {_named(gap.figure)} [{n}]."
            if lang == "en"
            else f"两者相差 {formula} {gap.unit}，即{_named(gap.figure)}[{n}]。"
        )
    return "\n".join(lines)

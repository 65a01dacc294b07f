"""Counts a project's report states only in its sentences.

A self-evaluation says what the money bought in prose as often as in its
indicator rows: "2024年1-12月共受理各类工单4659件，办结4659件", "大厅全年审批
数量250000件". An amount per work order or per approval divides by such a
count, and a question "受理了多少工单" asks for it, so each becomes a figure of
the project (measure 数量), named by the words before it and quoted by its
sentence. A bound ("不少于5次", "≥5000个") is a target, not a count, and gives
none; so does an ordinal ("第76次常务会议").

The words (count units, bounds, leading fillers) are data in `projects.yaml`
under `prose_counts`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from indexing.numbers import parse_number
from indexing.project_rows import layout
from indexing.projects import appendix_heading
from indexing.records import Document, Figure, Line, Locator, ProjectSpan

COUNT = "数量"
_SENTENCE = re.compile(r"[^。；;！？!?\t]+")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    rules = layout()["prose_counts"]
    units = "|".join(re.escape(u) for u in sorted(rules["units"], key=len, reverse=True))
    # the words right before the number (no digits, no clause break), the number,
    # an optional 万, the unit; no further digit, percent or unit letter after it
    return re.compile(
        r"(?P<words>[\u4e00-\u9fff（）()“”\"]{2,30}?)\s*"
        r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<wan>万)?(?P<unit>" + units + r")"
        r"(?![\d%％A-Za-z])"
    )


def is_prose_count(figure: Figure) -> bool:
    """A count read from a project's sentence (the appendix tables give 指标值, not
    数量). It supports a quotient or an equal indicator; a question asking the
    project's figures is not answered with every count its report mentions."""
    return figure.source == "appendix" and figure.measure == COUNT


def prose_counts(
    lines: Sequence[Line], spans: Sequence[ProjectSpan], document: Document
) -> list[Figure]:
    """Every count a project's pages state in a sentence, once per sentence."""
    by_no = {line.no: line for line in lines}
    heading = appendix_heading(lines)
    out: list[Figure] = []
    for span in spans:
        title = by_no[span.line_start].text.strip() if span.line_start in by_no else ""
        section = f"{heading} > {title}" if title else heading
        seen: set[tuple[str, float, str]] = set()
        for no in range(span.line_start, span.line_end + 1):
            line = by_no.get(no)
            if line is None:
                continue
            for sentence in _SENTENCE.findall(line.text):
                for words, value, unit in _counts(sentence):
                    if (words, value, unit) in seen:
                        continue
                    seen.add((words, value, unit))
                    found = (words, value, unit)
                    out.append(_figure(document, span, line, sentence, found, section, len(out)))
    return out


def _counts(sentence: str) -> list[tuple[str, float, str]]:
    """(what is counted, how many, unit) for each count stated in one sentence."""
    rules = layout()["prose_counts"]
    found = []
    for clause in re.split(r"[，,：:]", sentence):
        for m in _pattern().finditer(clause):
            words = m["words"]
            if any(words.endswith(b) for b in rules["bounds"]) or words.endswith("第"):
                continue
            if clause[m.end() :].startswith(tuple(rules["bounds_after"])):
                continue
            value = parse_number(m["number"])
            if value is None:
                continue
            named = _named(words, rules["fillers"])
            if len(named) >= 2:
                found.append((named, value * (10000 if m["wan"] else 1), m["unit"]))
    return found


def _named(words: str, fillers: Sequence[str]) -> str:
    """The counted thing: the words without a leading date tail or filler
    ("月共受理各类工单" → 受理各类工单)."""
    words = re.sub(r"^[年月日]", "", words)
    changed = True
    while changed:
        changed = False
        for filler in sorted(fillers, key=len, reverse=True):
            if words.startswith(filler) and len(words) > len(filler):
                words, changed = words[len(filler) :], True
            if words.endswith(filler) and len(words) > len(filler):
                words, changed = words[: -len(filler)], True
    return words


def _figure(
    document: Document,
    span: ProjectSpan,
    line: Line,
    sentence: str,
    found: tuple[str, float, str],
    section: str,
    k: int,
) -> Figure:
    words, value, unit = found
    name = span.metric.removesuffix("项目")
    return Figure(
        figure_id=f"{document.doc_id}:pc:L{line.no}:{k}",
        doc_id=document.doc_id,
        department=document.department,
        year=document.year,
        source="appendix",
        table_id="",
        table_title="",
        code="",
        row=f"{name} / {words}",
        column="报告",
        metric=span.metric,
        measure=COUNT,
        value=value,
        unit=unit,
        quote=sentence.strip(),
        locator=Locator(line.no, line.no, line.page, line.page),
        section=section,
    )

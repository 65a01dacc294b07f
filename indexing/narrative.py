"""Figures stated in the narrative: "三公经费支出决算为 72.82 万元" → a Figure.

The parts that explain the tables (第三部分 情况说明, and 第一部分 for unit
counts) repeat and extend them in sentences. Each number with a unit becomes a
Figure whose quote is the sentence it was read from, so an answer can cite the
words as well as the table cell. The reading is generic and driven by
data: sentences are split, a lexicon of the metrics' printed forms
(`vocabulary.yaml`) finds the metrics they name, a cue just before each number
gives its measure (预算, 决算, 增减, 完成率, 占比), and counts (辆, 批次, 人次, 个)
are named by the word before them (`narrative_patterns.yaml`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from indexing.numbers import normalise, parse_number
from indexing.records import Document, Figure, Locator, Section
from indexing.vocabulary import Vocabulary, VocabularyError, vocabulary

_PATTERNS = Path(__file__).resolve().parent / "narrative_patterns.yaml"
_NUMBER = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(万元|元|%|个|人次|人|名|批次|辆|台\(套\)|分)"
)
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_PARAGRAPH_END = ("。", "；", ";", "：", ":", "！", "？")
_BULLET = re.compile(r"^\s*[-•·]\s+")
_SUBJECT_MARK = "§"


@dataclass(frozen=True, slots=True)
class _Hit:
    """A metric named in a sentence, at [start, end) of its parse text."""

    start: int
    end: int
    metric: str
    row: str


@dataclass(slots=True)
class _Sentence:
    quote: str
    lines: tuple[int, int]
    parse: str
    hits: list[_Hit]


@dataclass(frozen=True, slots=True)
class _Reading:
    """One number read from a sentence, before it becomes a Figure."""

    metric: str
    row: str
    measure: str
    value: float
    unit: str
    carried: bool  # its metric was named in an earlier sentence
    subject: _Hit | None = None  # what a following sentence without a subject refers to


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    """narrative_patterns.yaml with its regexes compiled and its metrics and
    measures resolved in the vocabulary, loaded once."""
    with _PATTERNS.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    words = vocabulary()
    surfaces = {form: m.name for m in words.metrics.values() for form in m.printed}
    surfaces.update({s: "" for s in data.get("ignore", [])})
    alternation = "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))
    data["surfaces"] = surfaces
    data["lexicon"] = re.compile(rf"{_SUBJECT_MARK}\d+{_SUBJECT_MARK}|{alternation}")
    data["subject_res"] = [re.compile(s["pattern"]) for s in data["subjects"]]
    for rule in data["measures"]:
        rule["re"] = re.compile(rule["cue"])
    stored = [r["measure"] for r in data["measures"]] + [*data["baseline"]["measures"].values()]
    try:
        for measure in stored:
            words.measure(measure)
    except VocabularyError as exc:
        raise VocabularyError(f"{_PATTERNS.name}: measures: {exc}") from None
    for name in ("adjacent", "explanations", "count_gap", "count_continue"):
        data[f"{name}_re"] = re.compile(data[name])
    data["not_statement_re"] = re.compile("|".join(data.get("not_statements") or ["(?!)"]))
    for rule in data["counts"]:
        rule["unit"] = _count_unit(rule, words)
    data["count_units"] = frozenset(rule["unit"] for rule in data["counts"])  # 个, 人次, 辆 …
    return data


def _count_unit(rule: dict[str, Any], words: Vocabulary) -> str:
    """The unit a count rule reads: its metric's, which every renaming shares."""
    where = f"{_PATTERNS.name}: counts: cue {rule.get('cue')!r}"
    by_subject = rule.get("by_subject") or {}
    try:
        unit = words.metric(rule.get("metric") or "").unit
        renamed = [words.metric(m).unit for m in by_subject.values()]
        for subject in by_subject:
            words.metric(subject)
    except VocabularyError as exc:
        raise VocabularyError(f"{where}: {exc}") from None
    if not unit or any(u != unit for u in renamed):
        raise VocabularyError(f"{where}: its metrics need one `unit` in vocabulary.yaml")
    return unit


def parse_text(sentence: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The sentence as the patterns expect it, and the structural subjects found.

    科目 paths and project names are replaced by placeholders so that the
    lexicon does not find 行政运行's "支出" inside them.
    """
    text = normalise(sentence)
    text = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
    text = re.sub(r"[“”\"‘’']", "", text).replace("收、支", "收支")
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    text = _patterns()["explanations_re"].sub("", text)
    subjects: dict[str, tuple[str, str]] = {}
    for regex in _patterns()["subject_res"]:

        def mark(match: re.Match[str]) -> str:
            key = f"{_SUBJECT_MARK}{len(subjects)}{_SUBJECT_MARK}"
            subjects[key] = (match.group("metric"), match.group("row"))
            return key

        text = regex.sub(mark, text)
    return text.replace("(类)", ""), subjects


def _hits(text: str, subjects: dict[str, tuple[str, str]]) -> list[_Hit]:
    """Metrics named in a parse text, left to right, longest form first."""
    found: list[_Hit] = []
    for match in _patterns()["lexicon"].finditer(text):
        surface = match.group(0)
        metric, row = subjects.get(surface) or (_patterns()["surfaces"][surface], surface)
        if metric:
            found.append(_Hit(match.start(), match.end(), metric.replace(" ", ""), row))
    return found


def _paragraphs(section: Section) -> Iterator[list[tuple[int, str]]]:
    """Runs of lines that belong together: a line not ending a sentence goes on."""
    current: list[tuple[int, str]] = []
    for offset, raw in enumerate(section.text.split("\n")):
        text = _BULLET.sub("", raw).strip()
        if not text or "\t" in raw or (offset == 0 or text in section.heading):
            continue
        if current and current[-1][1].endswith(_PARAGRAPH_END):
            yield current
            current = []
        current.append((section.locator.line_start + offset, text))
    if current:
        yield current


def _sentences(paragraph: list[tuple[int, str]]) -> Iterator[_Sentence]:
    """Sentences of a paragraph, each with the source lines it spans."""
    joined, starts = "", []
    for line_no, text in paragraph:
        starts.append((len(joined), line_no))
        joined += text
    position = 0
    for piece in _SENTENCE_END.split(joined):
        if piece.strip():
            first = max(n for at, n in starts if at <= position)
            last = max(n for at, n in starts if at < position + len(piece))
            parse, subjects = parse_text(piece)
            yield _Sentence(piece.strip(), (first, last), parse, _hits(parse, subjects))
        position += len(piece)


def _measure(before: str) -> tuple[str, int, int] | None:
    """(measure, sign, where the cue starts) for the text ending at a number."""
    for rule in _patterns()["measures"]:
        match = rule["re"].search(before)
        if match:
            return rule["measure"], rule.get("sign", 1), match.start()
    return None


def _amount(sentence: _Sentence, match: re.Match[str], carry: _Hit | None) -> _Reading | None:
    """An amount or a percentage: its metric is the last one named before its cue."""
    patterns = _patterns()
    before = sentence.parse[: match.start()]
    cue = _measure(before)
    value = parse_number(match.group(1))
    if value is None or (cue is None and match.group(2) == "%"):
        return None
    measure, sign, cue_start = cue or ("决算数", 1, match.start())
    hits = [h for h in sentence.hits if h.end <= cue_start]
    hit, carried = (hits[-1], False) if hits else (carry, True)
    if cue is None:
        hit, carried = _plain_amount_subject(sentence, before, hits), False
    if hit is None:
        return None
    row = hit.row
    listed = before.rfind("包括")
    parents = [h for h in sentence.hits if h.end <= listed]
    if parents and hit.end > listed and not row.startswith(parents[-1].row):
        row = f"{parents[-1].row} {row}"
    baseline = patterns["baseline"]
    if measure in baseline["measures"] and baseline["cue"] in before:
        row += baseline["row_suffix"]
        measure = baseline["measures"][measure]
    return _Reading(hit.metric, row, measure, sign * value, match.group(2), carried, hit)


def _plain_amount_subject(sentence: _Sentence, before: str, hits: list[_Hit]) -> _Hit | None:
    """The metric of an amount with no cue: named right before it, or a listed item.

    "人员经费795.89万元，主要包括基本工资250.7万元、…": after 包括 each label
    before an amount is an item of the metric named before 包括.
    """
    if hits and _patterns()["adjacent_re"].match(before[hits[-1].end :]):
        return hits[-1]
    listed = before.rfind("包括")
    label = re.search(r"(?:^|[，,、；;：:]|包括)([^\d，,、；;：:]{2,20})$", before)
    parents = [h for h in hits if h.end <= listed]
    if listed < 0 or label is None or not parents:
        return None
    name = re.sub(r"^.*包括", "", label.group(1))
    return _Hit(label.start(1), len(before), name, name) if len(name) >= 2 else None


def _count(
    sentence: _Sentence, match: re.Match[str], previous: tuple[dict, int] | None
) -> tuple[_Reading, dict] | None:
    """A count (辆, 批次, 人次, 个, 分): named by its cue word, or by the count before it."""
    patterns = _patterns()
    unit, text = match.group(2), sentence.parse
    before, after = text[: match.start()], text[match.end() :]
    chosen = None
    for rule in (r for r in patterns["counts"] if r["unit"] == unit):
        if rule.get("after"):
            ok = after.startswith(rule["cue"])
        else:
            at = before.rfind(rule["cue"])
            ok = at >= 0 and patterns["count_gap_re"].match(before[at + len(rule["cue"]) :])
        if ok and (chosen is None or len(rule["cue"]) > len(chosen["cue"])):
            chosen = rule
    if chosen is None and previous is not None:
        rule, end = previous
        if patterns["count_continue_re"].match(text[end : match.start()]):
            chosen = next(
                (r for r in patterns["counts"] if r["cue"] == rule["cue"] and r["unit"] == unit),
                None,
            )
    value = parse_number(match.group(1))
    if chosen is None or value is None:
        return None
    subject = [h for h in sentence.hits if h.end <= match.start()]
    metric = chosen["metric"]
    if subject and subject[-1].metric in chosen.get("by_subject", {}):
        metric = chosen["by_subject"][subject[-1].metric]
    row = f"{subject[-1].row} {metric}" if subject and metric.endswith("得分") else chosen["cue"]
    return _Reading(metric, row, "数量", value, unit, False), chosen


def _readings(sentence: _Sentence, carry: _Hit | None) -> Iterator[_Reading]:
    """Every number of a sentence that can be named, in order (none from an instruction)."""
    if _patterns()["not_statement_re"].search(sentence.quote):
        return
    previous: tuple[dict, int] | None = None
    for match in _NUMBER.finditer(sentence.parse):
        if match.group(2) in _patterns()["count_units"]:
            counted = _count(sentence, match, previous)
            if counted:
                previous = (counted[1], match.end())
                yield counted[0]
            continue
        reading = _amount(sentence, match, carry)
        if reading:
            yield reading


def _in_scope(section: Section) -> bool:
    return any(word in section.path[0] for word in _patterns()["parts"])


def narrative_figures(sections: Sequence[Section], document: Document) -> list[Figure]:
    """Every figure the narrative states, with the sentence as its quote."""
    figures: list[Figure] = []
    per_line: dict[int, int] = defaultdict(int)
    for section in (s for s in sections if s.path and _in_scope(s)):
        single_page = section.locator.page_start == section.locator.page_end
        page = section.locator.page_start if single_page else None
        for paragraph in _paragraphs(section):
            carry: _Hit | None = None
            earlier: list[_Sentence] = []
            for sentence in _sentences(paragraph):
                subjects = []
                for reading in _readings(sentence, carry):
                    subjects.append(reading.subject)
                    first = earlier[-1] if reading.carried and earlier else sentence
                    quote = sentence.quote if first is sentence else first.quote + sentence.quote
                    start, end = first.lines[0], sentence.lines[1]
                    k = per_line[start]
                    per_line[start] += 1
                    figures.append(
                        Figure(
                            figure_id=f"{document.doc_id}:n:L{start}:{k}",
                            doc_id=document.doc_id,
                            department=document.department,
                            year=document.year,
                            source="narrative",
                            table_id="",
                            table_title="",
                            code="",
                            row=reading.row,
                            column="",
                            metric=reading.metric,
                            measure=reading.measure,
                            value=reading.value,
                            unit=reading.unit,
                            quote=quote,
                            locator=Locator(start, end, page, page),
                            section=" > ".join(section.path),
                        )
                    )
                named = [h for h in subjects if h is not None]
                if named or sentence.hits:
                    carry = named[-1] if named else sentence.hits[0]
                earlier.append(sentence)
    return figures

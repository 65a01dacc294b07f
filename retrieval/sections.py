"""Whole sections for questions that want a list or a description complete:
部门职责 item by item, 单位构成 with its table of units.

A passage search returns the two best sentences; a duty list has fifteen.
Here the section is found by its heading (the words are data in
`query_cues.yaml`, `whole_sections`), all its passages are taken in document
order, subsections included, with the tables printed inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from indexing.ordinals import ARTICLE, PAREN
from indexing.ordinals import ITEM as ORDINAL_ITEM
from indexing.records import Chunk, Table
from retrieval.cues import cue_data
from retrieval.engine import Engine
from retrieval.records import Query

ITEM = re.compile(rf"^\s*(?:{PAREN}|{ORDINAL_ITEM}|\d{{1,2}}[、.．](?!\d)|{ARTICLE})")


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    zh: re.Pattern[str] | None
    en: re.Pattern[str] | None
    headings: tuple[str, ...]

    def asked(self, text: str) -> bool:
        return bool((self.zh and self.zh.search(text)) or (self.en and self.en.search(text)))


@dataclass(frozen=True, slots=True)
class WholeSection:
    """A section of one document, complete: its heading, passages and tables."""

    doc_id: str
    heading: str
    passages: tuple[Chunk, ...]
    tables: tuple[Table, ...]

    @property
    def items(self) -> list[str]:
        """The enumerated items of the text ("（一）…", "1、…"), else its table rows."""
        lines = [ln for c in self.passages for ln in c.body.split("\n")]
        items = [ln.strip() for ln in lines if ITEM.match(ln)]
        if items:
            return items
        return [r.raw.replace("\t", " ").strip() for t in self.tables for r in t.rows]


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    return _topics("whole_sections", "topic")


def _topics(key: str, name: str) -> tuple[Topic, ...]:
    """A list of query_cues.yaml's topics compiled: English cues as words."""
    out = []
    for entry in cue_data().get(key) or []:
        zh = re.compile("|".join(entry["zh"])) if entry.get("zh") else None
        en_words = r"\b(?:" + "|".join(entry["en"]) + ")" if entry.get("en") else ""
        en = re.compile(en_words, re.IGNORECASE) if en_words else None
        out.append(Topic(entry[name], zh, en, tuple(entry["headings"])))
    return tuple(out)


def whole_section(engine: Engine, query: Query, scope: Sequence[str]) -> WholeSection | None:
    """The section the question asks for in full, when it names one department."""
    if len(scope) != 1:
        return None
    topic = next((t for t in topics() if t.asked(query.text)), None)
    if topic is None:
        return None
    if query.metrics and not any(h in query.text for h in topic.headings):
        return None  # a question naming a metric asks about it, unless it names the section
    doc_id = scope[0]
    lexical = engine.lexical
    passages = sorted(
        (lexical.chunks[i] for i in lexical.positions([doc_id], ["section"])),
        key=lambda c: c.locator.line_start,
    )
    # the first heading holding one of the words, at any level of a passage's path
    # (a 名词解释 whose every passage sits under one of its items still has it)
    heading = _report_heading(passages, topic.headings)
    if not heading:
        return None
    inside = [c for c in passages if _within(c.section, heading)]
    start = inside[0].locator.line_start
    after = [
        c.locator.line_start for c in passages if c.locator.line_start > start and c not in inside
    ]
    every = engine.stores.figures.tables(doc_id)
    # The standard tables are never part of a descriptive section: they end it.
    after += [t.locator.line_start for t in every if _standard(t) and t.locator.line_start > start]
    end = min(after, default=10**9)
    tables = tuple(
        t for t in every if not _standard(t) and start <= t.locator.line_start < end and t.rows
    )
    return WholeSection(doc_id, heading, tuple(inside), tables)


def _standard(table: Table) -> bool:
    return table.table_id.isdigit()


def _last(path: str) -> str:
    return path.rsplit(" > ", 1)[-1]


def _within(path: str, heading: str) -> bool:
    return path == heading or path.startswith(heading + " > ")


@dataclass(frozen=True, slots=True)
class ReportPart:
    """One asked part of a project's evaluation report: its heading and passages."""

    part: str
    project: str
    heading: str
    passages: tuple[Chunk, ...]


@lru_cache(maxsize=1)
def report_topics() -> tuple[Topic, ...]:
    return _topics("report_parts", "part")


def report_parts(
    engine: Engine, query: Query, projects: dict[str, tuple[int, ...]], named: Sequence[str]
) -> list[ReportPart]:
    """The parts of the named projects' reports the question asks for, in the order
    the question asks them: every passage under the heading (its subsections too),
    in document order. Empty when a part asked has no such heading."""
    lexical = engine.lexical
    found: list[ReportPart] = []
    for topic in sorted(report_topics(), key=lambda t: _first_at(t, query.text)):
        if not topic.asked(query.text):
            continue
        for project in named:
            pages = sorted(
                (lexical.chunks[i] for i in projects.get(project, ())),
                key=lambda c: c.locator.line_start,
            )
            heading = _report_heading(pages, topic.headings)
            if heading:
                inside = tuple(c for c in pages if _within(c.section, heading))
                found.append(ReportPart(topic.name, project, heading, inside))
    return found


def _first_at(topic: Topic, text: str) -> int:
    hits = [m.start() for p in (topic.zh, topic.en) if p for m in [p.search(text)] if m]
    return min(hits, default=10**6)


def _report_heading(pages: Sequence[Chunk], words: Sequence[str]) -> str:
    """The section path, down to the first heading holding one of the words."""
    for chunk in pages:
        path = chunk.section.split(" > ")
        for depth, title in enumerate(path):
            if any(w in title for w in words):
                return " > ".join(path[: depth + 1])
    return ""

"""The record types every stage passes around, defined once.

Indexing turns a document into these records; the stores persist them; retrieval
reads them back. They are frozen so a record can be shared between threads of
the web app and cached without defensive copies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, from the top


@dataclass(frozen=True, slots=True)
class TextSpan:
    """One printed line of a PDF paragraph: where each of its characters sits.

    `start` is the offset of its first character in `Line.text`; `x0s[i]` and
    `x1s[i]` are the left and right edges of character `start + i`, so the box
    of any quoted run of characters is known (`indexing.boxes`).
    """

    start: int
    page: int
    top: float
    bottom: float
    x0s: tuple[float, ...]
    x1s: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a document's text as loaded (text file or PDF page).

    `no` is 1-based over the whole document, so a citation can say "line 412";
    `page` is set for PDFs only. Table rows keep their cells tab-separated.
    A PDF text line (a paragraph joined from printed lines) keeps the position
    of every character in `spans`; text files and table rows have none.
    """

    no: int
    text: str
    page: int | None = None
    grid: int | None = None  # PDF table rows: index of the `Grid` and of its row
    grid_row: int | None = None
    spans: tuple[TextSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class GridCell:
    """One position of a ruled PDF table; a merged cell fills several positions.

    `origin` is the (row, column) where the merged cell starts, so header
    spans are known without the PDF: every position of one merged cell has
    the same origin, text and box.
    """

    text: str
    bbox: BBox
    origin: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Grid:
    """A table as a PDF draws it: rows × columns of positioned cells.

    A position no ruled cell covers is None. The text path has no grids; a
    PDF's tables are read from these (`grid_tables`), and their rows also
    appear in the document's lines as tab-separated cells (`line_nos`).
    """

    index: int
    page: int
    bbox: BBox
    rows: tuple[tuple[GridCell | None, ...], ...]
    line_nos: tuple[int | None, ...] = ()  # document line of each row; None if dropped

    @property
    def n_columns(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass(frozen=True, slots=True)
class Locator:
    """Where a record comes from, so a reader can check it in the source."""

    line_start: int
    line_end: int
    page_start: int | None = None
    page_end: int | None = None

    def label(self) -> str:
        """Human-readable place: "p. 3, lines 120–124" or "lines 120–124"."""
        lines = (
            f"line {self.line_start}"
            if self.line_start == self.line_end
            else f"lines {self.line_start}–{self.line_end}"
        )
        if self.page_start is None:
            return lines
        pages = (
            f"p. {self.page_start}"
            if self.page_end in (None, self.page_start)
            else f"pp. {self.page_start}–{self.page_end}"
        )
        return f"{pages}, {lines}"


class SourceKind(StrEnum):
    """How a document came into the index: a closed set, stored and shown as its value."""

    SHIPPED = "shipped"  # the corpus folder (data/), indexed by the indexer
    UPLOADED = "uploaded"  # the page or the API, by the holder of the admin token
    LOCAL = "local"  # a path given to `python -m indexing` outside the corpus folder


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who added a document and when, so a reader can tell shipped from uploaded.

    `added_by` names the actor, never a secret: "indexer", "admin token (API)",
    "admin token (page)", "command line". `added_at` is UTC in ISO 8601
    ("2026-12-01T23:42:23Z"), or "" for a document indexed before provenance
    was recorded. Re-indexing unchanged content keeps the first record.
    """

    kind: SourceKind
    added_by: str
    added_at: str = ""

    @classmethod
    def now(cls, kind: SourceKind, added_by: str) -> Provenance:
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return cls(kind, added_by, stamp)


@dataclass(frozen=True, slots=True)
class Document:
    """One disclosure (one department, one year) and what identifies it.

    `aliases` holds every name a user may type for it: department full and
    short names, the place, pinyin and English forms. Retrieval builds its
    place/department lexicon from these, so a new document needs no code.
    `provenance` is None as parsed; indexing records it (`indexing.pipeline`).
    """

    doc_id: str
    title: str
    department: str
    place: str
    province: str
    city: str
    county: str
    year: int | None
    kind: str  # 部门决算 / 单位决算
    scope: str  # 汇总 / 本级
    units: tuple[str, ...]
    aliases: tuple[str, ...]
    source: str  # file name as given
    sha256: str
    n_lines: int
    n_pages: int | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the text under it, up to the next heading of any level."""

    doc_id: str
    section_id: str
    heading: str
    path: tuple[str, ...]  # e.g. ("第三部分 情况说明", "九、…", "（二）…")
    level: int  # 1 = 第X部分, 2 = 一、, 3 = （一）, 4 = 1、
    text: str
    locator: Locator


@dataclass(frozen=True, slots=True)
class ProjectSpan:
    """The lines of one project's appendix pages (its table, report, evaluation).

    Questions about what a project bought, how many it served or why it fell
    short are answered from these lines only; `metric` is the name the
    project's figures are stored under.
    """

    metric: str
    line_start: int
    line_end: int


@dataclass(frozen=True, slots=True)
class TableRow:
    """A body row: its row header and one value per column (None = blank cell)."""

    code: str  # 科目编码, "" when the row has none
    label: str  # 科目名称 / 项目, wrapped parts joined
    values: tuple[float | None, ...]
    raw: str  # the source line(s), quoted in citations
    locator: Locator
    line_no: str = ""  # 行次 where the table has one
    boxes: tuple[BBox | None, ...] = ()  # PDF: each value's cell box (page in `locator`)


@dataclass(frozen=True, slots=True)
class Table:
    """One 公开NN表. `columns[i]` is the full header path of `values[i]`."""

    doc_id: str
    table_id: str  # "01" … "10"
    title: str
    department: str
    unit: str  # 万元 / 元
    columns: tuple[str, ...]  # "决算数 / 公务用车购置及运行维护费 / 公务用车运行维护费"
    rows: tuple[TableRow, ...]
    notes: tuple[str, ...]
    locator: Locator
    empty: bool = False  # "本表无数据"


@dataclass(frozen=True, slots=True)
class Figure:
    """One number with everything needed to cite it.

    From a table: one non-empty cell. From the narrative: one stated amount,
    count or percentage, with the sentence as `quote`.
    `measure` says which kind of number it is: 决算数, 预算数, 年初预算数,
    全年预算数, 增减额, 增减率 (vs last year), 预算增减额, 预算增减率 (vs the
    initial budget), 完成率, 占比, 数量.
    """

    figure_id: str
    doc_id: str
    department: str
    year: int | None
    source: str  # "table" | "narrative"
    table_id: str  # "" for narrative figures
    table_title: str
    code: str  # 科目编码 or ""
    row: str  # row label (table) or the metric named in the sentence (narrative)
    column: str  # column header path (table) or "" (narrative)
    metric: str  # normalised metric name, e.g. 公务接待费, 住房公积金, 收支总计
    measure: str
    value: float
    unit: str  # 万元, 元, %, 个, 人次, 批次, 辆, 分
    quote: str
    locator: Locator
    section: str = ""  # heading path for narrative figures
    bbox: BBox | None = None  # PDF: the cell's box on page `locator.page_start`


@dataclass(frozen=True, slots=True)
class Check:
    """A verification a journalist can read: do the totals add up?"""

    doc_id: str
    check_id: str
    kind: str  # total_vs_parts / income_vs_expenditure / table_vs_narrative / unverified
    description: str
    status: str  # "passed" | "mismatch" | "unverified"
    expected: float | None
    actual: float | None
    where: str  # human-readable: "公开09表 合计 vs 因公出国(境)费 + …"
    locators: tuple[Locator, ...] = ()


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrievable passage: a section slice, a table slice or a figure sentence."""

    chunk_id: str
    doc_id: str
    kind: str  # "section" | "table" | "figure"
    text: str
    locator: Locator
    metadata: dict[str, Any] = field(default_factory=dict)

    # The metadata keys the indexer writes (indexing/chunks.py), read by name
    # here once; the stored form (SQL JSON, chroma fields) stays the dict.
    @property
    def body(self) -> str:
        """The passage's own text, without the document title and heading."""
        return str(self.metadata.get("body", self.text))

    @property
    def section(self) -> str:
        """The section path ("第三部分 > 九、…") or the table's title ("公开09表 …")."""
        return str(self.metadata.get("section", ""))

    @property
    def table_id(self) -> str:
        """The 公开NN表 of a table slice; "" for a section passage."""
        return str(self.metadata.get("table_id", ""))

    @property
    def project(self) -> str:
        """The appendix project whose pages hold this passage; "" outside them."""
        return str(self.metadata.get("project", ""))

    @property
    def source(self) -> str:
        """The document's file name."""
        return str(self.metadata.get("source", ""))

    @property
    def printed(self) -> tuple[tuple[int, int, int, BBox], ...]:
        """Where each run of the body is printed (PDF): (start, end, page, box),
        from the `boxes` JSON the indexer keeps; () for a text document."""
        raw = self.metadata.get("boxes")
        rows = json.loads(str(raw)) if raw else []
        return tuple((r[0], r[1], r[2], (r[3], r[4], r[5], r[6])) for r in rows)


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """Everything indexing extracted from one source file."""

    document: Document
    lines: tuple[Line, ...]
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    figures: tuple[Figure, ...]
    checks: tuple[Check, ...]
    chunks: tuple[Chunk, ...]
    report: ExtractionReport | None = None


@dataclass(frozen=True, slots=True)
class ExtractionReport:
    """How much of a document was understood, for the CLI, the API and the page.

    `standard_found` lists the canonical ids of the standard tables found,
    `standard_empty` those among them that print no data, `missing` the
    standard tables not found; `problems` says what could not be parsed.
    """

    doc_id: str
    standard_found: tuple[str, ...]
    standard_empty: tuple[str, ...]
    missing: tuple[str, ...]
    other_tables: tuple[str, ...]
    table_figures: int
    narrative_figures: int
    other_figures: int
    checks_passed: int
    checks_failed: int
    checks_unverified: int
    problems: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line: "tables 9/9 (2 empty) · figures 210 table + 80 narrative · checks …"."""
        n_standard = len(self.standard_found) + len(self.missing)
        text = (
            f"standard tables {len(self.standard_found)}/{n_standard}"
            f" ({len(self.standard_empty)} empty)"
            f" · figures {self.table_figures} from tables, {self.narrative_figures} from the"
            f" narrative, {self.other_figures} from appendices"
            f" · checks {self.checks_passed} passed, {self.checks_failed} failed,"
            f" {self.checks_unverified} unverified"
        )
        if self.missing:
            text += f" · not found: {', '.join(self.missing)}"
        return text

"""Find the 公开NN表 of a disclosure and parse them into `Table` records.

The tables follow a national standard format, so their columns come from
`layouts.yaml` rather than from the header rows the PDF extraction mangles;
the body cells are mapped onto those columns by position (`table_rows`).
Blocks the extraction flattened into one paragraph are recovered only where
the result can be verified (`garbled`); the rest gives no figure.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from indexing import garbled
from indexing.loaders import is_watermark
from indexing.ordinals import PART
from indexing.records import Line, Table, TableRow
from indexing.table_rows import PARSERS, layouts, locator

log = logging.getLogger(__name__)

_MARKER = re.compile(r"^\s*公开\s*(\d{2})\s*(表)?(.*)$")
UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")
NOTE = re.compile(r"^\s*(注\s*[:：]|说明\s*[:：])")
_NO_DATA = "无数据"
_HEADING_FIELD = re.compile(r"^(部门|部门名称|单位名称)\s*[:：]|^\d{4}\s*年度$")
# A note the parser adds when it could not read part of a table; run_checks
# reports these as "unverified" checks.
EXTRACTION_NOTE = "（提取说明）"
_PART = re.compile(rf"^\s*{PART}")


def find_tables(lines: Sequence[Line], doc_id: str, department: str) -> list[Table]:
    """Every 公开NN表 in the document, in document order."""
    lines = [ln for ln in lines if not is_watermark(ln.text)]
    markers = _markers(lines)
    tables = []
    for n, (index, table_id) in enumerate(markers):
        end = markers[n + 1][0] if n + 1 < len(markers) else len(lines)
        # The last table ends where the next part (第三部分 情况说明) begins.
        end = next((i for i in range(index + 1, end) if _PART.match(lines[i].text)), end)
        table = _parse_table(lines, index, end, table_id, doc_id, department)
        if table is not None:
            tables.append(table)
    return garbled.recover(tables, lines)


def _markers(lines: Sequence[Line]) -> list[tuple[int, str]]:
    """(line index, table id) of each table's first marker, skipping the contents."""
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        match = _MARKER.match(line.text)
        if not match or "..." in line.text or "…" in line.text:
            continue
        table_id = match.group(1)
        if table_id not in layouts()["tables"] or table_id in found:
            continue
        if not match.group(2) and not _table_word_follows(lines, i):
            continue
        found[table_id] = i
    return sorted((i, t) for t, i in found.items())


def _table_word_follows(lines: Sequence[Line], index: int) -> bool:
    """ "公开02" with "表" on one of the next lines (a marker split by extraction)."""
    following = [ln.text.strip() for ln in lines[index + 1 : index + 4] if ln.text.strip()]
    return bool(following) and following[0].startswith("表")


def _parse_table(
    lines: Sequence[Line], index: int, end: int, table_id: str, doc_id: str, department: str
) -> Table | None:
    layout = layouts()["tables"][table_id]
    title_index, title = _title(lines, index, layout["title"])
    body_end = next(
        (i for i in range(index + 1, end) if NOTE.match(lines[i].text)),
        end,
    )
    body = [ln for ln in lines[index + 1 : body_end] if ln.text.strip()]
    notes = _notes(lines[body_end:end])
    rows = PARSERS[layout["kind"]](body, layout)
    flattened = [ln for ln in body if garbled.is_flattened(ln.text)]
    if flattened:
        notes += tuple(
            f"{EXTRACTION_NOTE}第{ln.no}行的表格内容在PDF提取时被压成一段文字，行列对应关系丢失。"
            for ln in flattened
        )
    last = body[-1] if body else lines[index]
    note_lines = [ln for ln in lines[body_end:end] if ln.text.strip() in notes]
    span = [lines[title_index], lines[index], last, *note_lines]
    return Table(
        doc_id=doc_id,
        table_id=table_id,
        title=title,
        department=department,
        unit=_unit(lines[title_index : min(end, index + 12)]),
        columns=_columns(layout),
        rows=tuple(rows),
        notes=notes,
        locator=locator(sorted(span, key=lambda ln: ln.no)),
        empty=any(_NO_DATA in note for note in notes)
        or not any(v is not None for row in rows for v in row.values),
    )


def _columns(layout: dict[str, Any]) -> tuple[str, ...]:
    if layout["kind"] == "side_by_side":
        return tuple(layout["income_columns"] + layout["expenditure_columns"])
    return tuple(layout["columns"])


def _title(lines: Sequence[Line], index: int, default: str) -> tuple[int, str]:
    """The title printed just above the marker, or the standard one."""
    for i in range(index - 1, max(-1, index - 10), -1):
        text = lines[i].text.strip()
        if not text or "\t" in lines[i].text or _HEADING_FIELD.match(text) or UNIT.search(text):
            continue
        if text.endswith("表") and not text.startswith("公开"):
            return i, re.sub(r"\s+", "", text)
        if _MARKER.match(text) or NOTE.match(text):
            break
    return index, default


def _unit(lines: Sequence[Line]) -> str:
    for line in lines:
        if match := UNIT.search(line.text):
            return match.group(1)
    return "万元"


def _notes(lines: Sequence[Line]) -> tuple[str, ...]:
    """注：… and 说明：… lines, and sentences saying the table has no data."""
    notes = []
    for line in lines:
        text = line.text.strip()
        if "\t" in line.text or not text:
            continue
        if NOTE.match(text) or _NO_DATA in text:
            notes.append(text)
    return tuple(notes)


def rows_by_code(table: Table) -> dict[str, TableRow]:
    """The rows of a coded table by 科目编码 (first occurrence)."""
    found: dict[str, TableRow] = {}
    for row in table.rows:
        if row.code and row.code not in found:
            found[row.code] = row
    return found

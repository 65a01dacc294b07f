"""Tables of a PDF read from its grids: what each table is, from its title;
what each column is, from its own header rows.

A region's template differs from the national one in numbering (公开NN表 or
none), titles, header wording, 科目编码 split over 类/款/项 columns, groups
side by side and tables running over pages. None of that is branched on here:
a table is recognised by its title (`identify`), a column by the header cells
above it (`header_paths`, spans included), and each column's path is matched
to the canonical columns of `layouts.yaml` by its words (`match_columns`), so
figures are named from one vocabulary whichever document they come from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from indexing.numbers import parse_number
from indexing.records import BBox, Grid, GridCell, Line, Locator, Table, TableRow
from indexing.table_rows import clean_label, layouts

_MARKER = re.compile(r"公开\s*(\d{2})\s*表")
_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")
_NOTE = re.compile(r"^\s*(注\s*[:：]|说明\s*[:：])")
_NO_DATA = ("无数据", "本表无", "故本表")
_AMOUNT = re.compile(r"^-?[\d,，\s]*\d\s*\.\s*\d+$")
_CODE = re.compile(r"^\d{2,7}$")
_FULL_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_TOTAL_WORDS = ("合计", "总计", "小计")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」 \u3000")
_GENERIC_TITLE = "表格"


def _compact(text: str) -> str:
    text = text.replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", text).translate(_QUOTES)


def identify(title_text: str) -> str | None:
    """Canonical table id of a printed title, or None for a table outside the standard set."""
    title = _compact(title_text)
    title = re.sub(r"^公开\d{2}表", "", title)
    best: tuple[int, str] | None = None
    for table_id, variants in layouts()["title_variants"].items():
        for variant in variants:
            if title.endswith(_compact(variant)) and (best is None or len(variant) > best[0]):
                best = (len(variant), table_id)
    return best[1] if best else None


@dataclass
class _Reading:
    """A table being read: its grids (one per page it runs over) and its context."""

    table_id: str | None
    title: str
    unit: str
    grids: list[Grid]
    title_lines: list[Line]
    notes: list[Line] = field(default_factory=list)


def grid_tables(
    grids: Sequence[Grid], lines: Sequence[Line], doc_id: str, department: str
) -> list[Table]:
    """Every table of the PDF: standard ones under their canonical id, others as "xNN"."""
    readings = _group(grids, lines)
    tables = []
    for n, reading in enumerate(readings, start=1):
        table = _table(reading, doc_id, department, lines, f"x{n:02d}")
        if table is not None:
            tables.append(table)
    return tables


def _between(lines: Sequence[Line], after: int | None, before: int | None) -> list[Line]:
    """Text lines (not table rows) strictly between two document lines."""
    lo = after if after is not None else 0
    hi = before if before is not None else (lines[-1].no + 1 if lines else 0)
    return [ln for ln in lines if lo < ln.no < hi and ln.grid is None and ln.text.strip()]


def _first_line(grid: Grid) -> int | None:
    return next((n for n in grid.line_nos if n is not None), None)


def _last_line(grid: Grid) -> int | None:
    return next((n for n in reversed(grid.line_nos) if n is not None), None)


def _group(grids: Sequence[Grid], lines: Sequence[Line]) -> list[_Reading]:
    """Grids into tables: a grid opening a page with no title above continues the last."""
    readings: list[_Reading] = []
    previous: Grid | None = None
    for grid in grids:
        context = _between(lines, _last_line(previous) if previous else None, _first_line(grid))
        if readings and previous is not None:
            readings[-1].notes += [ln for ln in context if _is_note(ln.text)]
        above = [ln for ln in context if not _is_note(ln.text)][-8:]
        titled = _title(above)
        if titled is None and previous is not None and _continues(previous, grid, above):
            readings[-1].grids.append(grid)
        else:
            table_id, title, title_lines = titled or (None, _fallback_title(above), [])
            unit = next((m.group(1) for ln in above if (m := _UNIT.search(ln.text))), "万元")
            readings.append(_Reading(table_id, title, unit, [grid], title_lines))
        previous = grid
    if readings and previous is not None:
        tail = _between(lines, _last_line(previous), None)[:6]
        readings[-1].notes += [ln for ln in tail if _is_note(ln.text)]
    return readings


def _is_note(text: str) -> bool:
    return bool(_NOTE.match(text)) or any(word in text for word in _NO_DATA)


def _title(above: Sequence[Line]) -> tuple[str | None, str, list[Line]] | None:
    """(id, title, its lines) from the lines above a grid: a standard title or a marker."""
    for i in range(len(above) - 1, -1, -1):
        text = above[i].text
        joined = "".join(ln.text for ln in above[max(0, i - 1) : i + 1])
        for candidate, used in ((text, [above[i]]), (joined, list(above[max(0, i - 1) : i + 1]))):
            table_id = identify(candidate) if _compact(candidate).endswith("表") else None
            if table_id:
                return table_id, _clean_title(candidate), used
        if marker := _MARKER.search(text):
            table_id = marker.group(1)
            if table_id in layouts()["tables"]:
                return table_id, layouts()["tables"][table_id]["title"], [above[i]]
    return None


def _clean_title(text: str) -> str:
    title = re.sub(r"^.*?公开\s*\d{2}\s*表", "", text.strip())
    return re.sub(r"\s+", "", title).replace('"', "“", 1).replace('"', "”", 1) or text


def _fallback_title(above: Sequence[Line]) -> str:
    for line in reversed(above):
        text = _compact(line.text)
        if text.endswith("表") or (4 <= len(text) <= 40 and not _UNIT.search(line.text)):
            return re.sub(r"\s+", "", line.text)
    return _GENERIC_TITLE


def _continues(previous: Grid, grid: Grid, above: Sequence[Line]) -> bool:
    """Nothing titled in between, same columns, and the grid opens a later page."""
    if any(_UNIT.search(ln.text) or _compact(ln.text).endswith("表") for ln in above):
        return False
    return grid.page > previous.page and grid.n_columns == previous.n_columns


# ---- header and columns ---------------------------------------------------


def _own(cell: GridCell | None, r: int, c: int) -> str:
    """A cell's text where the cell starts; "" where a merged cell only covers it."""
    return cell.text if cell is not None and cell.origin == (r, c) else ""


def _is_column_numbers(texts: Sequence[str]) -> bool:
    nums = [t for t in texts if t and t != "栏次"]
    return len(nums) >= 2 and all(t.isdigit() and len(t) <= 2 for t in nums)


def _is_body(row: Sequence[GridCell | None], r: int) -> bool:
    texts = [_own(cell, r, c).strip() for c, cell in enumerate(row)]
    if _is_column_numbers(texts):
        return False
    if any(_AMOUNT.match(t) for t in texts):
        return True
    filled = [t for t in texts if t]
    first = filled[0] if filled else ""
    if _FULL_CODE.match(first) or _ORDINAL.match(first):
        return True
    # "合计" opening a row is a body row only if nothing else in it is a heading.
    alone = all(parse_number(t) is not None for t in filled[1:])
    if alone and any(_compact(first).startswith(word) for word in _TOTAL_WORDS):
        return True
    return r > 0 and first.isdigit() and len(first) <= 3 and len(filled) > 1


def header_rows(grid: Grid) -> int:
    """How many rows of the grid are header (before the first body row)."""
    for r, row in enumerate(grid.rows):
        if _is_body(row, r):
            return r
    return len(grid.rows)


def header_paths(grid: Grid, n_header: int) -> list[tuple[str, ...]]:
    """For each column, the header texts above it, top to bottom (spans included)."""
    paths: list[tuple[str, ...]] = []
    for c in range(grid.n_columns):
        parts: list[str] = []
        seen: set[tuple[int, int]] = set()
        for r in range(n_header):
            row = grid.rows[r]
            cell = row[c] if c < len(row) else None
            if cell is None or cell.origin in seen:
                continue
            seen.add(cell.origin)
            texts = [_own(x, r, i) for i, x in enumerate(row)]
            text = clean_label(cell.text).replace(" ", "")
            if text and not _is_column_numbers(texts) and text != "栏次":
                parts.append(text)
        paths.append(tuple(parts))
    return paths


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    role: str  # code | line | label | value
    path: tuple[str, ...]


def _roles(grid: Grid, paths: list[tuple[str, ...]], n_header: int) -> list[_Column]:
    words = layouts()["column_roles"]
    columns = []
    for c, path in enumerate(paths):
        body = [_own(row[c], n_header + i, c) for i, row in enumerate(grid.rows[n_header:])]
        body = [t for t in body if t]
        compact = [_compact(p) for p in path]
        digits = sum(bool(_CODE.match(t)) for t in body)
        if (compact and compact[-1] in words["code_leaf"]) or any(
            w in p for p in compact for w in words["code"]
        ):
            role = "code" if digits >= len(body) / 2 or not body else "label"
        elif any(p in words["line"] for p in compact):
            role = "line"
        elif any(p in words["label"] or p.endswith("名称") for p in compact):
            role = "label"
        elif body and digits == len(body) and all(len(t) >= 3 for t in body):
            role = "code"
        else:
            role = "value"
        columns.append(_Column(c, role, path))
    return columns


def _groups(columns: list[_Column]) -> list[list[_Column]]:
    """Side-by-side groups: one per label column, starting at the codes before it."""
    labels = [col.index for col in columns if col.role == "label"]
    if len(labels) <= 1:
        return [columns]
    starts = []
    for index in labels:
        start = index
        while start - 1 >= 0 and columns[start - 1].role == "code":
            start -= 1
        starts.append(start)
    starts[0] = 0
    bounds = [*starts[1:], len(columns)]
    return [columns[a:b] for a, b in zip(starts, bounds, strict=True)]


# ---- canonical columns ----------------------------------------------------


def _norm(part: str, loose: bool = False) -> str:
    synonyms = layouts()["column_synonyms"]
    text = _compact(part)
    text = synonyms["same"].get(text, text)
    return synonyms["loose"].get(text, text) if loose else text


def match_columns(paths: Sequence[tuple[str, ...]], canonical: Sequence[str]) -> list[int | None]:
    """For each extracted header path, the index of its canonical column (None: none fits).

    First every part of a canonical path must be among the header's words (so
    "合计 / 预算数" is "预算数 / 合计" whatever the header order); then, for
    columns still unmatched, the canonical leaf alone, with loose synonyms
    (合计 for 小计, 决算数 for 金额).
    """
    parts = [[p.strip() for p in column.split("/")] for column in canonical]
    out: list[int | None] = [None] * len(paths)
    used: set[int] = set()
    for i, path in enumerate(paths):
        words = {_norm(p) for p in path}
        fits = [
            (len(cp), -j)
            for j, cp in enumerate(parts)
            if j not in used and {_norm(p) for p in cp} <= words
        ]
        if fits:
            out[i] = -max(fits)[1]
            used.add(out[i])
    for i, path in enumerate(paths):
        if out[i] is not None:
            continue
        words = {_norm(p, loose=True) for p in path}
        for j, cp in enumerate(parts):
            if j not in used and _norm(cp[-1], loose=True) in words:
                out[i] = j
                used.add(j)
                break
    return out


# ---- rows -------------------------------------------------------------------


@dataclass
class _Row:
    group: int
    code: str
    label: str
    line_no: str
    values: dict[int, tuple[float, BBox]]  # value column index -> value, cell box
    source: Line | None
    page: int


def _read_rows(
    grid: Grid, groups: list[list[_Column]], n_header: int, lines: dict[int, Line]
) -> list[_Row]:
    rows: list[_Row] = []
    for r in range(n_header, len(grid.rows)):
        cells = grid.rows[r]
        line_no = grid.line_nos[r] if r < len(grid.line_nos) else None
        source = lines.get(line_no) if line_no is not None else None
        for g, group in enumerate(groups):
            row = _group_row(cells, r, g, group, source, grid.page)
            if row is None:
                continue
            if _wraps(row, rows, g):
                rows[_last_of(rows, g)].label += row.label
                continue
            rows.append(row)
    return rows


def _cell(cells: Sequence[GridCell | None], c: int) -> GridCell | None:
    return cells[c] if c < len(cells) else None


def _group_row(
    cells: Sequence[GridCell | None],
    r: int,
    g: int,
    group: list[_Column],
    source: Line | None,
    page: int,
) -> _Row | None:
    code_parts, label, line_no, values, stray = [], "", "", {}, ""
    for col in group:
        cell = _cell(cells, col.index)
        own = _own(cell, r, col.index).strip()
        if col.role == "code":
            if _CODE.match(own):
                code_parts.append(own)
            elif own and not stray:
                stray = own
        elif col.role == "label":
            if cell is not None and cell.text and not label:
                label = clean_label(cell.text)
        elif col.role == "line":
            line_no = own
        elif own and (value := parse_number(own)) is not None:
            values[col.index] = (value, cell.bbox)  # type: ignore[union-attr]
    code = "".join(code_parts)
    if code and not _FULL_CODE.match(code):
        code = ""
    if not label and stray and _compact(stray) not in ("类", "款", "项"):
        label = clean_label(stray)
    if not (code or label or values):
        return None
    return _Row(g, code, label, line_no, values, source, page)


def _last_of(rows: list[_Row], g: int) -> int:
    return max(i for i, row in enumerate(rows) if row.group == g)


def _wraps(row: _Row, rows: list[_Row], g: int) -> bool:
    """The tail of a long name on a row of its own (no code, no amount, no ordinal)."""
    if row.code or row.values or row.line_no or not row.label or _ORDINAL.match(row.label):
        return False
    if any(_compact(row.label).startswith(w) for w in _TOTAL_WORDS):
        return False
    return any(r.group == g and r.code for r in rows)


# ---- into Table records ---------------------------------------------------


def _table(
    reading: _Reading, doc_id: str, department: str, lines: Sequence[Line], fallback_id: str
) -> Table | None:
    by_no = {ln.no: ln for ln in lines}
    first = reading.grids[0]
    n_header = header_rows(first)
    paths = header_paths(first, n_header)
    columns = _roles(first, paths, n_header)
    groups = _groups(columns)
    rows: list[_Row] = []
    for k, grid in enumerate(reading.grids):
        skip = n_header if k == 0 else _repeated_header(grid, first, n_header)
        rows += _read_rows(grid, groups, skip, by_no)
    layout = layouts()["tables"].get(reading.table_id or "")
    names, mapper = _canonical(layout, groups)
    records = [_record(row, names, mapper, layout) for row in rows]
    records = [rec for rec in records if rec is not None]
    if layout and layout["kind"] == "stat":
        records = _sections(records)
    if layout and layout["kind"] == "single_row":
        records = [
            TableRow(
                "", layout["row_label"], rec.values, rec.raw, rec.locator, rec.line_no, rec.boxes
            )
            for rec in records
            if any(v is not None for v in rec.values)
        ]
    notes = tuple(re.sub(r"\s+", "", ln.text) for ln in reading.notes)
    span = [
        *reading.title_lines,
        *[by_no[n] for g in reading.grids for n in g.line_nos if n in by_no],
    ]
    span += reading.notes
    span.sort(key=lambda ln: ln.no)
    if not span:
        return None
    pages = [ln.page for ln in span if ln.page is not None]
    return Table(
        doc_id=doc_id,
        table_id=reading.table_id or fallback_id,
        title=reading.title,
        department=department,
        unit=reading.unit,
        columns=tuple(names),
        rows=tuple(records),
        notes=notes,
        locator=Locator(
            span[0].no, span[-1].no, min(pages) if pages else None, max(pages) if pages else None
        ),
        empty=any(w in n for n in notes for w in _NO_DATA)
        or not any(v is not None for rec in records for v in rec.values),
    )


def _repeated_header(grid: Grid, first: Grid, n_header: int) -> int:
    """Leading rows of a continuation that repeat the first grid's header."""
    count = 0
    for r in range(min(n_header, len(grid.rows))):
        mine = [c.text if c else "" for c in grid.rows[r]]
        theirs = [c.text if c else "" for c in first.rows[r]]
        if mine != theirs or _is_body(grid.rows[r], r):
            break
        count += 1
    return count


def _canonical(layout: dict[str, Any] | None, groups: list[list[_Column]]) -> tuple[list[str], Any]:
    """Column names of the table and a function (group, value column) -> name index."""
    value_cols = [[col for col in group if col.role == "value"] for group in groups]
    prefixes = [_group_prefix(group, len(groups)) for group in groups]
    paths = [
        [tuple(p for p in col.path if p != prefix) for col in cols]
        for cols, prefix in zip(value_cols, prefixes, strict=True)
    ]
    if layout is None or layout["kind"] == "grouped":
        names: list[str] = []
        index: dict[tuple[int, int], int] = {}
        if layout is not None:
            names = list(layout["columns"])
        for g, cols in enumerate(value_cols):
            for col, path in zip(cols, paths[g], strict=True):
                name = " / ".join(path) or f"列{col.index + 1}"
                if layout is not None:
                    index[(g, col.index)] = -1  # decided per row by the economic class
                    continue
                if name not in names:
                    names.append(name)
                index[(g, col.index)] = names.index(name)
        return names, index
    if layout["kind"] == "side_by_side":
        halves = [layout["income_columns"], layout["expenditure_columns"]]
        names = halves[0] + halves[1]
        index = {}
        for g, cols in enumerate(value_cols[:2]):
            canonical = halves[g] if len(value_cols) > 1 else names
            offset = len(halves[0]) if g == 1 else 0
            # The half's own prefix (收入 / 支出) is part of the canonical path.
            stem = [n.split(" / ", 1)[-1] for n in canonical]
            matched = match_columns(paths[g], stem)
            for col, j in zip(cols, matched, strict=True):
                index[(g, col.index)] = offset + j if j is not None else None
        return names, index
    names = list(layout["columns"])
    index = {}
    flat = [
        (g, col, path)
        for g, cols in enumerate(value_cols)
        for col, path in zip(cols, paths[g], strict=True)
    ]
    matched = match_columns([path for _, _, path in flat], names)
    for (g, col, path), j in zip(flat, matched, strict=True):
        if j is None:
            names.append(" / ".join(path) or f"列{col.index + 1}")
            j = len(names) - 1
        index[(g, col.index)] = j
    return names, index


def _group_prefix(group: list[_Column], n_groups: int) -> str:
    """The word above a side-by-side group (收入 / 支出), when it has one of its own."""
    if n_groups < 2 or not group or not group[0].path:
        return ""
    first = group[0].path[0]
    others = [col.path[0] for col in group if col.path]
    return first if all(p == first for p in others) and len(group[0].path) > 1 else ""


def _record(
    row: _Row, names: list[str], index: dict[tuple[int, int], int | None], layout: Any
) -> TableRow | None:
    values: list[float | None] = [None] * len(names)
    boxes: list[BBox | None] = [None] * len(names)
    for col, (value, bbox) in row.values.items():
        j = index.get((row.group, col))
        if j == -1:
            j = _economic_column(row, layout)
        if j is None:
            continue
        values[j], boxes[j] = value, bbox
    raw = row.source.text if row.source else row.label
    label = row.label or ("合计" if not row.code else "")
    page = row.source.page if row.source else row.page
    line = row.source.no if row.source else 0
    return TableRow(
        row.code,
        label,
        tuple(values),
        raw,
        Locator(line, line, page, page),
        row.line_no,
        tuple(boxes),
    )


def _economic_column(row: _Row, layout: dict[str, Any]) -> int:
    """06表: 人员经费 or 公用经费, by the 经济分类 class of the row (or its total's name)."""
    totals: dict[str, int] = layout["totals"]
    name = _compact(row.label)
    if name in totals:
        return totals[name]
    return 0 if row.code[:3] in tuple(layout["personnel_classes"]) else 1


def _sections(records: list[TableRow]) -> list[TableRow]:
    """10表: items under their section ("一、政府采购情况" / 货物)."""
    out, section = [], ""
    for rec in records:
        if _ORDINAL.match(rec.label) and not any(v is not None for v in rec.values):
            section = clean_label(_ORDINAL.sub("", rec.label))
            continue
        label = f"{section} / {rec.label}" if section else rec.label
        out.append(
            TableRow(rec.code, label, rec.values, rec.raw, rec.locator, rec.line_no, rec.boxes)
        )
    return out

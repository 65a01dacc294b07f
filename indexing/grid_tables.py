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
from dataclasses import dataclass, field, replace
from typing import Any

from indexing import garbled
from indexing.numbers import parse_number
from indexing.ordinals import ITEM
from indexing.pdf_tables import FIGURE as AMOUNT
from indexing.records import BBox, Grid, GridCell, Line, Locator, Table, TableRow
from indexing.table_rows import CODE as FULL_CODE
from indexing.table_rows import CODE_AND_NAME, clean_label, layouts
from indexing.tables import EXTRACTION_NOTE, NOTE, UNIT

_MARKER = re.compile(r"公开\s*(\d{2})\s*表")
_NO_DATA = ("无数据", "本表无", "故本表")
_CODE = re.compile(r"^\d{2,7}$")
_ORDINAL = re.compile(rf"^{ITEM}")
_TOTAL_WORDS = ("合计", "总计", "小计")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」 \u3000")
_GENERIC_TITLE = "表格"
_CONTINUED = re.compile(r"\((?:续|续表|接上页)\)$")


def _compact(text: str) -> str:
    """Text as titles and headers are compared: no spaces or quotes, half-width
    brackets, and no "（续）" that marks a table continued from the page before."""
    text = text.replace("（", "(").replace("）", ")")
    text = re.sub(r"\s+", "", text).translate(_QUOTES)
    return _CONTINUED.sub("", text)


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
        titled = _title(above) or _title_inside(grid)
        again = (
            titled is not None
            and readings
            and titled[0] is not None
            and titled[0] == readings[-1].table_id
            and grid.page > readings[-1].grids[-1].page
        )  # a title repeated on the next page ("（续）"): the same table goes on
        if again or (titled is None and previous is not None and _continues(previous, grid, above)):
            readings[-1].grids.append(grid)
        else:
            table_id, title, title_lines = titled or (None, _fallback_title(above), [])
            unit = next((m.group(1) for ln in above if (m := UNIT.search(ln.text))), "万元")
            readings.append(_Reading(table_id, title, unit, [grid], title_lines))
        previous = grid
    if readings and previous is not None:
        tail = _between(lines, _last_line(previous), None)[:6]
        readings[-1].notes += [ln for ln in tail if _is_note(ln.text)]
    return readings


def _title_inside(grid: Grid) -> tuple[str | None, str, list[Line]] | None:
    """A title printed in the grid's own first row, one cell across the table."""
    if not grid.rows:
        return None
    first = [c for c in grid.rows[0] if c is not None]
    if not first or len({c.origin for c in first}) != 1:
        return None
    text = first[0].text
    table_id = identify(text) if _compact(text).endswith("表") else None
    return (table_id, _clean_title(text), []) if table_id else None


def _is_note(text: str) -> bool:
    return bool(NOTE.match(text)) or any(word in text for word in _NO_DATA)


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
        if text.endswith("表") or (4 <= len(text) <= 40 and not UNIT.search(line.text)):
            return re.sub(r"\s+", "", line.text)
    return _GENERIC_TITLE


def _continues(previous: Grid, grid: Grid, above: Sequence[Line]) -> bool:
    """Nothing titled in between, as many filled columns, and the grid opens a later page."""
    if any(UNIT.search(ln.text) or _compact(ln.text).endswith("表") for ln in above):
        return False
    if grid.page <= previous.page:
        return False
    return grid.n_columns == previous.n_columns or _filled_columns(grid) == previous.n_columns


def _filled_columns(grid: Grid) -> int:
    """Columns with any text: a sliver of a column left by stray rules does not count."""
    return sum(
        any(c < len(row) and row[c] is not None and row[c].text for row in grid.rows)  # type: ignore[union-attr]
        for c in range(grid.n_columns)
    )


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
    if any(AMOUNT.match(t) for t in texts):
        return True
    filled = [t for t in texts if t]
    first = filled[0] if filled else ""
    if FULL_CODE.match(first) or _ORDINAL.match(first):
        return True
    # "合计" opening a row is a body row only if nothing else in it is a heading.
    alone = all(parse_number(t) is not None for t in filled[1:])
    if alone and any(_compact(first).startswith(word) for word in _TOTAL_WORDS):
        return True
    return r > 0 and first.isdigit() and len(first) <= 3 and len(filled) > 1


def header_rows(grid: Grid, continuation: bool = False) -> list[int]:
    """The rows of the grid that are header: those with text before the first
    body row, and a header row right after a section row that opens the table
    ("一、政府采购情况" above "项目 | 行次 | 统计数").

    A grid continuing a table from the page before has a header only if it
    repeats one (header words or the 栏次 row); its first rows are body rows
    otherwise ("使用非财政拨款结余" carried over from 收入支出决算总表).
    """
    first = next((r for r, row in enumerate(grid.rows) if _is_body(row, r)), len(grid.rows))
    header = [r for r in range(first) if any(_own(c, r, i) for i, c in enumerate(grid.rows[r]))]
    if continuation:
        header = [r for r in header if _is_header_like(grid.rows[r], r)]
    for r in range(first, min(first + 3, len(grid.rows))):
        if _is_header_like(grid.rows[r], r):
            header.append(r)
    return header


def _is_header_like(row: Sequence[GridCell | None], r: int) -> bool:
    """No amount, and a cell that is a header word of the column roles (项目, 行次, 科目名称…)."""
    words = layouts()["column_roles"]
    known = {w for key in ("code", "line", "label") for w in words[key]}
    texts = [_compact(_own(cell, r, c)) for c, cell in enumerate(row)]
    if any(AMOUNT.match(t) for t in texts):
        return False
    return _is_column_numbers(texts) or any(t in known or t == "栏次" for t in texts)


def header_paths(grid: Grid, header: Sequence[int]) -> list[tuple[str, ...]]:
    """For each column, the header texts above it, top to bottom (spans included)."""
    paths: list[tuple[str, ...]] = []
    for c in range(grid.n_columns):
        parts: list[str] = []
        seen: set[tuple[int, int]] = set()
        for r in header:
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
    role: str  # code | line | label | value | empty
    path: tuple[str, ...]
    number: int | None = None  # its number in the "栏次" row, where printed


def column_numbers(grid: Grid, header: Sequence[int]) -> dict[int, int]:
    """The "栏次 1 2 3 …" row of the header: column index -> printed column number.

    The national template numbers its amount columns in canonical order, so
    where a table prints them they say which column is which better than
    header words mangled by extraction.
    """
    for r in header:
        texts = [_own(cell, r, c).strip() for c, cell in enumerate(grid.rows[r])]
        if _is_column_numbers(texts):
            return {c: int(t) for c, t in enumerate(texts) if t.isdigit()}
    return {}


def _roles(grid: Grid, paths: list[tuple[str, ...]], header: Sequence[int]) -> list[_Column]:
    words = layouts()["column_roles"]
    numbers = column_numbers(grid, header)
    body_rows = [r for r in range(len(grid.rows)) if r not in header]
    columns = []
    for c, path in enumerate(paths):
        body = [_own(_cell(grid.rows[r], c), r, c) for r in body_rows]
        body = [t for t in body if t]
        compact = [_compact(p) for p in path]
        digits = sum(bool(_CODE.match(t)) for t in body)
        if c in numbers:
            role = "value"
        elif (compact and compact[-1] in words["code_leaf"]) or any(
            w in p for p in compact for w in words["code"]
        ):
            role = "code" if digits >= len(body) / 2 or not body else "label"
        elif any(p in words["line"] for p in compact):
            role = "line"
        elif any(p in words["label"] or p.endswith("名称") for p in compact):
            role = "label"
        elif body and digits == len(body) and all(len(t) >= 3 for t in body):
            role = "code"
        elif numbers and not body:
            role = "empty"
        else:
            role = "value"
        columns.append(_Column(c, role, path, numbers.get(c)))
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
    grid: Grid, groups: list[list[_Column]], header: Sequence[int], lines: dict[int, Line]
) -> list[_Row]:
    rows: list[_Row] = []
    start = min((r for r in range(len(grid.rows)) if r not in header), default=len(grid.rows))
    for r in range(start, len(grid.rows)):
        if r in header:
            continue
        cells = grid.rows[r]
        if _is_column_numbers([_own(cell, r, c).strip() for c, cell in enumerate(cells)]):
            continue
        line_no = grid.line_nos[r] if r < len(grid.line_nos) else None
        source = lines.get(line_no) if line_no is not None else None
        pending: _Row | None = None  # a name with no amount, earlier in this printed row
        for g, group in enumerate(groups):
            row = _group_row(cells, r, g, group, source, grid.page)
            if row is None or _repeats_header(row, group):
                continue
            if pending is not None and row.values and not (row.code or row.label):
                # "公用经费合计" in one group, its amount under the last group's 金额.
                pending.values = row.values
                pending = None
                continue
            pending = row if row.label and not row.values and not row.code else None
            if _wraps(row, rows, g):
                rows[_last_of(rows, g)].label += row.label
                continue
            if _amounts_below(row, rows, g):
                rows[_last_of(rows, g)].values = row.values
                continue
            rows.append(row)
    return rows


def _repeats_header(row: _Row, group: list[_Column]) -> bool:
    """A header row printed again inside the body (at a page break): its name is a header word."""
    if row.code or row.values:
        return False
    words = {_compact(p) for col in group for p in col.path}
    return _compact(row.label) in words


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
            elif own and not stray and re.search(r"[\w\u4e00-\u9fff]", own):
                stray = own
        elif col.role == "label":
            if cell is not None and cell.text and not label:
                label = clean_label(cell.text)
        elif col.role == "line":
            line_no = own
        elif own and (value := parse_number(own)) is not None:
            values[col.index] = (value, cell.bbox)  # type: ignore[union-attr]
        elif own and re.search(r"[\u4e00-\u9fff]", own) and not stray:
            stray = own  # a name pushed into an amount column
    code = "".join(code_parts)
    if code and not FULL_CODE.match(code):
        code = ""
    if not re.search(r"[\w\u4e00-\u9fff]", label):
        label = ""  # a dash or other placeholder
    if not label and stray and _compact(stray) not in ("类", "款", "项"):
        label = clean_label(stray)
    if not code and (both := CODE_AND_NAME.match(label)):
        code, label = both.group(1), clean_label(both.group(2))
    if not (code or label or values):
        return None
    return _Row(g, code, label, line_no, values, source, page)


def _last_of(rows: list[_Row], g: int) -> int:
    return max(i for i, row in enumerate(rows) if row.group == g)


def _wraps(row: _Row, rows: list[_Row], g: int) -> bool:
    """The tail of a long name on a row of its own (no code, no amount, no ordinal)."""
    if row.code or row.values or row.line_no or not row.label or _ORDINAL.match(row.label):
        return False
    if any(w in _compact(row.label) for w in _TOTAL_WORDS):
        return False
    return any(r.group == g and r.code for r in rows)


def _amounts_below(row: _Row, rows: list[_Row], g: int) -> bool:
    """Amounts on a row of their own under a name that has none (a split total row)."""
    if row.code or row.label or not row.values or not any(r.group == g for r in rows):
        return False
    above = rows[_last_of(rows, g)]
    return bool(above.label) and not above.values and not above.code


# ---- into Table records ---------------------------------------------------


def _table(
    reading: _Reading, doc_id: str, department: str, lines: Sequence[Line], fallback_id: str
) -> Table | None:
    by_no = {ln.no: ln for ln in lines}
    layout = layouts()["tables"].get(reading.table_id or "")
    names = _base_names(layout)
    records: list[TableRow] = []
    groups: list[list[_Column]] = []
    mapper: dict[tuple[int, int], int | None] = {}
    for k, grid in enumerate(reading.grids):
        # A continuation that repeats the header is read with its own (its
        # columns may sit elsewhere); one that does not inherits the last.
        header = header_rows(grid, continuation=k > 0)
        if header or not groups:
            columns = _roles(grid, header_paths(grid, header), header)
            groups = _groups(columns)
            mapper = _canonical(layout, groups, names)
        rows = _read_rows(grid, groups, header, by_no)
        records += [rec for row in rows if (rec := _record(row, names, mapper, layout))]
    records = [_padded(rec, len(names)) for rec in records]
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
    notes += _flattened_notes(reading, lines)
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


def _base_names(layout: dict[str, Any] | None) -> list[str]:
    if layout is None:
        return []
    if layout["kind"] == "side_by_side":
        return list(layout["income_columns"] + layout["expenditure_columns"])
    return list(layout["columns"])


def _canonical(
    layout: dict[str, Any] | None, groups: list[list[_Column]], names: list[str]
) -> dict[tuple[int, int], int | None]:
    """(group, value column) -> index into `names`, adding the columns no canonical one fits.

    -1 means "by the row's economic class" (06表's 人员经费 / 公用经费).
    """
    value_cols = [[col for col in group if col.role == "value"] for group in groups]
    prefixes = [_group_prefix(group, len(groups)) for group in groups]
    paths = [
        [tuple(p for p in col.path if p != prefix) for col in cols]
        for cols, prefix in zip(value_cols, prefixes, strict=True)
    ]
    index: dict[tuple[int, int], int | None] = {}
    numbered = [col.number or 0 for cols in value_cols for col in cols]
    by_number = layout is not None and layout["kind"] != "grouped"
    if by_number and numbered and all(numbered) and max(numbered) <= len(_base_names(layout)):
        for g, cols in enumerate(value_cols):
            for col in cols:
                index[(g, col.index)] = (col.number or 0) - 1
        return index
    if layout is None or layout["kind"] == "grouped":
        for g, cols in enumerate(value_cols):
            for col, path in zip(cols, paths[g], strict=True):
                if layout is not None:
                    index[(g, col.index)] = -1
                    continue
                name = " / ".join(path) or f"列{col.index + 1}"
                if name not in names:
                    names.append(name)
                index[(g, col.index)] = names.index(name)
        return index
    if layout["kind"] == "side_by_side":
        halves = [layout["income_columns"], layout["expenditure_columns"]]
        for g, cols in enumerate(value_cols[:2]):
            canonical = halves[g] if len(value_cols) > 1 else names
            offset = len(halves[0]) if g == 1 else 0
            # The half's own prefix (收入 / 支出) is part of the canonical path.
            stem = [n.split(" / ", 1)[-1] for n in canonical]
            matched = match_columns(paths[g], stem)
            for col, j in zip(cols, matched, strict=True):
                index[(g, col.index)] = offset + j if j is not None else None
        return index
    flat = [
        (g, col, path)
        for g, cols in enumerate(value_cols)
        for col, path in zip(cols, paths[g], strict=True)
    ]
    matched = match_columns([path for _, _, path in flat], names)
    for (g, col, path), j in zip(flat, matched, strict=True):
        if j is None:
            name = " / ".join(path) or f"列{col.index + 1}"
            if name not in names:
                names.append(name)
            j = names.index(name)
        index[(g, col.index)] = j
    return index


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
        j = index.get((row.group, col), next((v for (_, c), v in index.items() if c == col), None))
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


def _flattened_notes(reading: _Reading, lines: Sequence[Line]) -> tuple[str, ...]:
    """Lines inside the table's span that extraction flattened into prose (see `garbled`)."""
    numbers = [n for g in reading.grids for n in g.line_nos if n is not None]
    numbers += [ln.no for ln in reading.title_lines]
    if not numbers:
        return ()
    lo, hi = min(numbers), max(numbers)
    return tuple(
        f"{EXTRACTION_NOTE}第{ln.no}行的表格内容在PDF提取时被压成一段文字，行列对应关系丢失。"
        for ln in lines
        if lo <= ln.no <= hi and ln.grid is None and garbled.is_flattened(ln.text)
    )


def _padded(row: TableRow, width: int) -> TableRow:
    """A row with one value per column, columns added by later pages included."""
    extra = width - len(row.values)
    if extra <= 0:
        return row
    return replace(row, values=row.values + (None,) * extra, boxes=row.boxes + (None,) * extra)


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

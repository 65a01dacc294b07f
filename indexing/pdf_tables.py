"""Tables of a PDF page as tab-separated row lines, the shape of the text corpus.

Government disclosures rule their tables (every cell boxed), so the lines
strategy finds them exactly, merged cells included (pdfplumber gives None for
the covered cells, which become empty strings so that columns keep their
positions). Pages without any ruled table get a second, text-alignment pass,
kept only when the result looks like a table of figures: on prose pages that
strategy invents columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from indexing.records import GridCell

LINES_STRATEGY: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    # Scanned-then-vectorised and Word-exported grids are rarely exact: cell
    # borders drawn as separate strokes a point or two apart are one rule.
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}
TEXT_STRATEGY: dict[str, Any] = {
    "vertical_strategy": "text",
    "horizontal_strategy": "text",
    "text_x_tolerance": 2,
    "text_y_tolerance": 2,
    "min_words_vertical": 3,
    "min_words_horizontal": 1,
}
FIGURE = re.compile(r"^-?[\d,，\s]*\d\s*\.\s*\d+$")
ASCII_END = re.compile(r"[A-Za-z0-9.,%)]$")
ASCII_START = re.compile(r"^[A-Za-z0-9(]")


@dataclass(frozen=True, slots=True)
class TableRowText:
    """One table row as its cells, and where on the page it sits."""

    cells: tuple[str, ...]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return "\t".join(self.cells)


def join_wrapped(text: str | None) -> str:
    """A cell's wrapped lines as one string: CJK joins without a space."""
    if not text:
        return ""
    parts = [part.strip() for part in text.split("\n") if part.strip()]
    out = ""
    for part in parts:
        sep = " " if out and ASCII_END.search(out) and ASCII_START.search(part) else ""
        out += sep + part
    return out


def _rows(table: Any) -> tuple[list[TableRowText], list[int]]:
    """Rows of a pdfplumber table without those whose cells are all empty, and their indices."""
    rows, kept = [], []
    for r, (cells, row) in enumerate(zip(table.extract(), table.rows, strict=True)):
        texts = tuple(join_wrapped(cell) for cell in cells)
        if any(texts):
            _, top, _, bottom = row.bbox
            rows.append(TableRowText(texts, top, bottom))
            kept.append(r)
    return rows, kept


def grid_cells(table: Any) -> list[tuple[GridCell | None, ...]]:
    """Every position of a pdfplumber table with the merged cell covering it.

    pdfplumber reports a merged cell once, at its top-left position, and None
    at the positions it covers; here each covered position gets that cell
    (found by the position's centre), so a header spanning three columns
    names all three.
    """
    texts = table.extract()
    origins: list[tuple[tuple[int, int], Any, str]] = []
    for r, row in enumerate(table.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                origins.append(((r, c), bbox, join_wrapped(texts[r][c])))
    # A row's (column's) box is the union of the cells that start in it, so it
    # reaches into the rows a tall cell covers; its band ends where the next starts.
    _, _, x1, bottom = table.bbox
    xs = _bands([col.bbox[0] for col in table.columns], x1)
    ys = _bands([row.bbox[1] for row in table.rows], bottom)
    out: list[tuple[GridCell | None, ...]] = []
    for r, row in enumerate(table.rows):
        y = sum(ys[r]) / 2
        out.append(
            tuple(_covering(origins, sum(xs[c]) / 2, y, r, c) for c in range(len(row.cells)))
        )
    return out


def _bands(starts: list[float], end: float) -> list[tuple[float, float]]:
    return list(zip(starts, [*starts[1:], end], strict=True))


def _covering(
    origins: list[tuple[tuple[int, int], Any, str]], x: float, y: float, r: int, c: int
) -> GridCell | None:
    """The cell starting at (r, c), else the nearest one above-left whose box holds the centre."""
    best = None
    for origin, bbox, text in origins:
        if origin == (r, c):
            return GridCell(text, tuple(float(v) for v in bbox), origin)
        inside = bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]
        if inside and origin[0] <= r and origin[1] <= c and (best is None or origin > best[0]):
            best = (origin, bbox, text)
    if best is None:
        return None
    return GridCell(best[2], tuple(float(v) for v in best[1]), best[0])


def _looks_like_figures(rows: list[TableRowText], rules: dict[str, Any]) -> bool:
    if len(rows) < rules["min_rows"]:
        return False
    if max(len(row.cells) for row in rows) < rules["min_columns"]:
        return False
    with_figures = sum(any(FIGURE.match(cell) for cell in row.cells) for row in rows)
    return with_figures >= rules["min_share_of_rows_with_figures"] * len(rows)


def page_tables(page: Any, text_rules: dict[str, Any]) -> list[PageTable]:
    """Each table on the page, top to bottom, with its rows and its cells."""
    found = []
    for table in page.find_tables(LINES_STRATEGY):
        rows, kept = _rows(table)
        if rows:
            found.append(PageTable(_box(table.bbox), rows, kept, grid_cells(table)))
    if not found:
        for table in page.find_tables(TEXT_STRATEGY):
            rows, kept = _rows(table)
            index = {row.top: r for row, r in zip(rows, kept, strict=True)}
            rows = _trim_prose(page, table.bbox, rows)
            if _looks_like_figures(rows, text_rules):
                x0, _, x1, _ = table.bbox
                bbox = _box((x0, rows[0].top, x1, rows[-1].bottom))
                found.append(PageTable(bbox, rows, [index[r.top] for r in rows], grid_cells(table)))
    return sorted(found, key=lambda t: t.bbox[1])


def _box(bbox: Any) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = (float(v) for v in bbox)
    return x0, top, x1, bottom


@dataclass(frozen=True, slots=True)
class PageTable:
    """A table found on a page: its box, its non-empty rows as text, all rows as cells.

    `row_index[i]` is the position of `rows[i]` in `cells`.
    """

    bbox: tuple[float, float, float, float]
    rows: list[TableRowText]
    row_index: list[int]
    cells: list[tuple[GridCell | None, ...]]


def _is_prose(page: Any, bbox: tuple[float, float, float, float], row: TableRowText) -> bool:
    """A row whose words are only a space apart is a sentence, not cells.

    Text alignment pulls the title above and the note below a table into it,
    cut at word boundaries; real columns are separated by wide gaps.
    """
    words = page.crop((bbox[0], row.top, bbox[2], row.bottom), strict=False).extract_words()
    if len(words) < 2:
        return False
    size = max(w["bottom"] - w["top"] for w in words)
    gaps = [b["x0"] - a["x1"] for a, b in zip(words, words[1:], strict=False)]
    return max(gaps) < size


def _trim_prose(
    page: Any, bbox: tuple[float, float, float, float], rows: list[TableRowText]
) -> list[TableRowText]:
    """Drop sentence rows from the top and bottom of a text-aligned table."""
    while rows and _is_prose(page, bbox, rows[0]):
        rows = rows[1:]
    while rows and _is_prose(page, bbox, rows[-1]):
        rows = rows[:-1]
    return rows


def repeated_header(head: list[tuple[str, ...]], rows: list[tuple[str, ...]]) -> int:
    """How many leading rows repeat the previous table's header rows.

    Only rows without figures count: a repeated header is labels, and two
    identical data rows in a row are data.
    """
    count = 0
    for head_row, row in zip(head, rows, strict=False):
        if head_row != row or any(FIGURE.match(cell) for cell in row):
            break
        count += 1
    return count if count < len(rows) else 0

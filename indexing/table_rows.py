"""Body rows of one 公开NN表, by layout kind (see `layouts.yaml`).

Each parser gets the table's lines (marker to first note) and the layout, and
returns logical rows. Cells are mapped onto the canonical columns by position:
a blank cell stays blank (None), it never shifts the cells after it, because a
shifted cell would put an amount under the wrong heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from indexing.numbers import parse_number
from indexing.ordinals import ITEM, PAREN
from indexing.records import Line, Locator, TableRow

LAYOUTS_PATH = Path(__file__).with_name("layouts.yaml")


@lru_cache(maxsize=1)
def layouts() -> dict[str, Any]:
    """The table layouts and metric names of `layouts.yaml`, loaded once."""
    with LAYOUTS_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
CODE_AND_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*([^\d\s].*)$")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）()、])\s+(?=[\u4e00-\u9fff（）()])")
_COLUMN_NUMBERS = re.compile(r"^\d{1,2}$")
# Words that only header rows carry (repeated after a page break, or mangled).
_HEADER_WORDS = (
    "项目",
    "科目编码",
    "科目代码",
    "科目名称",
    "栏次",
    "行次",
    "决算数",
    "预算数",
    "人员经费",
    "公用经费",
)


def cells_of(line: Line) -> list[str]:
    """The tab-separated cells of a line, each stripped."""
    return [c.strip() for c in line.text.split("\t")]


def clean_label(text: str) -> str:
    """A label as printed, without the spaces PDF extraction puts inside words."""
    return _CJK_GAP.sub("", text.strip())


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def locator(lines: Sequence[Line]) -> Locator:
    """Line and page span of the given lines."""
    pages = [ln.page for ln in lines if ln.page is not None]
    return Locator(
        lines[0].no,
        lines[-1].no,
        min(pages) if pages else None,
        max(pages) if pages else None,
    )


def is_header(cells: Sequence[str]) -> bool:
    """A header row: no amount, no 科目编码, and a header word in some cell."""
    first = next((c for c in cells if c), "")
    if CODE.match(first) or CODE_AND_NAME.match(first):
        return False
    if any(parse_number(c) is not None and not _COLUMN_NUMBERS.match(c) for c in cells):
        return False
    text = _compact("".join(cells))
    return any(word in text for word in _HEADER_WORDS) or is_column_numbers(cells)


def is_column_numbers(cells: Sequence[str]) -> bool:
    """The "栏次 1 2 3 …" row (or a bare "1 2 … 12" row)."""
    nums = [c for c in cells if c]
    digits = [c for c in nums if _COLUMN_NUMBERS.match(c)]
    return len(digits) >= 2 and digits == [str(i) for i in range(1, len(digits) + 1)]


def first_column_index(lines: Sequence[Line]) -> int | None:
    """Cell position of column 1, from the "栏次 1 2 3 …" row."""
    for line in lines:
        cells = cells_of(line)
        if is_column_numbers(cells):
            return cells.index("1")
    return None


def values_at(cells: Sequence[str], start: int, count: int) -> tuple[float | None, ...]:
    """`count` values read by position from `start`; missing cells are blank."""
    return tuple(
        parse_number(cells[i]) if i < len(cells) else None for i in range(start, start + count)
    )


def parse_coded(lines: Sequence[Line], layout: dict[str, Any]) -> list[TableRow]:
    """科目编码 | 科目名称 | values…, with wrapped names and repeated headers."""
    columns = layout["columns"]
    start = first_column_index(lines) or 2
    rows: list[TableRow] = []
    raw: list[Line] = []
    for line in lines:
        cells = cells_of(line)
        if "\t" not in line.text or is_header(cells):
            continue
        code, label = _row_header(cells[:start])
        values = values_at(cells, start, len(columns))
        if not code and not label.replace(" ", "").startswith("合计"):
            if rows and label and all(v is None for v in values):
                # The tail of a name wrapped onto its own line.
                prev = rows[-1]
                raw.append(line)
                rows[-1] = TableRow(
                    prev.code,
                    prev.label + label,
                    prev.values,
                    "\n".join(r.text for r in raw),
                    locator(raw),
                )
            continue
        raw = [line]
        label = "合计" if not code and _compact(label) == "合计" else label
        rows.append(TableRow(code, label, values, line.text, locator(raw)))
    return rows


def _row_header(cells: Sequence[str]) -> tuple[str, str]:
    """(code, name) from the cells before the values, however they were split."""
    parts = [c for c in cells if c]
    if not parts:
        return "", ""
    code = ""
    if CODE.match(parts[0]):
        code, parts = parts[0], parts[1:]
    elif match := CODE_AND_NAME.match(parts[0]):
        code, parts = match.group(1), [match.group(2), *parts[1:]]
    return code, clean_label("".join(parts))


def parse_side_by_side(lines: Sequence[Line], layout: dict[str, Any]) -> list[TableRow]:
    """收入 and 支出 halves of each physical row as two logical rows."""
    income, spend = layout["income_columns"], layout["expenditure_columns"]
    width = len(income) + len(spend)
    rows: list[TableRow] = []
    for line in lines:
        cells = cells_of(line)
        if "\t" not in line.text or is_header(cells):
            continue
        cells += [""] * (6 + width - len(cells))
        halves = (
            (cells[0], cells[1], values_at(cells, 2, len(income)), 0),
            (cells[3], cells[4], values_at(cells, 5, len(spend)), len(income)),
        )
        for label, line_no, values, offset in halves:
            label = clean_label(label)
            if not label or not line_no.isdigit():
                continue
            full: list[float | None] = [None] * width
            full[offset : offset + len(values)] = values
            rows.append(TableRow("", label, tuple(full), line.text, locator([line]), line_no))
    return rows


def parse_grouped(lines: Sequence[Line], layout: dict[str, Any]) -> list[TableRow]:
    """06表: each (科目编码, 科目名称, 金额) group is a logical row."""
    personnel = tuple(layout["personnel_classes"])
    totals: dict[str, int] = layout["totals"]
    rows: list[TableRow] = []
    for line in lines:
        cells = cells_of(line)
        if "\t" not in line.text:
            continue
        if any(_compact(c) in totals for c in cells):
            rows.extend(_total_rows(line, cells, totals))
            continue
        for g in range(0, len(cells) - 1, 3):
            code, name = cells[g], clean_label(cells[g + 1])
            if not CODE.match(code):
                continue
            value = parse_number(cells[g + 2]) if g + 2 < len(cells) else None
            values: list[float | None] = [None, None]
            values[0 if code[:3] in personnel else 1] = value
            rows.append(TableRow(code, name, tuple(values), line.text, locator([line])))
    return rows


def _total_rows(line: Line, cells: Sequence[str], totals: dict[str, int]) -> list[TableRow]:
    """人员经费合计 / 公用经费合计: the first amount after each label."""
    rows = []
    for i, cell in enumerate(cells):
        name = _compact(cell)
        if name not in totals:
            continue
        value = None
        for later in cells[i + 1 :]:
            if _compact(later) in totals:
                break
            if (value := parse_number(later)) is not None:
                break
        values: list[float | None] = [None, None]
        values[totals[name]] = value
        rows.append(TableRow("", name, tuple(values), line.text, locator([line])))
    return rows


def parse_single_row(lines: Sequence[Line], layout: dict[str, Any]) -> list[TableRow]:
    """09表: the amounts row under the "1 2 … 12" row, read by position."""
    columns = layout["columns"]
    start = first_column_index(lines)
    rows = []
    for line in lines:
        cells = cells_of(line)
        if is_header(cells) or not any(parse_number(c) is not None for c in cells):
            continue
        offset = start if start is not None else 0
        rows.append(
            TableRow(
                "",
                layout["row_label"],
                values_at(cells, offset, len(columns)),
                line.text,
                locator([line]),
            )
        )
    return rows


_SECTION = re.compile(rf"^{ITEM}\s*(.+)$")


def parse_stat(lines: Sequence[Line], layout: dict[str, Any]) -> list[TableRow]:
    """10表: 项目 | 行次 | 统计数 under section rows ("一、政府采购情况")."""
    section = ""
    rows = []
    for line in lines:
        cells = cells_of(line) + ["", ""]
        if "\t" not in line.text:
            continue
        if match := _SECTION.match(cells[0]):
            section = clean_label(match.group(1))
            continue
        if cells[0] in ("项目", "项 目") or not cells[0]:
            continue
        label = f"{section} / {clean_label(cells[0])}" if section else clean_label(cells[0])
        value = parse_number(cells[2])
        rows.append(TableRow("", label, (value,), line.text, locator([line]), cells[1]))
    return rows


PARSERS = {
    "coded": parse_coded,
    "side_by_side": parse_side_by_side,
    "grouped": parse_grouped,
    "single_row": parse_single_row,
    "stat": parse_stat,
}


_ORDINAL = re.compile(rf"^\s*(?:{ITEM}|{PAREN}|\d+[、.．](?!\d))")


def metric_name(label: str) -> str:
    """A row label as a metric: no leading ordinal, half-width parens, no spaces."""
    text = label.replace("（", "(").replace("）", ")")
    text = _ORDINAL.sub("", text)
    return re.sub(r"\s+", "", text)

"""Recover table blocks the PDF extraction flattened into one paragraph.

In such a block the cells come out as one space-separated run of tokens in a
wrong order, so which amount belongs to which cell is a guess. A guess is
kept only when other printed figures confirm it: the 06表 class totals and
人员经费合计 / 公用经费合计 must equal the sums of the recovered items, and a
04表 amount must equal the same row in 公开01/05/07/08表. Everything else
gives no figure, and the table gets a note that `run_checks` reports as
"unverified". A wrong number in front of a journalist is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from indexing.numbers import ROUNDING, parse_number
from indexing.ordinals import ITEM
from indexing.records import Line, Table, TableRow
from indexing.table_rows import layouts, locator, metric_name
from indexing.vocabulary import Classification, vocabulary

_TOKEN = re.compile(
    r"(?P<amount>\d{1,3}(?:,\s?\d{3})*\.\s?\d{2})(?![\d])"
    r"|(?P<code>\d{3,7})(?![\d.,])"
    r"|(?P<int>\d+)"
    r"|(?P<text>[^\s\d]+)"
)
_AMOUNT = re.compile(r"\d{1,3}(?:,\s?\d{3})*\.\s?\d{2}")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # amount / code / int / text
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The paragraph as amount / code / int / text tokens with their offsets."""
    return [
        Token(m.lastgroup or "text", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


def is_flattened(text: str) -> bool:
    """A long line without tabs carrying many amounts: a table block run together."""
    return "\t" not in text and len(text) > 150 and len(_AMOUNT.findall(text)) >= 6


def recover(tables: Sequence[Table], lines: Sequence[Line]) -> list[Table]:
    """The tables, with verified cells of their flattened blocks added as rows."""
    by_id = {t.table_id: t for t in tables}
    result = []
    for table in tables:
        flat = [
            ln
            for ln in lines
            if table.locator.line_start <= ln.no <= table.locator.line_end and is_flattened(ln.text)
        ]
        for line in flat:
            if table.table_id == "06":
                table = _recover_grouped(table, line)
            elif table.table_id == "04":
                table = _recover_side_by_side(table, line, by_id)
        result.append(table)
    return result


def _with_rows(table: Table, line: Line, rows: list[TableRow], placed: int, total: int) -> Table:
    note = (
        f"第{line.no}行：{placed}个金额经其他表格或合计数核对后恢复（段内共{total}个金额）；"
        "未能核对的金额及空白单元格的位置无法确认，不予采用。"
    )
    notes = tuple(
        f"{n}{note}" if n.startswith("（提取说明）") and f"第{line.no}行" in n else n
        for n in table.notes
    )
    return replace(table, rows=tuple(rows) + table.rows, notes=notes)


def _recover_grouped(table: Table, line: Line) -> Table:
    """06表: an amount belongs to the 科目编码 or 科目名称 token just before it."""
    layout = layouts()["tables"]["06"]
    items = vocabulary().subject_names(Classification.ECONOMIC)
    by_name = {metric_name(v): k for k, v in items.items()}
    toks = tokens(line.text)
    guesses: dict[str, tuple[float, str]] = {}
    clashes: set[str] = set()
    amounts = 0
    for k, tok in enumerate(toks):
        if tok.kind != "amount" or k == 0:
            continue
        prev = toks[k - 1]
        amounts += 1
        code = (
            prev.text
            if prev.kind == "code" and prev.text in items
            else by_name.get(metric_name(prev.text))
        )
        if code is None:
            continue
        if code in guesses or any(r.code == code and _value(r) is not None for r in table.rows):
            clashes.add(code)
        # Quote from the code when it sits just before its name ("30113 住房公积金 281.82").
        start = toks[k - 2].start if k >= 2 and toks[k - 2].text == code else prev.start
        guesses[code] = (parse_number(tok.text) or 0.0, line.text[start : tok.end])
    for code in clashes:
        guesses.pop(code, None)
    known = {r.code: _value(r) for r in table.rows if r.code and _value(r) is not None}
    values = {**known, **{c: v for c, (v, _) in guesses.items()}}
    totals = {r.label: _value(r) for r in table.rows if not r.code}
    verified = _verified_classes(values, layout, totals)
    personnel = tuple(layout["personnel_classes"])
    rows = []
    for code, (value, snippet) in sorted(guesses.items(), key=lambda kv: line.text.find(kv[1][1])):
        if code[:3] not in verified:
            continue
        cells: list[float | None] = [None, None]
        cells[0 if code[:3] in personnel else 1] = value
        rows.append(TableRow(code, items[code], tuple(cells), snippet, locator([line])))
    return _with_rows(table, line, rows, len(rows), amounts)


def _value(row: TableRow) -> float | None:
    return next((v for v in row.values if v is not None), None)


def _verified_classes(
    values: dict[str, float | None], layout: dict, totals: dict[str, float | None]
) -> set[str]:
    """Classes whose items add up to the class amount, in groups that add up to their 合计."""
    personnel = tuple(layout["personnel_classes"])
    classes = {c for c in values if len(c) == 3}
    ok = set()
    for cls in classes:
        items = [v for c, v in values.items() if len(c) == 5 and c.startswith(cls) and v]
        if items and abs(sum(items) - (values[cls] or 0.0)) <= ROUNDING:
            ok.add(cls)
    for label, column in layout["totals"].items():
        group = [c for c in classes if (c in personnel) == (column == 0)]
        total = totals.get(label)
        amount = sum(values[c] or 0.0 for c in group)
        if total is None or abs(amount - total) > ROUNDING:
            ok -= set(group)
    return ok


def _recover_side_by_side(table: Table, line: Line, by_id: dict[str, Table]) -> Table:
    """01/04表: keep an amount near a row label only if another table prints it too."""
    toks = tokens(line.text)
    used: set[int] = set()
    rows = []
    for i, tok in enumerate(toks):
        if tok.kind != "text" or not re.match(rf"^{ITEM}", tok.text):
            continue
        window = [j for j in range(i + 1, min(len(toks), i + 9)) if toks[j].kind == "amount"]
        expected = _references(tok.text, table, by_id)
        cells: list[float | None] = [None] * len(table.columns)
        for column, value in expected.items():
            match = next(
                (j for j in window if j not in used and abs(_num(toks[j]) - value) < 0.001), None
            )
            if match is not None:
                used.add(match)
                cells[column] = value
        if any(v is not None for v in cells):
            rows.append(TableRow("", tok.text, tuple(cells), tok.text, locator([line])))
    amounts = sum(1 for t in toks if t.kind == "amount")
    return _with_rows(table, line, rows, len(used), amounts)


def _num(tok: Token) -> float:
    return parse_number(tok.text) or 0.0


def _references(label: str, table: Table, by_id: dict[str, Table]) -> dict[int, float]:
    """Column index → the amount other tables print for this row label."""
    name = metric_name(label)
    refs: dict[int, float] = {}
    total = by_id.get("01")
    if name.endswith("支出"):
        sources = [(1, total, 1)] if total else []
        for column, table_id in ((2, "05"), (3, "07"), (4, "08")):
            if table_id in by_id:
                sources.append((column, by_id[table_id], 0 if table_id != "07" else 2))
        for column, source, source_column in sources:
            if source is None or column >= len(table.columns):
                continue
            for row in source.rows:
                same = metric_name(row.label) == name and (not row.code or len(row.code) == 3)
                if same and row.values[source_column] is not None:
                    refs[column] = row.values[source_column]
                    break
    elif total is not None:
        for row in total.rows:
            same = metric_name(row.label).removesuffix("收入") == name.removesuffix("收入")
            if same and row.values[0] is not None:
                refs[0] = row.values[0]
                break
    return refs

"""Do the totals add up? Checks a journalist can read and cite.

Each check compares a printed total with the sum of its printed parts, the
two sides of a balance, or a table cell with the same amount stated in the
情况说明. Amounts are rounded to 0.01 万元 in the tables ("本套报表金额单位转换
时可能存在尾数误差"), so differences up to `indexing.numbers.ROUNDING` pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from indexing.numbers import ROUNDING, format_value
from indexing.records import Check, Document, Figure, Locator, Table, TableRow
from indexing.table_rows import layouts, metric_name

EXACT = 0.001
EXTRACTION_NOTE = "（提取说明）"
# 09表: (total leaf, part leaves) under 预算数 and 决算数.
_THREE_PUBLIC = (
    ("合计", ("因公出国(境)费", "公务用车购置及运行维护费 / 小计", "公务接待费")),
    (
        "公务用车购置及运行维护费 / 小计",
        (
            "公务用车购置及运行维护费 / 公务用车购置费",
            "公务用车购置及运行维护费 / 公务用车运行维护费",
        ),
    ),
)
# Metrics compared between a table and the narrative, and the table they come from.
_NARRATIVE_TABLES = {
    "三公经费": "09",
    "因公出国(境)费": "09",
    "公务用车购置及运行维护费": "09",
    "公务用车购置费": "09",
    "公务用车运行维护费": "09",
    "公务接待费": "09",
    "人员经费": "06",
    "公用经费": "06",
    "收支总计": "01",
    "财政拨款收支总计": "04",
    "基本支出": "03",
    "项目支出": "03",
    "支出合计": "03",
}


def run_checks(
    tables: Sequence[Table], figures: Sequence[Figure], document: Document
) -> list[Check]:
    """All checks of one document, in a stable order with stable ids."""
    checks: list[Check] = []
    for table in tables:
        checks += _class_totals(table)
        checks += _balances(table)
        checks += _three_public(table)
        checks += _basic_expenditure(table)
        checks += _unverified(table)
    checks += _across_tables(tables)
    checks += _against_narrative(figures)
    return [
        Check(document.doc_id, f"{document.doc_id}:check:{i:03d}:{c.kind}", *_fields(c))
        for i, c in enumerate(checks)
    ]


def _fields(check: Check) -> tuple:
    return (
        check.kind,
        check.description,
        check.status,
        check.expected,
        check.actual,
        check.where,
        check.locators,
    )


def _compare(
    kind: str,
    description: str,
    total: float,
    parts: Sequence[float],
    where: str,
    locators: Iterable[Locator],
    tolerance: float = ROUNDING,
) -> Check:
    actual = round(sum(parts), 2)
    status = "passed" if abs(total - actual) <= tolerance else "mismatch"
    return Check("", "", kind, description, status, total, actual, where, tuple(locators))


def _fmt(values: Iterable[float]) -> str:
    return " + ".join(format_value(v) for v in values) or "0"


def _class_totals(table: Table) -> list[Check]:
    """02/03/05/07表: the 合计 row against the sum of the 类 (3-digit) rows."""
    if table.table_id not in ("02", "03", "05", "07"):
        return []
    total = next((r for r in table.rows if r.label == "合计" and not r.code), None)
    classes = [r for r in table.rows if len(r.code) == 3]
    if total is None or not classes:
        return []
    checks = []
    for col, column in enumerate(table.columns):
        parts = [r.values[col] for r in classes if r.values[col] is not None]
        if total.values[col] is None and not parts:
            continue
        printed = total.values[col] or 0.0
        checks.append(
            _compare(
                "total_vs_parts",
                f"公开{table.table_id}表 {column}：合计等于各类（{len(parts)}项）之和",
                printed,
                parts,
                f"公开{table.table_id}表 {column}: 合计 {format_value(printed)} vs {_fmt(parts)}",
                [total.locator, *(r.locator for r in classes)],
            )
        )
    return checks


def _row(table: Table, label: str, column: int) -> TableRow | None:
    return next((r for r in table.rows if r.label == label and r.values[column] is not None), None)


def _balances(table: Table) -> list[Check]:
    """01/04表: 收入总计 = 支出总计.

    本年收入合计 and 本年支出合计 differ by the carry-overs (年初/年末结转和结余),
    so only the grand totals must balance.
    """
    if table.table_id not in ("01", "04"):
        return []
    income_columns = 1
    checks = []
    for income_label, spend_label in (("总计", "总计"),):
        income = _row(table, income_label, 0)
        spend = _row(table, spend_label, income_columns)
        if income is None or spend is None:
            continue
        a, b = income.values[0], spend.values[income_columns]
        checks.append(
            _compare(
                "income_vs_expenditure",
                f"公开{table.table_id}表：收入方{income_label}等于支出方{spend_label}",
                a or 0.0,
                [b or 0.0],
                f"公开{table.table_id}表: 收入 {income_label} {format_value(a or 0)} "
                f"vs 支出 {spend_label} {format_value(b or 0)}",
                [income.locator, spend.locator],
            )
        )
    return checks


def _three_public(table: Table) -> list[Check]:
    """09表: 合计 = 因公出国 + 公务用车 + 公务接待; 小计 = 购置 + 运行维护."""
    if table.table_id != "09" or not table.rows:
        return []
    row = table.rows[0]
    checks = []
    for measure in ("预算数", "决算数"):
        cell = {
            c.split(" / ", 1)[1]: row.values[i]
            for i, c in enumerate(table.columns)
            if c.startswith(measure)
        }
        for total, parts in _THREE_PUBLIC:
            values = [cell[p] for p in parts if cell[p] is not None]
            if cell[total] is None and not values:
                continue
            printed = cell[total] or 0.0
            leaf = total.split(" / ")[-1]
            checks.append(
                _compare(
                    "total_vs_parts",
                    f"公开09表 {measure}：{leaf}等于各项之和",
                    printed,
                    values,
                    f"公开09表 {measure}: {leaf} {format_value(printed)} vs {_fmt(values)}",
                    [row.locator],
                )
            )
    return checks


def _basic_expenditure(table: Table) -> list[Check]:
    """06表: 人员经费合计 / 公用经费合计 against the sum of their 类 rows."""
    if table.table_id != "06":
        return []
    layout = layouts()["tables"]["06"]
    checks = []
    for label, col in layout["totals"].items():
        total = _row(table, label, col)
        classes = [r for r in table.rows if len(r.code) == 3 and r.values[col] is not None]
        if total is None:
            continue
        parts = [r.values[col] or 0.0 for r in classes]
        names = " + ".join(f"{r.code} {format_value(r.values[col] or 0)}" for r in classes)
        checks.append(
            _compare(
                "total_vs_parts",
                f"公开06表：{label}等于各类经济分类之和",
                total.values[col] or 0.0,
                parts,
                f"公开06表: {label} {format_value(total.values[col] or 0)} vs {names or '0'}",
                [total.locator, *(r.locator for r in classes)],
            )
        )
    return checks


def _unverified(table: Table) -> list[Check]:
    """Parts of a table the extraction garbled beyond verification."""
    return [
        Check(
            "",
            "",
            "unverified",
            f"公开{table.table_id}表{table.title}：{note.removeprefix(EXTRACTION_NOTE)}",
            "unverified",
            None,
            None,
            f"公开{table.table_id}表 {table.locator.label()}",
            (table.locator,),
        )
        for note in table.notes
        if note.startswith(EXTRACTION_NOTE)
    ]


def _against_narrative(figures: Sequence[Figure]) -> list[Check]:
    """The same metric in a table and in the 情况说明 must agree."""
    checks = []
    for metric, table_id in _NARRATIVE_TABLES.items():
        for measure in ("决算数", "全年预算数"):
            cells = [
                f
                for f in figures
                if f.source == "table"
                and f.table_id == table_id
                and f.metric == metric
                and f.measure == measure
            ]
            stated = [
                f
                for f in figures
                if f.source == "narrative" and f.metric == metric and f.measure == measure
            ]
            if not cells or not stated:
                continue
            cell = cells[0]
            said = next((f for f in stated if abs(f.value - cell.value) <= ROUNDING), stated[0])
            checks.append(
                _compare(
                    "table_vs_narrative",
                    f"{metric}（{measure}）：公开{table_id}表与情况说明一致",
                    cell.value,
                    [said.value],
                    f"公开{table_id}表 {cell.column}: {format_value(cell.value)} "
                    f"vs 情况说明 {format_value(said.value)}（{said.locator.label()}）",
                    [cell.locator, said.locator],
                )
            )
    return checks


def _across_tables(tables: Sequence[Table]) -> list[Check]:
    """A 功能分类 class must have one amount in every table that prints it."""
    by_id = {t.table_id: t for t in tables}
    checks = []
    for pair in layouts()["cross_table"]:
        (sid, scol), (did, dcol) = pair["summary"], pair["detail"]
        summary, detail = by_id.get(sid), by_id.get(did)
        if summary is None or detail is None:
            continue
        if scol not in summary.columns or dcol not in detail.columns:
            continue
        si, di = summary.columns.index(scol), detail.columns.index(dcol)
        classes = {metric_name(r.label): r for r in detail.rows if len(r.code) == 3}
        for row in summary.rows:
            other = classes.get(metric_name(row.label))
            if other is None or row.values[si] is None or other.values[di] is None:
                continue
            a, b = row.values[si], other.values[di]
            name = metric_name(row.label)
            checks.append(
                _compare(
                    "table_vs_table",
                    f"{name}：公开{sid}表与公开{did}表一致",
                    b,
                    [a],
                    f"公开{sid}表 {scol} {format_value(a)} vs 公开{did}表 {other.code} {dcol} "
                    f"{format_value(b)}",
                    [row.locator, other.locator],
                    # One printed amount copied between tables: no rounding to allow for.
                    tolerance=EXACT,
                )
            )
    return checks

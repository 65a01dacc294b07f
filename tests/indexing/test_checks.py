"""run_checks: totals add up on the real documents; a corrupted number is caught."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexing.checks import run_checks
from indexing.figures import table_figures
from indexing.records import Check, Figure, Line, Locator
from indexing.tables import find_tables
from tests.indexing.test_tables import DEPARTMENTS, corpus_lines, document, tables_of


def checks_of(doc_id: str, extra: tuple[Figure, ...] = ()) -> list[Check]:
    tables = tables_of(doc_id)
    figures = [*table_figures(tables, document(doc_id)), *extra]
    return run_checks(tables, figures, document(doc_id))


@pytest.mark.parametrize("doc_id", list(DEPARTMENTS))
def test_known_totals_all_pass(doc_id: str) -> None:
    checks = [c for c in checks_of(doc_id) if c.kind != "unverified"]
    assert [c.where for c in checks if c.status != "passed"] == []
    kinds = {c.kind for c in checks}
    assert {"total_vs_parts", "income_vs_expenditure"} <= kinds


# 功能分类 classes compared between 01/03, 04/05 and 04/03 (table_vs_table) count in.
@pytest.mark.parametrize(("doc_id", "count"), [("000", 33), ("001", 33), ("002", 34)])
def test_number_of_passed_checks(doc_id: str, count: int) -> None:
    assert sum(c.status == "passed" for c in checks_of(doc_id)) == count


def test_a_class_printed_differently_in_two_tables_is_a_mismatch() -> None:
    tables = tables_of("000")
    summary = next(t for t in tables if t.table_id == "01")
    col = summary.columns.index("支出 / 金额")
    rows = list(summary.rows)
    i = next(i for i, r in enumerate(rows) if r.values[col] and "一般公共服务支出" in r.label)
    values = list(rows[i].values)
    values[col] = round(values[col] + 0.01, 2)
    rows[i] = replace(rows[i], values=tuple(values))
    tables = [replace(summary, rows=tuple(rows)) if t is summary else t for t in tables]
    failed = [
        c
        for c in run_checks(tables, table_figures(tables, document("000")), document("000"))
        if c.status == "mismatch"
    ]
    assert [c.kind for c in failed] == ["table_vs_table"]
    assert abs(failed[0].expected - failed[0].actual) == pytest.approx(0.01)
    assert len(failed[0].locators) == 2


def test_09_check_names_total_and_parts() -> None:
    where = [c.where for c in checks_of("001") if c.where.startswith("公开09表 决算数: 合计")]
    assert where == ["公开09表 决算数: 合计 72.82 vs 17.72 + 22.37 + 32.73"]


def test_06_personnel_total_matches_recovered_classes() -> None:
    [check] = [c for c in checks_of("001") if "人员经费合计" in c.where]
    assert (check.status, check.expected, check.actual) == ("passed", 2242.98, 2242.98)
    assert check.where == "公开06表: 人员经费合计 2,242.98 vs 301 2,167.97 + 303 75.01"


def test_flattened_blocks_are_reported_unverified() -> None:
    unverified = [c for c in checks_of("001") if c.status == "unverified"]
    assert [c.kind for c in unverified] == ["unverified", "unverified"]
    assert "第215行" in unverified[0].description and "第286行" in unverified[1].description
    assert [c for c in checks_of("000") if c.status == "unverified"] == []


def test_corrupted_number_gives_a_mismatch_naming_both_values() -> None:
    lines = corpus_lines("000")
    lines = [
        Line(ln.no, ln.text.replace("39.97", "49.97", 1)) if ln.no == 381 else ln for ln in lines
    ]
    tables = find_tables(lines, "000", DEPARTMENTS["000"])
    checks = run_checks(tables, table_figures(tables, document("000")), document("000"))
    [bad] = [c for c in checks if c.status == "mismatch"]
    assert bad.where == "公开09表 预算数: 合计 49.97 vs 1.99 + 37.97"
    assert (bad.expected, bad.actual) == (49.97, 39.96)


def test_corrupted_class_row_breaks_the_column_total() -> None:
    lines = [
        Line(ln.no, ln.text.replace("47.69", "57.69")) if ln.no == 148 else ln
        for ln in corpus_lines("000")
    ]
    tables = find_tables(lines, "000", DEPARTMENTS["000"])
    checks = run_checks(tables, table_figures(tables, document("000")), document("000"))
    bad = [c.where for c in checks if c.status == "mismatch"]
    assert bad == [
        "公开02表 本年收入合计: 合计 2,238.53 vs 1,166.22 + 154.59 + 57.69 + 794.48 + 75.56",
        "公开02表 财政拨款收入: 合计 2,238.53 vs 1,166.22 + 154.59 + 57.69 + 794.48 + 75.56",
    ]


def _narrative(metric: str, value: float, line: int) -> Figure:
    return Figure(
        figure_id=f"n{line}",
        doc_id="001",
        department="枣庄市人民政府办公室",
        year=2024,
        source="narrative",
        table_id="",
        table_title="",
        code="",
        row=metric,
        column="",
        metric=metric,
        measure="决算数",
        value=value,
        unit="万元",
        quote="",
        locator=Locator(line, line),
    )


def test_table_and_narrative_agree_on_reception_costs() -> None:
    [check] = [
        c
        for c in checks_of("001", (_narrative("公务接待费", 32.73, 400),))
        if c.kind == "table_vs_narrative"
    ]
    assert (check.status, check.expected, check.actual) == ("passed", 32.73, 32.73)


def test_table_and_narrative_disagreement_is_a_mismatch() -> None:
    wrong = replace(_narrative("人员经费", 2242.89, 401))
    [check] = [c for c in checks_of("001", (wrong,)) if c.kind == "table_vs_narrative"]
    assert check.status == "mismatch"
    assert check.where == "公开06表 人员经费 / 决算数: 2,242.98 vs 情况说明 2,242.89（line 401）"


def test_check_ids_are_deterministic_and_unique() -> None:
    first, second = checks_of("002"), checks_of("002")
    assert [c.check_id for c in first] == [c.check_id for c in second]
    assert len({c.check_id for c in first}) == len(first)

"""One small regression test per layout quirk of real disclosure PDFs.

In the style of pdfplumber's tests/test_issues.py: each PDF holds only the
pages that show one quirk (cut from the shared real disclosure by
scripts/cut_pdf_quirks.py), and each test pins what the reader must make of it.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from indexing.grid_tables import grid_tables, identify, match_columns
from indexing.loaders import load_source
from indexing.pdf_text import text_lines
from indexing.records import Table

ROOT = Path(__file__).resolve().parents[2]
QUIRKS = ROOT / "tests" / "fixtures" / "pdf" / "quirks"
REAL = ROOT / "data" / "上海市普陀区_财政局_2024.pdf"


def _tables(name: str) -> dict[str, Table]:
    source = load_source(QUIRKS / name)
    return {t.table_id: t for t in grid_tables(source.grids, source.lines, "q", "部门")}


def _row(table: Table, label: str) -> tuple[float | None, ...]:
    return next(r.values for r in table.rows if r.label == label)


def test_digits_on_a_lower_baseline_stay_in_their_sentence() -> None:
    with pdfplumber.open(REAL) as pdf:
        lines = [v.text for v in text_lines(pdf.pages[23], 24)]
    assert any("机关运行经费支出184.65万元，比2023年度增加2.55万元" in t for t in lines)


def test_codes_split_over_lei_kuan_xiang_columns_are_joined_across_pages() -> None:
    table = _tables("split_codes_over_pages.pdf")["02"]
    by_code = {r.code: r for r in table.rows}
    assert by_code["2010601"].label == "行政运行"
    assert by_code["2010601"].values[:2] == (1511.90, 1511.89)
    assert by_code["2210203"].values[0] == 258.50  # on the second page
    assert table.locator.page_start == 1 and table.locator.page_end == 2


def test_wrapped_names_inside_a_cell_are_joined() -> None:
    table = _tables("split_codes_over_pages.pdf")["02"]
    labels = {r.code: r.label for r in table.rows}
    assert labels["2080505"] == "机关事业单位基本养老保险缴费支出"


def test_economic_classification_groups_side_by_side_are_separate_rows() -> None:
    table = _tables("groups_side_by_side.pdf")["06"]
    by_code = {r.code: r for r in table.rows}
    assert by_code["30101"].label == "基本工资"
    assert by_code["30101"].values == (262.33, None)  # 人员经费
    assert by_code["30201"].values == (None, 21.21)  # 公用经费, the right-hand group
    assert by_code["30226"].values == (None, 2.01)  # continued on the next page
    assert _row(table, "人员经费合计") == (2152.26, None)
    assert _row(table, "公用经费合计") == (None, 184.65)


def test_multi_row_header_columns_match_the_canonical_paths_whatever_their_order() -> None:
    table = _tables("multi_row_header.pdf")["09"]
    values = dict(zip(table.columns, table.rows[0].values, strict=False))
    assert values["预算数 / 合计"] == 0.95
    assert values["预算数 / 公务接待费"] == 0.95
    assert values["决算数 / 合计"] is None
    assert len(table.columns) == 12


def test_an_empty_table_keeps_its_note() -> None:
    table = _tables("empty_with_note.pdf")["07"]
    assert table.empty
    assert any("本表无数据" in note for note in table.notes)


def test_income_and_expenditure_halves_continue_over_pages() -> None:
    table = _tables("income_expenditure_over_pages.pdf")["01"]
    assert _row(table, "本年收入合计") == (2946.25, None)
    assert _row(table, "本年支出合计") == (None, 2940.05)
    totals = [r.values for r in table.rows if r.label == "总计"]
    assert totals == [(2995.39, None), (None, 2995.39)]


@pytest.mark.parametrize(
    ("title", "table_id"),
    [
        ("收入支出决算总表", "01"),
        ("财政拨款收入支出决算总表", "04"),
        ("财政拨款收支决算总表", "04"),
        ("公开05表 一般公共预算财政拨款支出决算明细表", "05"),
        ("一般公共预算财政拨款基本支出决算表", "06"),
        ("国有资本经营预算财政拨款收入支出决算表", "08"),
        ("政府性基金预算财政拨款支出决算表", "07"),
        ("财政拨款 三公 经费支出决算表", "09"),
        ("部门决算公开相关信息统计表", "10"),
        ("上海市普陀区财政局部门整体支出绩效表", None),
    ],
)
def test_standard_tables_are_known_by_their_title(title: str, table_id: str | None) -> None:
    assert identify(title) == table_id


def test_header_words_match_canonical_columns_exactly_first_then_loosely() -> None:
    canonical = ["本年支出 / 小计", "本年支出 / 基本支出", "本年支出 / 项目支出"]
    assert match_columns([("合计",), ("基本支出",), ("项目支出",)], canonical) == [0, 1, 2]
    three = ["预算数 / 合计", "决算数 / 合计", "决算数 / 公务用车购置及运行维护费 / 小计"]
    paths = [("公务用车购置及运行费", "小计", "决算数"), ("合计", "决算数"), ("合计", "预算数")]
    assert match_columns(paths, three) == [2, 1, 0]


def test_a_title_in_the_grids_first_row_identifies_the_table() -> None:
    table = _tables("title_in_grid.pdf")["05"]
    assert table.title == "一般公共预算财政拨款支出决算表"
    assert _row(table, "行政运行") == (700.0, 700.0, None)


def test_a_title_repeated_with_xu_on_the_next_page_continues_the_table() -> None:
    tables = _tables("repeated_title.pdf")
    assert list(tables) == ["05"]
    codes = [r.code for r in tables["05"].rows]
    assert codes == ["", "201", "2010301", "2010350", "208", "2080505", "221", "2210201"]
    assert tables["05"].locator.page_end == 2


def test_xu_does_not_change_what_a_title_is() -> None:
    assert identify("一般公共预算财政拨款支出决算表（续）") == "05"

"""The shared real disclosure (上海市普陀区财政局 2024, Shanghai's template).

Values below were read by hand from the PDF: table, row, column path, value
and page. The document has two real errors, which the checks must flag.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.records import Figure, ParsedDocument

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "data" / "上海市普陀区_财政局_2024.pdf"


@pytest.fixture(scope="module")
def parsed() -> ParsedDocument:
    from indexing.pipeline import parse_document

    return parse_document(REAL)


def _cell(parsed: ParsedDocument, table: str, row: str, column: str) -> Figure:
    found = [
        f
        for f in parsed.figures
        if f.source == "table"
        and f.table_id == table
        and f.column == column
        and (f.row == row or f.code == row)
    ]
    assert len(found) == 1, (table, row, column, found)
    return found[0]


def test_department_year_and_place_come_from_the_cover(parsed: ParsedDocument) -> None:
    doc = parsed.document
    assert (doc.department, doc.year) == ("上海市普陀区财政局", 2024)
    assert (doc.place, doc.province, doc.city, doc.county) == (
        "普陀区",
        "上海市",
        "上海市",
        "普陀区",
    )
    assert "普陀区财政局" in doc.aliases and "Putuo district finance bureau" in doc.aliases


def test_nine_of_nine_standard_tables_with_title_and_unit(parsed: ParsedDocument) -> None:
    report = parsed.report
    assert report is not None
    assert report.standard_found == ("01", "02", "03", "04", "05", "06", "07", "08", "09")
    assert set(report.standard_empty) == {"07", "08"}
    titles = {t.table_id: (t.title, t.unit) for t in parsed.tables}
    assert titles["04"] == ("财政拨款收入支出决算总表", "万元")
    assert titles["06"] == ("一般公共预算财政拨款基本支出决算表", "万元")
    assert titles["08"][0] == "国有资本经营预算财政拨款收入支出决算表"


CELLS = [
    # table, row (label or 科目编码), column path, value, page
    ("01", "一、一般公共预算财政拨款收入", "收入 / 金额", 2940.05, 6),
    ("01", "八、其他收入", "收入 / 金额", 6.20, 6),
    ("01", "八、社会保障和就业支出", "支出 / 金额", 326.71, 6),
    ("01", "十九、住房保障支出", "支出 / 金额", 445.69, 6),
    ("01", "本年收入合计", "收入 / 金额", 2946.25, 6),
    ("01", "年初结转和结余", "收入 / 金额", 49.14, 7),
    ("01", "年末结转和结余", "支出 / 金额", 55.34, 7),
    ("02", "合计", "本年收入合计", 2946.25, 8),
    ("02", "2010601", "本年收入合计", 1511.90, 8),
    ("02", "2010601", "其他收入", 0.01, 8),
    ("02", "2010602", "其他收入", 6.19, 8),
    ("02", "2210201", "财政拨款收入", 187.19, 9),
    ("03", "合计", "基本支出", 2336.91, 10),
    ("03", "2010601", "项目支出", 8.37, 10),
    ("03", "208", "本年支出合计", 326.72, 10),
    ("03", "2101101", "基本支出", 60.99, 11),
    ("04", "本年支出合计", "支出 / 一般公共预算财政拨款", 2940.05, 13),
    ("04", "年初财政拨款结转和结余", "收入 / 金额", 21.63, 13),
    ("05", "2010601", "本年支出 / 小计", 1511.89, 15),
    ("05", "2010608", "本年支出 / 项目支出", 449.52, 15),
    ("05", "合计", "本年支出 / 基本支出", 2336.91, 15),
    ("06", "30102", "人员经费 / 决算数", 1238.58, 16),
    ("06", "30113", "人员经费 / 决算数", 187.19, 16),
    ("06", "30302", "人员经费 / 决算数", 69.10, 16),
    ("06", "30229", "公用经费 / 决算数", 42.77, 17),
    ("06", "31002", "公用经费 / 决算数", 13.58, 17),
    ("09", "财政拨款“三公”经费支出", "预算数 / 公务接待费", 0.95, 18),
]


@pytest.mark.parametrize(("table", "row", "column", "value", "page"), CELLS)
def test_cells_read_by_hand(
    parsed: ParsedDocument, table: str, row: str, column: str, value: float, page: int
) -> None:
    figure = _cell(parsed, table, row, column)
    assert figure.value == value
    assert figure.locator.page_start == page
    assert figure.bbox is not None


def test_every_cell_of_the_expenditure_table_is_a_figure(parsed: ParsedDocument) -> None:
    cells = [f for f in parsed.figures if f.table_id == "03"]
    assert len(cells) == 20 + 17 + 7  # printed cells of 本年支出合计, 基本支出, 项目支出
    assert sum(f.value for f in cells if f.column == "项目支出") == pytest.approx(603.14 * 4)


def test_the_two_real_errors_are_flagged_with_both_sides(parsed: ParsedDocument) -> None:
    failed = [c for c in parsed.checks if c.status == "mismatch"]
    total = [c for c in failed if "财政拨款收支总计" in c.description]
    assert len(total) == 1 and (total[0].expected, total[0].actual) == (2961.68, 0.3)
    assert [loc.page_start for loc in total[0].locators] == [13, 21]
    social = [c for c in failed if "社会保障和就业支出" in c.description]
    assert social and all({c.expected, c.actual} == {326.71, 326.72} for c in social)
    assert all(len(c.locators) == 2 for c in social)


def test_narrative_figures_read_from_sentences_with_lowered_digits(parsed: ParsedDocument) -> None:
    stated = {(f.metric, f.measure): f.value for f in parsed.figures if f.source == "narrative"}
    assert stated[("机关运行经费", "决算数")] == 184.65
    assert stated[("收支总计", "决算数")] == 2995.39
    assert stated[("单价100万元以上设备", "数量")] == 2


# 支出决算表 (pp. 10–11) as printed: 科目编码 → (本年支出合计, 基本支出, 项目支出).
EXPENDITURE_TABLE = {
    "": (2940.05, 2336.91, 603.14),
    "201": (2106.66, 1503.52, 603.14),
    "20106": (2106.66, 1503.52, 603.14),
    "2010601": (1511.89, 1503.52, 8.37),
    "2010602": (10.00, None, 10.00),
    "2010607": (135.25, None, 135.25),
    "2010608": (449.52, None, 449.52),
    "208": (326.72, 326.72, None),
    "20805": (326.72, 326.72, None),
    "2080501": (84.65, 84.65, None),
    "2080505": (160.75, 160.75, None),
    "2080506": (80.38, 80.38, None),
    "2080599": (0.94, 0.94, None),
    "210": (60.99, 60.99, None),
    "21011": (60.99, 60.99, None),
    "2101101": (60.99, 60.99, None),
    "221": (445.69, 445.69, None),
    "22102": (445.69, 445.69, None),
    "2210201": (187.19, 187.19, None),
    "2210203": (258.50, 258.50, None),
}


def test_every_cell_of_the_expenditure_table_is_as_printed(parsed: ParsedDocument) -> None:
    table = next(t for t in parsed.tables if t.table_id == "03")
    got = {r.code: r.values[:3] for r in table.rows}
    assert got == EXPENDITURE_TABLE
    assert all(v is None for r in table.rows for v in r.values[3:])  # 上缴上级, 经营, 附属单位


def test_every_cell_of_the_three_public_table_is_as_printed(parsed: ParsedDocument) -> None:
    table = next(t for t in parsed.tables if t.table_id == "09")
    (row,) = table.rows
    printed = dict(zip(table.columns, row.values, strict=True))
    assert {c: v for c, v in printed.items() if v is not None} == {
        "预算数 / 合计": 0.95,
        "预算数 / 公务接待费": 0.95,
    }


def _printed(parsed: ParsedDocument, table_id: str) -> dict[tuple[str, str], float]:
    """Every non-empty cell of a table: (科目编码 or row name, column path) → value."""
    table = next(t for t in parsed.tables if t.table_id == table_id)
    return {
        (r.code or r.label, column): value
        for r in table.rows
        for column, value in zip(table.columns, r.values, strict=True)
        if value is not None
    }


def test_every_cell_of_the_general_budget_table_is_as_printed(parsed: ParsedDocument) -> None:
    names = ("本年支出 / 小计", "本年支出 / 基本支出", "本年支出 / 项目支出")
    expected = {
        (code or "合计", name): value
        for code, values in EXPENDITURE_TABLE.items()
        for name, value in zip(names, values, strict=True)
        if value is not None
    }
    assert _printed(parsed, "05") == expected


# 收入决算表 (pp. 8–9): 科目编码 → (本年收入合计, 财政拨款收入, 其他收入); the other columns are empty.
INCOME_TABLE = {
    "合计": (2946.25, 2940.05, 6.20),
    "201": (2112.86, 2106.66, 6.20),
    "20106": (2112.86, 2106.66, 6.20),
    "2010601": (1511.90, 1511.89, 0.01),
    "2010602": (16.19, 10.00, 6.19),
    "2010607": (135.25, 135.25, None),
    "2010608": (449.52, 449.52, None),
    "208": (326.72, 326.72, None),
    "20805": (326.72, 326.72, None),
    "2080501": (84.65, 84.65, None),
    "2080505": (160.75, 160.75, None),
    "2080506": (80.38, 80.38, None),
    "2080599": (0.94, 0.94, None),
    "210": (60.99, 60.99, None),
    "21011": (60.99, 60.99, None),
    "2101101": (60.99, 60.99, None),
    "221": (445.69, 445.69, None),
    "22102": (445.69, 445.69, None),
    "2210201": (187.19, 187.19, None),
    "2210203": (258.50, 258.50, None),
}


def test_every_cell_of_the_income_table_is_as_printed(parsed: ParsedDocument) -> None:
    names = ("本年收入合计", "财政拨款收入", "其他收入")
    expected = {
        (code, name): value
        for code, values in INCOME_TABLE.items()
        for name, value in zip(names, values, strict=True)
        if value is not None
    }
    assert _printed(parsed, "02") == expected


def test_every_cell_of_the_income_and_expenditure_table_is_as_printed(
    parsed: ParsedDocument,
) -> None:
    income, spend = "收入 / 金额", "支出 / 金额"
    assert _printed(parsed, "01") == {
        ("一、一般公共预算财政拨款收入", income): 2940.05,
        ("八、其他收入", income): 6.20,
        ("本年收入合计", income): 2946.25,
        ("年初结转和结余", income): 49.14,
        ("总计", income): 2995.39,
        ("一、一般公共服务支出", spend): 2106.66,
        ("八、社会保障和就业支出", spend): 326.71,
        ("九、卫生健康支出", spend): 60.99,
        ("十九、住房保障支出", spend): 445.69,
        ("本年支出合计", spend): 2940.05,
        ("年末结转和结余", spend): 55.34,
        ("总计", spend): 2995.39,
    }


def test_every_cell_of_the_basic_expenditure_table_is_as_printed(parsed: ParsedDocument) -> None:
    """Both 经济分类 groups; the printed totals check the hand reading (2,082.85 + 69.41)."""
    people, public = "人员经费 / 决算数", "公用经费 / 决算数"
    personnel = {
        "301": 2082.85, "30101": 262.33, "30102": 1238.58, "30108": 160.75, "30109": 80.38,
        "30110": 60.99, "30112": 1.61, "30113": 187.19, "30199": 91.03,
        "303": 69.41, "30302": 69.10, "30309": 0.31, "人员经费合计": 2152.26,
    }  # fmt: skip
    common = {
        "302": 171.07, "30201": 21.21, "30202": 7.61, "30204": 0.09, "30207": 4.88,
        "30211": 1.20, "30213": 2.83, "30216": 4.05, "30226": 2.01, "30228": 24.42,
        "30229": 42.77, "30239": 48.49, "30299": 11.53, "310": 13.58, "31002": 13.58,
        "公用经费合计": 184.65,
    }  # fmt: skip
    expected = {(k, people): v for k, v in personnel.items()}
    expected |= {(k, public): v for k, v in common.items()}
    assert _printed(parsed, "06") == expected

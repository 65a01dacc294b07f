"""find_tables on the five real disclosures: which tables, titles, units, rows."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from indexing.records import Document, Line, Table
from indexing.table_rows import layouts
from indexing.tables import find_tables

DATA = Path(__file__).resolve().parents[2] / "data"
WATERMARK = "仅供内部审核"
DEPARTMENTS = {
    "000": "冠县人民政府办公室",
    "001": "枣庄市人民政府办公室",
    "002": "高平市人民政府办公室",
    "003": "阳城县政务服务中心",
    "004": "阳谷县人民政府办公室（汇总）",
}


def corpus_lines(doc_id: str) -> list[Line]:
    """The document's lines as the loader gives them (watermarks removed)."""
    path = next(DATA.glob(f"{doc_id}_*.txt"))
    texts = path.read_text(encoding="utf-8").split("\n")
    return [Line(i, t) for i, t in enumerate(texts, 1) if t.strip() != WATERMARK]


def document(doc_id: str) -> Document:
    """A minimal Document for one corpus file."""
    name = DEPARTMENTS[doc_id]
    return Document(doc_id, name, name, "", "", "", "", 2024, "部门决算", "", (), (), "", "", 0)


@cache
def tables_of(doc_id: str) -> tuple[Table, ...]:
    return tuple(find_tables(corpus_lines(doc_id), doc_id, DEPARTMENTS[doc_id]))


def table(doc_id: str, table_id: str) -> Table:
    return next(t for t in tables_of(doc_id) if t.table_id == table_id)


NINE = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        ("000", NINE),
        ("001", NINE),
        ("002", [*NINE, "10"]),
        # 003 prints its 02 marker split over two lines ("公开02" / "表"): still found.
        ("003", [*NINE, "10"]),
        ("004", NINE),
    ],
)
def test_every_public_table_is_found_once_in_order(doc_id: str, expected: list[str]) -> None:
    assert [t.table_id for t in tables_of(doc_id)] == expected


@pytest.mark.parametrize("doc_id", list(DEPARTMENTS))
def test_titles_are_the_standard_titles_and_units_are_wanyuan(doc_id: str) -> None:
    for t in tables_of(doc_id):
        standard = layouts()["tables"][t.table_id]["title"]
        assert t.title.replace('"', "“", 1).replace('"', "”", 1) == standard
        assert t.unit == "万元"
        assert t.department == DEPARTMENTS[doc_id]


def test_zaozhuang_09_title_keeps_its_ascii_quotes() -> None:
    assert table("001", "09").title == '财政拨款"三公"经费支出决算表'


def test_table_of_contents_lines_are_not_tables() -> None:
    # 002 lists "十、部门决算公开相关信息统计表" in its contents on line 21.
    assert table("002", "10").locator.line_start == 380
    assert table("002", "01").locator.line_start == 56


def test_marker_with_unit_on_the_same_line_gives_table_and_unit() -> None:
    t = table("001", "04")
    assert (t.title, t.unit, t.locator.line_start) == ("财政拨款收入支出决算总表", "万元", 209)


def test_empty_tables_are_flagged_by_their_no_data_note() -> None:
    assert table("002", "07").empty and table("002", "08").empty
    assert table("000", "08").empty
    assert "说明：本表无数据" in table("003", "07").notes
    assert not table("000", "07").empty


def test_notes_are_kept() -> None:
    assert table("000", "02").notes == ("注：本表反映部门本年度取得的各项收入情况。",)


def test_columns_come_from_the_layout() -> None:
    assert table("000", "09").columns[4] == "预算数 / 公务用车购置及运行维护费 / 公务用车运行维护费"
    assert table("000", "06").columns == ("人员经费 / 决算数", "公用经费 / 决算数")
    assert table("000", "04").columns[0] == "收入 / 金额"
    assert len(table("000", "04").columns) == 5


def test_name_wrapped_over_a_page_break_is_joined() -> None:
    row = next(r for r in table("000", "02").rows if r.code == "2120899")
    assert row.label == "其他国有土地使用权出让收入安排的支出"
    assert (row.locator.line_start, row.locator.line_end) == (153, 157)


def test_name_wrapped_inside_a_cell_loses_the_stray_space() -> None:
    row = next(r for r in table("001", "02").rows if r.code == "2010399")
    assert row.label == "其他政府办公厅(室)及相关机构事务支出"


def test_code_and_name_in_one_cell_are_split() -> None:
    row = next(r for r in table("001", "02").rows if r.code == "2080506")
    assert (row.label, row.values[:2]) == ("机关事业单位职业年金缴费支出", (92.16, 92.16))


def test_repeated_header_after_page_break_is_skipped() -> None:
    codes = [r.code for r in table("001", "03").rows]
    assert codes.count("20808") == 1 and "" not in codes[1:]
    assert len(table("001", "03").rows) == 26


def test_side_by_side_row_splits_into_income_and_expenditure() -> None:
    rows = [r for r in table("000", "01").rows if r.locator.line_start == 90]
    assert [(r.label, r.line_no, r.values) for r in rows] == [
        ("一、一般公共预算财政拨款收入", "1", (1444.05, None)),
        ("一、一般公共服务支出", "32", (None, 1166.22)),
    ]
    assert (
        rows[0].raw
        == "一、一般公共预算财政拨款收入\t1\t1,444.05\t一、一般公共服务支出\t32\t1,166.22"
    )


def test_grouped_06_rows_are_one_per_group_with_their_column() -> None:
    rows = [r for r in table("002", "06").rows if r.locator.line_start == 298]
    assert [(r.code, r.values) for r in rows] == [
        ("30109", (38.26, None)),
        ("30207", (None, 0.43)),
        ("30902", (None, None)),
        ("311", (None, None)),
    ]


def test_09_blank_cells_keep_their_position() -> None:
    assert table("001", "09").rows[0].values == (
        72.82,
        17.72,
        22.37,
        None,
        22.37,
        32.73,
        72.82,
        17.72,
        22.37,
        None,
        22.37,
        32.73,
    )


def test_10_rows_carry_section_label_and_line_number() -> None:
    row = table("002", "10").rows[0]
    assert (row.label, row.line_no, row.values) == ("政府采购情况 / 合计", "1", (16.44,))


def test_flattened_block_gets_an_extraction_note() -> None:
    notes = [n for n in table("001", "06").notes if n.startswith("（提取说明）")]
    assert len(notes) == 1 and "第286行" in notes[0] and "21个金额" in notes[0]


def test_watermark_line_that_slips_through_is_ignored() -> None:
    lines = corpus_lines("003")
    marker = next(i for i, ln in enumerate(lines) if ln.text.startswith("公开09表"))
    lines.insert(marker + 1, Line(10_000, WATERMARK))
    tables = find_tables(lines, "003", DEPARTMENTS["003"])
    assert next(t for t in tables if t.table_id == "09").rows[0].values[0] == 1.28

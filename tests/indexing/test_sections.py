"""split_sections on the five real disclosures: the heading tree, TOC, glossary."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from indexing.loaders import load_lines
from indexing.records import Line, Section
from indexing.sections import split_sections

DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def sections(prefix: str) -> list[Section]:
    path = next(DATA.glob(f"{prefix}_*.txt"))
    lines, _ = load_lines(path)
    return split_sections(lines, path.stem)


def by_heading(prefix: str, start: str) -> list[Section]:
    return [s for s in sections(prefix) if s.heading.startswith(start)]


@pytest.mark.parametrize(
    ("prefix", "part", "heading", "span"),
    [
        (
            "000",
            "第三部分 2024 年度部门决算情况说明",
            "九、财政拨款“三公”经费支出决算情况说明",
            (516, 516),
        ),
        (
            "001",
            "第三部分 2024年度部门决算情况说明",
            '九、财政拨款"三公"经费支出决算情况说明',
            (474, 474),
        ),
        ("002", "第三部分 情况说明", "九、财政拨款“三公”经费支出决算情况说明", (492, 492)),
        ("003", "第三部分 情况说明", "九、财政拨款“三公”经费支出决算情况说明", (476, 476)),
        (
            "004",
            "第三部分 2024 年度部门决算情况说明",
            "九、财政拨款“三公”经费支出决算情况说明",
            (478, 478),
        ),
    ],
)
def test_part_three_section_nine_has_its_path_and_span(prefix, part, heading, span):
    [nine] = [s for s in by_heading(prefix, "九、财政拨款") if s.path[0].startswith("第三部分")]
    assert nine.path == (part, heading)
    assert nine.level == 2
    assert (nine.locator.line_start, nine.locator.line_end) == span


def test_subsection_path_runs_from_part_to_level_three():
    [detail] = by_heading("001", '(二)"三公"经费支出决算具体情况')
    assert detail.path == (
        "第三部分 2024年度部门决算情况说明",
        '九、财政拨款"三公"经费支出决算情况说明',
        '(二)"三公"经费支出决算具体情况',
    )
    assert (detail.locator.line_start, detail.locator.line_end) == (480, 495)
    assert "共计接待 100 批次、893 人次" in detail.text


def test_text_line_k_is_source_line_start_plus_k():
    [detail] = by_heading("000", "（二）“三公”经费支出决算具体情况")
    lines = detail.text.split("\n")
    assert lines[0] == "（二）“三公”经费支出决算具体情况"
    assert lines[534 - detail.locator.line_start].startswith("公务用车运行维护费 12.99 万元")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_table_of_contents_lines_are_not_sections(prefix):
    parts = [s for s in sections(prefix) if s.level == 1]
    assert [s.heading.split()[0] for s in parts] == [
        "第一部分",
        "第二部分",
        "第三部分",
        "第四部分",
        "第五部分",
    ]
    assert all(s.locator.line_start > 30 for s in parts)


def test_toc_bullets_before_the_real_part_one_are_skipped():
    first = sections("001")[0]
    assert (first.heading, first.locator.line_start) == ("第一部分 部门概况", 43)
    assert sections("002")[0].locator.line_start == 36


def test_appendix_toc_entries_are_not_sections():
    starts = {s.locator.line_start for s in sections("002")}
    assert not starts & set(range(571, 584))  # the 目录 of the first project report
    assert 585 in starts  # "一、项目基本信息", the report's real first heading


def test_long_numbered_duties_are_content_not_headings():
    [duties] = by_heading("001", "一、部门职责")
    assert (duties.locator.line_start, duties.locator.line_end) == (47, 65)
    assert "(十一)负责组织协调" in duties.text
    assert not by_heading("001", "(十一)")


def test_listed_budget_units_are_content_not_headings():
    [units] = by_heading("001", "二、机构设置")
    assert "- 2、枣庄市人民政府决策研究中心" in units.text
    assert not by_heading("001", "1、枣庄市人民政府办公室本级")


def test_wrapped_kemu_sentence_is_not_a_heading():
    assert not by_heading("000", "2、一般公共服务支出（类）")


@pytest.mark.parametrize(
    ("prefix", "n_tables"), [("000", 9), ("001", 9), ("002", 10), ("003", 10), ("004", 9)]
)
def test_table_region_has_one_section_per_table_title(prefix, n_tables):
    tables = [s for s in sections(prefix) if s.path[0].startswith("第二部分") and s.level == 2]
    assert len(tables) == n_tables
    assert tables[0].heading == "收入支出决算总表"
    assert tables[8].heading.startswith("财政拨款") and tables[8].heading.endswith("经费支出决算表")


@pytest.mark.parametrize(
    ("prefix", "term", "definition"),
    [
        ("000", "十五、机关运行经费", "十五、机关运行经费：指为保障行政单位"),
        (
            "002",
            "十二、机关运行经费",
            "- 十二、机关运行经费：指行政单位和参照公务员法管理的事业单位",
        ),
        ("004", "十四、“三公”经费", "十四、“三公”经费：指单位用财政拨款安排的因公出国（境）费"),
    ],
)
def test_glossary_terms_are_sections_with_their_numbered_definition(prefix, term, definition):
    [entry] = by_heading(prefix, term)
    assert entry.path[0].endswith("名词解释")
    assert entry.level == 2
    assert entry.text.startswith(definition)


def test_glossary_definition_wrapped_over_lines_stays_in_its_section():
    [entry] = by_heading("000", "十五、机关运行经费")
    assert (entry.locator.line_start, entry.locator.line_end) == (618, 620)
    assert entry.text.endswith("公务用车运行维护费以及其他费用。")


def test_section_ids_are_deterministic_and_unique():
    ids = [s.section_id for s in sections("004")]
    assert len(ids) == len(set(ids))
    assert ids[0] == "004_8e0e4eb5d50c1166:s:L52"


def test_pages_come_from_lines_when_the_source_is_a_pdf():
    lines = [Line(1, "第一部分 概况", 1), Line(2, "一、部门职责", 1), Line(3, "负责。", 2)]
    [part, duties] = split_sections(lines, "x")
    assert duties.locator.page_start == 1 and duties.locator.page_end == 2
    assert part.locator.label() == "p. 1, line 1"

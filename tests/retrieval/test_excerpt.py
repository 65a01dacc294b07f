"""What a citation opens on the real index: the PDF page and box, the table, the sentence, a check's sides."""

from __future__ import annotations

from functools import cache

import pytest

from config import Settings
from retrieval import ask
from retrieval.cite import check_citations
from retrieval.engine import get_engine
from retrieval.excerpt import passage_excerpt, table_excerpt
from retrieval.records import Answer, Citation

PUTUO = "上海市普陀区_财政局_2024-pdf"
ZAOZHUANG = "001_f4ec1982bbb312b3"
TOTAL = "普陀区财政局2024年本年支出合计是多少？"
ADMIN = "普陀区财政局2024年行政运行支出是多少？"
# Where pdfplumber prints these amounts on the real PDF (tests/indexing/test_boxes.py reads them).
TOTAL_TEXT_P10 = (389.2, 222.8, 431.2, 234.8)  # "2,940.05" in 公开03表, page 10


@cache
def answered(question: str, settings: Settings) -> Answer:
    return ask(question, settings=settings)


def cell(answer: Answer, table_id: str) -> Citation:
    return next(c for c in answer.citations if c.table_id == table_id and c.column)


def contains(outer: tuple[float, ...] | None, inner: tuple[float, ...]) -> bool:
    assert outer is not None
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and outer[2] >= inner[2]
        and outer[3] >= inner[3]
    )


def test_pdf_table_citation_has_page_10_and_the_box_of_its_cell(built_index: Settings):
    c = cell(answered(TOTAL, built_index), "03")
    assert (c.page, c.value, c.column) == (10, 2940.05, "本年支出合计")
    assert contains(c.bbox, TOTAL_TEXT_P10)
    assert c.boxes == (c.bbox,)


def test_pdf_sentence_citation_has_page_21_and_the_sentence_box(built_index: Settings):
    c = next(
        c
        for c in answered(TOTAL, built_index).citations
        if c.value is None and c.quote.startswith("本年支出合计2940.05万元")
    )
    assert c.page == 21
    assert contains(c.bbox, (96.0, 336.3, 168.0, 348.3))  # "本年支出合计" as pdfplumber finds it


def test_table_excerpt_of_a_pdf_cell_has_its_headers_its_row_and_two_neighbours(
    built_index: Settings,
):
    engine = get_engine(built_index)
    c = cell(answered(ADMIN, built_index), "05")
    excerpt = table_excerpt(engine.stores.figures.tables(PUTUO), c)
    assert excerpt is not None
    row = excerpt.rows[excerpt.cited_row]
    assert (row.code, row.label) == ("2010601", "行政运行")
    assert excerpt.columns[excerpt.cited_column] == "本年支出 / 小计"
    assert row.values[excerpt.cited_column] == 1511.89
    assert (excerpt.title, excerpt.unit) == ("一般公共预算财政拨款支出决算表", "万元")
    assert excerpt.cited_row == 2 and len(excerpt.rows) == 5


def test_table_excerpt_of_a_text_table_marks_the_09_reception_cell(built_index: Settings):
    engine = get_engine(built_index)
    answer = answered("枣庄市人民政府办公室2024年公务接待费是多少？", built_index)
    c = next(c for c in answer.citations if c.table_id == "09" and c.value == 32.73)
    excerpt = table_excerpt(engine.stores.figures.tables(ZAOZHUANG), c)
    assert excerpt is not None and c.page is None and c.bbox is None
    assert excerpt.columns[excerpt.cited_column].endswith("公务接待费")
    assert excerpt.rows[excerpt.cited_row].values[excerpt.cited_column] == 32.73


def test_passage_excerpt_gives_the_sentence_its_section_and_the_next_sentence(
    built_index: Settings,
):
    engine = get_engine(built_index)
    c = next(
        c for c in answered(ADMIN, built_index).citations if c.value == 1511.89 and not c.table_id
    )
    excerpt = passage_excerpt(engine.lexical.chunks, c)
    assert excerpt is not None
    assert excerpt.section.endswith("（三）一般公共预算财政拨款支出决算具体情况")
    assert "支出决算为1511.89万元" in excerpt.quote
    assert excerpt.after.startswith("决算数小于预算数的主要原因")
    assert excerpt.before.startswith("1、一般公共服务支出（类）财政事务（款）行政运行（项）")


@pytest.mark.parametrize(
    ("description", "sides"),
    [
        ("社会保障和就业支出：公开01表与公开03表一致", [("01", 326.71, 6), ("03", 326.72, 10)]),
        ("公开01表：收入方总计等于支出方总计", [("01", 2995.39, 7), ("01", 2995.39, 7)]),
    ],
)
def test_a_check_cites_both_of_its_sides_each_with_page_and_box(
    built_index: Settings, description: str, sides: list[tuple[str, float, int]]
):
    store = get_engine(built_index).stores.figures
    check = next(c for c in store.checks(PUTUO) if c.description == description)
    cited = check_citations(check, store.figures(doc_ids=[PUTUO]), store.document(PUTUO))
    assert [(c.table_id, c.value, c.page) for c in cited] == sides
    assert all(c.bbox is not None for c in cited)
    assert len({c.figure_id for c in cited}) == 2

"""Sentence boxes from the character positions of PDF lines (indexing/boxes.py)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pdfplumber

from indexing.boxes import locate, quote_boxes, union
from indexing.pipeline import parse_document
from indexing.records import Line, ParsedDocument, TextSpan

DATA = Path(__file__).resolve().parents[2] / "data"
PDF = DATA / "上海市普陀区_财政局_2024.pdf"
ZAOZHUANG = DATA / "001_f4ec1982bbb312b3.txt"


@cache
def parsed(path: Path) -> ParsedDocument:
    return parse_document(path)


def printed_at(page: int, text: str) -> tuple[float, float, float, float]:
    """Where pdfplumber itself finds `text` on `page` (first hit), independent of indexing."""
    with pdfplumber.open(PDF) as pdf:
        hit = pdf.pages[page - 1].search(text)[0]
    return hit["x0"], hit["top"], hit["x1"], hit["bottom"]


def inside(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def test_narrative_figure_of_the_real_pdf_has_its_sentence_box_on_page_21():
    figure = next(
        f
        for f in parsed(PDF).figures
        if f.source == "narrative" and f.quote.startswith("本年支出合计2940.05万元")
    )
    assert figure.locator.page_start == 21
    assert figure.bbox is not None
    assert inside(printed_at(21, "本年支出合计"), figure.bbox)
    with pdfplumber.open(PDF) as pdf:
        amounts = pdf.pages[20].search("2940.05")
    assert any(inside((a["x0"], a["top"], a["x1"], a["bottom"]), figure.bbox) for a in amounts)


def test_every_narrative_figure_of_the_real_pdf_has_a_page_and_a_box():
    narrative = [f for f in parsed(PDF).figures if f.source == "narrative"]
    assert narrative
    assert [f.figure_id for f in narrative if f.bbox is None or f.locator.page_start is None] == []


def test_section_passage_of_the_pdf_keeps_one_box_per_printed_line_of_each_sentence():
    chunk = next(
        c
        for c in parsed(PDF).chunks
        if c.kind == "section" and "本年支出合计2940.05万元" in str(c.metadata["body"])
    )
    body = str(chunk.metadata["body"])
    start = body.index("本年支出合计2940.05万元")
    rows = [r for r in json.loads(chunk.metadata["boxes"]) if r[0] <= start < r[1]]
    assert rows and rows[0][2] == 21
    assert inside(printed_at(21, "本年支出合计"), tuple(rows[0][3:]))


def test_text_documents_keep_no_positions_and_no_boxes():
    doc = parsed(ZAOZHUANG)
    assert all(line.spans == () for line in doc.lines)
    assert all("boxes" not in c.metadata for c in doc.chunks)
    assert all(f.bbox is None for f in doc.figures)


def test_quote_across_two_printed_lines_gets_a_box_on_each_and_their_union():
    first = TextSpan(0, 3, 100.0, 112.0, (10.0, 20.0, 30.0), (20.0, 30.0, 40.0))
    second = TextSpan(3, 3, 114.0, 126.0, (10.0, 20.0), (20.0, 30.0))
    line = Line(no=1, text="甲乙丙丁戊", page=3, spans=(first, second))
    boxes = quote_boxes([line], "丙丁")
    assert boxes == [(3, (30.0, 100.0, 40.0, 112.0)), (3, (10.0, 114.0, 20.0, 126.0))]
    assert union(boxes) == (3, (10.0, 100.0, 40.0, 126.0))


def test_locate_ignores_spaces_the_extraction_added():
    assert locate("支出 2, 940. 05 万元", "2,940.05万元") == (3, 16)

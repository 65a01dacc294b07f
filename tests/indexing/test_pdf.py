"""The PDF path reads a disclosure as the text path does.

Fixtures are PDFs rendered from corpus documents (scripts/make_pdf_fixtures.py):
ruled tables, tables continuing over pages with repeated header rows, a
running header, page numbers and a diagonal "仅供内部审核" watermark.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from indexing.errors import EncryptedPDF, ScannedPDF, UnreadableDocument
from indexing.pdf import load_pdf_lines
from indexing.records import Figure, ParsedDocument

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
STEMS = ("001_f4ec1982bbb312b3", "002_6b8b447dd5f33aed")
RENDERED_TABLES = {f"{n:02d}" for n in range(1, 11)}


@pytest.fixture(scope="session")
def parsed() -> dict[tuple[str, str], ParsedDocument]:
    """Each fixture PDF and its corpus text file, parsed once."""
    from indexing.pipeline import parse_document  # the whole pipeline, imported only here

    out = {}
    for stem in STEMS:
        out[(stem, "pdf")] = parse_document(FIXTURES / f"{stem}.pdf")
        out[(stem, "txt")] = parse_document(ROOT / "data" / f"{stem}.txt")
    return out


def _key(figure: Figure) -> tuple:
    return (
        figure.table_id,
        figure.code,
        figure.row,
        figure.column,
        figure.measure,
        figure.value,
        figure.unit,
    )


def _ruled_figures(doc: ParsedDocument) -> set[tuple]:
    """Table figures read from ruled rows (tab-separated lines).

    Figures that the text path recovers from garbled, untabbed lines (001's
    04表 and 06表 first blocks) are left out: the fixture renders those lines
    as prose, as they are, not as tables.
    """
    by_no = {line.no: line.text for line in doc.lines}
    return {
        _key(f)
        for f in doc.figures
        if f.source == "table"
        and f.table_id in RENDERED_TABLES
        and "\t" in by_no.get(f.locator.line_start, "")
    }


@pytest.mark.parametrize("stem", STEMS)
def test_every_table_figure_of_the_pdf_equals_the_text_figure(parsed, stem):
    from_pdf = _ruled_figures(parsed[(stem, "pdf")])
    from_text = _ruled_figures(parsed[(stem, "txt")])
    assert len(from_text) > 200
    assert from_pdf == from_text


def test_gaoping_pdf_yields_all_table_figures_of_its_text(parsed):
    stem = "002_6b8b447dd5f33aed"
    count = sum(f.source == "table" for f in parsed[(stem, "pdf")].figures)
    assert count == sum(f.source == "table" for f in parsed[(stem, "txt")].figures)


@pytest.mark.parametrize("stem", STEMS)
def test_third_part_headings_of_the_pdf_equal_the_text_headings(parsed, stem):
    def headings(doc: ParsedDocument) -> list[tuple[str, ...]]:
        return [s.path for s in doc.sections if s.path and s.path[0].startswith("第三部分")]

    from_text = headings(parsed[(stem, "txt")])
    assert len(from_text) > 10
    assert headings(parsed[(stem, "pdf")]) == from_text


def _figure(doc: ParsedDocument, table_id: str, label: str, value: float) -> Figure:
    """The table figure of that value whose row label or column path is `label`."""
    return next(
        f
        for f in doc.figures
        if f.source == "table"
        and f.table_id == table_id
        and label in (f.row, f.column)
        and f.value == value
    )


def test_figure_locator_gives_the_pdf_page_it_is_printed_on(parsed):
    doc = parsed[("002_6b8b447dd5f33aed", "pdf")]
    assert _figure(doc, "01", "一、一般公共预算财政拨款收入", 1864.57).locator.page_start == 2
    assert _figure(doc, "09", "决算数 / 合计", 9.36).locator.page_start == 9


def test_rows_of_a_table_continued_on_the_next_page_carry_that_page(parsed):
    doc = parsed[("002_6b8b447dd5f33aed", "pdf")]
    assert _figure(doc, "01", "本年收入合计", 1864.57).locator.page_start == 3


def test_repeated_header_rows_of_a_continued_table_are_dropped():
    lines, _ = load_pdf_lines(FIXTURES / "002_6b8b447dd5f33aed.pdf")
    header = "项目\t行次\t金额\t项目\t行次\t金额"
    assert [line.page for line in lines if line.text == header] == [2]


def test_page_numbers_running_header_and_watermark_are_removed():
    lines, n_pages = load_pdf_lines(FIXTURES / "002_6b8b447dd5f33aed.pdf")
    texts = [line.text for line in lines]
    assert n_pages == 13
    assert not [t for t in texts if t.startswith("第 ") and t.endswith(" 页")]
    assert not [t for t in texts if "仅" in t and "审核" in t]
    assert "高平市人民政府办公室2024年度部门决算公开" not in texts


def test_dash_page_numbers_are_removed():
    lines, _ = load_pdf_lines(FIXTURES / "001_f4ec1982bbb312b3.pdf")
    assert not [
        line.text for line in lines if line.text.startswith("- ") and line.text[2:-2].isdigit()
    ]


def test_lines_are_numbered_from_one_in_page_order():
    lines, n_pages = load_pdf_lines(FIXTURES / "001_f4ec1982bbb312b3.pdf")
    assert [line.no for line in lines] == list(range(1, len(lines) + 1))
    pages = [line.page for line in lines]
    assert pages == sorted(pages)
    assert (pages[0], pages[-1]) == (1, n_pages)


def test_wrapped_narrative_lines_are_joined_into_one_paragraph():
    lines, _ = load_pdf_lines(FIXTURES / "002_6b8b447dd5f33aed.pdf")
    sentence = "2024年度收入总计1,864.57万元，支出总计1,864.57万元。"
    [paragraph] = [line for line in lines if line.text.startswith(sentence)]
    assert paragraph.text.endswith("因此收入、支出总计减少。")


def test_table_without_rules_is_read_by_text_alignment(tmp_path):
    rows = [
        ("Code", "Item", "Total", "Basic"),
        ("201", "General", "631.16", "564.61"),
        ("208", "Social", "114.30", "114.30"),
        ("210", "Health", "47.33", ""),
    ]
    path = tmp_path / "unruled.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(72, 800, "Expenditure by function, table 03")
    for i, row in enumerate(rows):
        for x, cell in zip((72, 140, 300, 400), row, strict=True):
            pdf.drawString(x, 760 - 16 * i, cell)
    pdf.drawString(72, 680, "Note: figures in 10k yuan.")
    pdf.save()
    lines, _ = load_pdf_lines(path)
    assert [line.text for line in lines] == [
        "Expenditure by function, table 03",
        *("\t".join(row) for row in rows),
        "Note: figures in 10k yuan.",
    ]


def test_pdf_without_text_layer_raises_scanned(tmp_path):
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for i in range(30):  # grey bars where a scanner would have put lines of text
        pdf.setFillGray(0.3)
        pdf.rect(72, 760 - 18 * i, 400 - 7 * i, 9, stroke=0, fill=1)
    pdf.save()
    with pytest.raises(ScannedPDF, match="scan.pdf: PDF has no text layer: it looks scanned"):
        load_pdf_lines(path)


def test_password_protected_pdf_raises_encrypted(tmp_path):
    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt="secret")
    pdf.drawString(72, 760, "2024 final accounts")
    pdf.save()
    with pytest.raises(EncryptedPDF, match="locked.pdf: the PDF is password-protected"):
        load_pdf_lines(path)


def test_truncated_pdf_raises_unreadable(tmp_path):
    data = (FIXTURES / "002_6b8b447dd5f33aed.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableDocument, match="cut.pdf: the PDF is truncated or damaged"):
        load_pdf_lines(path)


def test_file_that_is_not_a_pdf_raises_unreadable(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text("收入支出决算总表", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="report.pdf: not a PDF"):
        load_pdf_lines(path)

"""Regenerate the PDF fixtures in tests/fixtures/pdf/ from the text corpus.

The fixtures stand in for the PDFs departments publish: ruled tables (grid
lines, header rows repeated when a table continues on the next page), a page
header, a footer with the page number and a diagonal light-grey watermark
"仅供内部审核". Each is rendered from a corpus text file, from its first line
up to 第四部分, so the PDF path and the text path can be compared figure by
figure.

Needs the Debian font `fonts-wqy-zenhei` (reportlab embeds a subset of it);
CI does not run this script because the generated PDFs are committed.

    .venv/bin/python scripts/make_pdf_fixtures.py
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

ROOT = Path(__file__).resolve().parent.parent
FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "WQYZenHei"
OUT_DIR = ROOT / "tests" / "fixtures" / "pdf"
PAGE = landscape(A4)
MARGIN = 50.0
WATERMARK = "仅供内部审核"
HEADING = re.compile(r"^(第.部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.])")
DECIMAL = re.compile(r"\d\s*\.\s*\d")


@dataclass(frozen=True)
class Source:
    """One corpus document to render, with its page decorations."""

    text_file: str
    header: str
    footer: str  # format string with {n}: the page number style differs by publisher


SOURCES = (
    Source("001_f4ec1982bbb312b3.txt", "枣庄市人民政府办公室2024年度部门决算", "- {n} -"),
    Source("002_6b8b447dd5f33aed.txt", "高平市人民政府办公室2024年度部门决算公开", "第 {n} 页"),
)


def corpus_lines(path: Path) -> list[str]:
    """The document up to (not including) the body heading 第四部分."""
    lines = path.read_text(encoding="utf-8").splitlines()
    ends = [i for i, line in enumerate(lines) if line.strip().startswith("第四部分")]
    return lines[: ends[-1]] if ends else lines


PAGE_BREAK = "<page break>"


def blocks(lines: list[str]) -> list[str | list[list[str]]]:
    """Group lines into paragraphs (str) and tables (rows of cells).

    A blank line between two runs of rows was a page break of the original
    PDF: runs with the same cell count are one table, rendered as one (and
    split again wherever it falls); runs with different ones are two tables
    with a page break between, as in the original.
    """
    out: list[str | list[list[str]]] = []
    table: list[list[str]] = []
    pending_blank = False
    for line in lines:
        if not line.strip():
            pending_blank = bool(table)
            continue
        if "\t" in line:
            cells = line.split("\t")
            if table and pending_blank and len(cells) != len(table[-1]):
                out += [table, PAGE_BREAK]
                table = []
            table.append(cells)
        else:
            if table:
                out.append(table)
                table = []
            out.append(line.strip())
        pending_blank = False
    if table:
        out.append(table)
    return out


def header_rows(rows: list[list[str]]) -> int:
    """Leading rows without a decimal figure: repeated when the table splits."""
    count = 0
    for cells in rows[:5]:
        if any(DECIMAL.search(cell) for cell in cells):
            break
        count += 1
    return count if count < len(rows) else 0


def ruled_table(rows: list[list[str]], width: float) -> Table:
    """A grid table whose columns fit their longest cell, shrunk to the frame."""
    n_cols = max(len(cells) for cells in rows)
    data = [cells + [""] * (n_cols - len(cells)) for cells in rows]
    size, pad = 7.5, 2.0

    def widths(at: float) -> list[float]:
        return [
            max(12.0, max(pdfmetrics.stringWidth(row[c], FONT, at) for row in data) + 2 * pad + 2)
            for c in range(n_cols)
        ]

    needed = sum(widths(size))
    if needed > width:
        size = max(4.0, size * width / needed)
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, size),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
    )
    return Table(
        data, colWidths=widths(size), repeatRows=header_rows(rows), style=style, hAlign="LEFT"
    )


def paragraph(text: str, body: ParagraphStyle, title: ParagraphStyle) -> Paragraph:
    """Narrative lines are indented two characters; headings and labels are not."""
    style = title if HEADING.match(text) or len(text) < 25 else body
    return Paragraph(escape(text), style)


def decorate(source: Source):
    """Page callback: header, footer with the page number, diagonal watermark."""

    def on_page(canvas, doc) -> None:
        width, height = PAGE
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(width / 2, height - 28, source.header)
        canvas.drawCentredString(width / 2, 22, source.footer.format(n=doc.page))
        canvas.setFillColorRGB(0.85, 0.85, 0.85)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(30)
        canvas.setFont(FONT, 60)
        canvas.drawCentredString(0, 0, WATERMARK)
        canvas.restoreState()

    return on_page


def render(source: Source, out: Path) -> None:
    """Write one fixture PDF; `invariant` makes the bytes reproducible."""
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, firstLineIndent=20)
    title = ParagraphStyle("title", parent=body, firstLineIndent=0)
    doc = SimpleDocTemplate(
        str(out),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        invariant=1,
        title=source.header,
    )
    story = []
    for block in blocks(corpus_lines(ROOT / "data" / source.text_file)):
        if block == PAGE_BREAK:
            story.append(PageBreak())
        elif isinstance(block, str):
            story.append(paragraph(block, body, title))
        else:
            story.append(ruled_table(block, doc.width))
    on_page = decorate(source)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    args.out.mkdir(parents=True, exist_ok=True)
    for source in SOURCES:
        target = args.out / source.text_file.replace(".txt", ".pdf")
        render(source, target)
        print(f"{target}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

"""Draw the small PDFs that pin layout quirks no shipped document shows.

    .venv/bin/python scripts/make_quirk_pdfs.py

Needs a CJK TrueType font (Debian's fonts-wqy-microhei or -zenhei); the PDFs
are committed, so the tests do not need it. Each is a ruled table as a
disclosure prints it:
- title_in_grid.pdf: the title in the grid's own first row, one merged cell;
- repeated_title.pdf: a table over two pages with its title printed again on
  the second ("（续）") above the continued rows.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "pdf" / "quirks"
FONTS = [
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
]
FONT = "CJK"
ROW = 20
WIDTHS = [70, 190, 90, 90, 90]  # 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出
HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
ROWS = [
    ["", "合计", "1,200.00", "800.00", "400.00"],
    ["201", "一般公共服务支出", "1,000.00", "700.00", "300.00"],
    ["2010301", "行政运行", "700.00", "700.00", ""],
    ["2010350", "事业运行", "300.00", "", "300.00"],
    ["208", "社会保障和就业支出", "120.00", "60.00", "60.00"],
    ["2080505", "机关事业单位基本养老保险缴费支出", "120.00", "60.00", "60.00"],
    ["221", "住房保障支出", "80.00", "40.00", "40.00"],
    ["2210201", "住房公积金", "80.00", "40.00", "40.00"],
]


def _grid(c: canvas.Canvas, top: float, rows: list[list[str]], title_row: str = "") -> None:
    x0, width = 50.0, sum(WIDTHS)
    y = top
    if title_row:
        c.rect(x0, y - ROW, width, ROW)
        c.drawCentredString(x0 + width / 2, y - ROW + 6, title_row)
        y -= ROW
    for cells in rows:
        x = x0
        for text, w in zip(cells, WIDTHS, strict=True):
            c.rect(x, y - ROW, w, ROW)
            c.drawString(x + 3, y - ROW + 6, text)
            x += w
        y -= ROW


def main() -> None:
    font = next((f for f in FONTS if f.is_file()), None)
    if font is None:
        raise SystemExit("install fonts-wqy-microhei (or -zenhei) to draw these PDFs")
    pdfmetrics.registerFont(TTFont(FONT, str(font), subfontIndex=0))
    OUT.mkdir(parents=True, exist_ok=True)
    _, height = A4

    c = canvas.Canvas(str(OUT / "title_in_grid.pdf"), pagesize=A4)
    c.setFont(FONT, 10)
    c.drawString(50, height - 60, "第二部分 某县某局2024年度部门决算表")
    _grid(c, height - 100, [HEADER, *ROWS], title_row="一般公共预算财政拨款支出决算表")
    c.showPage()
    c.save()

    c = canvas.Canvas(str(OUT / "repeated_title.pdf"), pagesize=A4)
    c.setFont(FONT, 12)
    c.drawString(200, height - 60, "一般公共预算财政拨款支出决算表")
    c.setFont(FONT, 10)
    c.drawString(50, height - 80, "单位：万元")
    _grid(c, height - 100, [HEADER, *ROWS[:4]])
    c.showPage()
    c.setFont(FONT, 12)
    c.drawString(200, height - 60, "一般公共预算财政拨款支出决算表（续）")
    c.setFont(FONT, 10)
    c.drawString(50, height - 80, "单位：万元")
    _grid(c, height - 100, [HEADER, *ROWS[4:]])
    c.showPage()
    c.save()
    print(f"wrote {OUT / 'title_in_grid.pdf'} and {OUT / 'repeated_title.pdf'}")


if __name__ == "__main__":
    main()

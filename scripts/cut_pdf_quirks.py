"""Cut the few-page PDFs the layout-quirk tests read, from the real disclosure.

    .venv/bin/python scripts/cut_pdf_quirks.py

Each quirk of a real template is pinned by a PDF of just the pages that show
it (tests/indexing/test_pdf_quirks.py), so a test needs no full index.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "上海市普陀区_财政局_2024.pdf"
OUT = ROOT / "tests" / "fixtures" / "pdf" / "quirks"
# file name -> 1-based pages of the source
CUTS = {
    "split_codes_over_pages.pdf": [8, 9],
    "groups_side_by_side.pdf": [16, 17],
    "multi_row_header.pdf": [18],
    "empty_with_note.pdf": [19],
    "income_expenditure_over_pages.pdf": [6, 7],
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    source = pdfium.PdfDocument(SOURCE)
    for name, pages in CUTS.items():
        cut = pdfium.PdfDocument.new()
        cut.import_pages(source, [p - 1 for p in pages])
        cut.save(OUT / name)
        print(f"{name}: pages {pages}")


if __name__ == "__main__":
    main()

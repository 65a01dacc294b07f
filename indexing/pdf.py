"""Read a published disclosure PDF into numbered lines, like the text corpus.

Body text comes out one paragraph per line and every table row as one line of
tab-separated cells (empty cells kept), so the section and table parsers read
a PDF exactly as they read the corpus text. Page furniture (running headers,
page numbers, diagonal or light-grey watermarks) is dropped; a table that
continues on the next page continues as more row lines, its repeated header
rows removed.

    lines, n_pages = load_pdf_lines(Path("决算.pdf"))
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from indexing.errors import EncryptedPDF, ScannedPDF, UnreadableDocument
from indexing.pdf_tables import page_tables, repeated_header
from indexing.pdf_text import (
    VisualLine,
    drop_page_furniture,
    is_watermark_char,
    join_paragraphs,
    layout,
    text_lines,
)
from indexing.records import Grid, Line

log = logging.getLogger(__name__)
TAIL_BYTES = 2048  # where %%EOF must appear; writers append at most a few bytes after it


def load_pdf_lines(path: Path) -> tuple[list[Line], int]:
    """(lines in reading order, page count) of a PDF with a text layer."""
    content = load_pdf(path)
    return content.lines, content.n_pages


def load_pdf(path: Path) -> PdfContent:
    """Lines, page count and table grids of a PDF with a text layer.

    Raises EncryptedPDF, ScannedPDF or UnreadableDocument with a message that
    names the file and says what to do.
    """
    _check_bytes(path)
    try:
        with pdfplumber.open(path) as pdf:
            n_pages = len(pdf.pages)
            pages, heights, n_chars, grids = _read_pages(pdf.pages)
    except PdfminerException as error:
        raise _translate(path, error.args[0] if error.args else error) from error
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise _translate(path, error) from error
    except (PSException, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise UnreadableDocument.of(
            "pdf_unreadable", path.name, error=f"{type(error).__name__}: {error}"
        ) from error
    if n_chars == 0:
        raise ScannedPDF.of("pdf_scanned", path.name)
    stream = _drop_repeated_headers(drop_page_furniture(pages, heights))
    numbered = [
        Line(no=i, text=v.text, page=v.page, grid=v.table, grid_row=v.row, spans=v.spans)
        for i, v in enumerate(join_paragraphs(stream), start=1)
    ]
    return PdfContent(numbered, n_pages, _number_rows(grids, numbered))


@dataclass(frozen=True, slots=True)
class PdfContent:
    """A PDF read once: its lines (like a text file's) and its tables as grids."""

    lines: list[Line]
    n_pages: int
    grids: list[Grid]


def _check_bytes(path: Path) -> None:
    """Refuse what is not a whole PDF before the parser guesses around it.

    pdfminer recovers silently from a cut file by scanning for objects, which
    would index half a document as if it were complete.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - TAIL_BYTES))
            tail = handle.read()
    except OSError as error:
        raise UnreadableDocument.of("pdf_cannot_open", path.name, error=str(error)) from error
    if b"%PDF-" not in head:
        raise UnreadableDocument.of("pdf_no_header", path.name)
    if b"%%EOF" not in tail:
        raise UnreadableDocument.of("pdf_truncated", path.name)


def _translate(path: Path, error: Any) -> Exception:
    if isinstance(error, PDFPasswordIncorrect | PDFEncryptionError):
        return EncryptedPDF.of("pdf_encrypted", path.name)
    return UnreadableDocument.of("pdf_unreadable", path.name, error=str(error))


def _read_pages(
    pages: Iterable[Any],
) -> tuple[list[list[VisualLine]], list[float], int, list[Grid]]:
    """Visual lines of every page, the page heights, the count of text chars, the grids."""
    out, heights, grids, n_chars = [], [], [], 0
    for page_no, page in enumerate(pages, start=1):
        clean = page.filter(lambda obj: not is_watermark_char(obj))
        n_chars += len(clean.chars)
        body = clean
        rows: list[VisualLine] = []
        for found in page_tables(clean, layout()["text_table"]):
            body = body.outside_bbox(found.bbox, strict=False)
            n = len(grids)
            x0, _, x1, _ = found.bbox
            rows += [
                VisualLine(page_no, r.text, r.top, r.bottom, x0, x1, n, i)
                for r, i in zip(found.rows, found.row_index, strict=True)
            ]
            grids.append(Grid(n, page_no, found.bbox, tuple(found.cells)))
        lines = text_lines(body, page_no) + rows
        out.append(sorted(lines, key=lambda v: (v.top, v.x0)))
        heights.append(float(page.height))
        page.flush_cache()
    return out, heights, n_chars, grids


def _number_rows(grids: list[Grid], lines: list[Line]) -> list[Grid]:
    """Each grid with the document line of each of its rows (None where dropped)."""
    where = {(ln.grid, ln.grid_row): ln.no for ln in lines if ln.grid is not None}
    return [
        replace(g, line_nos=tuple(where.get((g.index, i)) for i in range(len(g.rows))))
        for g in grids
    ]


def _drop_repeated_headers(pages: list[list[VisualLine]]) -> list[VisualLine]:
    """One stream of lines, without header rows repeated by continued tables.

    A table continues the previous one when nothing but page furniture lies
    between them: it opens its page right after the other closed the last.
    """
    stream: list[VisualLine] = []
    heads: dict[int, list[tuple[str, ...]]] = {}  # table -> header rows it starts with
    for lines in pages:
        first = lines[0].table if lines else None
        prev = stream[-1] if stream else None
        if first is not None and prev is not None and prev.table is not None:
            heads[first] = heads[prev.table]
            rows = [line for line in lines if line.table == first]
            repeated = repeated_header(heads[first], [_cells(line) for line in rows])
            drop = {id(line) for line in rows[:repeated]}
            lines = [line for line in lines if id(line) not in drop]
        for line in lines:
            if line.table is not None and line.table not in heads:
                own = [_cells(other) for other in lines if other.table == line.table]
                heads[line.table] = own[:5]
            stream.append(line)
    return stream


def _cells(line: VisualLine) -> tuple[str, ...]:
    return tuple(line.text.split("\t"))

"""Read a source file into numbered lines, whatever its format.

Text files and PDFs end up in the same shape (tab-separated table cells, a
page number for PDFs), so every later stage has one input to understand.
Watermark lines are dropped here for both paths; `is_watermark` is the one
test of what a watermark line is (the table and appendix readers use it too,
for lines handed to them directly).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from indexing.errors import UnreadableDocument
from indexing.records import Grid, Line

SUFFIXES = (".txt", ".md", ".pdf")
# Review stamps that PDF exports print on every page; they are not content.
WATERMARKS = frozenset({"仅供内部审核", "内部资料", "草稿", "样稿"})
_SPACE = re.compile(r"\s+")


def is_watermark(text: str) -> bool:
    """A line that is only a review stamp ("仅供内部审核", spaces anywhere)."""
    return _SPACE.sub("", text) in WATERMARKS


def file_sha256(path: Path) -> str:
    """Content hash: re-indexing an unchanged file is skipped on this."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_lines(path: Path) -> tuple[list[Line], int | None]:
    """(lines, page count) of a text or PDF file, watermarks removed."""
    source = load_source(path)
    return source.lines, source.n_pages


@dataclass(frozen=True, slots=True)
class Source:
    """A file as read: its lines, its page count (PDF) and its table grids (PDF).

    A text file is the degenerate case: lines only, its tables written as
    tab-separated rows.
    """

    lines: list[Line]
    n_pages: int | None
    grids: tuple[Grid, ...] = ()


def load_source(path: Path) -> Source:
    """The lines (watermarks removed), page count and grids of a text or PDF file."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise UnreadableDocument.of("empty_file", path.name)
    if suffix == ".pdf":
        from indexing.pdf import load_pdf

        pdf = load_pdf(path)
        lines, n_pages, grids = pdf.lines, pdf.n_pages, tuple(pdf.grids)
    elif suffix in (".txt", ".md"):
        lines, n_pages, grids = _text_lines(path), None, ()
    else:
        raise UnreadableDocument.of("unsupported_type", path.name, suffix=suffix or "(none)")
    return Source([line for line in lines if not is_watermark(line.text)], n_pages, grids)


def _text_lines(path: Path) -> list[Line]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableDocument.of("not_text", path.name)
    if "\x00" in text:
        raise UnreadableDocument.of("binary_text", path.name)
    return [Line(no=i, text=t.rstrip("\r")) for i, t in enumerate(text.split("\n"), start=1)]

"""Where quoted text sits on a PDF page, from the character positions of its lines.

A citation that names a page and a box lets a reader see the sentence where
the document prints it. PDF text lines keep each character's position
(`Line.spans`); these functions turn a run of characters, or a quote found in
a few lines, into one rectangle per printed line, and those into the one box
of a citation. Text files have no positions: every function returns nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from indexing.records import BBox, Figure, Line

PageBox = tuple[int, BBox]  # (page, box in PDF points)
_SPACE = re.compile(r"\s")


def span_boxes(line: Line, start: int, end: int) -> list[PageBox]:
    """One (page, box) per printed line holding characters `start`…`end` of `line.text`."""
    out = []
    for span in line.spans:
        a, b = max(start, span.start), min(end, span.start + len(span.x0s))
        if a >= b:
            continue
        i, j = a - span.start, b - span.start
        box = (min(span.x0s[i:j]), span.top, max(span.x1s[i:j]), span.bottom)
        out.append((span.page, box))
    return out


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Offsets of `quote` in `text`, ignoring whitespace the extraction added or dropped."""
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    kept = [i for i, ch in enumerate(text) if not _SPACE.match(ch)]
    squeezed = "".join(text[i] for i in kept)
    wanted = _SPACE.sub("", quote)
    at = squeezed.find(wanted) if wanted else -1
    if at < 0:
        return None
    return kept[at], kept[at + len(wanted) - 1] + 1


def quote_boxes(lines: Sequence[Line], quote: str) -> list[PageBox]:
    """Boxes of `quote` printed across consecutive `lines` (its first occurrence)."""
    if not any(line.spans for line in lines):
        return []
    starts, text = [], ""
    for line in lines:
        starts.append(len(text))
        text += line.text
    found = locate(text, quote)
    if found is None:
        return []
    out: list[PageBox] = []
    for line, offset in zip(lines, starts, strict=True):
        out += span_boxes(line, found[0] - offset, found[1] - offset)
    return out


def union(boxes: Iterable[PageBox], page: int | None = None) -> PageBox | None:
    """The box around every rectangle on `page` (default: the first page given)."""
    boxes = list(boxes)
    if not boxes:
        return None
    page = boxes[0][0] if page is None else page
    on_page = [b for p, b in boxes if p == page]
    if not on_page:
        return None
    return page, (
        min(b[0] for b in on_page),
        min(b[1] for b in on_page),
        max(b[2] for b in on_page),
        max(b[3] for b in on_page),
    )


def locate_figures(figures: Sequence[Figure], lines: Sequence[Line]) -> list[Figure]:
    """Figures read from PDF text, with their sentence's box and page.

    Table cells already carry their cell's box; a sentence's box is the
    union of its printed lines on the page it starts on.
    """
    by_no = {line.no: line for line in lines}
    out = []
    for figure in figures:
        loc = figure.locator
        if figure.bbox is None and figure.source != "table":
            block = [by_no[n] for n in range(loc.line_start, loc.line_end + 1) if n in by_no]
            boxes = quote_boxes(block, figure.quote)
            first = union(boxes, loc.page_start)
            if first is not None:
                page, box = first
                pages = (page, max(p for p, _ in boxes)) if loc.page_start is None else ()
                located = replace(loc, page_start=pages[0], page_end=pages[1]) if pages else loc
                figure = replace(figure, bbox=box, locator=located)
        out.append(figure)
    return out

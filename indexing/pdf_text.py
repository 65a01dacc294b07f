"""Body text of PDF pages: watermarks, running headers and page numbers out,
wrapped lines joined back into paragraphs.

The text corpus has one paragraph per line, so a narrative figure ("支出总计
1,864.57万元") is never cut by a line break; joining the PDF's visual lines
back into paragraphs keeps the narrative parsers working on PDFs unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import yaml
from pdfplumber.utils.text import DEFAULT_Y_TOLERANCE, chars_to_textmap, cluster_objects

from indexing.ordinals import ITEM, NUMERALS, PART
from indexing.records import TextSpan

LAYOUT_FILE = Path(__file__).with_name("pdf_layout.yaml")
# A line starting like this opens a new paragraph even if the previous one was full.
HEADING = re.compile(
    rf"^({PART}|{ITEM}|[（(][{NUMERALS}\d]+[)）]|\d{{1,2}}(?:[、．]|\.(?!\d))|注[:：]|公开\s*\d+\s*表)"
)
SENTENCE_END = re.compile(r"[。！？!?]$")
# Only Latin words are separated by a space at a line break; CJK and numbers
# wrapped mid-token ("增长1" / "0.56%") join without one.
ASCII_END = re.compile(r"[A-Za-z]$")
ASCII_START = re.compile(r"^[A-Za-z]")
TEXT_LINE = re.compile(r" *([^\n]+?) *(\n|$)")  # as pdfplumber's extract_text_lines


@lru_cache(maxsize=1)
def layout() -> dict[str, Any]:
    """The page-furniture rules (pdf_layout.yaml), read once."""
    return yaml.safe_load(LAYOUT_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class VisualLine:
    """A line as printed: text or one table row, with its page and box."""

    page: int
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    table: int | None = None  # index of the table a row belongs to; None for text
    row: int | None = None  # index of the row within that table
    spans: tuple[TextSpan, ...] = ()  # text: each character's position (joined lines: several)

    @property
    def is_row(self) -> bool:
        return self.table is not None


def _lightness(colour: Any) -> float:
    """0 = black … 1 = white, for gray, RGB or CMYK fills; 0 when unknown."""
    if not isinstance(colour, list | tuple) or not colour:
        return 0.0
    if not all(isinstance(c, int | float) for c in colour):
        return 0.0
    if len(colour) == 1:
        return float(colour[0])
    if len(colour) == 3:
        return float(min(colour))
    if len(colour) == 4:
        return 1.0 - float(max(colour))
    return 0.0


def is_watermark_char(obj: dict[str, Any]) -> bool:
    """Diagonal or light-grey characters: stamps like 仅供内部审核, not content.

    Text turned by a multiple of 90° (vertical labels in narrow cells) stays.
    """
    if obj.get("object_type") != "char":
        return False
    a, b = obj["matrix"][0], obj["matrix"][1]
    diagonal = abs(a) > 1e-3 and abs(b) > 1e-3
    return diagonal or _lightness(obj.get("non_stroking_color")) >= layout()["light_colour"]


def text_lines(page: Any, page_no: int) -> list[VisualLine]:
    """Visual text lines of a page (tables already removed from it).

    Characters are grouped into lines by how much they overlap vertically,
    not by a fixed distance between their tops: some publishers set digits a
    few points below the Chinese text around them, and a fixed `y_tolerance`
    puts "机关运行经费支出 万元" on one line and "184.65" on the next.
    pdfplumber's own text map then orders and spaces each line.
    """
    out = []
    for group in baseline_groups(page.chars):
        top = min(c["top"] for c in group)
        bottom = max(c["bottom"] for c in group)
        aligned = [{**c, "top": top, "bottom": bottom, "doctop": top} for c in group]
        textmap = chars_to_textmap(aligned)
        for match in TEXT_LINE.finditer(textmap.as_string):
            item = textmap.match_to_dict(match, main_group=1, return_chars=False)
            if item["text"].strip():
                edges = _edges(textmap.tuples[match.start(1) : match.end(1)])
                span = TextSpan(0, page_no, top, bottom, *edges)
                line = VisualLine(page_no, item["text"], top, bottom, item["x0"], item["x1"])
                out.append(replace(line, spans=(span,)))
    return out


def _edges(chars: Sequence[tuple[str, Any]]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Left and right edge of each character of a text-map line, in points.

    A space the text map inserted has no object: it spans the gap between
    its neighbours.
    """
    x0s = [round(obj["x0"], 1) if obj else None for _, obj in chars]
    x1s = [round(obj["x1"], 1) if obj else None for _, obj in chars]
    for i, obj in enumerate(c for _, c in chars):
        if obj is None:
            x0s[i] = x1s[i - 1] if i else None
    for i in reversed(range(len(chars))):
        if x1s[i] is None:
            x1s[i] = x0s[i + 1] if i + 1 < len(chars) else x0s[i]
        if x0s[i] is None:
            x0s[i] = x1s[i]
    return tuple(x0s), tuple(x1s)  # type: ignore[arg-type]


def baseline_groups(chars: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters in printed lines: clusters of tops, joined where they overlap.

    Two clusters belong to one line when their vertical extents overlap by at
    least half the smaller height (a lowered run of digits overlaps its own
    line by more than half and the next line by less).
    """
    clusters = cluster_objects(list(chars), itemgetter("top"), DEFAULT_Y_TOLERANCE)
    spans = [
        (min(c["top"] for c in cl), max(c["bottom"] for c in cl), cl)
        for cl in sorted(clusters, key=lambda cl: min(c["top"] for c in cl))
    ]
    lines: list[list[tuple[float, float, list[dict[str, Any]]]]] = []
    for span in spans:
        if lines and any(_overlap(span, other) for other in lines[-1]):
            lines[-1].append(span)
        else:
            lines.append([span])
    return [[c for _, _, cl in line for c in cl] for line in lines]


def _overlap(a: tuple[float, float, Any], b: tuple[float, float, Any]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def _digits_out(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _band_candidates(lines: Sequence[VisualLine], height: float) -> list[VisualLine]:
    """Up to two text lines at each end of the page that sit in the margin bands."""
    rules = layout()
    candidates = []
    for line in list(lines[:2]):
        if line.is_row or line.bottom > height * rules["header_band"]:
            break
        candidates.append(line)
    for line in reversed(list(lines[-2:])):
        if line.is_row or line.top < height * (1 - rules["footer_band"]):
            break
        candidates.append(line)
    return candidates


def drop_page_furniture(
    pages: Sequence[list[VisualLine]], heights: Sequence[float]
) -> list[list[VisualLine]]:
    """Remove page numbers and running headers/footers from each page's lines.

    A margin-band line goes if it is a page number, or if it recurs (digits
    ignored) on enough pages to be furniture rather than content.
    """
    rules = layout()
    numbers = [re.compile(p) for p in rules["page_number_patterns"]]
    bands = [_band_candidates(lines, h) for lines, h in zip(pages, heights, strict=True)]
    recurring = Counter(key for cands in bands for key in {_digits_out(c.text) for c in cands})
    threshold = max(2.0, rules["repeat_share"] * len(pages))
    out = []
    for lines, cands in zip(pages, bands, strict=True):
        drop = {
            id(c)
            for c in cands
            if any(p.match(c.text.strip()) for p in numbers)
            or recurring[_digits_out(c.text)] >= threshold
        }
        out.append([line for line in lines if id(line) not in drop])
    return out


def _edge(values: list[float], tolerance: float, pick_max: bool) -> float | None:
    """The margin most lines touch: the densest window of x positions.

    Wrapped lines of justified or CJK text all end at the right margin (and
    start at the left), so that position is the most common one.
    """
    if len(values) < 3:
        return None
    values = sorted(values)
    best, best_count, j = None, 0, 0
    for i, value in enumerate(values):
        while values[j] < value - tolerance:
            j += 1
        if i - j + 1 > best_count or (i - j + 1 == best_count and pick_max):
            best, best_count = value, i - j + 1
    return best if best_count >= 3 else None


def _width(text: str, size: float) -> float:
    """Rough printed width of the first word of `text`: did it fit on the line above?

    A line that stops short of the margin still wrapped if the next word was
    too long for the room left (ragged, unjustified text breaks at spaces).
    """
    word = text.split(" ", 1)[0]
    return sum(size if ord(ch) > 0x2E80 else 0.5 * size for ch in word)


def _continues(prev: VisualLine, line: VisualLine, left: float, right: float) -> bool:
    """Is `line` the wrapped continuation of `prev`'s paragraph?"""
    if prev.is_row or line.is_row or HEADING.match(line.text):
        return False
    if SENTENCE_END.search(prev.text):  # splitting there is harmless; joining a title is not
        return False
    size = max(prev.bottom - prev.top, 1.0)
    room = right - prev.x1
    if line.x0 > left + 0.5 * size or room > max(1.5 * size, _width(line.text, size)):
        return False
    if line.page == prev.page:
        return line.top - prev.bottom < 0.8 * size
    return line.page == prev.page + 1


def join_paragraphs(lines: Sequence[VisualLine]) -> list[VisualLine]:
    """Merge wrapped visual lines into one line per paragraph (page of its start)."""
    prose = [line for line in lines if not line.is_row]
    size = sorted(line.bottom - line.top for line in prose)[len(prose) // 2] if prose else 10.0
    right = _edge([line.x1 for line in prose], size, pick_max=True)
    left = _edge([line.x0 for line in prose], size / 2, pick_max=False)
    if right is None or left is None:
        return list(lines)
    out: list[VisualLine] = []
    tail: VisualLine | None = None  # the last visual line merged into out[-1]
    for line in lines:
        if tail is not None and _continues(tail, line, left, right):
            prev = out[-1]
            sep = " " if ASCII_END.search(prev.text) and ASCII_START.search(line.text) else ""
            shift = len(prev.text) + len(sep)
            spans = tuple(replace(s, start=s.start + shift) for s in line.spans)
            out[-1] = replace(prev, text=prev.text + sep + line.text, spans=prev.spans + spans)
        else:
            out.append(line)
        tail = line
    return out

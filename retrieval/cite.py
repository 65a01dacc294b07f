"""Numbered citations: each figure or sentence used gets one number, once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from indexing.boxes import PageBox, locate, union
from indexing.records import BBox, Check, Chunk, Document, Figure, Locator
from retrieval.records import Citation, FigureRef

if TYPE_CHECKING:
    from retrieval.stating import Stated


@dataclass(frozen=True, slots=True)
class Printed:
    """Where a cited source is printed in a PDF: its page, its box, one box per line."""

    page: int | None = None
    bbox: BBox | None = None
    boxes: tuple[BBox, ...] = ()
    figure_id: str = ""
    table_id: str = ""
    column: str = ""


def figure_printed(figure: Figure) -> Printed:
    """A figure's page and box (a table cell's, or its sentence's)."""
    box = _rounded(figure.bbox)
    return Printed(
        page=figure.locator.page_start,
        bbox=box,
        boxes=(box,) if box else (),
        figure_id=figure.figure_id,
        table_id=figure.table_id,
        column=figure.column,
    )


def _rounded(box: BBox | None) -> BBox | None:
    return None if box is None else (*(round(v, 2) for v in box),)  # type: ignore[return-value]


def passage_printed(chunk: Chunk, quote: str) -> Printed:
    """The page and box of `quote` in a passage, from the boxes kept with it (PDF only)."""
    table_id = chunk.table_id
    body = chunk.body
    found = locate(body, quote)
    printed = chunk.printed
    if found is None or not printed:
        return Printed(page=chunk.locator.page_start, table_id=table_id)
    lines: list[PageBox] = [(p, box) for s, e, p, box in printed if s < found[1] and e > found[0]]
    first = union(lines)
    if first is None:
        return Printed(page=chunk.locator.page_start, table_id=table_id)
    page, box = first
    boxes = tuple(b for p, b in lines if p == page)
    return Printed(page=page, bbox=box, boxes=boxes, table_id=table_id)


def figure_where(figure: Figure) -> str:
    """ "公开09表 财政拨款"三公"经费支出决算表 / 合计 / 决算数 / 公务接待费"."""
    if figure.source == "table":
        row = f"{figure.code} {figure.row}".strip()
        return f"公开{figure.table_id}表 {figure.table_title} / {row} / {figure.column}"
    return figure.section or "情况说明"


class Citations:
    """Collects sources in the order the answer cites them."""

    def __init__(
        self,
        documents: dict[str, Document],
        stating: Callable[[Figure], Stated | None] | None = None,
    ) -> None:
        self.documents = documents
        self.stating = stating  # a sentence printing a figure's value (retrieval.stating)
        self.items: list[Citation] = []
        self.figures: list[FigureRef] = []
        self._keys: dict[tuple, int] = {}

    def figure(self, figure: Figure, score: float = 1.0) -> int:
        n = self._add(
            figure.doc_id,
            figure_where(figure),
            figure.quote,
            figure.locator,
            score,
            figure.value,
            figure.unit,
            figure_printed(figure),
        )
        self.figures.append(
            FigureRef(
                doc_id=figure.doc_id,
                department=figure.department,
                metric=figure.metric,
                measure=figure.measure,
                value=figure.value,
                unit=figure.unit,
                where=figure_where(figure),
                citation=n,
            )
        )
        return n

    def supported(self, figures: Sequence[Figure]) -> str:
        """Cite "[1][2]": the first figure stating a value, and one other source that
        states it too (a table's row and the 情况说明's sentence, or two tables),
        so a reader can check the number where they would look for it. When no
        other figure states it, a sentence of the document that prints it does."""
        if not figures:
            return ""
        first = figures[0]
        other = min(
            (f for f in figures[1:] if f.source != first.source), key=_subject_last, default=None
        )
        if other is None:
            other = next((f for f in figures[1:] if f.table_id != first.table_id), None)
        if other is None:  # a project's indicator row and its report's sentence
            other = next((f for f in figures[1:] if f.column != first.column), None)
        refs = [self.figure(first)]
        if other is not None:
            refs.append(self.figure(other))
        elif self.stating and (stated := self.stating(first)):
            refs.append(self.passage(stated.chunk, stated.text, 1.0))
        return "".join(dict.fromkeys(f"[{n}]" for n in refs))

    def passage(self, chunk: Chunk, quote: str, score: float) -> int:
        where = chunk.section
        printed = passage_printed(chunk, quote)
        return self._add(chunk.doc_id, where, quote, chunk.locator, score, None, "", printed)

    def _add(
        self,
        doc_id: str,
        where: str,
        quote: str,
        locator: Locator,
        score: float,
        value: float | None,
        unit: str,
        printed: Printed,
    ) -> int:
        key = (doc_id, locator.line_start, quote, where, value)
        if key in self._keys:
            return self._keys[key]
        doc = self.documents.get(doc_id)
        n = len(self.items) + 1
        self.items.append(
            Citation(
                n=n,
                doc_id=doc_id,
                department=doc.department if doc else "",
                source=doc.source if doc else "",
                where=where,
                quote=quote,
                locator=locator.label(),
                page=printed.page,
                line_start=locator.line_start,
                line_end=locator.line_end,
                score=round(score, 4),
                value=value,
                unit=unit,
                bbox=printed.bbox,
                boxes=printed.boxes,
                figure_id=printed.figure_id,
                table_id=printed.table_id,
                column=printed.column,
            )
        )
        self._keys[key] = n
        return n


def check_citations(
    check: Check, figures: Sequence[Figure], document: Document
) -> tuple[Citation, ...]:
    """The figures a data check compares, as citations: the stated side first.

    A check keeps where its sides are printed and the two amounts; each side
    is the figure at its locator with its amount (a different figure for each
    side, so a row printing the total twice gives both of its cells). A
    total against its parts cites the total and each part in its column.
    """
    at_line: dict[int, list[Figure]] = {}
    for f in figures:
        at_line.setdefault(f.locator.line_start, []).append(f)
    locators = check.locators
    amounts = [v for v in (check.expected, check.actual) if v is not None]
    if not locators or not amounts:
        return ()
    chosen: list[Figure] = []
    if check.kind == "total_vs_parts" or len(locators) != 2:
        total = _figure_at(at_line, locators[0].line_start, amounts[:1], ())
        if total is not None:
            chosen.append(total)
            for loc in locators[1:]:
                part = next(
                    (f for f in at_line.get(loc.line_start, ()) if f.column == total.column), None
                )
                if part is not None:
                    chosen.append(part)
    else:
        for order in (amounts, amounts[::-1]):
            first = _figure_at(at_line, locators[0].line_start, order[:1], ())
            second = _figure_at(at_line, locators[1].line_start, order[-1:], (first,))
            if first is not None and second is not None:
                chosen = [first, second]
                break
    cites = Citations({document.doc_id: document})
    for f in chosen:
        cites.figure(f)
    return tuple(cites.items)


def _figure_at(
    at_line: dict[int, list[Figure]],
    line: int,
    values: Sequence[float],
    taken: Sequence[Figure | None],
) -> Figure | None:
    """A figure printed on `line` with one of `values`, not one already taken."""
    for value in values:
        for f in at_line.get(line, ()):
            if abs(f.value - value) <= 0.005 and f not in taken:
                return f
    return None


def _subject_last(figure: Figure) -> int:
    """How far into its sentence a figure's name stands: a sentence about it
    ("公务用车运行维护费支出1.86万元，完成全年预算的100%") before a list that
    mentions it in passing ("公用经费73.84万元，主要包括…公务用车运行维护费1.86万元")."""
    at = "".join(figure.quote.split()).replace("（", "(").replace("）", ")").find(figure.metric)
    return at if at >= 0 else len(figure.quote)

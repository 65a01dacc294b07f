"""Numbered citations: each figure or sentence used gets one number, once."""

from __future__ import annotations

from indexing.records import Chunk, Document, Figure, Locator
from retrieval.records import Citation, FigureRef


def figure_where(figure: Figure) -> str:
    """ "公开09表 财政拨款"三公"经费支出决算表 / 合计 / 决算数 / 公务接待费"."""
    if figure.source == "table":
        row = f"{figure.code} {figure.row}".strip()
        return f"公开{figure.table_id}表 {figure.table_title} / {row} / {figure.column}"
    return figure.section or "情况说明"


class Citations:
    """Collects sources in the order the answer cites them."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self.documents = documents
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

    def passage(self, chunk: Chunk, quote: str, score: float) -> int:
        where = str(chunk.metadata.get("section", ""))
        return self._add(chunk.doc_id, where, quote, chunk.locator, score, None, "")

    def _add(
        self,
        doc_id: str,
        where: str,
        quote: str,
        locator: Locator,
        score: float,
        value: float | None,
        unit: str,
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
                page=locator.page_start,
                line_start=locator.line_start,
                line_end=locator.line_end,
                score=round(score, 4),
                value=value,
                unit=unit,
            )
        )
        self._keys[key] = n
        return n

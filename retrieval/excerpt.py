"""What a reader opens to check a citation: the table around a cell, the text around a sentence.

A cited cell is only checkable with its headers and its row name; a cited
sentence with the section it stands in and what comes before and after. Both
are read back from the stored tables and passages, so the side panel shows
the source as the document prints it, not a line of extracted numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexing.boxes import locate
from indexing.records import Chunk, Table
from retrieval.records import Citation, ExcerptRow, PassageExcerpt, TableExcerpt

NEIGHBOURS = 2  # rows shown above and below the cited row
CONTEXT_CHARS = 80  # longest context shown either side of a quoted sentence
# How indexing/figures.py names a cell: …:t<table>:r<row index>:L<line>:c<column>
_CELL_ID = re.compile(r":t(?P<table>[^:]+):r(?P<row>\d+):L(?P<line>\d+):c(?P<column>\d+)$")
_SENTENCE = re.compile(r"[^。；;！？!?\n]*[。；;！？!?]?")


def table_excerpt(
    tables: Sequence[Table], citation: Citation, neighbours: int = NEIGHBOURS
) -> TableExcerpt | None:
    """The cited row of its table with its headers and neighbours; None if not from a table."""
    if not citation.table_id:
        return None
    table = next((t for t in tables if t.table_id == citation.table_id), None)
    if table is None or not table.rows:
        return None
    index, column = _cited_cell(table, citation)
    if index is None:
        return None
    first, last = max(0, index - neighbours), min(len(table.rows), index + neighbours + 1)
    rows = tuple(
        ExcerptRow(r.code, r.label, r.values, r.locator.line_start) for r in table.rows[first:last]
    )
    return TableExcerpt(
        doc_id=table.doc_id,
        table_id=table.table_id,
        title=table.title,
        unit=table.unit,
        columns=table.columns,
        rows=rows,
        cited_row=index - first,
        cited_column=column,
        rows_before=first,
        rows_after=len(table.rows) - last,
    )


def _cited_cell(table: Table, citation: Citation) -> tuple[int | None, int | None]:
    """(row index, column index) of the cited cell, or of the cited row (column None)."""
    match = _CELL_ID.search(citation.figure_id)
    if match and match["table"] == table.table_id:
        i, column = int(match["row"]), int(match["column"])
        if i < len(table.rows) and table.rows[i].locator.line_start == int(match["line"]):
            return i, column
    column = table.columns.index(citation.column) if citation.column in table.columns else None
    last = max(citation.line_end, citation.line_start)
    inside = [
        i for i, r in enumerate(table.rows) if citation.line_start <= r.locator.line_start <= last
    ]
    if citation.value is not None and column is not None:
        for i in inside:
            value = table.rows[i].values[column]
            if value is not None and abs(value - citation.value) < 0.005:
                return i, column
    by_text = [i for i in inside if table.rows[i].raw == citation.quote]
    found = by_text or inside
    return (found[0], column) if found else (None, None)


def passage_excerpt(chunks: Sequence[Chunk], citation: Citation) -> PassageExcerpt | None:
    """The quoted sentence with the text before and after it in its passage."""
    for chunk in chunks:
        loc = chunk.locator
        if (
            chunk.kind != "section"
            or chunk.doc_id != citation.doc_id
            or not loc.line_start <= citation.line_start <= loc.line_end
        ):
            continue
        body = chunk.body
        found = locate(body, citation.quote)
        if found is None:
            continue
        return PassageExcerpt(
            section=chunk.section or citation.where,
            before=_last_sentence(body[: found[0]]),
            quote=body[found[0] : found[1]],
            after=_first_sentence(body[found[1] :]),
        )
    return None


def _first_sentence(text: str) -> str:
    sentence = next((s for s in _SENTENCE.findall(text) if s.strip()), "").strip()
    return sentence if len(sentence) <= CONTEXT_CHARS else sentence[:CONTEXT_CHARS] + "…"


def _last_sentence(text: str) -> str:
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    sentence = sentences[-1].strip() if sentences else ""
    return sentence if len(sentence) <= CONTEXT_CHARS else "…" + sentence[-CONTEXT_CHARS:]

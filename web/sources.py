"""What the side panel shows for each citation: its excerpt, its page, its links.

Gathered here from the loaded engine (documents, tables, passages) and the
PDF pages, so `render.py` only turns these plain records into HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from config import Settings
from indexing.records import Check, Chunk, Document, Table
from indexing.sqlstore import FigureStore
from retrieval.cite import check_citations
from retrieval.engine import get_engine
from retrieval.excerpt import passage_excerpt, table_excerpt
from retrieval.records import Citation, PassageExcerpt, TableExcerpt
from web.pages import PageInfo, PageNotFound, page_info

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SourceView:
    """One citation as the reader opens it.

    `page` is set for a PDF citation whose page is known (the image is then
    at `image_url`); `file_url` downloads the original document.
    """

    citation: Citation
    table: TableExcerpt | None
    passage: PassageExcerpt | None
    page: PageInfo | None
    image_url: str
    file_url: str


@dataclass(frozen=True, slots=True)
class CheckView:
    """A data check with the sources of both its sides."""

    check: Check
    sides: tuple[SourceView, ...]


def file_url(doc_id: str) -> str:
    """Relative URL of a document's original file (the chat and /embed sit at the root)."""
    return f"api/documents/{quote(doc_id, safe='')}/file"


def image_url(doc_id: str, page: int) -> str:
    return f"api/documents/{quote(doc_id, safe='')}/pages/{page}.png"


def source_views(citations: Iterable[Citation], settings: Settings) -> list[SourceView]:
    """The side panel's view of each citation, in order."""
    engine = get_engine(settings)
    documents = {d.doc_id: d for d in engine.documents}
    chunks = engine.lexical.chunks
    store = engine.stores.figures
    return [
        _view(
            c,
            documents.get(c.doc_id),
            chunks,
            _tables(store, engine.generation, c.doc_id),
            settings,
        )
        for c in citations
    ]


def check_views(checks: Iterable[Check], doc_id: str, settings: Settings) -> list[CheckView]:
    """Each check of one document with both of its sides, as citations open them."""
    engine = get_engine(settings)
    document = engine.document(doc_id)
    if document is None:
        return [CheckView(c, ()) for c in checks]
    figures = engine.stores.figures.figures(doc_ids=[doc_id])
    tables = _tables(engine.stores.figures, engine.generation, doc_id)
    chunks = engine.lexical.chunks
    return [
        CheckView(
            check,
            tuple(
                _view(c, document, chunks, tables, settings)
                for c in check_citations(check, figures, document)
            ),
        )
        for check in checks
    ]


def _view(
    c: Citation,
    document: Document | None,
    chunks: Sequence[Chunk],
    tables: Sequence[Table],
    settings: Settings,
) -> SourceView:
    table = table_excerpt(tables, c)
    passage = None if table else passage_excerpt(chunks, c)
    page = None
    if document is not None and c.page is not None:
        try:
            page = page_info(settings, document, c.page)
        except PageNotFound as exc:
            log.warning("no page image for citation [%d]: %s", c.n, exc)
    return SourceView(
        citation=c,
        table=table,
        passage=passage,
        page=page,
        image_url=image_url(c.doc_id, c.page) if page else "",
        file_url=file_url(c.doc_id),
    )


@lru_cache(maxsize=64)
def _tables(store: FigureStore, generation: int, doc_id: str) -> tuple[Table, ...]:
    """A document's tables, read once per index generation."""
    return tuple(store.tables(doc_id))

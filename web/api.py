"""The JSON API: ask, documents, checks, pages, health.

A thin layer over `retrieval.ask`, the figure store and the page images
(`web.pages`). Inputs are limited before they reach `ask`: the body size by
`BodyLimit`, the question and history by `retrieval.validate` and the filters
by `Filters.from_json` (the same rules as the chat page's), with messages that
say what to change; the work by `web.limits` (a rate per client, a bounded
answer queue).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field, TypeAdapter, WithJsonSchema
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import Settings
from indexing.pipeline import open_stores, stored_report
from indexing.records import Document
from retrieval import ask as answer_question
from retrieval.cite import check_citations
from retrieval.records import Answer, Citation, FigureRef, Filters
from retrieval.validate import (
    QuestionError,
    check_history,
    check_question,
    printable,
)
from web.limits import client_address
from web.pages import PageNotFound, page_image, page_info, source_path
from web.sources import file_url, image_url

router = APIRouter(prefix="/api", tags=["api"])
MAX_BODY_BYTES = 64 * 1024


class Turn(BaseModel):
    """One earlier exchange, so a follow-up ("and in Gaoping?") has its context.

    Only the last `JUESUAN_MAX_HISTORY_TURNS` (10) turns are used."""

    q: str
    a: str


# The schema of `retrieval.records.Filters`; the body's object is read by
# `Filters.from_json` in the route, so that a malformed filter is refused with
# the message `ask` gives (unknown keys are refused, not dropped).
FILTERS_SCHEMA = TypeAdapter(Filters).json_schema() | {"additionalProperties": False}


class AskRequest(BaseModel):
    question: str
    history: list[Turn] | None = None
    filters: Annotated[dict[str, Any], WithJsonSchema(FILTERS_SCHEMA)] | None = None


class Bar(BaseModel):
    """One bar of a comparison chart."""

    department: str
    value: float


class AskResponse(BaseModel):
    """The answer, its numbered citations and the figures it uses."""

    answer: str = Field(description="The answer text; [n] refers to citation n.")
    language: str = Field(description="zh or en: the language of the answer.")
    citations: list[Citation] = Field(
        description="Numbered sources, enough to find and check each in the document. For a "
        "PDF, `page` is the page (1-based) and `bbox` the box of the cited table cell or "
        "sentence, [x0, top, x1, bottom] in PDF points from the page's top-left corner "
        "(pdfplumber's coordinates), `boxes` one box per printed line of it; "
        "GET /api/documents/{doc_id}/pages/{page}.png is the page as an image and "
        "GET /api/documents/{doc_id}/pages/{page} its size in points. `page` and `bbox` are "
        "null for text documents. A cited cell names its `table_id`, `column` and `figure_id`."
    )
    figures: list[FigureRef] = Field(description="The figures the answer states.")
    declined: bool = Field(description="True when the documents cannot answer the question.")
    intent: str
    chart: list[Bar] = Field(description="Departments compared, when the answer compares them.")


class PageOut(BaseModel):
    """One PDF page: its size in points (the unit of a citation's `bbox`) and its URLs."""

    doc_id: str
    page: int = Field(description="The page number, 1-based.")
    pages: int = Field(description="How many pages the document has.")
    width: float = Field(description="Page width in PDF points.")
    height: float = Field(description="Page height in PDF points.")
    image: str = Field(description="URL of the page as a PNG (relative to the server root).")
    download: str = Field(description="URL of the original file.")


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def answer_json(answer: Answer) -> dict[str, Any]:
    """The public answer: what a client needs to show and check it."""
    return {
        "answer": answer.text,
        "language": answer.language,
        "citations": [asdict(c) for c in answer.citations],
        "figures": [asdict(f) for f in answer.figures],
        "declined": answer.declined,
        "intent": answer.intent,
        "chart": [{"department": d, "value": v} for d, v in answer.chart],
    }


class Refused(BaseModel):
    """Why a request was refused."""

    detail: str


@router.post(
    "/ask",
    response_model=AskResponse,
    responses={
        429: {
            "model": Refused,
            "description": "Too many questions from this client, or the answer queue is "
            "full: try again after `Retry-After` seconds.",
        }
    },
)
async def ask(body: AskRequest, request: Request) -> dict[str, Any]:
    """Answer a question about the indexed disclosures, with numbered citations.

    Within a rate per client and a bounded queue (`web.limits`): over either,
    429 with `Retry-After`.
    """
    s = _settings(request)
    try:
        question = check_question(body.question, s)
        history = check_history([t.model_dump() for t in body.history or []], s)
        filters = None if body.filters is None else Filters.from_json(body.filters)
        async with request.app.state.limits.answer(client_address(request)):
            answer = await run_in_threadpool(
                answer_question, question, history=history, filters=filters, settings=s
            )
    except QuestionError as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    return answer_json(answer)


@router.get("/documents")
def documents(request: Request) -> list[dict[str, Any]]:
    """Every indexed document with its metadata and its extraction report.

    `extraction` says how much of the document was understood: the standard
    tables found (and empty), those not found, figures from tables, the
    narrative and appendices, checks passed and failed; `extraction_summary`
    says it in one line. `provenance` says who added it and when: `kind`
    shipped / uploaded / local, `added_by` (the indexer, the admin token and
    its door, never the token), `added_at` in UTC ("" when indexed before it was recorded).
    """
    store = open_stores(_settings(request)).figures
    out = []
    for d in store.documents():
        report = stored_report(store, d.doc_id)
        out.append(
            asdict(d) | {"extraction": asdict(report), "extraction_summary": report.summary()}
        )
    return out


def _document(request: Request, doc_id: str) -> Document:
    document = open_stores(_settings(request)).figures.document(doc_id)
    if document is None:
        raise HTTPException(404, f"no indexed document with id {doc_id!r}: see /api/documents")
    return document


@router.get("/documents/{doc_id}/checks")
def checks(doc_id: str, request: Request) -> list[dict[str, Any]]:
    """The data checks of one document (do the totals add up?), mismatches first.

    Each check lists in `sides` the figures it compares, as citations (with
    `page` and `bbox` for a PDF): the stated amount first, then the other side.
    """
    document = _document(request, doc_id)
    store = open_stores(_settings(request)).figures
    order = {"mismatch": 0, "unverified": 1, "passed": 2}
    found = sorted(store.checks(doc_id), key=lambda c: (order.get(c.status, 3), c.check_id))
    figures = store.figures(doc_ids=[doc_id])
    return [
        asdict(c) | {"sides": [asdict(s) for s in check_citations(c, figures, document)]}
        for c in found
    ]


@router.get(
    "/documents/{doc_id}/pages/{page}.png",
    response_class=FileResponse,
    responses={200: {"content": {"image/png": {}}, "description": "The page as a PNG."}},
)
def page_png(doc_id: str, page: int, request: Request) -> FileResponse:
    """One page of a PDF as an image (rendered on first request, then served from disk)."""
    document = _document(request, doc_id)
    try:
        path = page_image(_settings(request), document, page)
    except PageNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


@router.get("/documents/{doc_id}/pages/{page}", response_model=PageOut)
def page(doc_id: str, page: int, request: Request) -> dict[str, Any]:
    """The size of one PDF page in points, to place a citation's `bbox` over its image."""
    document = _document(request, doc_id)
    try:
        info = page_info(_settings(request), document, page)
    except PageNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return asdict(info) | {
        "doc_id": doc_id,
        "image": "/" + image_url(doc_id, page),
        "download": "/" + file_url(doc_id),
    }


@router.get("/documents/{doc_id}/file", response_class=FileResponse)
def original_file(doc_id: str, request: Request) -> FileResponse:
    """The original document as indexed (PDF or text), to read the source whole."""
    document = _document(request, doc_id)
    try:
        path = source_path(_settings(request), document)
    except PageNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return FileResponse(path, filename=document.source)


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Is the index loaded: documents, index generation, models in use.

    Served on the event loop, outside the answer queue and the thread pool, so
    it answers at once however many questions wait (two indexed SQL reads).
    """
    s = _settings(request)
    store = open_stores(s).figures
    return {
        "status": "ok",
        "documents": len(store.documents()),
        "generation": store.generation(),
        "model": s.embed_model,
        "llm": s.llm if s.llm == "off" else f"{s.llm}:{s.llm_model}",
    }


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422, but one that can always be written: the echoed input may hold
    a lone surrogate, which no UTF-8 response can carry (it would become a 500)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return JSONResponse(status_code=422, content={"detail": printable(jsonable_encoder(errors))})


class BodyLimit:
    """Refuse API request bodies over a size before anything reads them whole.

    Checks Content-Length first, then counts streamed bytes, so a 10 MB paste
    costs at most `limit` bytes of memory. Routes in `larger` (document
    uploads) have their own limit; gradio's own routes are left to gradio's
    `max_file_size`.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int = MAX_BODY_BYTES,
        prefix: str = "/api/",
        larger: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.prefix = prefix
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.limit)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._refuse(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                await self._refuse(send, limit)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, send: Send, limit: int) -> None:
        detail = (
            f"request body is over {limit // 1024} KB: send a shorter question"
            if limit < 1024 * 1024
            else f"upload is over {limit // (1024 * 1024)} MB: split or compress the document"
        )
        body = json.dumps({"detail": detail}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive() that hands the buffered body over once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay

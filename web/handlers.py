"""What the chat page does when a user acts: ask, browse documents, upload.

Kept apart from the layout (`ui.py`) so each step reads as a plain function
of its inputs: gradio passes values in and shows what comes back.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd
from fastapi.concurrency import run_in_threadpool

from config import Settings
from indexing.pipeline import open_stores, stored_report
from retrieval import ask as answer_question
from retrieval.records import Answer, Filters
from retrieval.validate import QuestionError, check_history, check_question
from web import render, render_source
from web.admin import AdminRefused, check_admin
from web.api import answer_json
from web.labels import labels
from web.limits import Busy, Limits
from web.sources import check_views, source_views
from web.uploads import BY_TOKEN, add_uploads, reindex, remove, results_markdown

log = logging.getLogger(__name__)


def lang_code(choice: str) -> str:
    """The language toggle shows "中文"/"English"; code works with zh/en."""
    return "en" if choice == "English" else "zh"


def chosen_filters(department: str, place: str, year: str) -> Filters:
    """The sidebar filters as `ask` takes them; blank means "all"."""
    return Filters.from_json({"department": department, "place": place, "year": year})


def question_error(exc: QuestionError, lab: dict[str, str]) -> gr.Error:
    """The page's words for what is wrong with the input (the API shows `str(exc)`)."""
    return gr.Error(lab.get(exc.reason, str(exc)).format(**exc.details))


def chart_frame(answer: Answer, lab: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(d, v) for d, v in answer.chart], columns=[lab["department"], lab["value"]]
    )


def chart_update(answer: Answer | None, lab: dict[str, str]) -> dict[str, Any]:
    """A bar chart when the answer compares departments, hidden otherwise."""
    if answer is None or not answer.chart:
        return gr.update(visible=False)
    return gr.update(
        value=chart_frame(answer, lab),
        x=lab["department"],
        y=lab["value"],
        label=lab["chart"],
        visible=True,
    )


def respond(
    question: str,
    messages: list[dict[str, str]],
    turns: list[dict[str, str]],
    department: str,
    place: str,
    year: str,
    choice: str,
    settings: Settings,
) -> tuple[Any, ...]:
    """One chat turn: ask, append both messages, show the sources and the chart."""
    lab = labels(lang_code(choice))
    try:
        text = check_question(question, settings)
        answer = answer_question(
            text,
            history=check_history(turns, settings),
            filters=chosen_filters(department, place, year),
            settings=settings,
        )
    except QuestionError as exc:
        raise question_error(exc, lab) from exc
    except Exception as exc:  # the edge: log the traceback, show a sentence
        log.exception("answering %r failed", question)
        raise gr.Error(lab["answer_failed"]) from exc
    turn = len(turns) + 1
    messages = [
        *messages,
        {"role": "user", "content": render.user_html(text)},
        {"role": "assistant", "content": render.answer_html(answer, turn, lab)},
    ]
    turns = [*turns, {"q": text, "a": answer.text}]
    sources = render_source.sources_html(source_views(answer.citations, settings), turn, lab)
    return "", messages, turns, answer, sources, chart_update(answer, lab)


async def respond_in_turn(
    limits: Limits,
    client: str,
    question: str,
    messages: list[dict[str, str]],
    turns: list[dict[str, str]],
    department: str,
    place: str,
    year: str,
    choice: str,
    settings: Settings,
) -> tuple[Any, ...]:
    """`respond`, once the client is within its rate and a worker is free (`web.limits`)."""
    try:
        async with limits.answer(client):
            return await run_in_threadpool(
                respond, question, messages, turns, department, place, year, choice, settings
            )
    except Busy as exc:
        raise busy_error(exc, labels(lang_code(choice))) from exc


def busy_error(exc: Busy, lab: dict[str, str]) -> gr.Error:
    """The page's words for a question refused for now: too many, or the server is full."""
    return gr.Error(lab[exc.reason].format(seconds=exc.retry_after))


def documents_frame(settings: Settings, lab: dict[str, str]) -> pd.DataFrame:
    """The indexed documents with their metadata, headed in the page's language."""
    rows = render.document_rows(open_stores(settings).figures.documents(), lab)
    return pd.DataFrame(rows, columns=[lab[f"col_{c}"] for c in render.DOCUMENT_COLUMNS])


def document_detail(doc_id: str, choice: str, settings: Settings) -> tuple[pd.DataFrame, str]:
    """Tables and data checks of one document, mismatches first, each with its two sources."""
    lab = labels(lang_code(choice))
    store = open_stores(settings).figures
    columns = [lab["col_table"], lab["col_title"], lab["col_unit"], lab["col_rows"]]
    if not doc_id or store.document(doc_id) is None:
        return pd.DataFrame([], columns=columns), ""
    tables = pd.DataFrame(render.table_rows(store.tables(doc_id)), columns=columns)
    views = check_views(store.checks(doc_id), doc_id, settings)
    report = stored_report(store, doc_id)
    understood = f'<p class="extraction">{html.escape(report.summary())}</p>'
    return tables, understood + render_source.checks_html(views, lab)


def filter_choices(settings: Settings, lab: dict[str, str]) -> tuple[list, list, list, list]:
    """Choices for the department, place, year and document pickers, from the index."""
    docs = open_stores(settings).figures.documents()
    anything = [(lab["any"], "")]
    departments = anything + [(d, d) for d in sorted({d.department for d in docs})]
    places = anything + [(p, p) for p in sorted({d.place for d in docs if d.place})]
    years = anything + [(str(y), str(y)) for y in sorted({d.year for d in docs if d.year})]
    documents = [(f"{d.department} ({d.source})", d.doc_id) for d in docs]
    return departments, places, years, documents


def refresh(choice: str, current: str | None, settings: Settings) -> tuple[Any, ...]:
    """Documents table and picker choices as the index is now (page load, after upload).

    The document picker keeps its choice, or shows the first document so the
    documents tab opens on a document's tables and checks.
    """
    lab = labels(lang_code(choice))
    departments, places, years, documents = filter_choices(settings, lab)
    ids = [doc_id for _label, doc_id in documents]
    chosen = current if current in ids else (ids[0] if ids else None)
    return (
        documents_frame(settings, lab),
        gr.update(choices=departments),
        gr.update(choices=places),
        gr.update(choices=years),
        gr.update(choices=documents, value=chosen),
    )


def _check_admin(token: str | None, settings: Settings, lab: dict[str, str]) -> None:
    try:
        check_admin(settings, token)
    except AdminRefused as exc:
        raise gr.Error(lab[exc.reason]) from exc


def upload(
    files: list[str] | None,
    token: str,
    choice: str,
    settings: Settings,
    progress: gr.Progress,
) -> str:
    """Index uploaded files and say, per file, what happened and why (admin token needed)."""
    lab = labels(lang_code(choice))
    _check_admin(token, settings, lab)
    if not files:
        return lab["not_supported"]

    def report(name: str, done: int, total: int) -> None:
        progress((done, total), desc=name)

    paths = [Path(f) for f in files]
    results = add_uploads(paths, settings, lab, report, added_by=f"{BY_TOKEN} (page)")
    return results_markdown(results, lab, lang_code(choice))


def remove_document(doc_id: str, token: str, choice: str, settings: Settings) -> str:
    """Drop the chosen document from the index (admin token needed)."""
    lab = labels(lang_code(choice))
    _check_admin(token, settings, lab)
    found = bool(doc_id) and remove(doc_id, settings)
    return lab["removed" if found else "not_indexed"].format(doc_id=doc_id or "–")


def reindex_all(token: str, choice: str, settings: Settings) -> str:
    """Index the corpus folder and the uploads again (admin token needed)."""
    lab = labels(lang_code(choice))
    _check_admin(token, settings, lab)
    report = reindex(settings)
    counts = {"indexed": len(report.indexed), "unchanged": len(report.unchanged)}
    return lab["reindexed"].format(**counts, failed=len(report.failed))


def api_ask(question: str, settings: Settings) -> dict[str, Any]:
    """The gradio-client endpoint: same answer as POST /api/ask."""
    try:
        return answer_json(answer_question(check_question(question, settings), settings=settings))
    except QuestionError as exc:
        raise gr.Error(str(exc)) from exc


async def api_ask_in_turn(
    limits: Limits, client: str, question: str, settings: Settings
) -> dict[str, Any]:
    """`api_ask` within the client's rate and the answer queue, as POST /api/ask."""
    try:
        async with limits.answer(client):
            return await run_in_threadpool(api_ask, question, settings)
    except Busy as exc:
        raise gr.Error(str(exc)) from exc


def client_of(request: gr.Request | None) -> str:
    """The asking client's address, as `web.limits.client_address` reads it for the API."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "unknown"

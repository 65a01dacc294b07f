"""Put every gold question to the assistant, the way a user would.

The harness calls the same `retrieval.ask` as the web app, with the
conversation history of follow-up questions, against the index of data_dir
(built first if missing), so the figures describe what users get.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from time import perf_counter
from typing import Any

from config import Settings
from eval.gold import GoldItem
from eval.score import QuestionScore, score_answer, score_error
from retrieval.records import Answer, Filters, Turn

log = logging.getLogger(__name__)

Ask = Callable[..., Answer]


def prepare(settings: Settings) -> Ask:
    """Build the index if it is missing and return `retrieval.ask`."""
    from indexing.pipeline import ensure_index
    from retrieval import ask

    ensure_index(settings)
    return ask


def history_of(item: GoldItem) -> list[Turn]:
    """Earlier turns as `ask` takes them: the gold file's Turn records."""
    return list(item.history)


def corpus_filter(items: list[GoldItem]) -> Filters | None:
    """The documents a gold file was written for, as a filter on its questions.

    "各家" and "五个单位加起来" mean the departments of the gold file's corpus;
    the index may hold more (the real PDF next to the five seeds), and a
    question's expected sum must not change because another file was added.
    """
    from indexing.metadata import doc_id_for

    names = sorted({doc for item in items for doc in item.docs})
    return Filters(doc_ids=tuple(doc_id_for(name) for name in names)) if names else None


def ask_one(ask: Ask, item: GoldItem, k: int, filters: Filters | None = None) -> QuestionScore:
    """One question, timed and scored.

    An exception is recorded as that question's failure (with its message in
    the report) rather than stopping the run: one bad question should not
    hide the other ninety-nine results.
    """
    start = perf_counter()
    try:
        answer = ask(item.question, history=history_of(item), filters=filters)
    except Exception as exc:  # noqa: BLE001 - reported per question, see docstring
        latency = (perf_counter() - start) * 1000
        log.exception("question %s raised", item.id)
        return score_error(item, exc, latency)
    latency = (perf_counter() - start) * 1000
    return score_answer(item, answer, latency, k)


def run_ours(items: list[GoldItem], ask: Ask, k: int, progress: bool = True) -> list[QuestionScore]:
    """Every gold question through `ask`, in gold order."""
    from tqdm import tqdm

    scopes = {
        name: corpus_filter([i for i in items if i.gold_set == name])
        for name in dict.fromkeys(i.gold_set for i in items)
    }
    return [
        ask_one(ask, item, k, scopes[item.gold_set])
        for item in tqdm(items, desc="ours", unit="q", disable=not progress)
    ]


def run_meta(settings: Settings, gold: str, k: int) -> dict[str, Any]:
    """What the figures were measured on, for results.json."""
    return {
        "gold": gold,
        "k": k,
        "data_dir": str(settings.data_dir),
        "embed_model": settings.embed_model,
        "llm": settings.llm,
        "top_k": settings.top_k,
    }

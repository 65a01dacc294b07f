"""What a user sends, checked once, before anything else reads it.

The JSON API, the chat page and `ask` itself take questions, history and
filters through these functions, so the rules (and their limits) are the same
everywhere. Text may carry a lone UTF-16 surrogate (`"\\udc80"` is valid JSON
but no valid UTF-8: the encoder and every JSON writer fail on it), which is
refused; control characters are invisible and break logs and terminals, so
they become spaces. A problem raises `QuestionError`, whose message says what
to change, whose `status` is the HTTP status for the API and whose `reason`
and `details` name the page's label for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from config import Settings
from retrieval.records import Turn

MAX_ANSWER_CHARS = 20000  # one earlier answer in the history
FILTER_KEYS = ("doc_ids", "place", "department", "year")
MAX_FILTER_IDS = 100

_SURROGATE = re.compile(r"[\ud800-\udfff]")
# C0 controls except tab and newline, DEL, C1 controls, and the non-characters U+FFFE/U+FFFF.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


class QuestionError(ValueError):
    """The request cannot be taken as it is (empty, too long, invalid text or filters)."""

    def __init__(self, message: str, reason: str, status: int = 422, **details: Any) -> None:
        super().__init__(message)
        self.reason = reason  # a key of web/labels.yaml
        self.status = status
        self.details = details  # the values that label is formatted with


def clean_text(text: Any, what: str = "question") -> str:
    """`text` with control characters as spaces; QuestionError for a non-string or a surrogate."""
    if not isinstance(text, str):
        raise QuestionError(f"{what} must be text", "invalid_text", what=what)
    bad = _SURROGATE.search(text)
    if bad:
        raise QuestionError(
            f"{what} holds an invalid character (a lone UTF-16 surrogate, "
            f"U+{ord(bad.group()):04X}, at position {bad.start()}): send valid Unicode text",
            "invalid_text",
            what=what,
        )
    return _CONTROL.sub(" ", text)


def printable(value: Any) -> Any:
    """`value` (str, list or dict of them) with surrogates as U+FFFD, safe to write as UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list | tuple):
        return [printable(v) for v in value]
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    return value


def check_question(question: Any, settings: Settings) -> str:
    """The question cleaned and stripped, or QuestionError saying what is wrong with it."""
    text = clean_text("" if question is None else question).strip()
    if not text:
        raise QuestionError(
            "question is empty: ask about a department's 决算, e.g. 公务接待费是多少？",
            "empty_question",
        )
    if len(text) > settings.max_question_chars:
        raise QuestionError(
            f"question has {len(text)} characters; the limit is "
            f"{settings.max_question_chars}: shorten it",
            "too_long",
            status=413,
            n=len(text),
            limit=settings.max_question_chars,
        )
    return text


def check_history(
    history: Sequence[Mapping[str, Any] | Turn] | None, settings: Settings
) -> list[Turn]:
    """The last `settings.max_history_turns` earlier turns ({"q", "a"} or Turn) as
    Turn records, cleaned and within limits."""
    turns: list[Turn] = []
    kept = list(history or [])[-settings.max_history_turns :] if settings.max_history_turns else []
    for number, turn in enumerate(kept, start=1):
        if isinstance(turn, Turn):
            turn = {"q": turn.q, "a": turn.a}
        if not isinstance(turn, Mapping):
            raise QuestionError(
                f"history turn {number} must be an object {{q, a}}", "invalid_history"
            )
        q = clean_text(turn.get("q") or "", f"history turn {number} 'q'")
        a = clean_text(turn.get("a") or "", f"history turn {number} 'a'")
        for part, text, limit in (
            ("q", q, settings.max_question_chars),
            ("a", a, MAX_ANSWER_CHARS),
        ):
            if len(text) > limit:
                raise QuestionError(
                    f"history turn {number} '{part}' has {len(text)} characters; "
                    f"the limit is {limit}",
                    "history_too_long",
                    status=413,
                    limit=limit,
                )
        turns.append(Turn(q, a))
    return turns


def check_filters(filters: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Only the filters that are set, cleaned; QuestionError for an unknown or malformed one."""
    if not filters:
        return None
    chosen: dict[str, Any] = {}
    for key, value in filters.items():
        if key not in FILTER_KEYS:
            raise QuestionError(
                f"unknown filter {key!r}: use {', '.join(FILTER_KEYS)}", "invalid_filter"
            )
        if value in (None, "", [], ()):
            continue
        if key == "year":
            chosen[key] = _year(value)
        elif key == "doc_ids":
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise QuestionError("filter 'doc_ids' must be a list of ids", "invalid_filter")
            if len(value) > MAX_FILTER_IDS:
                raise QuestionError(
                    f"filter 'doc_ids' has {len(value)} ids; the limit is {MAX_FILTER_IDS}",
                    "invalid_filter",
                )
            chosen[key] = [clean_text(v, "filter 'doc_ids'").strip() for v in value]
        else:
            chosen[key] = clean_text(value, f"filter {key!r}").strip()
    return {k: v for k, v in chosen.items() if v not in ("", [])} or None


def _year(value: Any) -> int:
    text = clean_text(str(value), "filter 'year'").strip()
    if not re.fullmatch(r"\d{4}", text) or isinstance(value, bool):
        raise QuestionError(
            f"filter 'year' must be a year such as 2024, not {text[:20]!r}", "invalid_filter"
        )
    return int(text)

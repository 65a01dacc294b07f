"""What a user sends, checked once, before anything else reads it.

The JSON API, the chat page and `ask` itself take questions and history
through these functions; filters are read by `Filters.from_json`
(`retrieval.records`), which uses them. So the rules (and their limits) are
the same everywhere. Text may carry a lone UTF-16 surrogate (`"\\udc80"` is
valid JSON but no valid UTF-8: the encoder and every JSON writer fail on it), which is
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
MAX_FILTER_IDS = 100  # a filter's doc_ids

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

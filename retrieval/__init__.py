"""Question in, cited `Answer` out: `from retrieval import ask`."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # Imported lazily so that `retrieval.records` stays cheap for the app and eval.
    if name in ("ask", "QuestionError"):
        import importlib

        module = "retrieval.answer" if name == "ask" else "retrieval.validate"
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    raise AttributeError(name)

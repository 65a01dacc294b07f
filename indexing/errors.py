"""Errors a user can act on: why a file could not be indexed.

They are raised deep in the loaders and caught at the edge (CLI, API, upload)
where the message is shown as it is. Their words are data, in every language
the page speaks (`errors.yaml`, one entry per reason): `IndexingError.of`
makes the English message the CLI and the API show, and `say` the same in
another language for the page, from the reason and its details.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Self

import yaml

MESSAGES_FILE = Path(__file__).with_name("errors.yaml")


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """Every reason with its message per language ({name} and the details in braces)."""
    with MESSAGES_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def describe(reason: str, lang: str, name: str, **details: Any) -> str:
    """The message of `reason` in `lang` (English when that language lacks it)."""
    words = messages()[reason]
    return words.get(lang, words["en"]).format(name=name, **details)


class IndexingError(Exception):
    """A file could not be indexed; the message says why and what to do.

    `reason` (a key of errors.yaml) and `details` let the page say it in its
    language; an error made from a plain message has no reason and is shown as is.
    """

    def __init__(self, message: str, reason: str = "", name: str = "", **details: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.name = name
        self.details = details

    @classmethod
    def of(cls, reason: str, name: str, **details: Any) -> Self:
        """The error for `reason` about file `name`, its message in English."""
        return cls(describe(reason, "en", name, **details), reason, name, **details)

    def say(self, lang: str, name: str | None = None) -> str:
        """The message in `lang`, naming the file `name` (default: the one it was raised for)."""
        if not self.reason:
            return str(self)
        return describe(self.reason, lang, self.name if name is None else name, **self.details)


class UnreadableDocument(IndexingError):
    """Broken, truncated or of a format we do not read."""


class ScannedPDF(IndexingError):
    """A PDF without a text layer."""


class EncryptedPDF(IndexingError):
    """A password-protected PDF."""


class NotADisclosure(IndexingError):
    """Readable, but not a final-account disclosure (no 公开NN表, no 决算, nothing to answer from)."""


class TooLarge(IndexingError):
    """Over the configured upload size."""


class OverLimit(IndexingError):
    """Over a limit on parsing an upload (pages, characters, memory, CPU time); the message names it."""

"""The page's words in Chinese and English, read from labels.yaml.

Kept as data so a translator can edit the wording without touching code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LABELS_FILE = Path(__file__).with_name("labels.yaml")
LANGUAGES = ("zh", "en")


@lru_cache(maxsize=1)
def _all() -> dict:
    with LABELS_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def examples() -> list[str]:
    """Example questions for the chat page, Chinese and English mixed."""
    return list(_all().get("examples", []))


def labels(lang: str = "zh") -> dict[str, str]:
    """Labels for one language; unknown languages fall back to Chinese."""
    table = _all()
    return table.get(lang, table["zh"])

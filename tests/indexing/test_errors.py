"""Every reason an indexing error gives has its words in every language the page speaks."""

from __future__ import annotations

import re

from config import ROOT
from indexing.errors import messages
from web.labels import LANGUAGES

RAISED = re.compile(r"\.of\(\s*\"(\w+)\"")


def test_every_reason_raised_in_the_code_is_in_errors_yaml():
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "indexing").glob("*.py")]
    raised = {reason for text in sources for reason in RAISED.findall(text)}
    assert len(raised) >= 20
    assert sorted(raised - messages().keys()) == []
    assert sorted(messages().keys() - raised) == []


def test_every_reason_has_every_language_with_the_same_fields():
    for reason, words in messages().items():
        assert sorted(words) == sorted(LANGUAGES), reason
        fields = {lang: set(re.findall(r"\{(\w+)\}", text)) for lang, text in words.items()}
        assert fields["zh"] == fields["en"] and "name" in fields["en"], reason

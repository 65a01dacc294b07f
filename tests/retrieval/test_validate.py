"""One rule for history, the same on the page, in the API and in `ask`."""

from __future__ import annotations

from dataclasses import replace

from config import Settings
from retrieval.records import Turn
from retrieval.validate import check_history


def turns(n: int) -> list[dict[str, str]]:
    return [{"q": f"问题{i}", "a": f"回答{i}"} for i in range(1, n + 1)]


def test_history_keeps_the_last_ten_turns_by_default():
    kept = check_history(turns(25), Settings())
    assert [t.q for t in kept] == [f"问题{i}" for i in range(16, 26)]
    assert kept[0] == Turn("问题16", "回答16")


def test_history_limit_is_the_setting():
    settings = replace(Settings(), max_history_turns=3)
    assert [t.q for t in check_history(turns(5), settings)] == ["问题3", "问题4", "问题5"]
    assert check_history(turns(5), replace(Settings(), max_history_turns=0)) == []

"""The chat page in a real headless Chromium: ask, see 32.73, open the citation."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from config import Settings
from scripts.screenshot import CHROMIUM, QUESTION, ask_in_browser, running_app

pytestmark = pytest.mark.browser


def require_browser() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install -y chromium")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("playwright not installed: pip install playwright")


def test_english_question_shows_32_73_and_its_citation_opens_with_the_figure_marked(
    app_settings: Settings, tmp_path: Path
):
    require_browser()
    shot = tmp_path / "screenshot.png"
    with running_app(app_settings) as url:
        run = ask_in_browser(url, QUESTION, shot)
    assert "32.73" in run.answer
    assert run.citation_open
    assert "枣庄市人民政府办公室" in run.source_text
    assert "001_f4ec1982bbb312b3.txt" in run.source_text
    assert [m.replace(" ", "") for m in run.marked][:1] == ["32.73"]
    assert shot.stat().st_size > 10_000

"""The pages in a real headless Chromium (Debian's /usr/bin/chromium via playwright).

One app server for the module; each test opens its own page.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from config import Settings
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, QUESTION, ask_in_browser, running_app

pytestmark = pytest.mark.browser
ANSWER_TIMEOUT_MS = 120_000
ADMIN_TOKEN = "browser-test-token"  # uploads are off without one
DEPARTMENTS = (
    "冠县人民政府办公室",
    "枣庄市人民政府办公室",
    "高平市人民政府办公室",
    "阳城县政务服务中心",
    "阳谷县人民政府办公室（汇总）",
)


@pytest.fixture(scope="module")
def url(app_settings: Settings) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install -y chromium")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("playwright not installed: pip install playwright")
    with running_app(replace(app_settings, admin_token=ADMIN_TOKEN)) as base:
        yield base


@pytest.fixture
def page(url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        yield page
        browser.close()


def ask_on_page(page, url: str, question: str) -> None:
    from playwright.sync_api import expect

    page.goto(url, wait_until="domcontentloaded")
    box = page.locator("#question textarea")
    expect(box).to_be_visible(timeout=60_000)
    box.fill(question)
    box.press("Enter")
    expect(page.locator("#chatbot .answer")).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)


def test_english_question_shows_32_73_and_its_citation_opens_with_the_figure_marked(
    url: str, tmp_path: Path
):
    shot = tmp_path / "screenshot.png"
    run = ask_in_browser(url, QUESTION, shot)
    assert "32.73" in run.answer
    assert run.citation_open
    assert "枣庄市人民政府办公室" in run.source_text
    assert "001_f4ec1982bbb312b3.txt" in run.source_text
    assert [m.replace(" ", "") for m in run.marked][:1] == ["32.73"]
    assert shot.stat().st_size > 10_000


def test_script_in_a_question_is_shown_as_text_and_never_runs(page, url: str):
    question = "<script>alert(1)</script><img src=x onerror=alert(2)> 公务接待费"
    ask_on_page(page, url, question)
    assert "<script>alert(1)</script>" in page.locator("#chatbot").inner_text()
    assert page.locator("#chatbot img[src=x]").count() == 0
    assert page.dialogs == []


def test_comparison_question_draws_a_bar_chart(page, url: str):
    from playwright.sync_api import expect

    ask_on_page(page, url, "冠县、枣庄、高平这三个政府办公室中，2024年哪个“三公”经费最多？")
    expect(page.locator("#chart")).to_be_visible(timeout=10_000)
    assert "72.82" in page.locator("#chatbot .answer").inner_text()


def test_documents_tab_lists_five_documents_and_the_first_ones_checks(page, url: str):
    from playwright.sync_api import expect

    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("tab", name="文档 Documents").click()
    table = page.locator("#documents")
    for department in DEPARTMENTS:
        expect(table).to_contain_text(department, timeout=30_000)
    expect(page.locator("#checks table.checks")).to_be_visible(timeout=30_000)


def test_embed_page_answers_and_opens_a_citation(page, url: str):
    from playwright.sync_api import expect

    page.goto(url + "embed", wait_until="domcontentloaded")
    page.locator("#question").fill(QUESTION)
    page.locator("#question").press("Enter")
    answer = page.locator(".msg.bot")
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert "32.73" in answer.inner_text()
    answer.locator("a.cite").first.click()
    expect(answer.locator("details.citation").first).to_have_attribute("open", "")
    assert answer.locator("details.citation mark").first.inner_text().replace(" ", "") == "32.73"


def test_gradio_client_ask_endpoint_returns_the_api_answer(url: str):
    from gradio_client import Client

    result = Client(url, verbose=False).predict(question=QUESTION, api_name="/ask")
    assert "32.73" in result["answer"]
    assert result["citations"][0]["doc_id"] == "001_f4ec1982bbb312b3"


def test_upload_of_a_text_that_is_not_a_disclosure_says_why_on_the_page(
    page, url: str, tmp_path: Path
):
    from playwright.sync_api import expect

    note = tmp_path / "shopping-list.txt"
    note.write_text("苹果 3 个\n牛奶 2 瓶\n", encoding="utf-8")
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("tab", name="上传 Upload").click()
    page.locator("#admin-token input").fill(ADMIN_TOKEN)
    page.locator("input[type=file]").set_input_files(str(note))
    expect(page.locator("#upload-result")).to_be_attached()
    page.get_by_role("button", name="加入索引").click()
    result = page.locator("#upload-result")
    expect(result).to_contain_text("shopping-list.txt", timeout=60_000)
    expect(result).to_contain_text("无法加入")
    expect(result).to_contain_text("is this a final-account disclosure?")

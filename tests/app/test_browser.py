"""The pages in a real headless Chromium (Debian's /usr/bin/chromium via playwright).

One app server for the module; each test opens its own page. The tests that
open a source save a picture of it to docs/ (shown in the README), so the
pictures stay true to the page.
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
DOCS = Path(__file__).resolve().parents[2] / "docs"
PUTUO = "上海市普陀区财政局"
TOTAL = "普陀区财政局2024年本年支出合计是多少？"
ADMIN = "普陀区财政局2024年行政运行支出是多少？"
# Where pdfplumber prints "2,940.05" (公开03表, page 10) and "本年支出合计" (page 21)
# in the real PDF, in points: the marks must cover them.
TOTAL_CELL_TEXT = (389.2, 222.8, 431.2, 234.8)
TOTAL_SENTENCE_TEXT = (96.0, 336.3, 168.0, 348.3)
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


def open_source(page, url: str, question: str, selector: str):
    """Ask, then click the [n] in the answer whose side-panel source matches `selector`."""
    from playwright.sync_api import expect

    ask_on_page(page, url, question)
    source = page.locator(f"#sources details.source:has({selector})").first
    n = source.get_attribute("data-cite")
    page.locator(f'#chatbot .answer a.cite[href$="-{n}"]').first.click()
    expect(source).to_have_attribute("open", "")
    wait_for_image(page, source)
    return source


def wait_for_image(page, scope) -> None:
    image = scope.locator("img.page-image").first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=30_000
    )


def mark_in_points(scope) -> tuple[float, float, float, float]:
    """The drawn mark's box read back from the screen, in PDF points of the page image."""
    width = float(scope.locator(".page-view").first.get_attribute("data-width"))
    image = scope.locator("img.page-image").first.bounding_box()
    mark = scope.locator(".page-mark").first.bounding_box()
    scale = image["width"] / width
    x0, top = (mark["x"] - image["x"]) / scale, (mark["y"] - image["y"]) / scale
    return x0, top, x0 + mark["width"] / scale, top + mark["height"] / scale


def covers(outer: tuple[float, ...], inner: tuple[float, ...]) -> bool:
    """Does the mark hold the printed text: all of its width and its middle line?

    A glyph's box reaches below the cell's rule where the font's descent is
    deep, so only the text's vertical centre must lie inside the cell.
    """
    middle = (inner[1] + inner[3]) / 2
    return (
        outer[0] <= inner[0] + 0.5 and outer[2] >= inner[2] - 0.5 and outer[1] < middle < outer[3]
    )


def in_view(scope) -> bool:
    """Is the mark inside the visible part of its scrolled page frame?"""
    frame = scope.locator(".page-frame").first.bounding_box()
    mark = scope.locator(".page-mark").first.bounding_box()
    return (
        frame["x"] <= mark["x"]
        and mark["x"] + mark["width"] <= frame["x"] + frame["width"]
        and frame["y"] <= mark["y"]
        and mark["y"] + mark["height"] <= frame["y"] + frame["height"]
    )


def test_pdf_cell_citation_shows_page_10_with_the_mark_on_the_cell(page, url: str):
    source = open_source(page, url, TOTAL, '.excerpt-table[data-table="03"]')
    assert "第 10 页，共 25 页" in source.locator(".page-meta").inner_text()
    drawn = mark_in_points(source)
    stated = tuple(
        float(v) for v in source.locator(".page-mark").get_attribute("data-bbox").split(",")
    )
    assert all(abs(a - b) < 1.0 for a, b in zip(drawn, stated, strict=True))
    assert covers(drawn, TOTAL_CELL_TEXT)
    assert drawn[2] - drawn[0] < 100 and drawn[3] - drawn[1] < 40  # the cell, not its row
    assert in_view(source)
    natural = source.locator("img.page-image").evaluate("img => img.naturalWidth")
    assert natural == 1684  # 842 points at two pixels per point
    assert source.locator("a.download").get_attribute("href").endswith("/file")
    page.screenshot(path=str(DOCS / "source-pdf-cell.png"), full_page=True)


def test_table_citation_shows_the_column_headers_and_the_row_of_the_cited_cell(page, url: str):
    source = open_source(page, url, ADMIN, '.excerpt-table[data-table="05"]')
    table = source.locator("table.excerpt")
    assert (
        source.locator(".excerpt-title")
        .inner_text()
        .startswith("公开05表 一般公共预算财政拨款支出决算表")
    )
    assert "万元" in source.locator(".excerpt-title").inner_text()
    assert table.locator("th.cited-col").all_inner_texts() == ["本年支出", "小计"]
    assert {"基本支出", "项目支出"} <= set(table.locator("thead th").all_inner_texts())
    row = table.locator("tr.cited-row td").all_inner_texts()
    assert row[:2] == ["2010601", "行政运行"]
    assert table.locator("tr.cited-row mark").inner_text() == "1,511.89"
    assert table.locator("tbody tr:not(.more)").count() == 5  # two rows either side
    assert covers(mark_in_points(source), (387.8, 261.0, 429.8, 273.0))  # "1,511.89", p. 15
    source.screenshot(path=str(DOCS / "source-table.png"))


def test_narrative_citation_shows_the_sentence_in_its_section_and_its_box_on_page_21(
    page, url: str
):
    source = open_source(page, url, TOTAL, ".excerpt-passage")
    assert source.locator(".section-path").inner_text().endswith("三、支出决算情况说明")
    assert source.locator(".cited-sentence").inner_text().startswith("本年支出合计2940.05万元")
    assert "第 21 页" in source.locator(".page-meta").inner_text()
    assert covers(mark_in_points(source), TOTAL_SENTENCE_TEXT)
    source.screenshot(path=str(DOCS / "source-sentence.png"))


def test_a_data_check_shows_its_two_sources_side_by_side_each_marked(page, url: str):
    from playwright.sync_api import expect

    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("tab", name="文档 Documents").click()
    picker = page.locator("#document-picker input")
    expect(picker).to_be_visible(timeout=30_000)
    picker.click()
    page.get_by_role("option", name=PUTUO, exact=False).first.click()
    row = page.locator("#checks tr.check-mismatch", has_text="公开01表与公开03表一致").first
    expect(row).to_be_visible(timeout=30_000)
    detail = row.locator("xpath=following-sibling::tr[1]").locator("details.check-detail")
    detail.locator(":scope > summary").click()
    sides = detail.locator(".check-side")
    expect(sides).to_have_count(2)
    assert [m.replace(" ", "") for m in detail.locator("td.cited-cell mark").all_inner_texts()] == [
        "326.71",
        "326.72",
    ]
    for k in range(2):
        wait_for_image(page, sides.nth(k))
        assert sides.nth(k).locator(".page-mark").count() == 1
    assert covers(mark_in_points(sides.nth(0)), (506.2, 418.9, 536.5, 429.9))  # p. 6
    assert covers(mark_in_points(sides.nth(1)), (398.2, 406.3, 431.2, 418.3))  # p. 10
    detail.screenshot(path=str(DOCS / "check-sides.png"))


def test_english_question_shows_32_73_and_its_citation_opens_with_the_figure_marked(url: str):
    shot = DOCS / "screenshot.png"
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


def test_embed_citation_of_a_pdf_cell_shows_its_page_with_the_mark_on_the_cell(page, url: str):
    from playwright.sync_api import expect

    page.goto(url + "embed", wait_until="domcontentloaded")
    page.locator("#question").fill(TOTAL)
    page.locator("#question").press("Enter")
    answer = page.locator(".msg.bot")
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    cited = answer.locator("details.citation", has_text="公开03表").first
    n = cited.get_attribute("id").rsplit("-", 1)[1]
    answer.locator(f'a.cite[href$="-{n}"]').first.click()
    expect(cited).to_have_attribute("open", "")
    expect(cited.locator(".page-mark")).to_have_count(1, timeout=30_000)
    wait_for_image(page, cited)
    assert covers(mark_in_points(cited), TOTAL_CELL_TEXT)
    assert cited.locator("a.download").get_attribute("href").endswith("/file")
    page.screenshot(path=str(DOCS / "embed-source.png"), full_page=True)


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
    expect(result).to_contain_text("没有找到决算表格或标题，这是部门决算公开文件吗？")
    expect(result).not_to_contain_text("final-account")


# The framing site is public and the app on loopback: Chromium's local-network
# checks would refuse both frames whatever the app says; only its headers are tested.
LOCAL_NETWORK_CHECKS_OFF = (
    "--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,"
    "PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks"
)


def test_another_site_may_frame_embed_but_not_the_full_page(url: str):
    """The configured site's frame of /embed loads; its frame of / is refused by the browser."""
    from playwright.sync_api import expect, sync_playwright

    site = "https://news.example.org/"  # JUESUAN_ALLOWED_ORIGINS of these tests
    frames = f'<iframe id="embed" src="{url}embed"></iframe><iframe id="full" src="{url}"></iframe>'
    with sync_playwright() as p:
        args = [*CHROMIUM_ARGS, LOCAL_NETWORK_CHECKS_OFF]
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        said: list[str] = []
        page.on("console", lambda message: said.append(message.text))
        page.route(site, lambda route: route.fulfill(body=frames, content_type="text/html"))
        page.goto(site, wait_until="load")
        expect(page.frame_locator("#embed").locator("#question")).to_be_visible(timeout=30_000)
        full = page.locator("#full").element_handle().content_frame()
        assert full.url.startswith("chrome-error://"), full.url
        assert f"Framing '{url}' violates" in " ".join(said)
        assert "frame-ancestors 'none'" in " ".join(said)
        browser.close()


def test_opening_each_tab_keeps_one_header_per_tab(page, url: str):
    """Opening the Documents (or Upload) tab used to draw a second header for it."""
    from playwright.sync_api import expect

    page.goto(url, wait_until="domcontentloaded")
    tabs = page.get_by_role("tab")
    expect(tabs.first).to_be_visible(timeout=60_000)
    headers = ["问答 Ask", "文档 Documents", "上传 Upload"]
    assert tabs.all_inner_texts() == headers
    for name in ("文档 Documents", "上传 Upload", "问答 Ask", "文档 Documents"):
        page.get_by_role("tab", name=name).click()
        expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
        page.wait_for_timeout(500)  # the tab's contents mount after the click
        assert tabs.all_inner_texts() == headers

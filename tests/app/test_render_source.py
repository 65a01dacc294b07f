"""HTML of the side panel's sources and of the data checks (web/render_source.py)."""

from __future__ import annotations

from config import Settings
from retrieval.records import Citation
from web import render_source
from web.labels import labels
from web.pages import PageInfo
from web.sources import SourceView, check_views

LAB = labels("zh")
PUTUO = "上海市普陀区_财政局_2024-pdf"


def test_header_rows_merge_a_shared_parent_over_its_columns():
    rows = render_source.header_rows(["合计", "本年支出 / 基本支出", "本年支出 / 项目支出"])
    assert rows == [
        [("合计", 1, 2, (0,)), ("本年支出", 2, 1, (1, 2))],
        [("基本支出", 1, 1, (1,)), ("项目支出", 1, 1, (2,))],
    ]


def test_page_mark_is_placed_in_percent_of_the_page_size():
    c = Citation(
        n=1,
        doc_id=PUTUO,
        department="上海市普陀区财政局",
        source="上海市普陀区_财政局_2024.pdf",
        where="公开03表",
        quote="2,940.05",
        locator="p. 10, line 117",
        page=10,
        line_start=117,
        line_end=117,
        score=1.0,
        value=2940.05,
        bbox=(421.0, 59.5, 463.1, 119.0),
    )
    view = SourceView(c, None, None, PageInfo(10, 25, 842.0, 595.0), "p.png", "f")
    html = render_source.page_html(view, LAB)
    assert 'style="left:50.000%;top:10.000%;width:5.000%;height:10.000%"' in html
    assert 'data-bbox="421,59.5,463.1,119"' in html
    assert "第 10 页，共 25 页" in html


def test_page_html_is_empty_for_a_text_document():
    c = Citation(1, "d", "", "a.txt", "", "q", "line 3", None, 3, 3, 1.0)
    assert render_source.page_html(SourceView(c, None, None, None, "", "f"), LAB) == ""


def test_a_table_vs_table_check_opens_on_both_cells_marked(app_settings: Settings):
    from indexing.pipeline import open_stores

    checks = [
        c
        for c in open_stores(app_settings).figures.checks(PUTUO)
        if c.description == "社会保障和就业支出：公开01表与公开03表一致"
    ]
    html = render_source.checks_html(check_views(checks, PUTUO, app_settings), LAB)
    assert html.count('<div class="check-side">') == 2
    assert "<mark>326.71</mark>" in html and "<mark>326.72</mark>" in html
    assert html.count('class="page-mark"') == 2
    assert "pages/6.png" in html and "pages/10.png" in html

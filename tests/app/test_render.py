"""HTML of answers, citations and checks: escaped, linked, highlighted."""

from __future__ import annotations

from pathlib import Path

from retrieval.records import Answer, Citation
from web import render
from web.labels import examples, labels

DATA = Path(__file__).resolve().parents[2] / "data"
ZAOZHUANG = DATA / "001_f4ec1982bbb312b3.txt"
LAB = labels("zh")


def corpus_line(path: Path, contains: str) -> tuple[int, str]:
    """The first line of a corpus file containing `contains`, with its number."""
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if contains in line:
            return no, line
    raise AssertionError(f"{contains!r} not in {path.name}")


def citation(quote: str, value: float | None, n: int = 1, line: int = 491) -> Citation:
    return Citation(
        n=n,
        doc_id="001_f4ec1982bbb312b3",
        department="枣庄市人民政府办公室",
        source=ZAOZHUANG.name,
        where="第三部分 > 三公经费 > 公务接待费",
        quote=quote,
        locator=f"line {line}",
        page=None,
        line_start=line,
        line_end=line,
        score=1.0,
        value=value,
        unit="万元",
    )


def test_highlight_marks_both_printings_of_the_figure_in_a_corpus_sentence():
    _, line = corpus_line(ZAOZHUANG, "公务接待费全年预算为")
    html = render.highlight(line, 32.73)
    assert html.count("<mark>32.73</mark>") == 2
    assert "<mark>100</mark>" not in html


def test_highlight_marks_a_number_split_by_a_stray_space_in_a_table_row():
    _, row = corpus_line(ZAOZHUANG, "32. 73\t72. 82")
    html = render.highlight(row, 32.73)
    assert html.count("<mark>32. 73</mark>") == 2
    assert "<mark>72. 82</mark>" not in html


def test_highlight_without_a_value_only_escapes():
    assert render.highlight("a < b & 32.73", None) == "a &lt; b &amp; 32.73"


def test_citation_quote_with_img_onerror_is_escaped():
    html = render.citation_html(citation('<img src=x onerror="alert(1)"> 32.73', 32.73), 1, LAB)
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<mark>32.73</mark>" in html


def test_citation_in_a_message_shows_its_label_document_and_line():
    no, line = corpus_line(ZAOZHUANG, "公务接待费全年预算为")
    html = render.citation_html(citation(line, 32.73, n=2, line=no), 3, LAB)
    assert 'id="msg-3-2"' in html
    assert "001_f4ec1982bbb312b3.txt" in html
    assert "枣庄市人民政府办公室" in html
    assert "第三部分 &gt; 三公经费 &gt; 公务接待费" in html
    assert "line 491" in html


def test_answer_markers_become_links_only_for_known_citations():
    html = render.answer_text_html("公务接待费32.73万元[1]，另见[7]。", [1], turn=4)
    assert '<a class="cite" href="#msg-4-1">[1]</a>' in html
    assert "[7]" in html and "#msg-4-7" not in html


def test_question_with_script_tag_is_shown_as_text():
    html = render.user_html("<script>alert(1)</script> 公务接待费")
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; 公务接待费"


def test_answer_html_escapes_answer_text_and_lists_citations():
    answer = Answer(
        text="<b>x</b> 32.73万元[1]",
        language="zh",
        citations=(citation("公务接待费 32.73 万元", 32.73),),
    )
    html = render.answer_html(answer, 1, LAB)
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert html.count('<details class="citation"') == 1


def test_answer_html_puts_the_answer_first_and_the_notes_after_it():
    answer = Answer(text="32.73万元[1]。\n注意：另一口径 2.73万元[2]。", language="zh")
    html = render.answer_html(answer, 1, LAB)
    assert '<div class="lead">32.73万元[1]。</div>' in html
    assert '<div class="notes">注意：另一口径 2.73万元[2]。</div>' in html


def test_labels_have_the_same_keys_in_chinese_and_english():
    assert set(labels("zh")) == set(labels("en"))


def test_examples_include_the_zaozhuang_reception_question_in_english():
    assert "how much was 公务接待费 in Zaozhuang" in examples()

"""A figure read from one table row is cited with a sentence that states it.

The reader checks a number where the document says it in words: the project's
own page, the 情况说明's paragraph about the fund. Each test asks on the real
documents and looks for the sentence among the citations (an amount in 元
found printed in 万元: tests/retrieval/test_project_totals.py).
"""

from __future__ import annotations

from config import Settings
from retrieval import ask


def _quotes(answer) -> list[str]:
    return [c.quote for c in answer.citations]


def test_a_project_figure_is_cited_with_its_pages_sentence(built_index: Settings):
    # 高平 prints 177,868 元 in the project's budget table and "全年执行数 177868 元" on its page
    answer = ask(
        "高平市政府办“外出考察学习及相关费用”项目2024年平均每人次外出花了多少元？",
        settings=built_index,
    )
    assert "5,928.93" in answer.text
    assert any("全年执行数 177868 元" in q for q in _quotes(answer))


def test_the_sentence_under_the_funds_heading_is_preferred(built_index: Settings):
    # 冠县 mentions 794.48万元 in passing under 一般公共预算 and states it under 政府性基金
    answer = ask(
        "冠县和枣庄两家政府办2024年政府性基金预算财政拨款支出加起来是多少？",
        settings=built_index,
    )
    assert "818.69" in answer.text
    quotes = _quotes(answer)
    assert any("本年支出 794.48 万元" in q for q in quotes)
    assert any("本年支出 24.21 万元" in q for q in quotes)
    assert not any(q.startswith("本年安排了政府性基金") for q in quotes)


def test_a_paragraph_naming_the_project_states_its_rate(built_index: Settings):
    # 阳谷's 情况说明 opens each project's paragraph with its name; the rate follows
    # two sentences later. A scoring rule's range ("100-80%") states no rate.
    answer = ask("阳谷县政府办县级预算项目中，哪些项目的执行率低于90%？", settings=built_index)
    quotes = _quotes(answer)
    assert any("执行数为112.5万元,完成预算的80.36%" in q for q in quotes)
    assert not any("分值区间" in q for q in quotes)

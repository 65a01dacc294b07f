"""Derived measures: computed from two cited figures, with the formula, reproducible.

Each test asks a question whose answer the documents do not state and checks
the number, then redoes the arithmetic from the cited figures' own values.
"""

from __future__ import annotations

import pytest

from config import Settings
from retrieval import ask
from retrieval.records import Answer, Derivation


def _redo(d: Derivation) -> float:
    a, b = d.operands
    if d.kind in ("share", "rate"):
        return round(a / b * 100, 2)
    if d.kind == "difference":
        return round(a - b, 2)
    return round(a * (10000 if d.formula.endswith("× 10000") else 1) / b, 2)


def _check_reproducible(answer: Answer) -> None:
    """Every derived number equals its formula on the values its citations carry."""
    assert answer.derived
    by_n = {c.n: c for c in answer.citations}
    for d in answer.derived:
        assert _redo(d) == d.value
        for n, operand in zip(d.inputs, d.operands, strict=True):
            assert by_n[n].value == operand  # the cited figure states the input
        assert f"{d.value:g}".rstrip("0") in answer.text.replace(",", "")


@pytest.mark.parametrize(
    ("question", "kind", "value"),
    [
        ("冠县政府办2024年一般公共预算财政拨款基本支出里，人员经费占了百分之几？", "share", 94.68),
        ("枣庄市政府办2024年公务接待费在“三公”经费决算中占多大比重？", "share", 44.95),
        ("普陀区财政局住房保障支出中，购房补贴占了多少比例？", "share", 58.0),
        ("普陀区财政局“行政运行”科目2024年完成了年初预算的百分之几？", "rate", 96.91),
        ("高平市政府办城乡社区支出的决算比年初预算少了多少万元？", "difference", 2188.79),
        ("枣庄市政府办2024年国内公务接待，平均每接待一人次花了多少元？", "per_unit", 366.52),
        # a staff count stated in 机构设置 ("全额在编21人") divides an account
        ("阳城县政务服务中心2024年人员经费按全额在编人数平均，每人多少万元？", "per_unit", 12.09),
        # a share of two counts the 机构设置 states ("核定编制47名", "全额在编21人")
        ("阳城县政务服务中心在编人数占核定编制的比例是多少？", "share", 44.68),
        # "share of its initial budget" asks a completion rate, not a share of another amount
        (
            "What share of its initial budget for 行政单位医疗 did the Putuo finance bureau spend?",
            "rate",
            97.91,
        ),
        # a quantity only a project indicator states (供暖面积 5164.19m²)
        ("阳谷县政府取暖费项目按供暖面积折算，每平方米取暖费是多少元？", "per_unit", 25.0),
        # a project's amount over its own indicator in the unit asked (线路开通数量 128条,
        # 外出考察人次 30, 办公人员数量 86人), its name written out, in English or shortened
        ("阳谷县电子政务外网村级延伸项目平均每条线路执行了多少元？", "per_unit", 1432.03),
        (
            "What did Gaoping's 外出考察学习及相关费用 project cost per trip, in yuan?",
            "per_unit",
            5928.93,
        ),
        ("冠县“机关综合业务补助”项目人均花了多少万元？", "per_unit", 2.36),
        # each amount is stated as a share of a third (采购总额); the share of one in
        # the other is computed, in Chinese and with the whole named first in English
        ("枣庄市政府办授予中小企业的合同金额中，小微企业占了多少比例？", "share", 33.4),
        (
            "What share of the Zaozhuang office's contracts awarded to small and medium-sized"
            " enterprises went to micro and small enterprises?",
            "share",
            33.4,
        ),
        # English "share of A in B" names the part first; "share of B went to A" the whole
        (
            "What share of personnel expenses in basic expenditure did Guanxian report?",
            "share",
            94.68,
        ),
        # a count the project's report states only in prose ("大厅全年审批数量250000件")
        (
            "阳城县政务服务中心政务大厅运行费项目2024年的执行数平均到全年审批的每件事项上，每件多少元？",
            "per_unit",
            1.22,
        ),
        (
            "What share of the Gaoping government office's 2024 three public expenses went on overseas travel?",
            "share",
            80.13,
        ),
    ],
)
def test_derived_measure_is_computed_from_cited_figures(
    built_index: Settings, question: str, kind: str, value: float
) -> None:
    answer = ask(question, settings=built_index)
    assert [(d.kind, d.value) for d in answer.derived] == [(kind, value)]
    _check_reproducible(answer)


def test_ranking_on_a_share_ranks_the_share_not_the_amount(built_index: Settings) -> None:
    answer = ask(
        "冠县、枣庄、高平、阳城、阳谷这五个单位里，公用经费占一般公共预算财政拨款基本支出比重最高的是哪一家？",
        settings=built_index,
    )
    values = [d.value for d in answer.derived]
    assert len(values) == 5 and values == sorted(values, reverse=True)
    assert answer.derived[0].value == 8.49 and "高平" in answer.text.splitlines()[-1]
    _check_reproducible(answer)


def test_a_share_the_document_states_is_answered_with_its_words(built_index: Settings) -> None:
    answer = ask(
        "冠县政府办2024年基本支出和项目支出各占支出合计的比例是多少？", settings=built_index
    )
    assert not answer.derived
    assert "48.16" in answer.text and "51.84" in answer.text


def test_an_english_share_names_the_whole_first(built_index: Settings) -> None:
    answer = ask(
        "What share of Putuo finance bureau's project expenditure went to 财政委托业务支出?",
        settings=built_index,
    )
    assert [(d.kind, d.value) for d in answer.derived] == [("share", 74.53)]
    _check_reproducible(answer)


def test_an_initial_budget_stated_only_as_the_change_against_it_is_derived(
    built_index: Settings,
) -> None:
    answer = ask("冠县政府办2024年机关运行经费的年初预算是多少？", settings=built_index)
    assert "年初预算数约为 76.06 万元" in answer.text and "57.39 − (-18.67) = 76.06" in answer.text
    actual, change = (c.value for c in answer.citations[:2])
    assert round(actual - change, 2) == 76.06  # the inputs the citations carry
    changed = ask("冠县政府办2024年机关运行经费比上年增加还是减少了？", settings=built_index)
    assert "比上年增减额为 -18.67" not in changed.text  # that change is against the budget


def test_a_rate_for_each_metric_named(built_index: Settings) -> None:
    answer = ask(
        "For Yanggu's office, what were the budget and actual figures for 行政单位医疗 and for "
        "住房公积金 in 2024, and what completion rate did each reach?",
        settings=built_index,
    )
    assert [(d.kind, d.value) for d in answer.derived] == [("rate", 111.25), ("rate", 106.05)]
    _check_reproducible(answer)


def test_a_derived_rate_keeps_the_other_parts_asked_in_the_documents_words(
    built_index: Settings,
) -> None:
    answer = ask(
        "高平市政府办卫生健康支出完成了预算的百分之几？比上年增加了多少，为什么？",
        settings=built_index,
    )
    assert [(d.kind, d.value) for d in answer.derived] == [("rate", 126.79)]
    assert "4.96" in answer.text and "缴费基数增加" in answer.text


def test_last_years_level_when_the_year_of_the_document_is_named_too(built_index: Settings) -> None:
    # "2024年决算说明" names the document; 2023 is the year asked
    answer = ask(
        "从枣庄市政府办2024年决算说明看，2023年一般公共预算财政拨款支出是多少？",
        settings=built_index,
    )
    assert "5,782.12" in answer.text and "2023" in answer.text


def test_each_input_is_cited_where_a_reader_would_look_for_it(built_index: Settings):
    # 三公经费 and 公务接待费 are printed in 公开09表 and restated in the 情况说明:
    # each input cites both, so the number can be checked in the table or the text
    answer = ask("枣庄市政府办2024年公务接待费在“三公”经费决算中占多大比重？", settings=built_index)
    _check_reproducible(answer)
    for value in (32.73, 72.82):
        sources = {c.where.startswith("公开09表") for c in answer.citations if c.value == value}
        assert sources == {True, False}, value


def test_an_english_amount_per_batch_divides_by_the_count_the_narrative_states(
    built_index: Settings,
) -> None:
    # 枣庄 states "国内接待费 32.73 万元 … 共计接待 100 批次": 3,273 元 a batch
    answer = ask(
        "On average, how much did the Zaozhuang government office spend per batch of "
        "domestic official receptions (国内公务接待) in 2024?",
        settings=built_index,
    )
    (derived,) = answer.derived
    amount, count = derived.operands
    assert (amount, count) == (32.73, 100.0)
    assert "per batch" in answer.text
    assert f"RMB {round(amount * 10_000 / count):,}" in answer.text  # RMB 3,273


def test_a_projects_count_cites_its_indicator_row_and_its_reports_sentence(
    built_index: Settings,
) -> None:
    # 会议次数 20 is an indicator row; "全年召开会议次数达到 20 次" states it in the report
    answer = ask(
        "高平市政府办会务服务及资料印刷相关费用项目全年执行数平均到每次会议是多少元？",
        settings=built_index,
    )
    _check_reproducible(answer)
    quotes = [c.quote for c in answer.citations if c.value == 20.0]
    assert any("≥20次" in q for q in quotes) and any(
        "全年召开会议次数达到 20 次" in q for q in quotes
    )


def test_the_whole_of_a_share_is_the_metric_written_after_zhan(built_index: Settings) -> None:
    # "基本支出和项目支出各占支出合计的比例": 支出合计 is the whole of both parts
    from retrieval.derive import _each_other, plan
    from retrieval.engine import get_engine
    from retrieval.query import understand

    engine = get_engine(built_index)
    query = understand(
        "冠县政府办2024年基本支出和项目支出各占支出合计的比例是多少？",
        engine.documents,
        places=engine.places,
    )
    known = engine.stores.figures.metrics()
    first = plan(query, known)
    assert first is not None
    assert (first.first.metric, first.second.metric) == ("基本支出", "支出合计")
    others = [(p.first.metric, p.second.metric) for p in _each_other(query, known, first)]
    assert others == [("项目支出", "支出合计")]


def test_a_follow_ups_difference_is_over_the_row_the_question_before_wrote_out(
    built_index: Settings,
) -> None:
    from retrieval.records import Turn

    # 信息化建设 is a 科目 row the vocabulary does not name: read from the question before
    history = [Turn("普陀区财政局2024年信息化建设支出是多少？", "135.25万元。")]
    answer = ask("比年初预算少了多少？", history=history, settings=built_index)
    assert [(d.kind, d.value) for d in answer.derived] == [("difference", 0.65)]
    _check_reproducible(answer)
    # two metrics carried, "和年初预算差了多少": the row named last against its own budget
    history = [
        Turn("普陀区财政局2024年一般公共服务支出里的行政运行（项）支出是多少？", "1,511.89万元。")
    ]
    answer = ask("和年初预算差了多少？原因是什么？", history=history, settings=built_index)
    assert [(d.kind, d.value) for d in answer.derived] == [("difference", 48.16)]
    assert "人员进出及退休变化" in answer.text  # the reason, in the document's words
    _check_reproducible(answer)

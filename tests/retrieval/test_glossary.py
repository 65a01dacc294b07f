"""The metric glossary maps Chinese, English and 科目 codes to canonical metric names."""

from __future__ import annotations

import pytest

from retrieval.glossary import (
    SpanIndex,
    find_metrics,
    load_glossary,
    longest_first,
    to_chinese_terms,
)

CANONICAL = [
    "收支总计",
    "收入合计",
    "支出合计",
    "财政拨款收入",
    "基本支出",
    "项目支出",
    "人员经费",
    "公用经费",
    "一般公共预算财政拨款支出",
    "三公经费",
    "因公出国(境)费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
    "国内接待费",
    "机关运行经费",
    "政府采购支出总额",
    "政府采购货物支出",
    "政府采购工程支出",
    "政府采购服务支出",
    "授予中小企业合同金额",
    "车辆数",
    "公务用车保有量",
    "行政运行",
    "住房公积金",
    "机关事业单位职业年金缴费支出",
    "死亡抚恤",
]


@pytest.mark.parametrize("name", CANONICAL)
def test_every_canonical_metric_is_in_the_glossary(name):
    assert name in load_glossary().canonical
    assert find_metrics(name) == [name]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("公务用车运行维护费是多少", ["公务用车运行维护费"]),
        ("公务用车购置及运行维护费是多少", ["公务用车购置及运行维护费"]),
        ("“三公”经费", ["三公经费"]),
        ("因公出国（境）费", ["因公出国(境)费"]),
        ("职业年金缴费", ["机关事业单位职业年金缴费支出"]),
        ("支出总计", ["收支总计"]),
        ("国内公务接待了多少批次", ["国内接待费"]),
        # 支出合计 right after a name totals that name; it is not the metric 支出合计
        ("住房公积金（项）支出合计是多少", ["住房公积金"]),
        ("住房保障支出合计多少", ["住房保障支出"]),
        ("本年支出合计是多少", ["支出合计"]),
    ],
)
def test_chinese_names_give_the_most_specific_metric(text, expected):
    assert find_metrics(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("official reception expenses", ["公务接待费"]),
        ("hospitality", ["公务接待费"]),
        ("trips abroad", ["因公出国(境)费"]),
        ("official vehicle operation and maintenance", ["公务用车运行维护费"]),
        ("official vehicles purchase", ["公务用车购置费"]),
        ("the upkeep of official cars", ["公务用车运行维护费"]),
        ("did it buy any official cars", ["公务用车购置费"]),
        ("micro and small enterprises", ["授予小微企业合同金额"]),
        ('the "three public expenses"', ["三公经费"]),
        ("three public consumptions", ["三公经费"]),
        ("administrative operating costs", ["机关运行经费"]),
        ("government procurement", ["政府采购支出总额"]),
        ("housing provident fund", ["住房公积金"]),
        ("total revenue and expenditure", ["收支总计"]),
        ("occupational annuity", ["机关事业单位职业年金缴费支出"]),
        ("performance self-evaluation scores", ["绩效自评"]),
    ],
)
def test_english_phrases_give_the_canonical_metric(text, expected):
    assert find_metrics(text) == expected


def test_subject_code_names_its_subject():
    assert find_metrics("2010301支出多少") == ["行政运行"]
    assert find_metrics("2210201") == ["住房公积金"]


def test_code_and_name_of_one_subject_give_it_once():
    assert find_metrics("“行政运行”（2010301）") == ["行政运行"]


def test_a_narrowing_metric_moves_after_the_one_asked():
    assert find_metrics("基本支出中的劳务费是多少") == ["劳务费", "基本支出"]
    # the tables name 一般公共预算财政拨款基本支出 as one metric (05表 合计 / 基本支出)
    assert find_metrics("一般公共预算财政拨款基本支出中人员经费") == [
        "人员经费",
        "一般公共预算财政拨款基本支出",
    ]


def test_metrics_joined_by_and_keep_question_order():
    assert find_metrics("基本支出和项目支出各占支出合计的比例") == [
        "基本支出",
        "项目支出",
        "支出合计",
    ]


def test_to_chinese_terms_maps_metric_phrases_and_general_words():
    assert to_chinese_terms("official reception") == ["公务接待费"]
    assert to_chinese_terms("how many delegations and person-trips") == ["团组", "人次"]


def test_to_chinese_terms_ignores_chinese_text():
    assert to_chinese_terms("公务接待费是多少") == []


def test_strip_names_removes_budget_inside_a_metric_name():
    stripped = load_glossary().strip_names("一般公共预算财政拨款支出是多少")
    assert "预算" not in stripped


def test_zh_names_lists_variants_for_a_segmenter():
    names = load_glossary().zh_names()
    assert "公务用车运行维护费" in names
    assert "三公经费" in names


def test_english_phrase_in_other_words_still_finds_the_metric() -> None:
    from retrieval.glossary import find_metrics

    assert (
        find_metrics("What were Yanggu's official vehicle operation costs?")[0]
        == "公务用车运行维护费"
    )
    assert find_metrics("What was spent on trips abroad by Gaoping?") == ["因公出国(境)费"]


def test_span_index_finds_what_longest_first_finds() -> None:
    names = (
        "冠县人民政府办公室",
        "冠县政府办",
        "政府办公室",
        "冠县",
        "县政府",
        "办",
        "guan county",
    )
    index = tuple(sorted(((n, n.upper()) for n in names), key=lambda kv: -len(kv[0])))
    spans = SpanIndex(index)
    for text in (
        "冠县人民政府办公室2024年",
        "冠县政府办和县政府办公室",
        "办办",
        "the guan county office",
        "",
    ):
        assert spans.longest_first(text) == longest_first(text, index)
    assert spans.occurring("冠县政府办") == ["冠县政府办", "县政府", "冠县", "办"]


def test_of_two_names_as_long_the_one_further_left_is_taken():
    # 项目支出合计: 项目支出 and 支出合计 overlap and are as long; the question reads left to right
    assert find_metrics("其余四家2024年的项目支出合计是多少？") == ["项目支出"]
    assert find_metrics("2024年本年支出合计是多少") == ["支出合计"]

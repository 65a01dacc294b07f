"""Conditions over rows: every row of a document that meets the threshold, each cited."""

from __future__ import annotations

import re

from config import Settings
from retrieval import ask


def _rows(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^\d+\. ([^：]+)：", text, re.M)]


def test_projects_below_an_execution_rate(built_index: Settings) -> None:
    answer = ask("阳谷县政府办县级预算项目中，哪些项目的执行率低于90%？", settings=built_index)
    assert len(_rows(answer.text)) == 4 and "共 4 个项目" in answer.text
    rates = [c.value for c in answer.citations if c.value is not None]
    assert len(rates) == 4 and all(rate < 90 for rate in rates)
    # the other citations are the sentences stating each rate (情况说明's paragraphs)
    assert all("完成预算的" in c.quote for c in answer.citations if c.value is None)


def test_rows_below_their_own_initial_budget_of_the_general_budget(built_index: Settings) -> None:
    answer = ask(
        "冠县政府办一般公共预算财政拨款支出中，哪些项级科目的决算数低于年初预算？",
        settings=built_index,
    )
    assert _rows(answer.text) == ["行政单位离退休", "行政单位医疗", "住房公积金"]
    by_n = {c.n: c.value for c in answer.citations}
    for line in answer.text.splitlines()[1:4]:
        budget, actual = (by_n[int(n)] for n in re.findall(r"\[(\d+)\]", line))
        assert actual < budget


def test_economic_rows_of_a_column_above_an_amount(built_index: Settings) -> None:
    answer = ask(
        "普陀区财政局2024年基本支出的公用经费里，哪些经济科目超过了20万元？", settings=built_index
    )
    assert _rows(answer.text) == ["办公费", "工会经费", "福利费", "其他交通费用"]
    assert {c.page for c in answer.citations} <= {16, 17}


def test_scores_below_a_threshold(built_index: Settings) -> None:
    answer = ask(
        "阳城县政务服务中心10个项目的绩效自评中，得分低于96分的有哪些？", settings=built_index
    )
    assert [c.value for c in answer.citations] == [95.0, 72.0]


def test_which_of_a_named_office_is_about_that_office(built_index: Settings) -> None:
    answer = ask(
        "Which of Yanggu office's projects had an execution rate below 90%?", settings=built_index
    )
    assert {c.doc_id for c in answer.citations} == {"004_8e0e4eb5d50c1166"}
    assert len([c for c in answer.citations if c.value is not None]) == 4


def test_rows_whose_actual_equals_their_initial_budget(built_index: Settings) -> None:
    answer = ask(
        "普陀区财政局一般公共预算财政拨款支出中，哪些项级科目的决算数和年初预算完全相同？",
        settings=built_index,
    )
    assert _rows(answer.text) == ["一般行政管理事务", "其他行政事业单位养老支出", "购房补贴"]
    assert "[1][1]" not in answer.text  # one sentence states both: cited once


def test_rows_above_a_completion_rate_at_the_item_level(built_index: Settings) -> None:
    # "项级" names the level of the rows; it is not a term the documents must contain
    answer = ask(
        "阳谷县政府办一般公共预算财政拨款支出中，在有年初预算的项级科目里，哪些完成年初预算超过了110%？",
        settings=built_index,
    )
    assert _rows(answer.text) == ["行政运行", "机关事业单位职业年金缴费支出", "行政单位医疗"]


def test_rows_with_nothing_in_a_part_column(built_index: Settings) -> None:
    # the 05表 prints 一般行政管理事务 | 10.00 | (基本支出 blank) | 10.00
    answer = ask(
        "普陀区财政局一般公共预算财政拨款支出中，哪些项级科目全部是项目支出、没有基本支出？",
        settings=built_index,
    )
    assert _rows(answer.text) == ["一般行政管理事务", "信息化建设", "财政委托业务支出"]
    assert {c.value for c in answer.citations} == {10.0, 135.25, 449.52}


def test_at_least_a_score_in_english_about_one_office_s_projects(built_index: Settings) -> None:
    # "which of the X's …" is about X's rows, not a ranking of offices
    answer = ask(
        "Which of the Yangcheng Government Service Center's ten 2024 project self-evaluations "
        "scored 98 points or more?",
        settings=built_index,
    )
    assert len(_rows(answer.text)) == 5 and "at least 98" in answer.text
    assert all(c.value == 98 for c in answer.citations)


def test_a_threshold_before_its_cue_is_read(built_index: Settings) -> None:
    answer = ask("阳城县政务服务中心哪些项目的自评得分在98分及以上？", settings=built_index)
    assert "共 5 个项目" in answer.text


def test_rows_ranked_on_a_rate_not_on_their_amounts(built_index: Settings) -> None:
    # 一般行政管理事务 324.59 → 353.94 (109.04%) leads although 行政运行 is far larger
    answer = ask(
        "冠县政府办一般公共预算财政拨款的各个项级科目中，哪一项完成年初预算的比例最高？",
        settings=built_index,
    )
    lines = answer.text.splitlines()
    assert lines[0] == "冠县人民政府办公室 · 完成预算比例 （文件中给出数值的 7 项）:"
    assert lines[1].startswith("1. 一般行政管理事务: 109.04 %")
    rates = [float(v) for v in re.findall(r": ([\d.]+) % \[", answer.text)]
    assert rates == sorted(rates, reverse=True) and len(rates) == 7


def test_rows_that_rose_against_last_year_as_the_document_states_it(built_index: Settings) -> None:
    # "较上年决算增加24.20万元": the stated change, rows of the level asked (类), not 三公经费
    answer = ask("高平市政府办哪些类支出较上年决算有所增加？", settings=built_index)
    assert _rows(answer.text) == ["社会保障和就业支出", "卫生健康支出", "住房保障支出"]
    assert sorted(c.value for c in answer.citations) == [4.96, 6.6, 24.2]


def test_projects_of_the_grade_asked(built_index: Settings) -> None:
    # the grade is stated with the score ("总得分 86.49 分，属于“良”" or the table's grade cell)
    answer = ask("冠县政府办哪些项目的绩效自评被评为“良”？", settings=built_index)
    assert "共 2 个项目" in answer.text
    assert sorted(c.value for c in answer.citations) == [86.49, 87.9]
    english = ask(
        "Which of Gaoping's projects were rated good in the self-evaluation?", settings=built_index
    )
    assert len(_rows(english.text)) == 7 and all(c.value < 90 for c in english.citations)


def test_projects_with_a_full_score(built_index: Settings) -> None:
    answer = ask(
        "Which Zaozhuang office projects got full marks in their self-evaluation?",
        settings=built_index,
    )
    assert _rows(answer.text) == ["政务活动经费项目", "车辆运行维护费项目", "出国出境经费项目"]
    assert all(c.value == 100 for c in answer.citations)


def test_english_cues_are_words_not_letters_inside_words(built_index: Settings) -> None:
    # "over" inside "government" is no threshold
    answer = ask(
        "Which of the Zaozhuang government office's projects got full marks?", settings=built_index
    )
    assert "above" not in answer.text and len(_rows(answer.text)) == 3


def test_a_rate_threshold_over_rows_that_state_only_budget_and_actual(
    built_index: Settings,
) -> None:
    # the PDF's 项 sentences give 年初预算 and 决算 but no rate: it is computed from them
    answer = ask("普陀区财政局哪些项级科目的完成率低于98%？", settings=built_index)
    assert _rows(answer.text) == ["行政运行", "行政单位医疗"]
    assert "96.91%" in answer.text and "97.91%" in answer.text


def test_rows_spent_with_no_initial_budget(built_index: Settings) -> None:
    answer = ask("冠县政府办哪些项级科目年初没有安排预算却有支出？", settings=built_index)
    assert _rows(answer.text) == ["引进人才费用", "其他行政事业单位养老支出"]
    projects = ask("Which Yanggu office projects had an initial budget of 0?", settings=built_index)
    rows = _rows(projects.text)
    assert len(rows) == 5 and all(r.endswith("项目") for r in rows)


def test_indicators_given_fewer_points_than_their_weight(built_index: Settings) -> None:
    # of one named project, with its target, actual and the reason the table gives
    answer = ask("枣庄市政府办单位运行经费项目哪些绩效指标被扣了分？", settings=built_index)
    assert _rows(answer.text) == ["办公用品系兴购数量", "出差人次"]  # the PDF's garbled name kept
    assert "目标 ≥2000人次，实际 1900人次，得 7.12 分（分值 7.5 分）" in answer.text
    # of every project, narrowed to one kind of indicator
    satisfaction = ask("阳城县政务服务中心哪些项目的满意度指标没拿满分？", settings=built_index)
    assert _rows(satisfaction.text) == ["政务中心工作人员餐补项目", "移动网络运行项目"]
    assert "：工作人员满意度：" in satisfaction.text and "：办公人员满意度：" in satisfaction.text


def test_indicators_short_of_target_in_english_with_the_other_part_asked(
    built_index: Settings,
) -> None:
    answer = ask(
        "Which indicators of the Yangcheng 公共资源交易规范化建设 project fell short of target, "
        "and what was its total score?",
        settings=built_index,
    )
    assert not answer.declined
    assert _rows(answer.text) == ["平台交易数", "社会贡献率", "资源节约率"]
    assert "72 分" in answer.text


def test_indicators_of_one_kind_over_the_rows_of_its_group(built_index: Settings) -> None:
    # 成本指标 is printed on the group's first row only; 工会经费 two rows down is one too
    answer = ask(
        "阳谷县政府办综合业务经费项目的成本指标中，哪些超出了指标值上限？", settings=built_index
    )
    assert _rows(answer.text) == ["办公经费", "工会经费"]
    why = ask(
        "高平市政府办会务服务及资料印刷相关费用项目的成本指标为什么被扣分？", settings=built_index
    )
    assert "得 5 分（分值 10 分）；未设置成本指标" in why.text


def test_a_project_rate_only_its_report_sentence_states_meets_the_condition(
    built_index: Settings,
) -> None:
    # 高平's 13710 report has no budget table: "全年预算数 36000 元，实际支付 36000 元，
    # 预算执行率 100%"; 阳谷's 联通 project states its rate only in the 情况说明
    gaoping = ask("高平市政府办的项目中，预算执行率在90%以上的是哪几个？", settings=built_index)
    assert "13710督办系统服务项目" in gaoping.text and "共 3 个项目" in gaoping.text
    yanggu = ask("阳谷县政府办县级预算项目中，执行率达到100%的有哪些？", settings=built_index)
    assert "(联通)" in yanggu.text
    # named by the tables, a project is not listed again under the 情况说明's shorter name
    assert "\n市民服务热线经费项目" not in yanggu.text and "共 8 个项目" in yanggu.text
    # 县级 projects: the province's "省级“数字山东”发展资金" is not one of them
    assert "数字山东" not in yanggu.text


def test_rows_that_give_the_measure_asked_are_not_preceded_by_the_same_figures(
    built_index: Settings,
) -> None:
    # "…, and what were their scores?": the rows carry the scores; the answer leads with them
    answer = ask(
        "Which projects of the Yanggu office scored below 100, and what were their scores?",
        settings=built_index,
    )
    first = answer.text.splitlines()[0]
    assert "8 rows with self-evaluation score below 100" in first
    assert "another source" not in answer.text


def test_subjects_over_an_amount_are_the_coded_rows_not_income_or_totals(
    built_index: Settings,
) -> None:
    # "哪些支出科目": 2010301 行政运行 812.27 and its kin, not 一般公共预算财政拨款收入
    # or 本年收入合计 (rows without a 科目编码)
    answer = ask("冠县政府办哪些支出科目的决算数超过了100万元？", settings=built_index)
    assert "行政运行：812.27 万元" in answer.text and "城乡社区支出：794.48 万元" in answer.text
    assert "收入" not in answer.text.split("\n\n")[0].replace("收入安排", "")
    assert "合计" not in answer.text.split("\n\n")[0]

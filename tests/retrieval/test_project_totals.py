"""Sums and averages over one document's appendix projects, each project cited.

No figure states these totals: each is added up from the projects' own figures,
and the test redoes the sum from the values the citations carry.
"""

from __future__ import annotations

from config import Settings
from retrieval import ask


def _cited_values(answer) -> list[float]:
    return [c.value for c in answer.citations if c.value is not None]


def test_an_average_score_leaves_out_the_unit_named(built_index: Settings):
    # 枣庄 lists 17 projects; the 4 of 市政府决策研究中心 carry the unit in their names
    answer = ask(
        "枣庄市政府办17个绩效自评项目里，不算市政府决策研究中心的4个，"
        "本级其余13个项目的平均得分是多少？",
        settings=built_index,
    )
    values = _cited_values(answer)
    assert len(values) == 13
    assert "13个项目" in answer.text and "98.68" in answer.text
    assert round(sum(values) / 13, 2) == 98.68
    assert "市政府决策研究中心" not in answer.text


def test_a_sum_over_two_named_projects_reads_yuan_as_wan_yuan(built_index: Settings):
    # 高平's tables print 元: 3,022,110.75 元 + 6,090,000 元 = 911.21 万元
    answer = ask(
        "高平市市域治理现代化指挥中心的“数字政府”项目一期建设工程款和全市大数据统一运维项目，"
        "2024年实际使用的资金合计是多少？",
        settings=built_index,
    )
    values = _cited_values(answer)
    assert sorted(values) == [3022110.75, 6090000.0]
    assert "911.21 万元" in answer.text and "302.21 万元" in answer.text
    # each row cited with its page's sentence, which prints the 元 in 万元
    quotes = [c.quote for c in answer.citations]
    assert any("资金实际使用 302.21 万元" in q for q in quotes)
    assert any("实际使用资金 609 万元" in q for q in quotes)


def test_a_question_about_one_project_is_not_a_total(built_index: Settings):
    answer = ask("阳谷县政府办综合业务经费项目全年预算数是多少？", settings=built_index)
    assert "个项目的" not in answer.text and "140" in answer.text


def test_a_sum_over_one_levels_projects_leaves_out_another_levels(built_index: Settings):
    # 阳谷 lists 17 projects; "省级“数字山东”发展资金" is the province's, not a 县级 one
    answer = ask(
        "阳谷县政府办16个县级预算项目的全年预算数加起来是多少？执行数合计又是多少？",
        settings=built_index,
    )
    assert "16个项目的全年预算数合计 786.85 万元" in answer.text
    assert "16个项目的执行数合计 699.17 万元" in answer.text
    assert "数字山东" not in answer.text


def test_an_average_over_the_projects_of_one_unit(built_index: Settings):
    answer = ask(
        "枣庄市政府办17个绩效自评项目中，属于市政府决策研究中心的有几个？它们的平均得分是多少？",
        settings=built_index,
    )
    values = _cited_values(answer)
    assert len(values) == 4 and round(sum(values) / 4, 2) == 95.06
    assert "4个项目的自评得分平均为 95.06 分" in answer.text


def test_each_project_is_cited_by_its_table_row_and_the_sentence_stating_it(
    built_index: Settings,
):
    # 阳谷's two projects named 12345市民服务热线经费: 60 and 75, each in its own table
    # and in the 情况说明's "全年预算数为75万元,执行数为60万元"
    answer = ask(
        "阳谷县政府办有两个都叫“12345市民服务热线经费”的项目，2024年两个加起来预算多少、执行了多少？",
        settings=built_index,
    )
    assert "合计 135 万元" in answer.text and "合计 150 万元" in answer.text
    spent = [c for c in answer.citations if c.value == 60.0]
    assert {"执行数为60万元" in c.quote.replace(" ", "") for c in spent} == {True, False}


def test_a_name_without_its_bracketed_variant_names_each_project_printed_with_one() -> None:
    from retrieval.projects import every_named

    known = [
        "县电子政务外网公共服务域建设项目(移动)项目",
        "县电子政务外网公共服务域建设项目(联通)项目",
        "阳谷县电子政务外网村级延伸项目",
        "政务热线服务费12345项目",
        "政务热线服务费12345(上年质保金)项目",
    ]
    asked = "县电子政务外网公共服务域建设项目分移动、联通两块，两块合计执行了多少钱？"
    assert sorted(every_named(asked, known)) == known[:2]  # not the 村级延伸 one
    # a project of the very name is named: its bracketed sibling is not
    both = "政务热线服务费12345项目和阳谷县电子政务外网村级延伸项目合计多少？"
    assert sorted(every_named(both, known)) == sorted([known[2], known[3]])


def test_these_projects_are_the_ones_the_answer_before_named(built_index: Settings) -> None:
    from retrieval.records import Turn

    history = [
        Turn(
            "阳谷县政府办哪些项目执行率低于90%？",
            "综合业务经费项目80.36%、阳谷县爱山东APP分厅建设工作服务项目59%、阳谷县智慧社区建设项目87.23%。",
        )
    ]
    answer = ask("这几个项目的执行数加起来是多少？", history=history, settings=built_index)
    assert "3个项目的执行数合计 339.54 万元" in answer.text

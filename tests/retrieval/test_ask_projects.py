"""Questions about one appendix project are answered from that project's pages."""

from __future__ import annotations

from config import Settings
from retrieval import ask


def test_what_a_project_bought_is_quoted_from_its_own_report(built_index: Settings) -> None:
    answer = ask(
        "高平市政府办“办公信息化业务费”项目买了些什么？实际花了多少钱？", settings=built_index
    )
    assert "购置文件柜 2 个" in answer.text and "3,815 元" in answer.text
    assert "业务费项目执行数为 53,623.05" not in answer.text  # the 业务费 project is another one
    quoted = [c for c in answer.citations if "文件柜" in c.quote]
    assert quoted and quoted[0].where.startswith("第五部分")


def test_a_shortened_project_name_reads_that_project_s_pages(built_index: Settings) -> None:
    answer = ask(
        "高平市政府办台办慰问台胞台属项目慰问了多少户？在什么时候慰问？", settings=built_index
    )
    assert "22 户" in answer.text and "春节" in answer.text and "中秋" in answer.text
    assert "目 录" not in answer.text  # a table of contents is never quoted


def test_an_indicator_keeps_every_printed_decimal(built_index: Settings) -> None:
    answer = ask(
        "冠县热线系统运营维护服务辅助工作项目每季度的实际成本是多少？", settings=built_index
    )
    assert "5.625 万元/季度" in answer.text


def test_a_listed_name_starting_with_digits_is_quoted(built_index: Settings) -> None:
    answer = ask("阳谷县政府办县级预算项目中，哪些项目的执行率低于90%？", settings=built_index)
    assert "“12345市民服务热线经费项目”：80%" in answer.text


def test_a_sum_asked_for_budget_and_actual_sums_both(built_index: Settings) -> None:
    answer = ask(
        "阳城和高平两家2024年一般公共预算财政拨款支出的年初预算加起来是多少？实际决算加起来又是多少？",
        settings=built_index,
    )
    assert "4,638.6 万元" in answer.text and "2,267.62 万元" in answer.text
    assert answer.text.count("2,267.62") == 1  # a near-namesake's same numbers are not repeated


def test_the_indicators_a_question_speaks_of_are_stated_by_their_rows(
    built_index: Settings,
) -> None:
    answer = ask(
        "阳谷县政府办“县政府办公室因公出国（境）经费项目”出访了几个国家、几个人、多少天？",
        settings=built_index,
    )
    for stated in ("出访国家个数 3 个", "出访人数：1 人", "出访天数：10 天"):
        assert stated in answer.text


def test_an_indicator_is_found_by_a_word_the_project_name_also_has(built_index: Settings) -> None:
    # "补贴了几名人才": 人才 is in the project's name and in its indicator 优秀人才数量
    answer = ask(
        "来冠就业创业优秀人才生活补贴项目补贴了几名人才？实际花了多少钱？", settings=built_index
    )
    assert "来冠就业创业优秀人才数量：4" in answer.text and "2.7 万元" in answer.text


def test_a_list_of_uses_is_quoted_to_the_end_of_its_sentence(built_index: Settings) -> None:
    # "该项目资金主要用于对…进行督查；对重大项目、重点工程和办实事项目进行督查…。"
    answer = ask(
        "高平市政府办“督查调研事务及相关费用”项目的钱主要用在哪些方面？", settings=built_index
    )
    used = [line for line in answer.text.splitlines() if line.startswith("用途")]
    assert used and "重点工程" in used[0] and "办实事项目" in used[0]


def test_what_a_trip_was_for_is_quoted_with_its_cost_and_change(built_index: Settings) -> None:
    answer = ask(
        "高平市政府办2024年因公出国（境）花了多少钱？参加的是什么团、去做什么？比上年增加了多少？",
        settings=built_index,
    )
    assert "0.46 万元" in answer.text and "晋城市政协" in answer.text and "国际友城" in answer.text


def test_each_part_of_a_project_question_gets_its_own_sentence(built_index: Settings) -> None:
    answer = ask(
        "枣庄12345市长热线运行保障经费项目有多少名工作人员？评价时预算资金执行率是多少？",
        settings=built_index,
    )
    assert "150人" in answer.text and "98.99%" in answer.text


def test_a_name_without_a_scope_gives_its_financial_appropriation_part_too(
    built_index: Settings,
) -> None:
    # 01表 年末结转和结余 55.34 (all money); 04表 年末财政拨款结转和结余 21.63
    answer = ask("普陀区财政局2024年年末结转和结余是多少？", settings=built_index)
    assert (
        "55.34 万元" in answer.text and "年末财政拨款结转和结余决算数为 21.63 万元" in answer.text
    )
    named = ask("普陀区财政局2024年年末财政拨款结转和结余是多少？", settings=built_index)
    assert "55.34" not in named.text.split("原文")[0]


def test_a_follow_up_reads_the_pages_of_the_project_asked_before(built_index: Settings) -> None:
    history = [{"q": "高平市政府办“13710督办系统服务”项目自评得了多少分？", "a": "总得分95分"}]
    answer = ask("这个项目全年预算和实际支付各是多少？", history=history, settings=built_index)
    assert "全年预算数 36000 元，实际支付 36000 元" in answer.text


def test_the_parts_of_a_projects_evaluation_report_asked_are_given_whole(
    built_index: Settings,
) -> None:
    # two parts asked, each its report heading with every item under it, in order
    answer = ask(
        "冠县热线系统运营维护服务辅助工作项目存在什么问题，有什么建议？", settings=built_index
    )
    text = answer.text
    assert text.index("存在问题") < text.index("有关建议")
    for item in (
        "项目管理制度健全性不足",
        "满意度调查覆盖范围及数量有限",
        "加强合同管理及执行力度",
        "强化绩效管理意识",
    ):
        assert item in text
    team = ask(
        "Who was on the evaluation team of Zaozhuang's 12345市长热线运行保障经费 project?",
        settings=built_index,
    )
    assert all(name in team.text for name in ("崔海鸥", "朱鹏霖", "闵玲玲"))


def test_what_a_named_projects_contractor_does_is_not_the_offices_duties(
    built_index: Settings,
) -> None:
    answer = ask("枣庄12345市长热线运行保障经费项目的中标公司负责哪些工作？", settings=built_index)
    assert "来电受理" in answer.text and "部门职责" not in answer.text
    duties = ask("冠县人民政府办公室的部门职责有哪几条？", settings=built_index)
    assert "部门职责" in duties.text


def test_a_doubted_number_is_quoted_from_every_place_the_projects_pages_state_it(
    built_index: Settings,
) -> None:
    # 230人 in the indicator table, 250余人 and 200余人 in the report's text
    answer = ask("阳城县政务服务中心工作人员餐补项目究竟有多少人就餐？", settings=built_index)
    assert all(n in answer.text for n in ("230人", "250余人", "200余人"))


def test_what_a_project_cost_is_its_amount_executed(built_index: Settings) -> None:
    # "花了多少钱" asks the actual: 执行数 4.97, not the cost indicator's 5万元 cap
    answer = ask("阳谷县政务公开工作优化提升服务项目花了多少钱？", settings=built_index)
    assert answer.text.startswith(
        "阳谷县人民政府办公室（汇总）2024年度阳谷县政务公开工作优化提升服务项目执行数为 4.97 万元"
    )


def test_what_a_project_did_is_quoted_from_its_own_pages(built_index: Settings) -> None:
    # 阳城's self-evaluation table says in a cell what was built, after two
    # sentences of purpose: the answer quotes the one that says what was done
    answer = ask(
        "阳城县政务服务中心公共资源交易规范化建设项目具体做了哪些改造和建设？", settings=built_index
    )
    assert "具体对开评标室进行了隔音处理，安装了闸机门禁设备、信息发布系统" in answer.text


def test_a_description_is_quoted_over_its_semicolons(built_index: Settings) -> None:
    # 阳谷 "主要用于完成…做好定期维护；通过项目实施，完成…考核评估任务，做好政策解读"
    answer = ask(
        "阳谷县“政务公开工作优化提升服务项目”（10万元的那个）2024年主要做了哪些工作？",
        settings=built_index,
    )
    assert "做好定期维护；" in answer.text and "考核评估任务" in answer.text


def test_a_metric_inside_a_project_name_is_not_asked(built_index: Settings) -> None:
    # "“单位运行经费”项目" names 枣庄's project, not the office's 机关运行经费 (190.89)
    answer = ask(
        "枣庄市政府办“单位运行经费”项目自评表中，办公经费和差旅费两项成本指标的实际值各是多少？"
        "项目全年执行了多少？",
        settings=built_index,
    )
    assert "190.89" not in answer.text
    assert "337.28" in answer.text and "85 万元" in answer.text and "130 万元" in answer.text


def test_where_a_project_is_and_who_carries_it_out_are_quoted(built_index: Settings) -> None:
    where = ask("枣庄12345市长热线运行保障经费项目在哪个区域？", settings=built_index)
    assert "项目所在区域: 枣庄新城。" in where.text
    # asked only in words: the quotes alone, cited from [1]; "哪个单位实施" ranks no offices
    who = ask("枣庄12345市长热线运行保障经费项目由哪个单位具体实施？", settings=built_index)
    assert "项目具体实施单位:枣庄市市长热线服务中心" in who.text
    assert who.text.startswith("原文") and who.citations[0].n == 1
    assert {c.doc_id for c in who.citations} == {"001_f4ec1982bbb312b3"}


def test_a_part_naming_no_project_asks_its_own_measure_of_the_project_before(
    built_index: Settings,
) -> None:
    # "年初预算多少？全年实际执行了多少？": the second part names no project; it asks
    # 执行数 of the one the first part named (a budget row read under a header
    # that prints 资金总额 itself)
    answer = ask(
        "阳城县招投标业务费项目年初预算多少万元？全年实际执行了多少？", settings=built_index
    )
    values = {(c.value, c.unit) for c in answer.citations}
    assert {(23.0, "万元"), (13.682, "万元")} <= values


def test_a_project_question_is_not_answered_with_every_count_its_report_mentions(
    built_index: Settings,
) -> None:
    # the report counts 受理 4659, 直接答复 468, 重办 18 … work orders; asked the
    # rate of repeat handling, the answer quotes the rate, not a list of those counts
    answer = ask("阳城县政务热线服务费12345项目2024年的重办率是多少？", settings=built_index)
    assert "重办率0.39%" in answer.text
    assert "468 件" not in answer.text and "4,659 件" not in answer.text


def test_a_projects_money_doubted_gives_every_amount_its_table_states(
    built_index: Settings,
) -> None:
    # "预算到底是多少": the budget, and what was spent of it, beside the report's words
    answer = ask("冠县热线系统运营维护服务辅助工作项目的预算到底是多少？", settings=built_index)
    values = {(c.value, c.unit) for c in answer.citations}
    assert {(29.5, "万元"), (22.5, "万元")} <= values
    assert "执行数为 22.5 万元" in answer.text


def test_a_projects_money_leads_when_no_indicator_is_asked(built_index: Settings) -> None:
    # the indicator rows "“数字山东”工程标准项目" and "发展资金" share words with the
    # project's own name; asked what it spent, the answer leads with 执行数
    answer = ask("阳谷县省级“数字山东”发展资金项目2024年用了多少钱？", settings=built_index)
    first = answer.text.splitlines()[0]
    assert "执行数为 5.51 万元" in first


def test_a_why_question_with_a_figure_part_answers_both(built_index: Settings) -> None:
    # "实际执行了多少钱？执行率为什么只有六成多？": the amount, then the reason
    answer = ask(
        "高平市治超经费项目2024年实际执行了多少钱？执行率为什么只有六成多？", settings=built_index
    )
    assert "170,747.3 元" in answer.text and "临时人员" in answer.text
    assert answer.text.index("170,747.3") < answer.text.index("临时人员")


def test_a_projects_details_are_quoted_from_its_own_pages_not_a_mention_elsewhere(
    built_index: Settings,
) -> None:
    # the 情况说明 names 政务中心工作人员餐补 among the reasons spending fell; the
    # project's own table says what each meal was subsidised
    answer = ask("阳城县政务服务中心工作人员餐补项目每人每餐补助多少钱？", settings=built_index)
    assert "每餐每人补助10元" in answer.text
    assert "项目经费支出的减少" not in answer.text


def test_why_a_project_fell_short_quotes_the_reason_its_budget_row_gives(
    built_index: Settings,
) -> None:
    # "市县区财政资金 … 163,527 | 286,473 | | | 按照单位实际金务服务及资料印刷进行"
    answer = ask(
        "高平市政府办会务服务及资料印刷相关费用项目的钱为什么没花完？", settings=built_index
    )
    assert "自评表写明的偏差原因：「按照单位实际金务服务及资料印刷进行」" in answer.text
    (cited,) = [c for c in answer.citations if "按照单位实际" in c.quote]
    assert cited.quote.startswith("市县区财政资金") and cited.where.startswith("第五部分")

"""project_figures on the five real disclosures: the appendix project tables."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from indexing.loaders import file_sha256, load_lines
from indexing.metadata import detect_document
from indexing.projects import project_figures, project_metric, project_spans
from indexing.records import Figure, ProjectSpan

DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def figures(prefix: str) -> tuple[Figure, ...]:
    path = next(DATA.glob(f"{prefix}_*.txt"))
    lines, pages = load_lines(path)
    doc = detect_document(lines, path.name, file_sha256(path), pages)
    return tuple(project_figures(lines, doc))


def found(prefix: str, row: str, measure: str) -> list[Figure]:
    return [f for f in figures(prefix) if f.row == row and f.measure == measure]


def test_every_figure_is_an_appendix_figure_quoting_its_line():
    for prefix in ("000", "001", "002", "003", "004"):
        path = next(DATA.glob(f"{prefix}_*.txt"))
        text = path.read_text(encoding="utf-8").split("\n")
        for f in figures(prefix):
            assert (f.source, f.table_id, f.code) == ("appendix", "", "")
            assert f.quote == text[f.locator.line_start - 1]


def test_project_metric_follows_the_narrative_naming():
    assert project_metric("县电子政务外网公共服务域建设项目（移动）") == (
        "县电子政务外网公共服务域建设项目(移动)项目"
    )
    assert project_metric("阳谷县“爱山东”APP 分厅建设工作服务项目") == (
        "阳谷县爱山东APP分厅建设工作服务项目"
    )


def test_yangcheng_network_maintenance_budget_execution():
    row = "网络运行维护费 / 资金总额"
    (budget,) = found("003", row, "全年预算数")
    (rate,) = found("003", row, "执行率")
    (initial,) = found("003", row, "年初预算数")
    assert (budget.value, budget.unit, budget.column) == (1.443, "万元", "全年预算数")
    assert (rate.value, rate.unit) == (100.0, "%")
    assert (initial.value, initial.column) == (2.8, "年初预算数 / 预算编制数")
    assert budget.metric == "网络运行维护费项目"
    assert budget.table_title == "网络运行维护费项目支出绩效自评表"
    assert budget.locator.line_start == 685


def test_a_header_that_names_the_total_makes_the_first_row_that_adds_up_the_total():
    """A header "项目资金… | 资金总额: | 年初预算数 …" names the total: the rows below are printed by fund
    source (市区财政资金), by half a label split over two lines (市 / 县区财政资金)
    or with no label at all; the first one whose rate agrees is the total."""
    by_fund = {f.measure: f.value for f in found_all("003", "政务热线服务费12345 / 资金总额")}
    assert by_fund == {"年初预算数": 51.458, "全年预算数": 51.4, "执行数": 51.4, "执行率": 100.0}
    split = {f.measure: f.value for f in found_all("003", "招投标业务费 / 资金总额")}
    assert split == {"年初预算数": 23.0, "全年预算数": 13.68, "执行数": 13.682, "执行率": 100.0}
    (unlabelled,) = found("003", "政务大厅运行费 / 资金总额", "执行数")
    assert (unlabelled.value, unlabelled.locator.line_start) == (30.589, 823)
    # the 餐补 row under such a header spends 15.785 of a budget of 0: it adds
    # up to no rate, so it is no total
    assert not found_all("003", "政务中心工作人员餐补 / 资金总额")


def found_all(prefix: str, row: str) -> list[Figure]:
    return [f for f in figures(prefix) if f.row == row]


def test_yangcheng_city_funds_row_is_read_like_its_total():
    row = "网络运行维护费 / 市区财政资金"
    values = {f.measure: f.value for f in figures("003") if f.row == row}
    assert values == {"年初预算数": 2.8, "全年预算数": 1.443, "执行数": 1.443, "执行率": 100.0}


def test_gaoping_overload_control_rate_and_spending_in_yuan():
    (rate,) = found("002", "治超经费 / 合计", "执行率")
    (spent,) = found("002", "治超经费 / 合计", "执行数")
    assert (rate.value, rate.unit, rate.locator.line_start) == (63.24, "%", 1836)
    assert (spent.value, spent.unit, spent.column) == (170747.3, "元", "全年执行数")


def test_gaoping_score_is_read_from_the_report_sentence():
    (score,) = found("002", "治超经费 / 总得分", "项目自评得分")
    assert (score.value, score.unit, score.locator.line_start) == (92.32, "分", 1859)


def test_yanggu_lines_opened_is_an_indicator_value_in_lines():
    row = "县电子政务外网公共服务域建设项目(移动) / 线路开通数量"
    (opened,) = found("004", row, "指标值")
    assert (opened.value, opened.unit, opened.column) == (173.0, "条", "实际完成指标值")
    assert opened.metric == "县电子政务外网公共服务域建设项目(移动)项目"


def test_zaozhuang_summary_score_of_the_hotline():
    (score,) = found("001", "12345市长热线运行保障经费 / 序号3", "项目自评得分")
    assert (score.value, score.unit, score.column) == (99.9, "分", "得分")
    assert score.table_title == "项目支出绩效自评结果汇总表"


def test_zaozhuang_garbled_table_name_resolved_by_summary_and_score():
    (spent,) = found("001", "单位运行经费 / 年度资金总额", "执行数")
    assert (spent.value, spent.unit, spent.locator.line_start) == (337.28, "万元", 648)
    assert [f.value for f in found("001", "单位运行经费 / 年度资金总额", "全年预算数")] == [352.0]


def test_zaozhuang_misaligned_part_row_gives_no_figure():
    assert found("001", "单位运行经费 / 当年财政拨款", "执行数") == []


def test_zaozhuang_unnamed_table_gives_no_figures():
    assert [f for f in figures("001") if 615 <= f.locator.line_start <= 640] == []


def test_yanggu_two_hotline_rows_kept_apart():
    rows = [
        (f.row, f.value, f.locator.line_start)
        for f in figures("004")
        if f.metric == "12345市民服务热线经费项目" and f.column == "自评得分"
    ]
    assert rows == [
        ("12345市民服务热线经费 / 序号2", 98.0, 648),
        ("12345市民服务热线经费 / 序号9", 100.0, 656),
    ]


def test_guanxian_table_total_score_and_shifted_budget_row():
    (score,) = found("000", "热线系统运营维护服务辅助工作 / 总分", "项目自评得分")
    assert score.value == 97.63
    row = "热线系统运营维护服务辅助工作 / 年度资金总额"
    values = {f.measure: f.value for f in figures("000") if f.row == row}
    assert values == {"年初预算数": 29.5, "全年预算数": 29.5, "执行数": 22.5, "执行率": 76.27}


def test_bounds_are_not_read_as_actual_values():
    rows = {f.row for f in figures("003") if f.measure == "指标值"}
    assert "网络百兆光纤费 / 光纤使用人数" not in rows  # actual printed as "≥2000人次/天"
    assert "网络运行维护费 / 网络运行维护次数" in rows


def test_an_indicators_weight_and_points_are_read_even_when_its_actual_is_a_bound():
    # "成本节约率 ≥% ≥10% ≥5% 10 7": no actual figure, but 7 points of 10
    row = "网络运行维护费 / 成本节约率"
    assert [f.value for f in found("003", row, "指标分值")] == [10.0]
    assert [f.value for f in found("003", row, "指标得分")] == [7.0]
    assert found("003", row, "指标值") == []


def test_a_target_written_as_an_increase_is_a_target():
    # "工作人员满意度 提高% 提高90% 提高85% 10 8"
    row = "政务中心工作人员餐补 / 工作人员满意度"
    assert [(f.value, f.unit) for f in found("003", row, "指标值")] == [(85.0, "%")]
    assert [f.value for f in found("003", row, "指标得分")] == [8.0]


def test_an_indicator_whose_target_is_not_a_number_still_has_its_points():
    # 高平: "成本指标 | 成本指标 | | 未填报 | 部分达成预期指标… | | 10 | 5 | 未设置成本指标"
    row = "会务服务及资料印刷相关费用 / 成本指标"
    assert [f.value for f in found("002", row, "指标分值")] == [10.0]
    assert [f.value for f in found("002", row, "指标得分")] == [5.0]
    # "时效指标 | 会议召开时间 | | 全年 | 达成预期指标 | | 10 | 10": named by its own cell
    assert found("002", "会务服务及资料印刷相关费用 / 会议召开时间", "指标得分")


def test_figures_per_document():
    counts = [len(figures(p)) for p in ("000", "001", "002", "003", "004")]
    assert counts == [157, 112, 301, 230, 741]


def test_a_quantity_indicator_without_a_unit_is_a_figure() -> None:
    """来冠就业创业优秀人才数量 =4 | 4: a count needs no printed unit; its value is kept."""
    from pathlib import Path

    from indexing.pipeline import parse_document

    root = Path(__file__).resolve().parents[2]
    figures = parse_document(root / "data" / "000_14fd902755dfec5d.txt").figures
    counts = [f for f in figures if f.measure == "指标值" and "优秀人才数量" in f.row]
    assert [(f.value, f.unit) for f in counts] == [(4.0, "")]


@cache
def spans(prefix: str) -> tuple[ProjectSpan, ...]:
    path = next(DATA.glob(f"{prefix}_*.txt"))
    lines, _ = load_lines(path)
    return tuple(project_spans(lines, figures(prefix)))


def test_each_shanxi_report_is_the_pages_of_the_project_it_names():
    # 高平: "项目支出绩效自评分析报告" / "项目名称：办公信息化业务费" … up to the next report
    office = next(s for s in spans("002") if s.metric == "办公信息化业务费项目")
    text = (DATA / next(DATA.glob("002_*.txt")).name).read_text(encoding="utf-8").split("\n")
    pages = "\n".join(text[office.line_start - 1 : office.line_end])
    assert "购置文件柜 2 个" in pages
    assert "项目名称：发展研究业务及相关费用" not in pages
    assert len(spans("002")) == 12


def test_an_evaluation_report_joins_the_project_its_table_named():
    # 冠县: the report says "冠县热线系统运营维护服务辅助工作项目", the table "热线系统…工作"
    named = [s.metric for s in spans("000")]
    assert named.count("热线系统运营维护服务辅助工作项目") == 2


def test_a_sentence_ending_in_a_report_title_word_opens_no_project():
    # 枣庄: "…撰写绩效评价报告。" is a sentence of the report, not a title
    assert [s.metric for s in spans("001")][-1] == "12345市长热线运行保障经费项目"
    assert all("组织实施" not in s.metric for s in spans("001"))


def test_an_evaluation_reports_score_table_gives_figures():
    # 枣庄's 12345 hotline has no self-evaluation table, only its evaluation report,
    # whose score table is headed 目标值 | 完成值 | 分值 | 得分 under a 四级指标
    row = "12345市长热线运行保障经费 / 工作人员数量"
    assert [(f.value, f.unit) for f in found("001", row, "指标值")] == [(150.0, "人")]
    # a target printed without a bound ("100%" then "98.99%") is read under its column
    rate = "12345市长热线运行保障经费 / 预算资金执行率"
    assert [f.value for f in found("001", rate, "指标值")] == [98.99]
    assert [f.value for f in found("001", rate, "指标得分")] == [9.9]


def test_a_bare_target_under_its_column_scores_the_row_right():
    # 冠县 "质量指标 | 资金使用合规性 | 1 | 1 | 5 | 5": target 1, actual 1, 5 of 5 points
    row = "冠县人民政府机关综合业务补助 / 资金使用合规性"
    assert [f.value for f in found("000", row, "指标分值")] == [5.0]
    assert [f.value for f in found("000", row, "指标得分")] == [5.0]


def test_a_report_without_a_budget_table_states_its_money_in_sentences():
    # 枣庄's hotline report: "项目预算资金: 1370万元。" "本年度支出1356.16万元"
    row = "12345市长热线运行保障经费 / 资金总额"
    assert [(f.value, f.unit) for f in found("001", row, "全年预算数")] == [(1370.0, "万元")]
    assert [f.value for f in found("001", row, "执行数")] == [1356.16]


def test_an_aligned_row_is_named_by_its_name_cell_not_its_levels():
    # "8 | 效益 | 项目效益 | 满意度 | 社会公众满意度 | ≥90% | 90%": 满意度 is no level word
    assert found("001", "12345市长热线运行保障经费 / 社会公众满意度", "指标值")
    assert not [f for f in figures("001") if "8效益" in f.row]


def test_a_shanxi_report_without_a_budget_table_states_it_in_a_sentence():
    # 高平 13710: "全年预算数 36000 元，实际支付 36000 元，预算执行率 100%。"
    row = "13710督办系统服务 / 资金总额"
    assert [(f.value, f.unit) for f in found("002", row, "执行数")] == [(36000.0, "元")]
    assert [f.value for f in found("002", row, "执行率")] == [100.0]


def test_a_rows_reason_is_its_first_cell_after_the_last_number():
    from indexing.project_rows import row_reason

    budget = (
        "市县区财政资金\t400,000\t400,000\t400,000\t177,868\t222,132\t\t\t单位实际外出学习计划减少"
    )
    assert row_reason(budget) == "单位实际外出学习计划减少"
    assert row_reason("合计\t270,000\t270,000\t170,747.3\t63.24\t6.32\t") == ""

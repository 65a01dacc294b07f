"""Unanswerable means unanswerable: a detail the documents only count or never
give is declined, saying what they do give; the same question is answered
where a document states it."""

from __future__ import annotations

import re

import pytest

from config import Settings
from retrieval import ask


@pytest.mark.parametrize(
    "question",
    [
        "枣庄市人民政府办公室主任2024年的工资是多少？",
        "高平市政府办2024年因公出国（境）去的是哪个国家？",
        "普陀区财政局2024年末在职人员有多少人？",
        "普陀区财政局2024年委托了哪几家中介机构做审计和绩效评价？",
        # the bureau counts its self-evaluated projects but never names them
        "普陀区财政局2024年绩效自评的4个项目分别是哪几个？",
    ],
)
def test_a_detail_no_document_states_is_declined(built_index: Settings, question: str) -> None:
    answer = ask(question, settings=built_index)
    assert answer.declined
    assert answer.text.startswith("文件中未找到")


def test_staff_numbers_are_answered_where_a_document_states_them(built_index: Settings) -> None:
    answer = ask("阳城县政务服务中心有多少在编人员？", settings=built_index)
    assert not answer.declined


def test_last_year_without_a_stated_change_is_declined_not_this_years_figure(
    built_index: Settings,
) -> None:
    answer = ask("枣庄市政府办2023年的公务接待费是多少？", settings=built_index)
    assert answer.declined
    assert "32.73" not in answer.text and "2024年度的决算" in answer.text


def test_last_year_with_a_stated_change_is_derived_and_says_so(built_index: Settings) -> None:
    answer = ask("枣庄市政府办2023年收支总计是多少？", settings=built_index)
    assert not answer.declined
    assert "推算" in answer.text and "7,394.53" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "普陀区国库收付中心2024年单独的支出决算是多少？",
        "冠县政府办的4辆机要通信用车2024年运行维护费各花了多少？",
    ],
)
def test_a_unit_or_item_the_documents_only_total_is_declined(
    built_index: Settings, question: str
) -> None:
    assert ask(question, settings=built_index).declined


@pytest.mark.parametrize(
    "question",
    [
        "Which two countries did the Gaoping office's delegation visit in 2024?",
        "What exactly did the Putuo District Finance Bureau buy with its 2024 office equipment spending (办公设备购置)?",
    ],
)
def test_an_english_detail_no_document_states_is_declined(
    built_index: Settings, question: str
) -> None:
    answer = ask(question, settings=built_index)
    assert answer.declined and answer.text.startswith("Not found in the documents")


def test_items_bought_are_answered_where_a_project_report_lists_them(
    built_index: Settings,
) -> None:
    answer = ask("高平市政府办“办公信息化业务费”项目具体买了哪些设备？", settings=built_index)
    assert not answer.declined and "打印机" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        # the text says the lights were replaced, not what it cost
        "普陀区财政局更换老旧照明设施的费用是多少？",
        # printers are named among the equipment bought, never counted
        "阳城县政务服务中心为公共资源交易平台买了几台打印机？",
    ],
)
def test_an_amount_no_sentence_states_is_declined_quoting_what_is_said(
    built_index: Settings, question: str
) -> None:
    answer = ask(question, settings=built_index)
    assert answer.declined and answer.text.startswith("文件中未找到")
    assert answer.citations and "「" in answer.text  # what the documents do say, cited


def test_a_count_stated_with_another_classifier_is_answered(built_index: Settings) -> None:
    # asked 几家, stated "与1个信息服务有限公司签订"
    answer = ask("冠县热线系统运营维护服务辅助工作项目跟几家公司签了合同？", settings=built_index)
    assert not answer.declined and "1 个" in answer.text


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("高平“数字政府”项目一期新建的5个数据库分别是哪些？", "数据库"),
        ("阳谷县智慧社区建设项目创建的县四星级智慧社区是哪个社区？", "县四星级智慧社区"),
        (
            "Which featured service applications (特色服务应用) were built for Yanggu?",
            "特色服务应用",
        ),
    ],
)
def test_names_of_things_the_documents_only_count_are_declined(
    question: str, noun: str, built_index: Settings
) -> None:
    # "新建数据库 5 个", "创建县四星级智慧社区一处": counted, never named
    answer = ask(question, settings=built_index)
    assert answer.declined and noun in answer.text


def test_names_the_documents_list_are_not_declined() -> None:
    from retrieval.coverage import only_counted

    listed = "本次设备主要包括电视机、防磁柜、计算机等办公设备，共5个办公设备"
    assert only_counted("采购的办公设备是哪些？", listed) is None
    counted = "本次共采购办公设备5个"
    assert only_counted("采购的办公设备是哪些？", counted) is not None


def test_a_term_no_document_mentions_is_declined_over_every_document(
    built_index: Settings,
) -> None:
    answer = ask("哪个单位2024年新能源汽车购置费最多？", settings=built_index)
    assert answer.declined and "文件没有提到“新能源" in answer.text
    again = ask("各单位2024年新能源汽车购置费加起来是多少？", settings=built_index)
    assert again.declined and "文件没有提到“新能源" in again.text


def test_a_decline_lists_the_first_documents_and_counts_them_all(
    built_index: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval import compose

    monkeypatch.setattr(compose, "TOP_ROWS", 3)
    answer = ask("哪个单位2024年新能源汽车购置费最多？", settings=built_index)
    assert answer.declined and answer.text.endswith("（共 6 份，以上列出 3 份）。")
    assert answer.text.count("年度）") == 3
    english = ask("What is the salary of the director of each office?", settings=built_index)
    assert english.declined and english.text.endswith("(6 in all, 3 listed).")


def test_the_coverage_check_reads_each_document_on_its_own(built_index: Settings) -> None:
    # a term is in the text of the documents in scope when one of them has it: read
    # document by document (the first that has it ends the search), never joined, so
    # the end of one and the start of the next make no word
    import re

    from retrieval.engine import get_engine

    engine = get_engine(built_index)
    ids = [d.doc_id for d in engine.documents]
    every = engine.text_of(ids)
    assert "公务接待费" in every and "新能源汽车" not in every
    assert every.matches(re.compile(r"公务接待费\d")) and not every.matches(re.compile("新能源"))
    first, second = (re.sub(r"\s+", "", engine.texts[d]) for d in ids[:2])
    seam = first[-3:] + second[:3]
    assert seam not in first and seam not in second
    assert seam not in engine.text_of(ids[:2]) and seam not in every
    assert "公务接待费" in engine.text_of(ids[1:2])


def test_a_compound_the_question_coins_from_the_documents_words_is_not_declined(
    built_index: Settings,
) -> None:
    # the self-evaluation says 热线系统运营服务满意率; "热线服务" is the asker's
    # shortening, and both of its pieces are in the document
    from retrieval.coverage import missing_terms
    from retrieval.engine import get_engine

    engine = get_engine(built_index)
    guanxian = [d.doc_id for d in engine.documents if d.department.startswith("冠县")]
    text = engine.text_of(guanxian)
    assert "热线服务" not in text
    assert "热线服务" not in missing_terms("热线服务满意率是多少？", text)
    assert missing_terms("新能源汽车购置费是多少？", text)  # still absent: 新能源
    answer = ask(
        "冠县热线系统运营维护服务辅助工作项目的热线服务满意率实际是多少？", settings=built_index
    )
    assert not answer.declined
    assert re.search(r"热线系统运营服务满意率[：\s]*92 %", answer.text)


def test_a_change_not_stated_is_said_missing_beside_the_part_that_is(
    built_index: Settings,
) -> None:
    # "是多少？比上年增加了多少？": the total is stated, its change is not
    answer = ask(
        "高平市政府办2024年政府采购支出总额是多少？比上年增加了多少？", settings=built_index
    )
    assert not answer.declined and "16.44 万元" in answer.text
    assert "没有披露政府采购支出总额与上年相比的变化" in answer.text
    english = ask(
        "How much did the Guanxian office award in contracts to small and medium-sized "
        "enterprises in 2024, and how did that change from 2023?",
        settings=built_index,
    )
    assert not english.declined and "28.65" in english.text and "do not state how" in english.text
    # asked only for the change, the question is declined
    only = ask("枣庄市政府办2024年公务接待费比上年减少了多少？", settings=built_index)
    assert only.declined


def test_a_change_and_its_reason_asked_where_no_change_is_stated_says_so(
    built_index: Settings,
) -> None:
    # 普陀 states 一般公共服务支出 against its budget, never against last year: the
    # budget-vs-actual reasons are not passed off as the reason for a change
    answer = ask(
        "普陀区财政局2024年一般公共服务支出比上年增加了多少？为什么？", settings=built_index
    )
    assert "没有披露一般公共服务支出与上年相比的变化" in answer.text
    assert "决算数小于预算数" not in answer.text

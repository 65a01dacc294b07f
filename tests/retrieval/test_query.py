"""`understand` on the real catalogue: who, what, which measure, intent, year, language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexing.metadata import detect_document
from indexing.records import Document, Line
from retrieval.query import understand
from retrieval.records import Filters, Turn

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold" / "dev.jsonl"

GX, ZZ, GP, YC, YG = (
    "000_14fd902755dfec5d",
    "001_f4ec1982bbb312b3",
    "002_6b8b447dd5f33aed",
    "003_5bf6c4be2fcbdf28",
    "004_8e0e4eb5d50c1166",
)
ALL = (GX, ZZ, GP, YC, YG)


@pytest.fixture(scope="session")
def documents() -> tuple[Document, ...]:
    docs = []
    for path in sorted((ROOT / "data").glob("*.txt")):
        text = path.read_text(encoding="utf-8").splitlines()
        lines = [Line(no, line) for no, line in enumerate(text, start=1)]
        docs.append(detect_document(lines, path.name, "", None))
    return tuple(docs)


def _gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("item", _gold(), ids=lambda item: item["id"])
def test_dev_question_finds_its_documents(item, documents):
    by_source = {d.source: d.doc_id for d in documents}
    expected = tuple(by_source[name] for name in item["docs"])
    history = [Turn(t["q"], t["a"]) for t in item["history"]]
    query = understand(item["question"], documents, history)
    if query.all_docs and query.doc_ids == ALL:
        # "这三个单位" with no names: every document is in play.
        assert set(expected) <= set(query.doc_ids)
    else:
        assert query.doc_ids == expected
    assert bool(query.unknown_places) == (not expected)


def test_three_named_offices_are_exactly_those(documents):
    query = understand("冠县、枣庄、高平这三个政府办公室中，2024年哪个“三公”经费最多？", documents)
    assert query.doc_ids == (GX, ZZ, GP)
    assert query.all_docs is True
    assert query.intent == "compare"
    assert query.metrics == ("三公经费",)


def test_five_offices_unnamed_give_every_document(documents):
    query = understand("五个单位2024年收支总计加起来是多少？", documents)
    assert query.doc_ids == ALL
    assert query.all_docs is True
    assert query.intent == "sum"


def test_listing_units_of_one_office_is_not_all_documents(documents):
    query = understand("冠县人民政府办公室2024年部门决算包含哪些单位？", documents)
    assert query.doc_ids == (GX,)
    assert query.all_docs is False
    assert query.intent == "list"
    assert query.measure == ""


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("What did Zaozhuang spend on receptions?", ZZ),
        ("zao zhuang 三公经费", ZZ),
        ("Zǎozhuāng government office", ZZ),
        ("zao3 zhuang1 budget", ZZ),
        ("How much did Guan County spend?", GX),
        ("the Guanxian office", GX),
        ("What were Yanggu's official reception expenses?", YG),
        ("Yang-gu county vehicles", YG),
        ("What were the Yangcheng center's expenses?", YC),
        ("the Zaozhuang municipal government office", ZZ),
        ("Gao ping city", GP),
    ],
)
def test_latin_place_names_resolve_by_pinyin(question, doc_id, documents):
    assert understand(question, documents).doc_ids == (doc_id,)


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("枣庄的三公经费", ZZ),
        ("枣庄市政府办的三公经费", ZZ),
        ("冠县政府办的三公经费", GX),
        ("阳城县政务服务中心的三公经费", YC),
        ("阳城县政务大厅审批事项", YC),
        ("枣庄市人民政府决策研究中心的人员经费", ZZ),
        ("高平市外事工作服务中心的支出", GP),
    ],
)
def test_chinese_names_full_short_and_units_resolve(question, doc_id, documents):
    assert understand(question, documents).doc_ids == (doc_id,)


def test_unknown_city_government_is_reported_not_matched(documents):
    query = understand("滕州市人民政府办公室2024年的公务接待费是多少？", documents)
    assert query.unknown_places == ("滕州市",)
    assert query.doc_ids == ()


def test_city_of_covered_counties_is_not_a_covered_government(documents):
    query = understand("晋城市人民政府办公室的公务接待费", documents)
    assert query.unknown_places == ("晋城市",)
    assert query.doc_ids == ()


def test_other_department_of_a_covered_place_is_unknown(documents):
    query = understand("枣庄市财政局的三公经费", documents)
    assert query.unknown_places == ("枣庄市财政局",)
    assert query.doc_ids == ()


def test_unknown_place_in_english_is_reported(documents):
    query = understand("What were the Tengzhou government office's reception expenses?", documents)
    assert query.unknown_places == ("Tengzhou",)
    assert query.doc_ids == ()


def test_city_alone_names_its_counties(documents):
    assert understand("聊城的两个县三公经费合计", documents).doc_ids == (GX, YG)


def test_placeless_department_is_ambiguous_without_context(documents):
    assert understand("市政府办公室的三公经费", documents).doc_ids == ()


def test_placeless_department_resolves_from_history(documents):
    history = [Turn("高平市政府办2024年公务接待费是多少？", "2.1万元")]
    assert understand("市政府办公室的三公经费呢？", documents, history).doc_ids == (GP,)


def test_department_word_inside_a_metric_name_names_nobody(documents):
    query = understand("政府办公厅（室）及相关机构事务支出是多少", documents)
    assert query.doc_ids == ()
    assert query.metrics == ("政府办公厅(室)及相关机构事务",)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("高平市政府办2024年住房公积金支出是多少？", "figure"),
        ("冠县、枣庄、高平这三个政府办公室中，2024年哪个“三公”经费最多？", "compare"),
        ("把五个单位按2024年收支总计从高到低排个序。", "compare"),
        ("比较五个单位2024年的机关运行经费。", "compare"),
        ("Which of the five offices saw its total revenue and expenditure increase?", "compare"),
        ("三个单位2024年因公出国（境）费合计多少？", "sum"),
        ("What was the combined overseas travel spending of the five offices?", "sum"),
        ("高平市政府办交通运输支出为什么比上年减少？", "why"),
        ("阳城县政务服务中心社会保障和就业支出较上年增加的原因是什么？", "why"),
        ("Why did Gaoping spend less on transport than in 2023?", "why"),
        ("高平市政府办名词解释中的“结余分配”是什么意思？", "definition"),
        ("在阳城县政务服务中心的名词解释里，公务用车运行维护费包括哪些支出？", "definition"),
        ("What does 机关运行经费 mean?", "definition"),
        ("高平市人民政府办公室部门决算由哪些单位组成？", "list"),
        ("阳城县政务服务中心是什么性质的单位？内设哪些机构？", "list"),
        ("高平市政府办2024年因公出国（境）有几个团组、几人次？", "count"),
        ("截至2024年底，冠县政府办公务用车保有量是多少辆？", "count"),
        ("How many vehicles did the Yangcheng Government Service Center have?", "count"),
        ("阳谷县政府办2024年一共有多少个项目做了绩效自评？", "count"),
        ("其中自评得分最高的是哪个项目？", "figure"),
    ],
)
def test_intent(question, intent, documents):
    assert understand(question, documents).intent == intent


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("高平市政府办2024年“三公”经费预算和决算分别是多少？", "预算和决算"),
        ("How did it compare with the budget?", "预算和决算"),
        ("阳谷县政府办职业年金缴费支出超出年初预算多少？", "预算和决算"),
        ("阳谷县政府办“行政运行”科目的年初预算是多少？", "年初预算数"),
        ("三公经费全年预算是多少", "全年预算数"),
        ("What was the budget for receptions?", "全年预算数"),
        ("冠县政府办住房公积金支出决算是多少？", "决算数"),
        ("How much was actually spent on receptions?", "决算数"),
        ("这个项目全年执行了多少？", "决算数"),
        ("冠县政府办2024年项目支出比2023年减少了多少？", "增减"),
        ("How did reception expenses change compared with 2023?", "增减"),
        ("一般公共服务支出占比是多少？", "占比"),
        ("What share of spending went to receptions?", "占比"),
        ("一般公共预算财政拨款支出年初预算多少？完成了多少？", "完成率"),
        ("“网络运行维护费”项目的预算执行率是多少？", "完成率"),
        ("Its initial budget, and what percentage of it did actual spending reach?", "完成率"),
        ("How was its spending split between basic and project expenditure?", "占比"),
        ("一般公共预算财政拨款支出是多少", ""),
        ("五个单位中哪个决算包含的二级预算单位最多？", ""),
    ],
)
def test_measure(question, measure, documents):
    assert understand(question, documents).measure == measure


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("高平市政府办2022年城乡社区支出决算是多少？", 2022),
        ("阳城县政务服务中心2022年度的支出总计是多少？", 2022),
        ("What were Yanggu's reception expenses in 2023?", 2023),
        ("与2023年相比，枣庄市政府办2024年收支总计减少了多少？", 2024),
        ("冠县政府办项目支出比2023年减少了多少？", 2024),
        ("Which office's total rose compared with 2023?", 2024),
        ("住房公积金（2210201）支出是多少？", None),
    ],
)
def test_year(question, year, documents):
    assert understand(question, documents).year == year


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("枣庄市政府办2024年公务接待费是多少？", "zh"),
        ("What were Yanggu's official reception expenses in 2024?", "en"),
        ("What was the total expenditure of 高平市人民政府办公室 in 2024?", "mixed"),
        ("Zaozhuang 的三公经费是多少？", "zh"),
    ],
)
def test_language(question, lang, documents):
    assert understand(question, documents).lang == lang


def test_follow_up_with_new_place_keeps_metric_measure_and_intent(documents):
    history = [Turn("冠县政府办2024年三公经费为什么比上年少？", "……")]
    query = understand("那阳谷呢?", documents, history)
    assert query.doc_ids == (YG,)
    assert query.metrics == ("三公经费",)
    assert query.measure == "增减"
    assert query.intent == "why"
    assert query.year == 2024


def test_follow_up_without_place_keeps_the_department(documents):
    history = [Turn("冠县政府办截至2024年底共有多少辆车？", "7辆")]
    query = understand("其中机要通信用车和应急保障用车各有几辆？", documents, history)
    assert query.doc_ids == (GX,)
    assert query.metrics == ("机要通信用车", "应急保障用车", "车辆数")
    assert query.intent == "count"


def test_english_follow_up_takes_its_own_measure(documents):
    history = [Turn("What were Yanggu's official reception expenses in 2024?", "1.2")]
    query = understand("and its budget?", documents, history)
    assert query.doc_ids == (YG,)
    assert query.metrics == ("公务接待费",)
    assert query.measure == "全年预算数"


def test_new_complete_question_does_not_inherit_metrics(documents):
    history = [Turn("高平市政府办2024年三公经费是多少？", "9.36万元")]
    query = understand("高平市人民政府办公室部门决算由哪些单位组成？", documents, history)
    assert query.metrics == ()


def test_filters_restrict_unnamed_questions_to_the_filtered_place(documents):
    query = understand("三公经费是多少", documents, filters=Filters(place="高平"))
    assert query.doc_ids == (GP,)


def test_filters_restrict_all_offices_to_the_filtered_documents(documents):
    query = understand("这五个单位的三公经费", documents, filters=Filters(doc_ids=(GX, ZZ)))
    assert query.doc_ids == (GX, ZZ)


def test_filter_year_is_the_year_when_the_question_has_none(documents):
    assert understand("三公经费是多少", documents, filters=Filters(year=2024)).year == 2024


def test_terms_are_chinese_content_words_without_places(documents):
    query = understand("阳城县政务服务中心“网络百兆光纤费”项目执行率多少？", documents)
    assert query.terms == ("网络", "百兆", "光纤", "项目", "执行率")


def test_terms_of_an_english_question_are_mapped_to_chinese(documents):
    query = understand(
        "How many delegations went on official trips abroad from Zaozhuang?", documents
    )
    assert query.terms == ("团组", "因公出国(境)费")


def test_terms_keep_the_metric_as_spelled_and_canonical(documents):
    query = understand("冠县政府办2024年职业年金缴费是多少？", documents)
    assert query.terms == ("职业年金缴费", "机关事业单位职业年金缴费支出")


def test_departments_after_chu_are_left_out_of_the_scope(built_index) -> None:
    from retrieval.engine import get_engine
    from retrieval.query import understand

    engine = get_engine(built_index)
    query = understand(
        "冠县、枣庄、高平、阳城、阳谷五家中，除高平以外，其余四家2024年“三公”经费决算合计是多少？",
        engine.documents,
    )
    assert query.intent == "sum"
    assert len(query.doc_ids) == 4 and "002_6b8b447dd5f33aed" not in query.doc_ids


def test_an_english_exclusion_leaves_the_named_department_out(built_index) -> None:
    from retrieval.engine import get_engine
    from retrieval.query import understand

    engine = get_engine(built_index)
    query = understand(
        "Leaving out the Putuo District Finance Bureau, how many vehicles did the other five "
        "offices have in total at the end of 2024?",
        engine.documents,
    )
    assert query.intent == "sum" and len(query.doc_ids) == 5
    assert not any(d.startswith("上海市普陀区") for d in query.doc_ids)


def test_he_ji_after_a_metric_name_asks_a_sum(built_index) -> None:
    from retrieval.engine import get_engine
    from retrieval.query import understand

    engine = get_engine(built_index)
    query = understand("普陀区财政局和冠县政府办2024年的住房保障支出合计多少？", engine.documents)
    assert (query.intent, query.metrics) == ("sum", ("住房保障支出",))


def test_an_english_exclusion_with_exclude_leaves_that_department_out(
    documents: tuple[Document, ...],
) -> None:
    query = understand(
        "If you exclude Zaozhuang, what did the five offices spend on official receptions?",
        documents,
    )
    assert set(query.doc_ids) == {GX, GP, YC, YG}


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("据2024年决算说明推算2023年的基本支出", [2023]),
        ("根据高平市政府办2024年决算推算，2023年的交通运输支出是多少？", [2023]),
        ("2024年决算是多少？", [2024]),  # the only year named is the one asked
    ],
)
def test_a_year_naming_the_document_is_not_the_year_asked(question, years):
    from retrieval.cues import years_asked

    assert years_asked(question) == years


def test_the_others_are_the_earlier_scope_less_those_its_answer_named_first(documents):
    asked = "冠县、枣庄、高平、阳城、阳谷这五家政府办（中心），2024年哪家有公务用车购置费支出？"
    # every office is named in the answer; the one named first is the one set aside
    answered = "只有冠县政府办有（24.98万元）；枣庄、高平、阳城、阳谷四家为0。"
    query = understand(
        "其余四家的公务用车运行维护费加起来是多少？", documents, [Turn(asked, answered)]
    )
    assert set(query.doc_ids) == {ZZ, GP, YC, YG} and query.intent == "sum"
    # English, and a count of two out of three: the first one named is set aside
    ranked = Turn(
        "高平、阳城、阳谷三家2024年公务用车运行维护费哪家最多？",
        "阳谷县政府办最多（7.84万元），其次是高平1.86万元、阳城1.28万元。",
    )
    assert set(understand("其余两家加起来是多少？", documents, [ranked]).doc_ids) == {GP, YC}
    english = understand("And the other two, combined?", documents, [ranked])
    assert set(english.doc_ids) == {GP, YC}
    # "其他收入" names a metric, not other offices: the earlier scope stands
    plain = understand("其他收入是多少？", documents, [ranked])
    assert set(plain.doc_ids) == {GP, YC, YG}


def test_each_thing_listed_before_ge_is_a_part_asked():
    from retrieval.cues import parts_asked

    assert parts_asked("受理了多少工单？满意率、问题解决率各是多少？") == 3
    assert parts_asked("住房公积金和购房补贴又各是多少？") == 2
    assert parts_asked("重办率、满意率和问题解决率分别是多少？") == 3
    assert parts_asked("公务接待费是多少？") == 1


def test_a_scope_named_only_by_the_one_it_leaves_out_is_the_rest(documents):
    # "除阳城以外，其他四家": the question names 阳城 only to set it aside
    query = understand("除阳城以外，其他四家2024年公务用车运行维护费合计多少？", documents)
    assert YC not in query.doc_ids and {GX, ZZ, GP, YG} <= set(query.doc_ids)
    assert query.intent == "sum"

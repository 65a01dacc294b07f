"""The scorer on hand-made answers built from the real gold set and corpus."""

from __future__ import annotations

import pytest

from config import ROOT
from eval.gold import GoldItem, load_gold
from eval.matching import includes, missing
from eval.score import answer_correct, citation_correct, retrieval_scores, score_answer
from retrieval.records import Answer, Citation, Retrieved

DATA = ROOT / "data"
GUANXIAN = "000_14fd902755dfec5d.txt"
ZAOZHUANG = "001_f4ec1982bbb312b3.txt"
GAOPING = "002_6b8b447dd5f33aed.txt"


@pytest.fixture(scope="module")
def gold() -> dict[str, GoldItem]:
    return {item.id: item for item in load_gold()}


def around(doc: str, quote: str, margin: int = 30) -> str:
    """The quote with some of the real document text on either side."""
    text = (DATA / doc).read_text(encoding="utf-8")
    start = text.index(quote)
    return text[max(0, start - margin) : start + len(quote) + margin]


def answer(text: str, *, declined: bool = False, citations=(), retrieved=()) -> Answer:
    return Answer(
        text=text,
        language="zh",
        citations=tuple(citations),
        declined=declined,
        retrieved=tuple(retrieved),
    )


def citation(source: str, quote: str, value: float | None = None, unit: str = "") -> Citation:
    return Citation(
        n=1,
        doc_id=source.split("_")[0],
        department="",
        source=source,
        where="",
        quote=quote,
        locator="",
        page=None,
        line_start=1,
        line_end=1,
        score=1.0,
        value=value,
        unit=unit,
    )


def test_answer_with_thousands_separator_matches_plain_must_include(gold):
    item = gold["gx-009"]  # must_include 1378.27, 1444.05, 104.77
    reply = answer("年初预算1,378.27万元，支出决算1,444.05万元，完成年初预算的104.77%。")
    assert answer_correct(item, reply) == (True, ())


def test_number_with_stray_spaces_matches():
    assert includes("合 计 4, 637. 79 万元", "4637.79", "万元") is True


def test_trailing_zero_does_not_matter(gold):
    assert answer_correct(gold["zz-001"], answer("住房公积金支出182.80万元。")) == (True, ())


def test_missing_figure_is_reported(gold):
    reply = answer("年初预算1,378.27万元，支出决算1,444.05万元。")
    assert answer_correct(gold["gx-009"], reply) == (False, ("104.77",))


def test_number_inside_a_longer_number_does_not_match():
    assert includes("支出19.36万元", "9.36", "万元") is False


def test_wrong_unit_is_wrong_when_must_include_has_the_unit():
    assert includes("公务接待费32.73元", "32.73万元") is False


def test_wrong_unit_is_wrong_for_bare_number_in_a_wanyuan_question(gold):
    item = gold["zz-035"]  # must_include 32.73, unit 万元
    assert answer_correct(item, answer("公务接待费32.73元。")) == (False, ("32.73",))


def test_yuan_answer_matches_wanyuan_gold(gold):
    assert answer_correct(gold["zz-035"], answer("公务接待费327,300元。")) == (True, ())


def test_wanyuan_answer_matches_yuan_must_include():
    assert includes("公务接待费32.73万元", "327,300元") is True


def test_count_with_unit_matches_after_spaces_removed(gold):
    item = gold["gp-014"]  # must_include 1个, 1人次
    assert answer_correct(item, answer("团组 1 个，1 人次。")) == (True, ())


def test_count_with_wrong_number_of_person_trips_is_wrong(gold):
    assert answer_correct(gold["gp-014"], answer("团组1个，11人次。")) == (False, ("1人次",))


def test_ten_thousand_written_as_wan_matches_full_number(gold):
    assert answer_correct(gold["yc-013"], answer("全年审批25万件。")) == (True, ())


def test_pinyin_place_name_counts_as_chinese_must_include(gold):
    item = gold["x5-007"]  # must_include 阳谷, 94.3, 5.93
    reply = answer("Only Yanggu grew: up 94.3万元, or 5.93%.")
    assert answer_correct(item, reply) == (True, ())


def test_full_width_parentheses_match_half_width():
    assert missing("因公出国(境)费17.72万元", ("因公出国（境）费",)) == ()


def test_declined_answerable_question_is_wrong(gold):
    reply = answer("文件中未找到。", declined=True)
    assert answer_correct(gold["gp-001"], reply) == (False, ("69.09",))


def test_confident_answer_to_unanswerable_question_is_wrong(gold):
    reply = answer("滕州市人民政府办公室2024年公务接待费为32.73万元。")
    assert answer_correct(gold["zz-034"], reply) == (False, ())


def test_declining_unanswerable_question_is_right(gold):
    reply = answer("文件中未找到滕州市人民政府办公室的决算。", declined=True)
    assert answer_correct(gold["zz-034"], reply) == (True, ())


def test_every_gold_answer_passes_its_own_must_include(gold):
    wrong = [
        item.id
        for item in gold.values()
        if item.answerable and not answer_correct(item, answer(item.answer))[0]
    ]
    assert wrong == []


def test_citation_containing_evidence_quote_is_correct(gold):
    item = gold["zz-039"]  # quote "合 计\t4, 637. 79\t2, 433. 87\t2, 203. 91"
    quote = around(ZAOZHUANG, item.evidence[0].quote)
    assert citation_correct(item, (citation(ZAOZHUANG, quote),)) is True


def test_citation_with_half_width_punctuation_and_no_spaces_is_correct(gold):
    item = gold["gp-014"]  # quote 出国（境）团组共1个，1人次
    assert citation_correct(item, (citation(GAOPING, "出国(境)团组共1个,1人次"),)) is True


def test_citation_without_the_quote_is_wrong(gold):
    item = gold["zz-039"]
    quote = around(ZAOZHUANG, "本部门共有车辆7辆")
    assert citation_correct(item, (citation(ZAOZHUANG, quote),)) is False


def test_citation_of_the_quote_from_another_document_is_wrong(gold):
    item = gold["gp-014"]
    assert citation_correct(item, (citation(GUANXIAN, "出国（境）团组共1个，1人次"),)) is False


def test_citation_of_the_gold_figure_in_yuan_is_correct(gold):
    item = gold["gp-001"]  # value 69.09 万元
    cited = citation(GAOPING, "住房公积金", value=690900.0, unit="元")
    assert citation_correct(item, (cited,)) is True


def test_citation_of_the_gold_figure_from_another_document_is_wrong(gold):
    cited = citation(GUANXIAN, "住房公积金", value=69.09, unit="万元")
    assert citation_correct(gold["gp-001"], (cited,)) is False


def test_no_citation_judgement_for_unanswerable_question(gold):
    assert citation_correct(gold["zz-034"], ()) is None


def passage(text: str, source: str) -> Retrieved:
    return Retrieved(text=text, doc_id=source[:3], source=source, kind="section", where="")


def ranking(item: GoldItem) -> tuple[Retrieved, ...]:
    """x3-001 evidence: 001, 000 and 002 quotes; ranked with a miss and a wrong source."""
    by_doc = {e.doc: e.quote for e in item.evidence}
    return (
        passage(around(GUANXIAN, "本部门共有车辆 10 辆"), GUANXIAN),
        passage(around(ZAOZHUANG, by_doc[ZAOZHUANG]), ZAOZHUANG),
        passage(around(GUANXIAN, by_doc[GUANXIAN]), GAOPING),
        passage(around(GAOPING, by_doc[GAOPING]), GAOPING),
    )


@pytest.mark.parametrize(("k", "expected"), [(5, (2 / 3, 0.5)), (2, (1 / 3, 0.5)), (1, (0.0, 0.0))])
def test_recall_and_reciprocal_rank_on_hand_made_ranking(gold, k, expected):
    item = gold["x3-001"]
    assert retrieval_scores(item.evidence, ranking(item), k) == pytest.approx(expected)


def test_evidence_alternatives_in_one_document_count_once(gold):
    item = gold["gp-001"]  # two quotes, both in 002: the 05表 row and the sentence
    found = passage(around(GAOPING, item.evidence[1].quote), GAOPING)
    assert retrieval_scores(item.evidence, (found,), 5) == (1.0, 1.0)


def test_score_answer_combines_all_judgements(gold):
    item = gold["gp-001"]
    found = passage(around(GAOPING, item.evidence[0].quote), GAOPING)
    reply = answer(
        "住房公积金支出69.09万元[1]。",
        citations=(citation(GAOPING, item.evidence[0].quote, 69.09, "万元"),),
        retrieved=(passage("无关", GUANXIAN), found),
    )
    score = score_answer(item, reply, latency_ms=12.5, k=5)
    assert (score.correct, score.citation_correct, score.recall, score.reciprocal_rank) == (
        True,
        True,
        1.0,
        0.5,
    )
    assert score.top_sources == (GUANXIAN, GAOPING)

"""Exact figure lookup (`retrieval.lookup`) on the real index: which reading comes first."""

from __future__ import annotations

import pytest

from config import Settings
from retrieval.engine import Engine, get_engine
from retrieval.lookup import Reading, best_per_document, derive_previous, lookup, metrics_for
from retrieval.query import understand

ZAOZHUANG = "001_f4ec1982bbb312b3"


@pytest.fixture(scope="module")
def engine(built_index: Settings) -> Engine:
    return get_engine(built_index)


def readings(engine: Engine, question: str) -> list[Reading]:
    """Readings over the five seed documents (the questions are about them)."""
    seeds = [d for d in engine.documents if d.source.endswith(".txt")]
    query = understand(question, seeds)
    return lookup(engine.stores.figures, query, query.doc_ids or [d.doc_id for d in seeds])


def sources(reading: Reading) -> set[tuple[str, str]]:
    return {(f.source, f.table_id) for f in reading.figures}


def test_reception_fee_reads_the_09_table_and_narrative_value_first(engine: Engine) -> None:
    first = readings(engine, "枣庄市人民政府办公室2024年公务接待费是多少？")[0]
    assert (first.doc_id, first.metric, first.measure) == (ZAOZHUANG, "公务接待费", "决算数")
    assert (first.value, first.unit) == (32.73, "万元")
    assert sources(first) == {("table", "09"), ("narrative", "")}
    assert first.primary.table_id == "09"


def test_reception_fee_keeps_the_06_table_basic_part_as_a_separate_reading(
    engine: Engine,
) -> None:
    found = readings(engine, "枣庄市人民政府办公室2024年公务接待费是多少？")
    (part,) = [r for r in found if r.value == 2.73]
    assert (part.metric, part.measure, part.unit) == ("公务接待费", "决算数", "万元")
    assert sources(part) == {("table", "06")}
    assert found.index(part) > 0


def test_count_question_adds_the_count_metrics_of_the_asked_metric(engine: Engine) -> None:
    query = understand("枣庄市政府办2024年公务接待多少批次、多少人次？", engine.documents)
    found = lookup(engine.stores.figures, query, query.doc_ids)
    counts = {(r.unit, r.value) for r in found if r.measure == "数量"}
    assert {("批次", 100.0), ("人次", 893.0)} <= counts


def test_metrics_for_puts_the_qualified_metric_before_its_parts(engine: Engine) -> None:
    query = understand("冠县政府办2024年一般公共预算财政拨款项目支出是多少？", engine.documents)
    expanded = metrics_for(query, engine.stores.figures.metrics())
    assert expanded[0] == "一般公共预算财政拨款项目支出"
    assert set(query.metrics) <= set(expanded)


def test_qualified_metric_reads_the_05_table_total_first(engine: Engine) -> None:
    first = readings(engine, "冠县政府办2024年一般公共预算财政拨款项目支出是多少？")[0]
    assert (first.metric, first.value) == ("一般公共预算财政拨款项目支出", 365.88)
    assert sources(first) == {("table", "05")}


def test_best_per_document_keeps_one_reading_per_department(engine: Engine) -> None:
    found = readings(engine, "五个单位2024年因公出国(境)费合计是多少？")
    chosen = best_per_document(found, "因公出国(境)费", "决算数")
    assert len(chosen) == 5
    assert {d: r.value for d, r in chosen.items()}[ZAOZHUANG] == 17.72


def test_derive_previous_subtracts_the_stated_change_and_cites_both(engine: Engine) -> None:
    found = readings(engine, "枣庄市政府办2024年收支总计是多少？")
    current = next(r for r in found if r.metric == "收支总计" and r.measure == "决算数")
    query = understand("枣庄市政府办2024年收支总计比上年增减多少？", engine.documents)
    change = next(
        r
        for r in lookup(engine.stores.figures, query, query.doc_ids)
        if r.metric == "收支总计" and r.measure == "增减额"
    )
    previous = derive_previous(current, change, 2023)
    assert previous.value == round(current.value + 2732.53, 2)
    assert previous.measure == "2023年推算"
    assert previous.figures == (current.primary, change.primary)

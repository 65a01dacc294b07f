"""One vocabulary: every metric is defined once, in indexing/vocabulary.yaml;
everything the indexer names a figure with is a metric of it, and every metric
of it is askable by its name in Chinese and by its English name. Measures
likewise: what the index stores and what a question asks are its measures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from config import Settings
from indexing.narrative import _patterns
from indexing.vocabulary import (
    Cell,
    Classification,
    Vocabulary,
    VocabularyError,
    read_vocabulary,
    vocabulary,
)
from retrieval.coverage import salient_terms
from retrieval.cues import cue_data
from retrieval.engine import get_engine
from retrieval.glossary import load_glossary
from retrieval.names import measure_label, metric_label

ROOT = Path(__file__).resolve().parents[2]
VOCABULARY_FILE = ROOT / "indexing" / "vocabulary.yaml"
# Keys that are measures, not metrics: 项目自评得分 names both (the score
# measure of the appendix tables and the score stated in the narrative).
MEASURE_KEYED = {("query_cues.yaml", "conditions/measures")}
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def data_files() -> list[Path]:
    """Every YAML data file of the packages (the tests' fixtures are not data)."""
    return sorted(
        f
        for folder in ("indexing", "retrieval", "web", "eval", "juesuan")
        for f in (ROOT / folder).rglob("*.yaml")
    )


def keys(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """(key, the path of the mapping it is in, its value) of every mapping key."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key), path, value
            yield from keys(value, f"{path}/{key}".strip("/"))
    elif isinstance(node, list):
        for item in node:
            yield from keys(item, path)


def defined_in(predicate: Any) -> dict[str, set[str]]:
    """For each key meeting `predicate(key, value)`, the data files that define it:
    a key whose value is a plain string only refers to another name."""
    found: dict[str, set[str]] = {}
    for f in data_files():
        for key, path, value in keys(yaml.safe_load(f.read_text("utf-8"))):
            if isinstance(value, str) or (f.name, path) in MEASURE_KEYED:
                continue
            if predicate(key, value):
                found.setdefault(key, set()).add(f.name)
    return found


def test_each_metric_name_is_a_vocabulary_key_in_exactly_one_data_file() -> None:
    names = set(vocabulary().metrics)
    defined = defined_in(lambda key, _value: key in names)
    assert set(defined) == names
    assert {name: files for name, files in defined.items() if files != {"vocabulary.yaml"}} == {}


def test_each_code_list_is_in_exactly_one_data_file() -> None:
    defined = defined_in(lambda key, _value: bool(_CODE.match(key)))
    assert {code: files for code, files in defined.items() if files != {"vocabulary.yaml"}} == {}
    economic = vocabulary().subject_names(Classification.ECONOMIC)
    assert len(economic) == 110
    assert economic["30212"] == "因公出国（境）费用"


def test_every_metric_a_count_rule_names_is_a_vocabulary_metric_with_a_unit() -> None:
    metrics = vocabulary().metrics
    for rule in _patterns()["counts"]:
        named = [rule["metric"], *(rule.get("by_subject") or {}).values()]
        assert all(metrics[m].unit == rule["unit"] for m in named), rule


@pytest.mark.parametrize("metric", sorted(vocabulary().metrics))
def test_every_metric_is_askable_in_chinese_and_english(metric: str) -> None:
    glossary = load_glossary()
    assert metric in glossary.metrics(f"2024年{metric}是多少？")
    english = metric_label(metric, "en")
    assert english != metric, f"{metric} has no English name in indexing/vocabulary.yaml"
    phrase = english.removesuffix(f" ({metric})")
    assert metric in glossary.metrics(f"How much was {phrase} in 2024?")


def test_the_two_foreign_reception_metrics_are_their_own() -> None:
    glossary = load_glossary()
    assert glossary.metrics("枣庄市政府办2024年国(境)外接待费是多少？")[0] == "国(境)外接待费"
    assert glossary.metrics("外事接待费是多少？")[0] == "外事接待费"


def test_a_subject_name_is_understood_but_does_not_hide_its_pieces() -> None:
    """The whole 经济分类 list is known (30905 基础设施建设), yet 设施 stays a
    salient word of a question about lighting fixtures."""
    assert load_glossary().metrics("30905基础设施建设是多少") == ["基础设施建设"]
    assert "设施" in salient_terms("2024年更换老旧照明设施具体花了多少钱？")


def test_a_metric_has_its_cells_and_codes() -> None:
    reception = vocabulary().metric("公务接待费")
    assert reception.cells == (Cell("09", column="公务接待费"),)
    assert reception.codes == ("30217",)
    assert vocabulary().metric("住房公积金").codes == ("2210201", "30113")
    assert vocabulary().of_cell("10", row="国有资产占用情况/车辆数合计(辆)").unit == "辆"


def minimal(**entry: Any) -> dict[str, Any]:
    return {"metrics": {"公务接待费": entry}, "subjects": {}}


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (minimal(prnted=["公务接待费"]), ["公务接待费", "'prnted'"]),
        (minimal(en="official reception"), ["公务接待费", "en"]),
        (minimal(cells=[{"table": "11", "column": "公务接待费"}]), ["公务接待费", "'11'"]),
        (minimal(cells=[{"table": "09", "colum": "x"}]), ["公务接待费", "'colum'"]),
        (minimal(counts=["接待批"]), ["公务接待费", "counts", "'接待批'"]),
        ({"metrics": {"公务接待费（境）": {}}}, ["公务接待费（境）"]),
        ({"metric": {}}, ["'metric'"]),
        ({"metrics": {}, "subjects": {"功能分类": {"2O1": "一般公共服务支出"}}}, ["'2O1'"]),
    ],
)
def test_a_bad_entry_is_named_in_the_error(data: dict[str, Any], named: list[str]) -> None:
    with pytest.raises(VocabularyError) as raised:
        Vocabulary.from_data(data)
    assert all(word in str(raised.value) for word in named), str(raised.value)


def test_a_metric_defined_twice_in_the_file_is_an_error(tmp_path: Path) -> None:
    text = "metrics:\n  公务接待费: {en: [reception]}\n  公务接待费: {en: [hospitality]}\n"
    (tmp_path / "vocabulary.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"vocabulary.yaml: line 3: '公务接待费'"):
        read_vocabulary(tmp_path / "vocabulary.yaml")


def test_the_shipped_vocabulary_reads_cleanly() -> None:
    assert read_vocabulary(VOCABULARY_FILE) == vocabulary()


def test_every_measure_the_index_stores_is_a_vocabulary_measure(built_index: Settings) -> None:
    stored = {f.measure for f in get_engine(built_index).stores.figures.figures()}
    assert stored - set(vocabulary().measures) == set()
    assert {"决算数", "数量", "预算增减额", "指标值", "项目自评得分"} <= stored


def test_every_measure_the_data_files_give_is_a_vocabulary_measure() -> None:
    measures = set(vocabulary().measures)
    patterns = yaml.safe_load((ROOT / "indexing" / "narrative_patterns.yaml").read_text("utf-8"))
    layouts = yaml.safe_load((ROOT / "indexing" / "layouts.yaml").read_text("utf-8"))
    projects = yaml.safe_load((ROOT / "indexing" / "projects.yaml").read_text("utf-8"))
    given = {r["measure"] for r in patterns["measures"]}
    given |= set(patterns["baseline"]["measures"].values())
    given |= set(layouts["tables"]["09"]["column_measures"].values())
    given |= {r["measure"] for r in projects["budget"]["measures"]}
    given |= set(cue_data()["conditions"]["measures"])
    assert given - measures == set()


def test_every_measure_a_question_asks_is_answered_by_stored_measures() -> None:
    asked = {m["measure"] for m in cue_data()["measures"]}
    assert asked - set(vocabulary().asked_measures) == set()
    assert vocabulary().answering("增减") == ("增减额", "增减率")
    assert vocabulary().answering("no such measure") == vocabulary().answering("")


def test_answers_name_measures_from_the_vocabulary() -> None:
    assert measure_label("增减额", "zh") == "比上年增减额"
    assert measure_label("预算增减率", "en") == "change rate vs initial budget"
    assert measure_label("数量", "zh") == ""
    assert measure_label("年初预算数推算", "zh") == "年初预算数推算"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"measures": {"决算数": {"zh": "决算数"}}}, ["'决算数'"]),
        ({"measures": {"决算数": {"zh": "决算数", "en": "actual", "de": "Ist"}}}, ["'de'"]),
        ({"measures": {}, "asked_measures": {"增减": ["增减额"]}}, ["'增减'", "'增减额'"]),
    ],
)
def test_a_bad_measure_is_named_in_the_error(data: dict[str, Any], named: list[str]) -> None:
    with pytest.raises(VocabularyError) as raised:
        Vocabulary.from_data(data)
    assert all(word in str(raised.value) for word in named), str(raised.value)

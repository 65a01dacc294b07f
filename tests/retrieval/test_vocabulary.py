"""One vocabulary: every metric the indexer can name a figure with is askable
by that name in Chinese and has an English name; every glossary metric is
named by something the indexer emits or the documents' tables print."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from retrieval.glossary import load_glossary
from retrieval.names import metric_label

ROOT = Path(__file__).resolve().parents[2]


def emitted_metrics() -> set[str]:
    """Every metric name the indexer's data files can give a figure."""
    narrative = yaml.safe_load((ROOT / "indexing" / "narrative_patterns.yaml").read_text("utf-8"))
    names = yaml.safe_load((ROOT / "indexing" / "layouts.yaml").read_text("utf-8"))["metrics"]
    emitted = set(narrative["metrics"]) | {c["metric"] for c in narrative["counts"]}
    emitted |= set(names["column_leaf"].values())
    emitted |= {v["metric"] for v in names["stat_rows"].values()}
    for by_column in (*names["total_row"].values(), *names["row_labels"].values()):
        emitted |= set(by_column.values())
    return emitted


@pytest.mark.parametrize("metric", sorted(emitted_metrics()))
def test_every_emitted_metric_is_askable_in_chinese_and_english(metric: str) -> None:
    glossary = load_glossary()
    assert metric in glossary.metrics(f"2024年{metric}是多少？")
    english = metric_label(metric, "en")
    assert english != metric, f"{metric} has no English name in retrieval/glossary.yaml"
    phrase = english.removesuffix(f" ({metric})")
    assert metric in glossary.metrics(f"How much was {phrase} in 2024?")


def test_the_two_foreign_reception_metrics_are_their_own() -> None:
    glossary = load_glossary()
    assert glossary.metrics("枣庄市政府办2024年国(境)外接待费是多少？")[0] == "国(境)外接待费"
    assert glossary.metrics("外事接待费是多少？")[0] == "外事接待费"

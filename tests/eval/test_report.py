"""Summaries and the written report, from hand-made answers to real gold questions."""

from __future__ import annotations

import json

import pytest

from config import ROOT
from eval.baseline import score_baseline
from eval.gold import load_gold
from eval.report import summary_table, write_report
from eval.score import score_answer
from retrieval.records import Answer, Retrieved

GAOPING = "002_6b8b447dd5f33aed.txt"


@pytest.fixture(scope="module")
def gold():
    return {item.id: item for item in load_gold()}


@pytest.fixture(scope="module")
def ours(gold):
    replies = {
        "gp-001": Answer("住房公积金支出69.09万元。", "zh"),
        "zz-035": Answer("公务接待费2.73万元。", "zh"),
        "zz-034": Answer("文件中未找到。", "zh", declined=True),
        "yc-036": Answer("2022年支出总计403.05万元。", "zh"),
    }
    return [
        score_answer(gold[qid], reply, latency_ms=10.0 * (i + 1), k=5)
        for i, (qid, reply) in enumerate(replies.items())
    ]


@pytest.fixture(scope="module")
def baseline(gold):
    text = (ROOT / "data" / GAOPING).read_text(encoding="utf-8")
    start = text.index("2210201\t住房公积金\t69.09")
    passage = Retrieved(text[start : start + 200], "002", GAOPING, "passage", "")
    return [score_baseline(gold[qid], (passage,), 5.0, 5) for qid in ("gp-001", "zz-035")]


def test_overall_accuracy_counts_declined_unanswerable_as_right(ours, tmp_path):
    summary = write_report(
        tmp_path, ours, None, {"gold": "dev", "k": 5, "embed_model": "m", "llm": "off"}
    )
    overall = summary["ours"]["overall"]
    assert (overall["n"], overall["accuracy"], overall["decline_rate"]) == (4, 0.5, 0.5)


def test_latency_percentiles_are_nearest_rank(ours, tmp_path):
    summary = write_report(
        tmp_path, ours, None, {"gold": "dev", "k": 5, "embed_model": "m", "llm": "off"}
    )
    overall = summary["ours"]["overall"]
    assert (overall["latency_p50_ms"], overall["latency_p95_ms"]) == (20.0, 40.0)


def test_accuracy_by_type(ours, tmp_path):
    summary = write_report(
        tmp_path, ours, None, {"gold": "dev", "k": 5, "embed_model": "m", "llm": "off"}
    )
    by_type = {t: m["accuracy"] for t, m in summary["ours"]["by_type"].items()}
    assert by_type == {"lookup": 1.0, "tricky": 0.0, "unanswerable": 0.5}


def test_baseline_top_chunk_holds_answer_only_when_all_figures_in_it(ours, baseline, tmp_path):
    meta = {"gold": "dev", "k": 5, "embed_model": "m", "llm": "off"}
    summary = write_report(tmp_path, ours, baseline, meta)
    assert [s.top_chunk_correct for s in baseline] == [True, False]
    assert summary["baseline"]["overall"]["top_chunk_accuracy"] == 0.5
    assert summary["baseline"]["overall"]["recall_at_k"] == 0.5


def test_report_files_are_written(ours, baseline, tmp_path):
    write_report(
        tmp_path, ours, baseline, {"gold": "dev", "k": 5, "embed_model": "m", "llm": "off"}
    )
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [q["id"] for q in results["questions"]] == ["gp-001", "zz-035", "zz-034", "yc-036"]
    assert (tmp_path / "accuracy_by_type.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_right_answer_without_citation_is_listed_as_failure(ours, tmp_path):
    write_report(tmp_path, ours, None, {"gold": "dev", "k": 5, "embed_model": "m", "llm": "off"})
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "- why: no citation quotes the evidence; evidence recall 0.00" in report


def test_report_lists_each_wrong_answer_with_expected_and_got(ours, tmp_path):
    write_report(tmp_path, ours, None, {"gold": "dev", "k": 5, "embed_model": "m", "llm": "off"})
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Failures (3 of 4)" in report
    assert "### zz-035 (tricky, zh)" in report
    assert "- got: 公务接待费2.73万元。" in report
    assert "- why: answered an unanswerable question instead of declining" in report


def test_summary_table_has_overall_row_then_gold_files_then_types(ours, tmp_path):
    summary = write_report(
        tmp_path, ours, None, {"gold": "dev", "k": 5, "embed_model": "m", "llm": "off"}
    )
    lines = summary_table(summary, 5).splitlines()
    rows = [line.split()[0] for line in lines if not line.startswith("-")]
    assert rows[:2] == ["group", "all"] and rows[3:] == ["lookup", "tricky", "unanswerable"]


def test_each_gold_file_is_its_own_group(tmp_path):
    from dataclasses import replace as _replace

    from eval.gold import DEFAULT_GOLDS, load_golds

    items = load_golds(list(DEFAULT_GOLDS))
    assert {i.gold_set for i in items} == {"dev", "real_dev"}
    assert _replace(items[0], gold_set="x").gold_set == "x"

"""Aggregate per-question scores: overall, by question type, by language.

Averages skip questions a measure does not apply to (no citation is expected
for an unanswerable question), and each figure carries its own count so a
reader sees when a rate rests on five questions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from eval.score import BaselineScore, QuestionScore


def _mean(values: Sequence[float | bool | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def ours_metrics(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """The assistant's figures for one group of questions."""
    unanswerable = [s for s in scores if not s.answerable]
    answerable = [s for s in scores if s.answerable]
    latencies = [s.latency_ms for s in scores]
    return {
        "n": len(scores),
        "accuracy": _mean([s.correct for s in scores]),
        "citation_accuracy": _mean([s.citation_correct for s in scores]),
        "decline_rate": _mean([s.declined for s in unanswerable]),
        "false_decline_rate": _mean([s.declined for s in answerable]),
        "recall_at_k": _mean([s.recall for s in scores]),
        "mrr": _mean([s.reciprocal_rank for s in scores]),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "errors": sum(1 for s in scores if s.error),
    }


def baseline_metrics(scores: Sequence[BaselineScore]) -> dict[str, Any]:
    """The baseline's figures for one group; it cannot decline, so no decline rate."""
    latencies = [s.latency_ms for s in scores]
    return {
        "n": len(scores),
        "top_chunk_accuracy": _mean([s.top_chunk_correct for s in scores]),
        "recall_at_k": _mean([s.recall for s in scores]),
        "mrr": _mean([s.reciprocal_rank for s in scores]),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }


def grouped(
    scores: Sequence[Any], metrics: Callable[[Sequence[Any]], dict[str, Any]]
) -> dict[str, Any]:
    """Metrics overall, per gold file, `type` and `lang`, groups in first-seen order."""
    by: dict[str, dict[str, list[Any]]] = {"type": {}, "lang": {}, "set": {}}
    for score in scores:
        by["type"].setdefault(score.type, []).append(score)
        by["lang"].setdefault(score.lang, []).append(score)
        by["set"].setdefault(getattr(score, "gold_set", "") or "gold", []).append(score)
    return {
        "overall": metrics(scores),
        "by_set": {name: metrics(group) for name, group in by["set"].items()},
        "by_type": {name: metrics(group) for name, group in by["type"].items()},
        "by_lang": {name: metrics(group) for name, group in by["lang"].items()},
    }

"""Write what the harness measured: report.md, results.json, chart.png.

report.md is for people (tables, then every failure with what was expected,
what came back and where it looked); results.json is for tools and for
comparing runs; the chart shows accuracy by question type, ours vs baseline.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.score import BaselineScore, QuestionScore
from eval.summary import baseline_metrics, grouped, ours_metrics

CHART = "accuracy_by_type.png"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def summarise(ours: list[QuestionScore], baseline: list[BaselineScore] | None) -> dict[str, Any]:
    """Grouped metrics of both systems (baseline None when not run)."""
    return {
        "ours": grouped(ours, ours_metrics),
        "baseline": grouped(baseline, baseline_metrics) if baseline is not None else None,
    }


def _table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def group_rows(summary: dict[str, Any], key: str) -> list[list[str]]:
    """One row per group: ours then baseline figures side by side."""
    ours = summary["ours"][key] if key != "overall" else {"all": summary["ours"]["overall"]}
    base = summary["baseline"]
    if base is not None:
        base = base[key] if key != "overall" else {"all": base["overall"]}
    rows = []
    for name, m in ours.items():
        b = (base or {}).get(name, {})
        rows.append(
            [
                name,
                str(m["n"]),
                _pct(m["accuracy"]),
                _pct(m["citation_accuracy"]),
                _pct(m["decline_rate"]),
                _num(m["recall_at_k"]),
                _num(m["mrr"]),
                _ms(m["latency_p50_ms"]),
                _ms(m["latency_p95_ms"]),
                _pct(b.get("top_chunk_accuracy")),
                _num(b.get("recall_at_k")),
                _num(b.get("mrr")),
            ]
        )
    return rows


def headers(k: int) -> list[str]:
    """Column names of the summary tables."""
    return [
        "group",
        "n",
        "accuracy",
        "citations",
        "declines",
        f"recall@{k}",
        f"MRR@{k}",
        "p50 ms",
        "p95 ms",
        "base top-chunk",
        f"base recall@{k}",
        f"base MRR@{k}",
    ]


def summary_table(summary: dict[str, Any], k: int) -> str:
    """Plain-text table for the terminal: overall and by type."""
    head = headers(k)
    rows = group_rows(summary, "overall") + group_rows(summary, "by_set")
    rows += group_rows(summary, "by_type")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
        for row in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(3, lines[1])
    return "\n".join(lines)


def _failure(score: QuestionScore) -> str:
    reasons = []
    if not score.correct:
        if not score.answerable:
            reasons.append("answered an unanswerable question instead of declining")
        elif score.declined:
            reasons.append("declined an answerable question")
        else:
            reasons.append("missing: " + ", ".join(score.missing))
    if score.citation_correct is False:
        reasons.append("no citation quotes the evidence")
    if score.recall is not None and score.recall < 1:
        reasons.append(f"evidence recall {score.recall:.2f}")
    if score.error:
        reasons.append(f"error: {score.error}")
    got = score.got.replace("\n", " ").strip() or "(empty)"
    sources = "; ".join(score.top_sources) or "(none)"
    return (
        f"### {score.id} ({score.type}, {score.lang})\n\n"
        f"- question: {score.question}\n- expected: {score.expected}\n- got: {got}\n"
        f"- why: {'; '.join(reasons)}\n- top sources: {sources}\n"
    )


def failures(scores: list[QuestionScore]) -> list[QuestionScore]:
    """Questions with a wrong answer, a wrong citation, incomplete retrieval or an error."""
    return [
        s
        for s in scores
        if not s.correct
        or s.citation_correct is False
        or (s.recall is not None and s.recall < 1)
        or s.error
    ]


def markdown(summary: dict[str, Any], ours: list[QuestionScore], meta: dict[str, Any]) -> str:
    """The human report."""
    k = meta["k"]
    head = headers(k)
    failed = failures(ours)
    parts = [
        "# Evaluation report",
        f"Gold: `{meta['gold']}` · k = {k} · embedder `{meta['embed_model']}` · LLM `{meta['llm']}`"
        f" · {meta['finished']}",
        "accuracy: every must_include stated (unanswerable: declined); citations: a citation"
        " quotes gold evidence from its document or cites the gold figure; declines: share of"
        " unanswerable questions declined; recall@k: share of evidence documents found in the"
        " top k passages; base top-chunk: the baseline's top chunk holds the whole answer"
        " (answerable questions only; a plain retriever cannot decline).",
        "## Overall",
        _table(head, group_rows(summary, "overall")),
        "## By gold file",
        _table(head, group_rows(summary, "by_set")),
        "## By question type",
        _table(head, group_rows(summary, "by_type")),
        f"![accuracy by type]({CHART})",
        "## By language",
        _table(head, group_rows(summary, "by_lang")),
        f"## Failures ({len(failed)} of {len(ours)})",
        *[_failure(s) for s in failed],
    ]
    return "\n\n".join(parts) + "\n"


def chart(summary: dict[str, Any], path: Path) -> None:
    """Grouped bars: our accuracy and the baseline's top-chunk accuracy by type."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    types = list(summary["ours"]["by_type"])
    ours = [(summary["ours"]["by_type"][t]["accuracy"] or 0) * 100 for t in types]
    base_groups = (summary["baseline"] or {}).get("by_type", {})
    base_raw = [base_groups.get(t, {}).get("top_chunk_accuracy") for t in types]
    base = [(value or 0) * 100 for value in base_raw]
    positions = range(len(types))
    figure, axes = plt.subplots(figsize=(max(8, len(types) * 0.8), 4.5))
    axes.bar([p - 0.2 for p in positions], ours, width=0.4, label="ours (answer correct)")
    if summary["baseline"] is not None:
        axes.bar([p + 0.2 for p in positions], base, width=0.4, label="baseline (top chunk)")
        for p, value in zip(positions, base_raw, strict=True):
            if value is None:  # a plain retriever cannot decline
                axes.text(p + 0.2, 1, "n/a", ha="center", fontsize=8)
    axes.set_xticks(list(positions), types, rotation=40, ha="right")
    axes.set_ylabel("accuracy (%)")
    axes.set_ylim(0, 100)
    axes.set_title("Accuracy by question type")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write_report(
    out_dir: Path,
    ours: list[QuestionScore],
    baseline: list[BaselineScore] | None,
    meta: dict[str, Any],
) -> dict[str, Any]:
    """Write report.md, results.json and the chart; return the summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "finished": datetime.now(UTC).isoformat(timespec="seconds")}
    summary = summarise(ours, baseline)
    results = {
        "meta": meta,
        "summary": summary,
        "questions": [asdict(s) for s in ours],
        "baseline": [asdict(s) for s in baseline] if baseline is not None else None,
    }
    (out_dir / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (out_dir / "report.md").write_text(markdown(summary, ours, meta), encoding="utf-8")
    chart(summary, out_dir / CHART)
    return summary

"""Warm latency of `retrieval.ask` over every gold question (with its history).

The web app answers from a warm engine (stores open, BM25 built, embedder
loaded), so that is what is timed: one warm-up question, then each dev
question once. Target on the 2-core machine: p50 <= 100 ms.

    python benchmarks/bench_ask.py                 # the configured index (built if needed)
    python benchmarks/bench_ask.py --fresh         # a new index of data/ in a temp dir
    python benchmarks/bench_ask.py --gold my.jsonl --slowest 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import Settings, offline, settings  # noqa: E402

TARGET_P50_MS = 100.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: the value q% of the questions stay under."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def time_questions(s: Settings, gold: Path) -> list[tuple[float, str, str]]:
    """(milliseconds, id, question) per gold item, answered warm."""
    from eval.gold import load_gold
    from eval.run import history_of
    from retrieval import ask

    items = load_gold(gold)
    ask(items[0].question, history=history_of(items[0]), settings=s)  # warm-up
    timings = []
    for item in items:
        started = time.perf_counter()
        ask(item.question, history=history_of(item), settings=s)
        timings.append(((time.perf_counter() - started) * 1000, item.id, item.question))
    return timings


def report(timings: list[tuple[float, str, str]], slowest: int) -> None:
    ms = [t for t, _, _ in timings]
    p50 = statistics.median(ms)
    print(f"questions:  {len(ms)}")
    verdict = "ok" if p50 <= TARGET_P50_MS else "MISSED"
    print(f"warm p50:   {p50:7.1f} ms  target <= {TARGET_P50_MS:.0f} ms  {verdict}")
    print(f"warm p95:   {percentile(ms, 95):7.1f} ms")
    print(f"warm max:   {max(ms):7.1f} ms")
    print(f"mean:       {statistics.fmean(ms):7.1f} ms")
    for t, item_id, question in sorted(timings, reverse=True)[:slowest]:
        print(f"  {t:7.1f} ms  {item_id:8s} {question}")


def main() -> None:
    offline()
    from eval.gold import DEFAULT_GOLD
    from indexing.pipeline import ensure_index

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold questions (JSONL)")
    parser.add_argument("--fresh", action="store_true", help="index data/ into a temp dir first")
    parser.add_argument("--slowest", type=int, default=5, help="list the N slowest questions")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        s = replace(settings(), index_dir=Path(tmp)) if args.fresh else settings()
        started = time.perf_counter()
        built = ensure_index(s)
        if built.failed:
            sys.exit(f"indexing failed:\n{built.summary()}")
        print(
            f"index:      {s.index_dir} ({len(built.indexed)} indexed, "
            f"{len(built.unchanged)} unchanged, {time.perf_counter() - started:.1f} s)"
        )
        report(time_questions(s, args.gold), args.slowest)


if __name__ == "__main__":
    main()

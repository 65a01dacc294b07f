"""Warm latency of opening a citation: the side panel's source and the page image.

Opening a citation of a PDF costs the server two things: building its source
(table excerpt or sentence in context, page size: `web.sources` +
`web.render_source`) and serving the page image. Both are timed warm, through
the real app (FastAPI TestClient), over every citation of a few questions
about the real PDF and the text documents; the first round renders the page
images (timed apart as "cold"), the next rounds read them from disk.
Target on the 2-core machine: p95 of one warm opening < 300 ms.

    python benchmarks/bench_sources.py              # the configured index (built if needed)
    python benchmarks/bench_sources.py --rounds 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import offline, settings  # noqa: E402

TARGET_P95_MS = 300.0
QUESTIONS = (
    "普陀区财政局2024年本年支出合计是多少？",
    "普陀区财政局2024年行政运行支出是多少？",
    "普陀区财政局2024年公务接待费是多少？",
    "普陀区财政局2024年一般公共预算财政拨款基本支出是多少？",
    "枣庄市人民政府办公室2024年公务接待费是多少？",
)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: the value q% of the openings stay under."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="warm rounds over every citation")
    args = parser.parse_args()
    offline()
    from fastapi.testclient import TestClient

    from retrieval import ask
    from web.labels import labels
    from web.render_source import source_html
    from web.server import create_app
    from web.sources import source_views

    s = settings()
    lab = labels("zh")
    with TestClient(create_app(s)) as client:
        citations = [c for q in QUESTIONS for c in ask(q, settings=s).citations]

        def open_one(c) -> float:
            started = time.perf_counter()
            (view,) = source_views([c], s)
            source_html(view, "src-1-1", lab)
            if view.image_url:
                response = client.get("/" + view.image_url)
                assert response.status_code == 200, response.text
            return (time.perf_counter() - started) * 1000

        cold = [open_one(c) for c in citations]
        warm = [open_one(c) for _ in range(args.rounds) for c in citations]
    pdf = sum(1 for c in citations if c.page)
    print(f"citations:  {len(citations)} ({pdf} on PDF pages), {args.rounds} warm rounds")
    print(f"cold max:   {max(cold):7.1f} ms  (first opening: page images rendered or read)")
    verdict = "ok" if percentile(warm, 95) < TARGET_P95_MS else "MISSED"
    print(f"warm p50:   {statistics.median(warm):7.1f} ms")
    print(f"warm p95:   {percentile(warm, 95):7.1f} ms  target < {TARGET_P95_MS:.0f} ms  {verdict}")
    print(f"warm max:   {max(warm):7.1f} ms")


if __name__ == "__main__":
    main()

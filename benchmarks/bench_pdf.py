"""PDF ingestion speed: pages per second of `load_pdf_lines` on the fixtures.

    .venv/bin/python benchmarks/bench_pdf.py [--repeat 3] [more.pdf ...]

Prints one row per file (best of the repeats) and the total.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexing.pdf import load_pdf_lines  # noqa: E402

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))


def measure(path: Path, repeat: int) -> tuple[int, int, float]:
    """(pages, lines, best seconds) over `repeat` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        lines, n_pages = load_pdf_lines(path)
        best = min(best, time.perf_counter() - start)
    return n_pages, len(lines), best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=FIXTURES)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    total_pages, total_seconds = 0, 0.0
    print(f"{'file':<28} {'pages':>5} {'lines':>6} {'seconds':>8} {'pages/s':>8}")
    for path in args.pdfs:
        pages, lines, seconds = measure(path, args.repeat)
        total_pages += pages
        total_seconds += seconds
        print(f"{path.name:<28} {pages:>5} {lines:>6} {seconds:>8.2f} {pages / seconds:>8.1f}")
    print(
        f"{'total':<28} {total_pages:>5} {'':>6} {total_seconds:>8.2f} {total_pages / total_seconds:>8.1f}"
    )


if __name__ == "__main__":
    main()

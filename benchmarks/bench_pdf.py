"""PDF ingestion speed, in pages per second, at three depths.

    .venv/bin/python benchmarks/bench_pdf.py [--repeat 3] [more.pdf ...]

For each PDF (by default the shipped real disclosure and the rendered seed
fixtures), best of the repeats:
- read: `load_pdf` (text lines, ruled grids with their cell boxes);
- parse: `parse_document` (tables, figures, checks, chunks), no stores;
- index: `index_paths` into a fresh temporary index, embeddings included
  (the default offline encoder), once per file.
Times are noisy on a shared 2-core machine: compare the columns of one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import offline, settings  # noqa: E402
from indexing.pdf import load_pdf  # noqa: E402
from indexing.pipeline import index_paths, parse_document  # noqa: E402

DEFAULT = [
    *sorted((ROOT / "data").glob("*.pdf")),
    *sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")),
]


def best(repeat: int, run) -> float:
    """The fastest of `repeat` runs of `run()`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def indexed_seconds(path: Path) -> float:
    """One cold index of the file with embeddings, into a throwaway index."""
    with tempfile.TemporaryDirectory() as folder:
        s = replace(settings(), index_dir=Path(folder), chroma_host="")
        start = time.perf_counter()
        report = index_paths([path], s)
        seconds = time.perf_counter() - start
        if report.failed:
            raise SystemExit(f"{path.name}: {report.failed}")
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    offline()
    indexed_seconds(args.pdfs[0])  # load the encoder once, outside the measured runs
    head = f"{'file':<34} {'pages':>5} {'read p/s':>9} {'parse p/s':>10} {'index p/s':>10}"
    print(head)
    totals = [0, 0.0, 0.0, 0.0]
    for path in args.pdfs:
        pages = load_pdf(path).n_pages
        read = best(args.repeat, lambda p=path: load_pdf(p))
        parse = best(args.repeat, lambda p=path: parse_document(p))
        index = indexed_seconds(path)
        for i, value in enumerate((pages, read, parse, index)):
            totals[i] += value
        print(
            f"{path.name:<34} {pages:>5} {pages / read:>9.1f} {pages / parse:>10.1f}"
            f" {pages / index:>10.1f}"
        )
    pages, read, parse, index = totals
    print(
        f"{'total':<34} {int(pages):>5} {pages / read:>9.1f} {pages / parse:>10.1f} {pages / index:>10.1f}"
    )


if __name__ == "__main__":
    main()

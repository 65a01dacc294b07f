"""python -m eval: how often the assistant is right, on a gold set.

python -m eval                          # dev and real_dev sets, report in eval/reports/latest/
python -m eval --baseline --k 5         # plus a plain llama-index RAG, side by side
python -m eval --gold my.jsonl --min-accuracy 0.8   # CI: exit 1 below 80%
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from config import ROOT, offline
from eval.gold import DEFAULT_GOLDS, GoldFormatError, check_evidence, load_golds

DEFAULT_OUT = ROOT / "eval" / "reports" / "latest"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m eval",
        description="Score retrieval.ask on gold questions; write report.md, "
        "results.json and a chart.",
    )
    parser.add_argument(
        "--gold",
        type=Path,
        nargs="+",
        default=list(DEFAULT_GOLDS),
        help="gold JSONL files, each reported as its own group (default: dev and real_dev)",
    )
    parser.add_argument("--k", type=int, default=5, help="cut-off for recall@k and MRR")
    parser.add_argument(
        "--baseline", action="store_true", help="also run a plain llama-index RAG as a peer"
    )
    parser.add_argument(
        "--min-accuracy",
        type=float,
        default=None,
        help="exit with status 1 when overall accuracy is below this (0..1)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    offline()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from config import settings
    from eval.baseline import BaselineError, run_baseline
    from eval.report import summary_table, write_report
    from eval.run import prepare, run_meta, run_ours

    config = settings()
    try:
        items = load_golds(args.gold)
    except (GoldFormatError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in check_evidence(items, config.data_dir):
        print(f"warning: {problem}", file=sys.stderr)
    from indexing.errors import IndexingError

    try:
        ask = prepare(config)
    except IndexingError as exc:
        print(f"error: could not index {config.data_dir}: {exc}", file=sys.stderr)
        return 2
    ours = run_ours(items, ask, args.k, progress=not args.quiet)
    baseline = None
    if args.baseline:
        try:
            baseline = run_baseline(items, config, args.k, progress=not args.quiet)
        except BaselineError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    summary = write_report(
        args.out, ours, baseline, run_meta(config, ", ".join(str(g) for g in args.gold), args.k)
    )
    print(summary_table(summary, args.k))
    print(f"\nreport: {args.out / 'report.md'}")
    accuracy = summary["ours"]["overall"]["accuracy"] or 0.0
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"accuracy {accuracy:.1%} is below --min-accuracy {args.min_accuracy:.1%}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m retrieval "问题"`: print the answer and its sources.

`juesuan ask` is the same command (see juesuan/cli.py).
"""

from __future__ import annotations

import argparse
import json
import sys

from config import Settings, offline, settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of this command, shared with `juesuan ask`."""
    parser.add_argument("question")
    parser.add_argument("--json", action="store_true", help="print the Answer as JSON")


def run(args: argparse.Namespace, s: Settings) -> int:
    """Answer `args.question` from the stores of `s`; the exit status."""
    offline()
    from indexing.pipeline import ensure_index, open_stores
    from retrieval import QuestionError, ask

    if not open_stores(s).figures.documents():  # first run: index the shipped corpus
        ensure_index(s)
    try:
        answer = ask(args.question, settings=s)
    except QuestionError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    print()
    for c in answer.citations:
        print(f"[{c.n}] {c.department} · {c.where} · {c.source} {c.locator}")
        print(f"    「{c.quote}」")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv), settings())


if __name__ == "__main__":
    sys.exit(main())

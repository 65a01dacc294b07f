"""`python -m retrieval "问题"`: print the answer and its sources."""

from __future__ import annotations

import argparse
import json
import sys

from config import offline


def main(argv: list[str] | None = None) -> int:
    offline()
    parser = argparse.ArgumentParser(prog="python -m retrieval", description=__doc__)
    parser.add_argument("question")
    parser.add_argument("--json", action="store_true", help="print the Answer as JSON")
    args = parser.parse_args(argv)

    from indexing.pipeline import ensure_index, open_stores
    from retrieval import QuestionError, ask

    if not open_stores().figures.documents():  # first run: index the shipped corpus
        ensure_index()
    try:
        answer = ask(args.question)
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


if __name__ == "__main__":
    sys.exit(main())

"""`python -m indexing [PATH...]`: index files (default: the shipped corpus).

python -m indexing                 # index data/ (unchanged files are skipped)
python -m indexing my.pdf folder/  # add your own documents
python -m indexing --list          # what is indexed
python -m indexing --remove DOC_ID # drop a document

`juesuan index` is the same command (see juesuan/cli.py).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tqdm import tqdm

from config import Settings, offline, settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of this command, shared with `juesuan index`."""
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: data/)")
    parser.add_argument("--list", action="store_true", help="list indexed documents")
    parser.add_argument("--remove", metavar="DOC_ID", help="remove a document from the index")
    parser.add_argument("-v", "--verbose", action="store_true")


def run(args: argparse.Namespace, s: Settings) -> int:
    """Index, list or remove as `args` say, in the stores of `s`; the exit status."""
    offline()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)

    from indexing.pipeline import index_paths, remove_document
    from indexing.sqlstore import FigureStore

    if args.list:
        store = FigureStore(s.database)  # listing needs neither chroma nor the encoder
        for doc in store.documents():
            n = len(store.figures(doc_ids=[doc.doc_id]))
            print(
                f"{doc.doc_id}\t{doc.department}\t{doc.year}\t{doc.kind}\t{n} figures\t{doc.source}"
            )
        return 0
    if args.remove:
        if remove_document(args.remove, s):
            print(f"removed {args.remove}")
            return 0
        print(f"not indexed: {args.remove}", file=sys.stderr)
        return 1

    bar = tqdm(total=0, unit="file", desc="indexing")

    def progress(name: str, done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(name)
        bar.refresh()

    report = index_paths(args.paths or [s.data_dir], s, progress)
    bar.close()
    print(report.summary())
    return 1 if report.failed and not (report.indexed or report.unchanged) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m indexing",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    return run(parser.parse_args(argv), settings())


if __name__ == "__main__":
    sys.exit(main())

"""`juesuan`: index documents, ask a question, serve the web app.

    juesuan index [PATH...] [--list] [--remove DOC_ID]   # default: the shipped corpus
    juesuan ask "阳谷县政府办2024年基本支出是多少？" [--json]
    juesuan serve [--host HOST] [--port PORT]

Every command also takes --index-dir, --data-dir, --chroma-host and
--chroma-port. A flag overrides its JUESUAN_* environment variable (config.py),
which overrides the default. `index` and `ask` are `python -m indexing` and
`python -m retrieval` (their arguments and code are reused here); `serve` is
`python app.py`, which shares this parser.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from config import Settings, offline, settings
from indexing import __main__ as index_command
from juesuan import __version__
from retrieval import __main__ as ask_command

# The flags that override a setting, each named for its Settings field.
OVERRIDES = ("index_dir", "data_dir", "chroma_host", "chroma_port", "host", "port")


def _directory(value: str) -> Path:
    """A path flag is taken from the current directory, as a user typing it expects."""
    return Path(value).expanduser().resolve()


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port (1-65535): {value!r}")
    return port


def add_store_arguments(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """--index-dir, --data-dir, --chroma-host, --chroma-port: where the documents and stores are."""
    group = parser.add_argument_group(
        "configuration", "each flag overrides its environment variable (see config.py)"
    )
    group.add_argument(
        "--index-dir",
        type=_directory,
        metavar="DIR",
        help="where the stores live (JUESUAN_INDEX_DIR)",
    )
    group.add_argument(
        "--data-dir",
        type=_directory,
        metavar="DIR",
        help="the corpus indexed by default (JUESUAN_DATA_DIR)",
    )
    group.add_argument(
        "--chroma-host",
        metavar="HOST",
        help="use this Chroma server instead of the embedded store (JUESUAN_CHROMA_HOST)",
    )
    group.add_argument(
        "--chroma-port", type=_port, metavar="PORT", help="its port (JUESUAN_CHROMA_PORT)"
    )
    return group


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of `juesuan serve` and `python app.py`."""
    group = add_store_arguments(parser)
    group.add_argument("--host", help="address to listen on (JUESUAN_HOST)")
    group.add_argument("--port", type=_port, help="port to listen on (JUESUAN_PORT)")


def configured(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    """`base` (default: the environment's settings) with the flags given in `args`."""
    given = {name: value for name in OVERRIDES if (value := getattr(args, name, None)) is not None}
    return replace(base or settings(), **given)


def serve(args: argparse.Namespace, s: Settings) -> int:
    """Serve the chat page, the JSON API and /embed on s.host:s.port until stopped."""
    offline()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    import uvicorn

    from web.server import create_app, server_options

    uvicorn.run(create_app(s), **server_options(s), log_level="info")
    return 0


def serve_parser(prog: str) -> argparse.ArgumentParser:
    """The parser of `python app.py`: the same flags as `juesuan serve`."""
    parser = argparse.ArgumentParser(prog=prog, description=serve.__doc__)
    add_serve_arguments(parser)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="juesuan",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    index = commands.add_parser("index", help="index files and folders, list or remove documents")
    index_command.add_arguments(index)
    add_store_arguments(index)
    index.set_defaults(run=index_command.run)

    ask = commands.add_parser("ask", help="answer one question with its sources")
    ask_command.add_arguments(ask)
    add_store_arguments(ask)
    ask.set_defaults(run=ask_command.run)

    web = commands.add_parser("serve", help="serve the chat page, the JSON API and /embed")
    add_serve_arguments(web)
    web.set_defaults(run=serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args, configured(args))


def serve_main(argv: Sequence[str] | None = None, prog: str = "juesuan serve") -> int:
    """`python app.py [flags]`."""
    args = serve_parser(prog).parse_args(argv)
    return serve(args, configured(args))


if __name__ == "__main__":
    sys.exit(main())

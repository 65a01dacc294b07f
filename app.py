"""Serve the chat page, the JSON API and /embed: `python app.py [--host H] [--port N]`.

The same command as `juesuan serve` (juesuan/cli.py), with the same flags
(--host, --port, --index-dir, --data-dir, --chroma-host, --chroma-port); each
overrides its environment variable, e.g. JUESUAN_PORT (default 7860, see config.py).
"""

from __future__ import annotations

import sys

from juesuan.cli import serve_main

if __name__ == "__main__":
    sys.exit(serve_main(prog="python app.py"))

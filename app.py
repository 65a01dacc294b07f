"""Serve the chat page, the JSON API and /embed: `python app.py`.

Listens on JUESUAN_HOST:JUESUAN_PORT (default 127.0.0.1:7860); see config.py.
"""

from __future__ import annotations

import logging

import uvicorn

from config import settings
from web.server import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    s = settings()
    uvicorn.run(create_app(s), host=s.host, port=s.port, log_level="info")


if __name__ == "__main__":
    main()

"""An idle connection outlives the clients' own keep-alive, so no request meets a closing one.

At 200 concurrent clients, 3 of 600 requests failed with ReadError: uvicorn
closed idle connections after 5 s, exactly when httpx (5 s pool expiry) may
still send on them. The server launch now keeps them `JUESUAN_KEEP_ALIVE`
seconds (65 by default, `web.server.server_options`). The server is the real
`python app.py`; the connection is a raw socket, so no client library hides a
reconnect.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from benchmarks.bench_load import Server, served
from config import Settings

IDLE_S = 6.0  # longer than uvicorn's default keep-alive (5 s) and httpx's pool expiry
REQUEST = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"


@pytest.fixture(scope="module")
def server(built_index: Settings) -> Iterator[Server]:
    """`python app.py` over the session's index, read-only (no admin token)."""
    with served({"JUESUAN_INDEX_DIR": str(built_index.index_dir)}) as app:
        yield app


def exchange(connection: socket.socket) -> bytes:
    """Send one request on the connection and read its whole response (b"" if it was closed)."""
    connection.sendall(REQUEST)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        if not chunk:
            return received
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_a_connection_idle_longer_than_a_clients_keep_alive_still_answers(server: Server):
    url = httpx.URL(server.url)
    with socket.create_connection((url.host, url.port), timeout=30) as connection:
        assert exchange(connection).startswith(b"HTTP/1.1 200")
        time.sleep(IDLE_S)
        again = exchange(connection)
    assert again.startswith(b"HTTP/1.1 200"), again or "the server closed the idle connection"


def test_the_server_launch_takes_its_keep_alive_from_the_configuration(
    monkeypatch: pytest.MonkeyPatch,
):
    from web.server import server_options

    monkeypatch.setenv("JUESUAN_KEEP_ALIVE", "90")
    assert server_options(Settings())["timeout_keep_alive"] == 90
    monkeypatch.delenv("JUESUAN_KEEP_ALIVE")
    assert server_options(Settings())["timeout_keep_alive"] == 65

"""The database and vector servers the server-variant tests run against.

Not started here: `.ci/run` starts a real PostgreSQL and a real Chroma server
(scripts/test-servers.sh) and names them in two variables, which a developer
can set too:

- JUESUAN_TEST_DATABASE_URL: a PostgreSQL server where the tests may create
  databases (each session makes its own and drops it afterwards);
- JUESUAN_TEST_CHROMA: `host:port` of a Chroma server (each test its own
  collection).

Unset, the tests that need them skip (a developer's machine); set, a server
that does not answer fails them, so CI cannot pass without running them.
"""

from __future__ import annotations

import os
import urllib.request
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

DATABASE_VAR = "JUESUAN_TEST_DATABASE_URL"
CHROMA_VAR = "JUESUAN_TEST_CHROMA"


def unique(prefix: str) -> str:
    """A name no other test or session uses (databases, collections)."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


class Postgres:
    """Fresh databases on the test server, dropped when the session ends."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self.made: list[str] = []
        try:
            with psycopg.connect(url, connect_timeout=10):
                pass
        except psycopg.Error as exc:
            pytest.fail(f"{DATABASE_VAR}={url} is set but the server does not answer: {exc}")

    def new_database(self) -> str:
        """The URL of a new, empty database on the server."""
        import psycopg

        name = unique("juesuan_test")
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return urlsplit(self.url)._replace(path=f"/{name}").geturl()

    def drop_all(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            for name in self.made:
                # FORCE: the stores opened in this process still hold pooled connections.
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Chroma:
    """A Chroma server that answered its heartbeat; collections named for this session."""

    host: str
    port: int
    prefix: str = field(default_factory=lambda: unique("test"))

    @classmethod
    def from_env(cls, value: str) -> Chroma:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit():
            pytest.fail(f"{CHROMA_VAR}={value!r} is not host:port")
        server = cls(host, int(port))
        try:
            with urllib.request.urlopen(server.url("/api/v2/heartbeat"), timeout=10):
                pass
        except OSError as exc:
            pytest.fail(f"{CHROMA_VAR}={value} is set but the Chroma server does not answer: {exc}")
        return server

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def new_collection(self) -> str:
        """A collection name (JUESUAN_COLLECTION) of this session, used by no other test."""
        return unique(self.prefix)

    def delete_collections(self) -> None:
        """Drop the collections this session made."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        client = chromadb.HttpClient(
            host=self.host, port=self.port, settings=ChromaSettings(anonymized_telemetry=False)
        )
        for collection in client.list_collections():
            if collection.name.startswith(self.prefix):
                client.delete_collection(collection.name)


def postgres_server() -> Postgres:
    url = os.environ.get(DATABASE_VAR, "")
    if not url:
        pytest.skip(
            f"{DATABASE_VAR} is unset: no PostgreSQL server to test against (.ci/run starts one)"
        )
    return Postgres(url)


def chroma_server() -> Chroma:
    value = os.environ.get(CHROMA_VAR, "")
    if not value:
        pytest.skip(f"{CHROMA_VAR} is unset: no Chroma server to test against (.ci/run starts one)")
    return Chroma.from_env(value)

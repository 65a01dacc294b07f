"""The shipped corpus indexed once per test session, into a temp dir.

Building the index (parse, check, embed five documents) is the slowest step
of the suite, so every test that reads the stores shares this one build
through `built_index` (its Settings) or `built_report` (what the build did).
Tests that change documents build their own small index instead.

`server_index` is the same corpus indexed into a real PostgreSQL and a real
Chroma server (tests/servers.py says where they come from), for the tests
that run the stores against both variants.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from config import Settings, offline, settings
from indexing.pipeline import IndexReport, discover, index_paths
from tests.servers import Chroma, Postgres, chroma_server, postgres_server

offline()


@dataclass(frozen=True)
class BuiltIndex:
    settings: Settings
    report: IndexReport


@pytest.fixture(scope="session")
def _built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltIndex]:
    base = settings()
    s = replace(
        base, index_dir=tmp_path_factory.mktemp("built-index"), chroma_host="", database_url=""
    )
    report = index_paths([s.data_dir], s)
    if report.failed or len(report.indexed) != len(discover([s.data_dir])):
        pytest.fail(f"building the session index of {s.data_dir} failed:\n{report.summary()}")
    yield BuiltIndex(s, report)


@pytest.fixture(scope="session")
def built_index(_built: BuiltIndex) -> Settings:
    """Settings whose stores hold every corpus document (shared: never modify them)."""
    return _built.settings


@pytest.fixture(scope="session")
def built_report(_built: BuiltIndex) -> IndexReport:
    """The report of the cold build behind `built_index`."""
    return _built.report


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """The PostgreSQL test server (skips when JUESUAN_TEST_DATABASE_URL is unset)."""
    server = postgres_server()
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def chroma() -> Iterator[Chroma]:
    """The Chroma test server (skips when JUESUAN_TEST_CHROMA is unset)."""
    server = chroma_server()
    yield server
    server.delete_collections()


def server_settings(
    base: Settings, postgres: Postgres, chroma: Chroma, index_dir: Path
) -> Settings:
    """`base` on a new database and a new collection of the test servers."""
    return replace(
        base,
        index_dir=index_dir,
        database_url=postgres.new_database(),
        chroma_host=chroma.host,
        chroma_port=chroma.port,
        collection=chroma.new_collection(),
    )


@pytest.fixture(scope="session")
def server_index(
    postgres: Postgres, chroma: Chroma, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """Settings whose stores are on the servers and hold every corpus document (never modify)."""
    s = server_settings(settings(), postgres, chroma, tmp_path_factory.mktemp("server-index"))
    report = index_paths([s.data_dir], s)
    if report.failed or len(report.indexed) != len(discover([s.data_dir])):
        pytest.fail(f"building the server index of {s.data_dir} failed:\n{report.summary()}")
    return s

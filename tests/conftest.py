"""The shipped corpus indexed once per test session, into a temp dir.

Building the index (parse, check, embed five documents) is the slowest step
of the suite, so every test that reads the stores shares this one build
through `built_index` (its Settings) or `built_report` (what the build did).
Tests that change documents build their own small index instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from config import Settings, offline, settings
from indexing.pipeline import IndexReport, discover, index_paths

offline()


@dataclass(frozen=True)
class BuiltIndex:
    settings: Settings
    report: IndexReport


@pytest.fixture(scope="session")
def _built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltIndex]:
    base = settings()
    s = replace(base, index_dir=tmp_path_factory.mktemp("built-index"), chroma_host="")
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

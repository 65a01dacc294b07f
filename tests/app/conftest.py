"""The app on top of the session's one index of data/ (see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from config import Settings, settings
from indexing.pipeline import ensure_index


@pytest.fixture(scope="session")
def app_settings(built_index: Settings) -> Iterator[Settings]:
    # The session's shared index (tests/conftest.py); the env var reaches app subprocesses.
    patch = pytest.MonkeyPatch()
    patch.setenv("JUESUAN_INDEX_DIR", str(built_index.index_dir))
    patch.setenv("HF_HUB_OFFLINE", "1")
    patch.setenv("JUESUAN_ALLOWED_ORIGINS", "https://news.example.org")
    s = settings()
    report = ensure_index(s)
    assert not report.failed, report.summary()
    yield s
    patch.undo()


@pytest.fixture(scope="session")
def client(app_settings: Settings) -> Iterator[TestClient]:
    from web.server import create_app

    with TestClient(create_app(app_settings)) as test_client:
        yield test_client

"""One index of data/ per test session, in a temp dir, and the app on top of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from config import Settings, settings
from indexing.pipeline import ensure_index


@pytest.fixture(scope="session")
def app_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    patch = pytest.MonkeyPatch()
    patch.setenv("JUESUAN_INDEX_DIR", str(tmp_path_factory.mktemp("index")))
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

"""Apps to attack: the session's shared index read-only, and a small writable one.

`reader` serves the shared index of data/ (tests/conftest.py) without an admin
token, so nothing a test sends can change it. `admin` serves its own index of
two corpus documents with `ADMIN_TOKEN`, for uploads and removals.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from config import Settings

ADMIN_TOKEN = "test-admin-token"
ZAOZHUANG = "001_f4ec1982bbb312b3"
GAOPING = "002_6b8b447dd5f33aed"


@dataclass(frozen=True)
class App:
    client: TestClient
    settings: Settings


@pytest.fixture(scope="session")
def reader(built_index: Settings) -> Iterator[App]:
    """The app over the shared index, with admin actions off (no token)."""
    from web.server import create_app

    s = replace(built_index, admin_token="")
    with TestClient(create_app(s)) as client:
        yield App(client, s)


@pytest.fixture(scope="session")
def admin(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The app over its own index of two corpus documents, with an admin token."""
    from web.server import create_app

    base = tmp_path_factory.mktemp("admin-app")
    data = base / "data"
    data.mkdir()
    for doc_id in (ZAOZHUANG, GAOPING):
        shutil.copy(built_index.data_dir / f"{doc_id}.txt", data)
    s = replace(built_index, data_dir=data, index_dir=base / "index", admin_token=ADMIN_TOKEN)
    with TestClient(create_app(s)) as client:
        yield App(client, s)


def bearer(token: str = ADMIN_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def corpus_file(settings: Settings, doc_id: str) -> Path:
    return settings.data_dir / f"{doc_id}.txt"


def writable_copy(settings: Settings, target: Path) -> Settings:
    """`settings` over a copy of its index in `target`: the session's index, free to change."""
    shutil.copytree(settings.index_dir, target, ignore=shutil.ignore_patterns("write.lock"))
    return replace(settings, index_dir=target)

"""The figure store's databases: which one configuration picks, errors, the writers' lock.

The PostgreSQL tests run against the real server of JUESUAN_TEST_DATABASE_URL
(tests/servers.py) and skip only when it is unset.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from config import Settings, settings
from indexing.pipeline import open_stores, writing
from indexing.sqldb import PostgresDatabase, SqliteDatabase, StoreUnavailable, postgres_schema
from indexing.sqlstore import SCHEMA, FigureStore
from tests.servers import Postgres


def test_unset_database_url_keeps_the_figures_in_sqlite_in_the_index_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("JUESUAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("JUESUAN_INDEX_DIR", str(tmp_path))
    s = settings()
    assert s.database == tmp_path / "figures.sqlite"
    store = FigureStore(s.database)
    assert isinstance(store.database, SqliteDatabase)
    assert store.database.describe() == f"SQLite {tmp_path / 'figures.sqlite'}"


def test_a_database_url_that_is_not_postgresql_is_refused_naming_the_variable(
    tmp_path: Path,
) -> None:
    with pytest.raises(StoreUnavailable, match=r"JUESUAN_DATABASE_URL='mysql://db/x' is not a"):
        FigureStore("mysql://db/x")


def test_an_unreachable_postgresql_server_is_named_without_its_password() -> None:
    url = "postgresql://reader:s3cret@127.0.0.1:1/juesuan"
    with pytest.raises(StoreUnavailable) as caught:
        FigureStore(url)
    message = str(caught.value)
    assert message.startswith(
        "cannot use the PostgreSQL database postgresql://reader:***@127.0.0.1:1/juesuan "
        "(JUESUAN_DATABASE_URL): "
    )
    assert "s3cret" not in message and "refused" in message


def test_the_database_url_is_kept_out_of_the_settings_repr(tmp_path: Path) -> None:
    s = replace(settings(), database_url="postgresql://u:s3cret@db/juesuan")
    assert "s3cret" not in repr(s)


def test_the_postgresql_schema_compares_text_as_sqlite_and_numbers_its_rows() -> None:
    schema = postgres_schema(SCHEMA)
    assert 'doc_id TEXT COLLATE "C" PRIMARY KEY' in schema
    assert "value DOUBLE PRECISION" in schema  # PostgreSQL's REAL has 4 bytes: 4637.79 would drift
    assert schema.count("seq BIGINT GENERATED ALWAYS AS IDENTITY") == SCHEMA.count("CREATE TABLE")


# ---- on a real PostgreSQL server -----------------------------------------


def test_figures_come_back_from_postgresql_with_their_exact_values(
    server_index: Settings, built_index: Settings
) -> None:
    on_server = open_stores(server_index).figures
    assert isinstance(on_server.database, PostgresDatabase)
    embedded = open_stores(built_index).figures.figures()
    assert on_server.figures() == embedded  # every field, in the same order
    reception = [f.value for f in embedded if f.metric == "公务接待费" and f.table_id == "09"]
    assert 32.73 in reception


def test_writers_on_one_postgresql_database_take_turns(postgres: Postgres, tmp_path: Path) -> None:
    """Two workers (two stores, each with its own pool) share one advisory lock."""
    url = postgres.new_database()
    first, second = FigureStore(url), FigureStore(url)
    events: list[str] = []

    def other_writer() -> None:
        with second.writer_lock():
            events.append("second has it")

    with first.writer_lock():
        thread = threading.Thread(target=other_writer)
        thread.start()
        time.sleep(0.5)
        events.append("first lets go")
    thread.join(timeout=10)
    assert events == ["first lets go", "second has it"]


def test_the_writers_lock_is_reentrant_in_one_thread(postgres: Postgres, tmp_path: Path) -> None:
    s = replace(settings(), index_dir=tmp_path, database_url=postgres.new_database())
    with writing(s) as stores, writing(s) as again:
        assert stores is again
        stores.figures.remove_document("no_such_doc")
    assert stores.figures.generation() == 1

"""The databases under the figure store: SQLite embedded, PostgreSQL as a server.

`FigureStore` (indexing/sqlstore.py) writes its queries once, in the SQL both
speak, with `?` placeholders; a database here gives it connections that run
them. SQLite is a file in the index folder, one connection per thread. A
PostgreSQL server is shared by every app worker (JUESUAN_DATABASE_URL), through
a small pool per process so N workers hold a bounded number of connections.

Its schema is SQLite's with what PostgreSQL needs to return the same rows in
the same order: byte-order text (`COLLATE "C"`, as SQLite compares), 8-byte
floats for REAL, and an identity column `seq` standing for SQLite's `rowid`
(the order records were written in).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from indexing.errors import IndexingError

log = logging.getLogger(__name__)
POOL_SIZE = 8  # connections one process keeps to a PostgreSQL server, at most
CONNECT_SECONDS = 10
# pg_advisory_lock key of the index's writer (any constant shared by all workers).
WRITER_LOCK = 0x6A756573  # "jues"


class StoreUnavailable(IndexingError):
    """The configured database server cannot be reached or used."""


class Rows(Protocol):
    """What `execute` returns: a cursor's rows, read by `fetchone`, `fetchall` or iteration."""

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """Runs the store's SQL (with `?` placeholders) on one database connection."""

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Rows: ...


class Database(Protocol):
    """A figure store's database: reads, transactions, and the writers' lock."""

    seq: str  # the column that orders rows as they were written

    def reader(self) -> Connection: ...  # reads, outside any transaction
    def transaction(self) -> Any: ...  # a context manager yielding a Connection (+ executemany)
    def writer_lock(self) -> Any: ...  # a context manager: one writer at a time
    def describe(self) -> str: ...


def open_database(target: Path | str, schema: str) -> Database:
    """SQLite for a path, PostgreSQL for a postgresql:// URL; `schema` is created if missing."""
    if isinstance(target, Path):
        return SqliteDatabase(target, schema)
    if urlsplit(target).scheme in ("postgresql", "postgres"):
        return PostgresDatabase(target, schema)
    raise StoreUnavailable(
        f"JUESUAN_DATABASE_URL={redact(target)!r} is not a postgresql:// URL; "
        "leave it unset to keep the figures in SQLite in the index folder"
    )


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


class SqliteDatabase:
    """One SQLite file; one connection per thread (gradio and FastAPI serve from threads)."""

    seq = "rowid"

    def __init__(self, path: Path, schema: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        with self.transaction() as db:
            db.executescript(schema)
            _migrate_sqlite(db)

    def reader(self) -> sqlite3.Connection:
        if not hasattr(self._local, "db"):
            db = sqlite3.connect(self.path, timeout=30)
            # WAL: readers (the app) and the one writer (see indexing/lock.py) never block
            # each other, and a reader always sees a whole transaction.
            db.execute("PRAGMA journal_mode=WAL")
            self._local.db = db
        return self._local.db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.reader()
        with db:
            yield db

    def writer_lock(self) -> nullcontext[None]:
        # The file lives in the index folder, whose flock (indexing/lock.py) every writer holds.
        return nullcontext()

    def describe(self) -> str:
        return f"SQLite {self.path}"


def _migrate_sqlite(db: sqlite3.Connection) -> None:
    """Add the columns later versions store to an index written by an earlier one."""
    have = {row[1] for row in db.execute("PRAGMA table_info(figures)")}
    if "bbox" not in have:
        db.execute("ALTER TABLE figures ADD COLUMN bbox TEXT")


def postgres_schema(schema: str) -> str:
    """SQLite's schema for PostgreSQL, returning rows as SQLite does (see the module doc)."""
    schema = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', schema)
    schema = re.sub(r"\bREAL\b", "DOUBLE PRECISION", schema)
    return re.sub(
        r"(CREATE TABLE IF NOT EXISTS \w+ \()",
        r"\1seq BIGINT GENERATED ALWAYS AS IDENTITY, ",
        schema,
    )


def _placeholders(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (a literal % doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _PgConnection:
    """A psycopg connection that takes the store's `?` SQL."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self._conn.execute(_placeholders(sql), tuple(args))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._conn.cursor() as cur:
                cur.executemany(_placeholders(sql), [tuple(r) for r in rows])


class _Fetched(list):
    """Rows read in full, so the pooled connection is returned at once."""

    def fetchone(self) -> Any:
        return self[0] if self else None

    def fetchall(self) -> list[Any]:
        return list(self)


class _PgReader:
    """Each statement on a connection borrowed from the pool for it (autocommit)."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def execute(self, sql: str, args: Sequence[Any] = ()) -> _Fetched:
        with self._pool.connection() as conn:
            cur = conn.execute(_placeholders(sql), tuple(args))
            return _Fetched(cur.fetchall() if cur.description else ())


class PostgresDatabase:
    """A PostgreSQL database shared by every worker; a bounded pool in this process."""

    seq = "seq"

    def __init__(self, url: str, schema: str) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        self.url = url
        try:
            # One plain connection first: its error says what is wrong (refused, no
            # such database, password), where the pool would only time out.
            with (
                psycopg.connect(url, connect_timeout=CONNECT_SECONDS, autocommit=True) as conn,
                conn.transaction(),
            ):
                # Workers starting together must not create the tables twice.
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK + 1,))
                conn.execute(postgres_schema(schema))
        except psycopg.Error as exc:
            raise StoreUnavailable(
                f"cannot use the PostgreSQL database {redact(url)} (JUESUAN_DATABASE_URL): "
                f"{str(exc).strip()}"
            ) from exc
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=POOL_SIZE,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,  # a server restart costs one retry, not errors
            open=True,
            name="juesuan-figures",
        )
        self._reader = _PgReader(self._pool)
        self._held = threading.local()

    def reader(self) -> _PgReader:
        return self._reader

    @contextmanager
    def transaction(self) -> Iterator[_PgConnection]:
        with self._pool.connection() as conn, conn.transaction():
            yield _PgConnection(conn)

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the server's advisory lock: one indexer at a time among all workers.

        The folder's flock guards one machine; workers on several machines
        share only this server. Re-entrant within a thread, as that flock is.
        """
        depth = getattr(self._held, "depth", 0)
        if depth:
            self._held.depth = depth + 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (WRITER_LOCK,))
            self._held.depth = 1
            try:
                yield
            finally:
                self._held.depth = 0
                conn.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))

    def describe(self) -> str:
        return f"PostgreSQL {redact(self.url)}"

    def close(self) -> None:
        self._pool.close()

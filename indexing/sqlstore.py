"""The SQL store: figures, checks, tables and passages for exact lookup.

SQLite by default (one file under the index folder); a PostgreSQL server when
JUESUAN_DATABASE_URL names one, so several app workers share one store
(indexing/sqldb.py). The queries are written once, for both. A document's
records are replaced in one transaction, so a crash midway leaves the previous
version in place; the `generation` counter tells readers (the BM25 index, the
app, every worker) that something changed and caches must be rebuilt. Rows
come back in an explicit order, the same from either database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from indexing.records import (
    Check,
    Chunk,
    Document,
    Figure,
    Locator,
    Provenance,
    SourceKind,
    Table,
    TableRow,
)
from indexing.sqldb import Connection, Database, open_database

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta (key, value) VALUES ('generation', '0') ON CONFLICT (key) DO NOTHING;
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, sha256 TEXT, source TEXT, body TEXT);
CREATE TABLE IF NOT EXISTS figures (
    figure_id TEXT PRIMARY KEY, doc_id TEXT, department TEXT, year INTEGER, source TEXT,
    table_id TEXT, table_title TEXT, code TEXT, row TEXT, col TEXT, metric TEXT,
    measure TEXT, value REAL, unit TEXT, quote TEXT, line_start INTEGER, line_end INTEGER,
    page_start INTEGER, page_end INTEGER, section TEXT, bbox TEXT);
CREATE INDEX IF NOT EXISTS figures_doc_metric ON figures (doc_id, metric);
CREATE INDEX IF NOT EXISTS figures_code ON figures (doc_id, code);
-- A question naming no department reads one metric in every document: by this
-- index, not by a list of every document's id.
CREATE INDEX IF NOT EXISTS figures_metric ON figures (metric, measure);
CREATE TABLE IF NOT EXISTS checks (
    check_id TEXT PRIMARY KEY, doc_id TEXT, body TEXT);
CREATE TABLE IF NOT EXISTS tables_ (
    doc_id TEXT, table_id TEXT, body TEXT, PRIMARY KEY (doc_id, table_id));
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT, kind TEXT, text TEXT, body TEXT);
-- Look-ups and deletes by document (the unchanged check, replacing a document)
-- must not scan every row: without these they cost O(corpus) each.
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id);
CREATE INDEX IF NOT EXISTS checks_doc ON checks (doc_id);
"""

_FIGURE_FIELDS = (
    "figure_id", "doc_id", "department", "year", "source", "table_id", "table_title", "code",
    "row", "col", "metric", "measure", "value", "unit", "quote", "line_start", "line_end",
    "page_start", "page_end", "section", "bbox",
)  # fmt: skip
_FIGURE_COLUMNS = ", ".join(_FIGURE_FIELDS)


class FigureStore:
    """Figures, checks, tables, documents and passages in SQLite or PostgreSQL.

    `target` is the SQLite file, or a postgresql:// URL (Settings.database)."""

    def __init__(self, target: Path | str) -> None:
        self.database: Database = open_database(target, SCHEMA)

    @property
    def _db(self) -> Connection:
        return self.database.reader()

    @contextmanager
    def _tx(self) -> Iterator[Any]:
        with self.database.transaction() as db:
            yield db

    def writer_lock(self) -> AbstractContextManager[None]:
        """One writer at a time among every process sharing this database."""
        return self.database.writer_lock()

    # ---- writing -------------------------------------------------------
    def replace_document(
        self,
        document: Document,
        figures: Sequence[Figure],
        checks: Sequence[Check],
        tables: Sequence[Table],
        chunks: Sequence[Chunk],
    ) -> None:
        """Swap in a document's records atomically (all or nothing)."""
        with self._tx() as db:
            self._delete(db, document.doc_id)
            db.execute(
                "INSERT INTO documents (doc_id, sha256, source, body) VALUES (?, ?, ?, ?)",
                (document.doc_id, document.sha256, document.source, _dump(document)),
            )
            db.executemany(
                f"INSERT INTO figures ({_FIGURE_COLUMNS}) VALUES ({', '.join('?' * len(_FIGURE_FIELDS))})",
                [_figure_row(f) for f in figures],
            )
            db.executemany(
                "INSERT INTO checks (check_id, doc_id, body) VALUES (?, ?, ?)",
                [(c.check_id, c.doc_id, _dump(c)) for c in checks],
            )
            db.executemany(
                "INSERT INTO tables_ (doc_id, table_id, body) VALUES (?, ?, ?) "
                "ON CONFLICT (doc_id, table_id) DO UPDATE SET body = excluded.body",
                [(t.doc_id, t.table_id, _dump(t)) for t in tables],
            )
            db.executemany(
                "INSERT INTO chunks (chunk_id, doc_id, kind, text, body) VALUES (?, ?, ?, ?, ?)",
                [(c.chunk_id, c.doc_id, c.kind, c.text, _dump(c)) for c in chunks],
            )
            self._bump(db)

    def record_provenance(self, doc_id: str, provenance: Provenance) -> bool:
        """Give a document stored without provenance (an older index) this one.

        A document that has one keeps it: provenance says who added it first.
        True when the record was written. Answers do not depend on it, so the
        generation stays. The body is read and written whole, the same SQL on
        SQLite and PostgreSQL; a document that has it costs one read.
        """
        if (found := self.document(doc_id)) is None or found.provenance is not None:
            return False
        with self._tx() as db:
            row = db.execute("SELECT body FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
            data = json.loads(row[0]) if row else {}
            if not row or data.get("provenance"):
                return False
            data["provenance"] = asdict(provenance)
            body = json.dumps(data, ensure_ascii=False)
            db.execute("UPDATE documents SET body=? WHERE doc_id=?", (body, doc_id))
        return True

    def remove_document(self, doc_id: str) -> bool:
        with self._tx() as db:
            found = db.execute("SELECT 1 FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
            self._delete(db, doc_id)
            self._bump(db)
        return found is not None

    @staticmethod
    def _delete(db: Any, doc_id: str) -> None:
        for table in ("documents", "figures", "checks", "tables_", "chunks"):
            db.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc_id,))

    @staticmethod
    def _bump(db: Any) -> None:
        db.execute(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
            "WHERE key = 'generation'"
        )

    # ---- reading -------------------------------------------------------
    def generation(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def documents(self) -> list[Document]:
        rows = self._db.execute("SELECT body FROM documents ORDER BY doc_id").fetchall()
        return [_load_document(r[0]) for r in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self._db.execute("SELECT body FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return _load_document(row[0]) if row else None

    def sha256(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT sha256 FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def figures(
        self,
        doc_ids: Sequence[str] = (),
        metrics: Sequence[str] = (),
        code: str = "",
    ) -> list[Figure]:
        """Figures filtered by document, metric and 科目编码 (all optional).

        In a stated order, the one SQLite's indexes gave before it was stated:
        by document, then metric (or 科目编码), then as written."""
        where, args = [], []
        for column, values in (("doc_id", doc_ids), ("metric", metrics)):
            if values:
                where.append(f"{column} IN ({', '.join('?' * len(values))})")
                args.extend(values)
        if code:
            where.append("code = ?")
            args.append(code)
        sql = f"SELECT {_FIGURE_COLUMNS} FROM figures"
        if where:
            sql += " WHERE " + " AND ".join(where)
        seq = self.database.seq
        if doc_ids:
            sql += f" ORDER BY doc_id, {'metric' if metrics else 'code'}, {seq}"
        else:
            sql += f" ORDER BY {seq}"
        return [_figure_from_row(r) for r in self._db.execute(sql, args).fetchall()]

    def across(self, metrics: Sequence[str], measures: Sequence[str] = ()) -> list[Figure]:
        """Every document's figures of these metrics (and measures, when given).

        An indexed look-up on (metric, measure), so a question naming no
        department costs the rows it reads, not a scan nor a list of every
        document's id; in the order `figures` gives when every document is named."""
        if not metrics:
            return []
        where = [f"metric IN ({', '.join('?' * len(metrics))})"]
        args = list(metrics)
        if measures:
            where.append(f"measure IN ({', '.join('?' * len(measures))})")
            args.extend(measures)
        sql = (
            f"SELECT {_FIGURE_COLUMNS} FROM figures WHERE {' AND '.join(where)} "
            f"ORDER BY doc_id, metric, {self.database.seq}"
        )
        return [_figure_from_row(r) for r in self._db.execute(sql, args).fetchall()]

    def metrics(self, doc_ids: Sequence[str] = ()) -> list[str]:
        """Every metric stored (of these documents, when given), always in one order.

        Read once per index generation (a full scan otherwise), so a question
        about one department looks through its metrics only.
        """
        generation = self.generation()
        cached = getattr(self, "_metrics", None)
        if cached is None or cached[0] != generation:
            # Each metric where it first occurs, by document.
            every = [
                r[0]
                for r in self._db.execute(
                    "SELECT metric FROM figures GROUP BY metric ORDER BY MIN(doc_id), metric"
                )
            ]
            of: dict[str, set[str]] = {}
            for doc_id, metric in self._db.execute("SELECT DISTINCT doc_id, metric FROM figures"):
                of.setdefault(doc_id, set()).add(metric)
            cached = (generation, every, of, {m: i for i, m in enumerate(every)})
            self._metrics = cached
        _, every, of, rank = cached
        if not doc_ids or of.keys() <= set(doc_ids):
            return list(every)
        inside = set().union(*(of.get(d, ()) for d in doc_ids))
        return sorted(inside, key=rank.__getitem__)

    def checks(self, doc_id: str | None = None) -> list[Check]:
        sql, args = "SELECT body FROM checks", ()
        if doc_id:
            sql, args = sql + " WHERE doc_id=?", (doc_id,)
        return [_load_check(r[0]) for r in self._db.execute(sql + " ORDER BY check_id", args)]

    def tables(self, doc_id: str) -> list[Table]:
        rows = self._db.execute(
            "SELECT body FROM tables_ WHERE doc_id=? ORDER BY table_id", (doc_id,)
        ).fetchall()
        return [_load_table(r[0]) for r in rows]

    def chunks(self) -> list[Chunk]:
        rows = self._db.execute(f"SELECT body FROM chunks ORDER BY {self.database.seq}").fetchall()
        return [_load_chunk(r[0]) for r in rows]

    def chunks_of(self, doc_ids: Sequence[str]) -> dict[str, list[Chunk]]:
        """The passages of these documents, each in its stored order (an indexed look-up).

        What the engine loads for the documents a new generation added or changed."""
        found: dict[str, list[Chunk]] = {d: [] for d in doc_ids}
        for start in range(0, len(doc_ids), 500):  # bounded parameters per statement
            some = list(doc_ids[start : start + 500])
            rows = self._db.execute(
                f"SELECT doc_id, body FROM chunks WHERE doc_id IN ({', '.join('?' * len(some))}) "
                f"ORDER BY doc_id, {self.database.seq}",
                some,
            )
            for doc_id, body in rows.fetchall():
                found[doc_id].append(_load_chunk(body))
        return found

    def chunk_ids(self, doc_id: str) -> list[str]:
        rows = self._db.execute(
            f"SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY {self.database.seq}", (doc_id,)
        )
        return [r[0] for r in rows.fetchall()]

    def counts(self) -> dict[str, int]:
        return {
            t: self._db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("documents", "figures", "checks", "tables_", "chunks")
        }


def _dump(record: object) -> str:
    return json.dumps(asdict(record), ensure_ascii=False)  # type: ignore[call-overload]


def _locator(data: dict) -> Locator:
    return Locator(**data)


def _load_document(body: str) -> Document:
    data = json.loads(body)
    data["units"], data["aliases"] = tuple(data["units"]), tuple(data["aliases"])
    origin = data.get("provenance")  # absent in an index written before it was recorded
    data["provenance"] = (
        Provenance(SourceKind(origin["kind"]), origin["added_by"], origin["added_at"])
        if origin
        else None
    )
    return Document(**data)


def _load_check(body: str) -> Check:
    data = json.loads(body)
    data["locators"] = tuple(_locator(x) for x in data["locators"])
    return Check(**data)


def _load_table(body: str) -> Table:
    data = json.loads(body)
    data["rows"] = tuple(
        TableRow(
            **(
                r
                | {
                    "values": tuple(r["values"]),
                    "locator": _locator(r["locator"]),
                    "boxes": tuple(tuple(b) if b else None for b in r.get("boxes", ())),
                }
            )
        )
        for r in data["rows"]
    )
    data["columns"], data["notes"] = tuple(data["columns"]), tuple(data["notes"])
    data["locator"] = _locator(data["locator"])
    return Table(**data)


def _load_chunk(body: str) -> Chunk:
    data = json.loads(body)
    data["locator"] = _locator(data["locator"])
    return Chunk(**data)


def _figure_row(f: Figure) -> tuple:
    loc = f.locator
    return (
        f.figure_id, f.doc_id, f.department, f.year, f.source, f.table_id, f.table_title,
        f.code, f.row, f.column, f.metric, f.measure, f.value, f.unit, f.quote,
        loc.line_start, loc.line_end, loc.page_start, loc.page_end, f.section,
        json.dumps(f.bbox) if f.bbox else None,
    )  # fmt: skip


def _figure_from_row(r: tuple) -> Figure:
    """A stored row back into its Figure, by column name."""
    c = dict(zip(_FIGURE_FIELDS, r, strict=True))
    bbox = tuple(json.loads(c["bbox"])) if c["bbox"] else None
    return Figure(
        figure_id=c["figure_id"], doc_id=c["doc_id"], department=c["department"],
        year=c["year"], source=c["source"], table_id=c["table_id"],
        table_title=c["table_title"], code=c["code"], row=c["row"], column=c["col"],
        metric=c["metric"], measure=c["measure"], value=c["value"], unit=c["unit"],
        quote=c["quote"],
        locator=Locator(c["line_start"], c["line_end"], c["page_start"], c["page_end"]),
        section=c["section"], bbox=bbox,  # type: ignore[arg-type]
    )  # fmt: skip

"""The two stores, embedded and on servers: records come back as parsed, filters hold.

Each test runs on the session index twice: `embedded` (SQLite and chromadb's
PersistentClient in a folder) and `servers` (a real PostgreSQL and a real
Chroma server, HttpClient; tests/servers.py says where they come from, and
`servers` skips only when they are not named).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from config import ROOT, Settings
from indexing.pipeline import discover, index_paths, open_stores, parse_document
from indexing.records import ParsedDocument
from indexing.sqlstore import FigureStore
from tests.servers import Chroma

CORPUS = discover([ROOT / "data"])


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedDocument]:
    return {doc.document.doc_id: doc for doc in map(parse_document, CORPUS)}


@pytest.fixture(params=["embedded", "servers"])
def index(request: pytest.FixtureRequest) -> Settings:
    """The session's corpus index in the embedded stores, then on the servers."""
    return request.getfixturevalue("built_index" if request.param == "embedded" else "server_index")


def test_documents_come_back_as_parsed(index: Settings, parsed: dict[str, ParsedDocument]) -> None:
    store = open_stores(index).figures
    # As parsed, plus who added them (indexing records it: tests/indexing/test_provenance.py).
    stored = store.documents()
    assert [replace(d, provenance=None) for d in stored] == [
        parsed[d].document for d in sorted(parsed)
    ]
    assert all(d.provenance is not None for d in stored)
    assert store.document("no_such_doc") is None


def test_figures_checks_tables_and_passages_come_back_as_parsed(
    index: Settings, parsed: dict[str, ParsedDocument]
) -> None:
    store = open_stores(index).figures
    all_chunks = store.chunks()
    for doc_id, doc in parsed.items():
        by_id = {f.figure_id: f for f in store.figures(doc_ids=[doc_id])}
        assert by_id == {f.figure_id: f for f in doc.figures}
        assert store.checks(doc_id) == sorted(doc.checks, key=lambda c: c.check_id)
        assert store.tables(doc_id) == sorted(doc.tables, key=lambda t: t.table_id)
        assert [c for c in all_chunks if c.doc_id == doc_id] == list(doc.chunks)


def test_figures_filter_by_document_metric_and_code(
    index: Settings, parsed: dict[str, ParsedDocument]
) -> None:
    store = open_stores(index).figures
    doc_id = sorted(parsed)[0]
    coded = next(f for f in parsed[doc_id].figures if f.code)
    expected = {f.figure_id for f in parsed[doc_id].figures if f.code == coded.code}
    assert {f.figure_id for f in store.figures(doc_ids=[doc_id], code=coded.code)} == expected
    across = {
        f.figure_id for doc in parsed.values() for f in doc.figures if f.metric == coded.metric
    }
    assert {f.figure_id for f in store.figures(metrics=[coded.metric])} == across
    assert len(store.figures()) == sum(len(doc.figures) for doc in parsed.values())
    assert coded.metric in store.metrics()


def test_metrics_of_some_documents_keep_the_order_of_all(
    index: Settings, parsed: dict[str, ParsedDocument]
) -> None:
    store = open_stores(index).figures
    every = store.metrics()
    doc_id = sorted(parsed)[0]
    own = {f.metric for f in parsed[doc_id].figures}
    assert store.metrics([doc_id]) == [m for m in every if m in own]
    assert store.metrics(sorted(parsed)) == every


def test_one_metric_across_every_document_is_the_same_as_naming_them_all(
    index: Settings, parsed: dict[str, ParsedDocument]
) -> None:
    # what a question naming no department reads: the figures of its metric in every
    # document, in the order (and with the measures) of the look-up that names them all
    store = open_stores(index).figures
    metrics = ["公务接待费", "收支总计"]
    named = store.figures(doc_ids=sorted(parsed), metrics=metrics)
    assert store.across(metrics) == named
    actual = store.across(metrics, ["决算数"])
    assert actual == [f for f in named if f.measure == "决算数"]
    assert len({f.doc_id for f in actual}) == len(parsed)
    assert store.across([]) == [] and store.across(["no such metric"]) == []


def _plan(index: Settings, store: FigureStore, query: str) -> str:
    """How the database would run `query`: PostgreSQL told that a scan costs more."""
    with store._tx() as db:
        if index.database_url:
            db.execute("SET LOCAL enable_seqscan = off")
            return " ".join(row[0] for row in db.execute(f"EXPLAIN {query}").fetchall())
        return " ".join(str(r[-1]) for r in db.execute(f"EXPLAIN QUERY PLAN {query}"))


def _uses(plan: str, index_name: str) -> bool:
    return any(f"{how} {index_name}" in plan for how in ("USING INDEX", "Scan on", "Scan using"))


def test_passages_and_checks_are_found_by_document_through_an_index(
    index: Settings,
) -> None:
    store = open_stores(index).figures
    for table in ("chunks", "checks"):
        plan = _plan(index, store, f"SELECT * FROM {table} WHERE doc_id = 'x'")
        assert _uses(plan, f"{table}_doc"), plan


def test_a_metric_in_every_document_is_read_through_an_index(index: Settings) -> None:
    store = open_stores(index).figures
    query = "SELECT * FROM figures WHERE metric IN ('公务接待费') AND measure IN ('决算数')"
    plan = _plan(index, store, query)
    assert _uses(plan, "figures_metric"), plan


def test_dense_search_finds_a_passage_by_its_own_text(
    index: Settings, parsed: dict[str, ParsedDocument]
) -> None:
    chunks = open_stores(index).chunks
    doc_id = sorted(parsed)[1]
    passage = next(c for c in parsed[doc_id].chunks if c.kind == "section")
    chunk_id, similarity, meta = chunks.search(passage.text, top_k=3)[0]
    assert chunk_id == passage.chunk_id
    assert similarity == pytest.approx(1.0, abs=1e-3)
    assert (meta["doc_id"], meta["kind"], meta["sha256"]) == (
        doc_id,
        "section",
        parsed[doc_id].document.sha256,
    )


def test_dense_search_keeps_to_the_requested_documents_and_kinds(
    index: Settings, parsed: dict[str, ParsedDocument]
) -> None:
    chunks = open_stores(index).chunks
    wanted = sorted(parsed)[2:4]
    hits = chunks.search("公务接待费", top_k=20, doc_ids=wanted, kinds=["table"])
    assert len(hits) == 20
    assert {meta["doc_id"] for _, _, meta in hits} == set(wanted)
    assert {meta["kind"] for _, _, meta in hits} == {"table"}
    assert [h[1] for h in hits] == sorted((h[1] for h in hits), reverse=True)


# ---- the Chroma server variant on its own -----------------------------------


def test_http_client_indexes_and_searches_through_a_chroma_server(
    built_index: Settings, chroma: Chroma, tmp_path: Path, parsed: dict[str, ParsedDocument]
) -> None:
    s = replace(
        built_index,
        index_dir=tmp_path / "index",
        chroma_host=chroma.host,
        chroma_port=chroma.port,
        collection=chroma.new_collection(),
    )
    doc = min(parsed.values(), key=lambda d: len(d.chunks))
    report = index_paths([ROOT / "data" / doc.document.source], s)
    assert report.indexed == [doc.document.source]
    stores = open_stores(s)
    assert not s.chroma_path.exists()  # vectors went to the server, not to disk here
    assert stores.chunks.count() == len(doc.chunks)
    passage = next(c for c in doc.chunks if c.kind == "table")
    chunk_id, similarity, meta = stores.chunks.search(passage.text, top_k=1)[0]
    assert (chunk_id, meta["doc_id"]) == (passage.chunk_id, doc.document.doc_id)
    assert similarity == pytest.approx(1.0, abs=1e-3)

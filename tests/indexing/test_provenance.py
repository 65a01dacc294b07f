"""Every document records who added it and when, and keeps it while its content stays.

Shipped documents (the corpus folder) are the indexer's; a path given on the
command line outside it is local; uploads are the admin token's
(tests/reliability/test_provenance.py). The record lives in the document's
row of the SQL store, so it survives re-indexing unchanged files, a re-parse
after lost vectors, and an index written before it existed.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from config import Settings
from indexing.pipeline import index_paths, open_stores
from indexing.records import Provenance, SourceKind
from indexing.vectorstore import vector_id

GAOPING = "002_6b8b447dd5f33aed"


def provenances(settings: Settings) -> dict[str, Provenance | None]:
    return {d.doc_id: d.provenance for d in open_stores(settings).figures.documents()}


def one_document_index(built_index: Settings, tmp_path: Path) -> Settings:
    """An index of its own over a corpus folder holding one shipped document."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(built_index.data_dir / f"{GAOPING}.txt", data)
    s = replace(built_index, data_dir=data, index_dir=tmp_path / "index")
    report = index_paths([data], s)
    assert report.indexed == [f"{GAOPING}.txt"], report.summary()
    return s


def test_shipped_documents_record_the_indexer_and_the_time(built_index: Settings):
    recorded = provenances(built_index)
    assert len(recorded) == 6
    for doc_id, origin in recorded.items():
        assert origin is not None, doc_id
        assert (origin.kind, origin.added_by) == (SourceKind.SHIPPED, "indexer")
        added = datetime.fromisoformat(origin.added_at)
        assert origin.added_at.endswith("Z") and added.tzinfo is not None
        assert datetime.now(UTC) - timedelta(hours=6) < added <= datetime.now(UTC)


def test_reindexing_unchanged_files_keeps_who_and_when(built_index: Settings):
    before = provenances(built_index)
    report = index_paths([built_index.data_dir], built_index)
    assert report.indexed == [] and len(report.unchanged) == 6
    assert provenances(built_index) == before


def test_a_document_parsed_again_after_losing_vectors_keeps_its_first_record(
    built_index: Settings, tmp_path: Path
):
    s = one_document_index(built_index, tmp_path)
    first = provenances(s)[GAOPING]
    stores = open_stores(s)
    sha = stores.figures.sha256(GAOPING)
    lost = [vector_id(c, sha) for c in stores.figures.chunk_ids(GAOPING)][:5]
    stores.chunks.collection.delete(ids=lost)

    report = index_paths([s.data_dir], s)

    assert report.indexed == [f"{GAOPING}.txt"]  # the vectors were restored by parsing again
    assert stores.chunks.has(lost)
    assert provenances(s)[GAOPING] == first


def test_changed_content_is_recorded_as_added_again(built_index: Settings, tmp_path: Path):
    s = one_document_index(built_index, tmp_path)
    stores = open_stores(s)
    with sqlite3.connect(s.sqlite_path) as db:  # as if indexed an hour ago
        db.execute(
            "UPDATE documents SET body = json_set(body, '$.provenance.added_at', "
            "'2020-01-01T00:00:00Z') WHERE doc_id = ?",
            (GAOPING,),
        )
    path = s.data_dir / f"{GAOPING}.txt"
    path.write_bytes(path.read_bytes() + "\n修订\n".encode())

    assert index_paths([s.data_dir], s).indexed == [f"{GAOPING}.txt"]

    origin = stores.figures.document(GAOPING).provenance
    assert origin.kind == SourceKind.SHIPPED
    assert origin.added_at > "2020-01-01T00:00:00Z"


def test_an_index_written_before_provenance_gets_who_without_inventing_when(
    built_index: Settings, tmp_path: Path
):
    s = one_document_index(built_index, tmp_path)
    with sqlite3.connect(s.sqlite_path) as db:
        db.execute("UPDATE documents SET body = json_remove(body, '$.provenance')")
    store = open_stores(s).figures
    assert store.document(GAOPING).provenance is None
    generation = store.generation()

    report = index_paths([s.data_dir], s)

    assert report.unchanged == [f"{GAOPING}.txt"] and report.indexed == []
    assert store.document(GAOPING).provenance == Provenance(SourceKind.SHIPPED, "indexer", "")
    assert store.generation() == generation  # answers did not change


def test_a_file_given_outside_the_corpus_folder_is_local(built_index: Settings, tmp_path: Path):
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(built_index.data_dir / f"{GAOPING}.txt", mine / "高平.txt")
    s = replace(built_index, data_dir=tmp_path / "data", index_dir=tmp_path / "index")

    assert index_paths([mine], s).indexed == ["高平.txt"]

    [origin] = provenances(s).values()
    assert (origin.kind, origin.added_by) == (SourceKind.LOCAL, "command line")

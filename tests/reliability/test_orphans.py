"""Start-up repairs what a killed upload left, and what an upload lost.

An upload writes its file, then its vectors, then switches SQL to it. A
server killed in between used to leave the file and its 512 vectors forever:
SQL never knew of the document, so no later run removed them (and a re-index
would have indexed the file unasked). Now start-up removes upload files the
index does not hold and vectors no stored document owns, and checks the
uploads' vectors as it checks the corpus'.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient

from config import Settings
from indexing.metadata import upload_file_name
from indexing.pipeline import open_stores, parse_document
from indexing.vectorstore import vector_id
from web.labels import labels
from web.server import create_app
from web.uploads import add_uploads, uploads_dir

from .conftest import GAOPING, writable_copy

QUESTION = "高平市人民政府办公室2024年住房公积金支出是多少？"


def start(settings: Settings) -> None:
    """Start the app (its start-up runs) and ask it once."""
    with TestClient(create_app(settings)) as client:
        assert "69.09" in client.post("/api/ask", json={"question": QUESTION}).json()["answer"]


def gaoping_variant(settings: Settings, note: str) -> bytes:
    return (settings.data_dir / f"{GAOPING}.txt").read_bytes() + f"\n{note}\n".encode()


def test_start_up_removes_the_file_and_vectors_a_killed_upload_left(
    built_index: Settings, tmp_path: Path
):
    s = writable_copy(built_index, tmp_path / "index")
    stores = open_stores(s)
    vectors_before = stores.chunks.count()
    # What a kill -9 between the upload's vectors and its SQL switch leaves,
    # made by the pipeline's own first two steps: the file, then the vectors.
    content = gaoping_variant(s, "上传到一半")
    sha = hashlib.sha256(content).hexdigest()
    target = uploads_dir(s) / upload_file_name(sha, "高平.txt")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    parsed = parse_document(target, sha)
    stores.chunks.add(parsed.chunks, sha)
    left = [vector_id(c.chunk_id, sha) for c in parsed.chunks]
    assert stores.chunks.count() == vectors_before + len(left)

    start(s)

    assert not target.exists()
    assert not any(stores.chunks.has([i]) for i in left)
    assert stores.chunks.count() == vectors_before == stores.figures.counts()["chunks"]
    # Every vector is searchable again without an error.
    probe = stores.chunks.embedder.embed(["住房公积金"])[0].tolist()
    found = stores.chunks.collection.query(
        query_embeddings=[probe], n_results=vectors_before, include=[]
    )
    assert len(found["ids"][0]) == vectors_before


def test_start_up_restores_the_vectors_an_upload_lost(built_index: Settings, tmp_path: Path):
    s = writable_copy(built_index, tmp_path / "index")
    path = tmp_path / "高平.txt"
    path.write_bytes(gaoping_variant(s, "另一份"))
    [result] = add_uploads([path], s, labels("en"))
    assert result.status == "indexed"
    stores = open_stores(s)
    sha = stores.figures.sha256(result.doc_id)
    wanted = [vector_id(c, sha) for c in stores.figures.chunk_ids(result.doc_id)]
    stores.chunks.collection.delete(ids=wanted[:10])
    assert not stores.chunks.has(wanted)

    start(s)

    assert stores.chunks.has(wanted)
    assert stores.chunks.count() == stores.figures.counts()["chunks"]
    assert [p.name for p in uploads_dir(s).iterdir()] == [upload_file_name(sha, "高平.txt")]

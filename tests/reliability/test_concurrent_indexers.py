"""One writer at a time: two indexers run at once and both documents are whole.

Two `python -m indexing` runs on different documents used to both succeed
while the vector store lost vectors (each process persisted its own view of
the HNSW index over the other's). Now an inter-process lock on the index
folder lets one write at a time, and SQLite runs in WAL mode.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from config import ROOT, Settings
from indexing.lock import IndexBusy, write_lock
from indexing.pipeline import open_stores

from .conftest import GAOPING

YANGGU = "004_8e0e4eb5d50c1166"  # with 高平, enough vectors that the race lost some
YANGCHENG = "003_5bf6c4be2fcbdf28"


def _indexer(path: Path, index_dir: Path) -> subprocess.Popen:
    env = os.environ | {"JUESUAN_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "indexing", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_indexers_at_once_leave_both_documents_complete(built_index: Settings, tmp_path: Path):
    index_dir = tmp_path / "index"
    files = []
    for doc_id in (GAOPING, YANGGU):
        files.append(tmp_path / f"{doc_id}.txt")
        shutil.copy(built_index.data_dir / f"{doc_id}.txt", files[-1])
    runs = [_indexer(path, index_dir) for path in files]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs

    stores = open_stores(replace(built_index, index_dir=index_dir))
    figures, chunks = stores.figures, stores.chunks
    assert [d.doc_id for d in figures.documents()] == [GAOPING, YANGGU]
    expected = 0
    for doc_id in (GAOPING, YANGGU):
        sha = figures.sha256(doc_id)
        wanted = {f"{c}@{sha[:12]}" for c in figures.chunk_ids(doc_id)}
        assert set(chunks.ids(doc_id)) == wanted, doc_id
        expected += len(wanted)
    # Every vector is searchable: an unfiltered search over all of them finds all.
    probe = chunks.embedder.embed(["公务接待费"])[0].tolist()
    found = chunks.collection.query(query_embeddings=[probe], n_results=expected, include=[])
    assert len(found["ids"][0]) == expected == chunks.count()


def test_the_figure_store_runs_in_wal_mode(built_index: Settings):
    store = open_stores(built_index).figures
    mode = sqlite3.connect(store.database.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_a_corpus_document_is_never_half_written_by_a_second_run(
    built_index: Settings, tmp_path: Path
):
    """The same document indexed by two processes at once is indexed once, then unchanged."""
    path = tmp_path / f"{YANGCHENG}.txt"
    shutil.copy(built_index.data_dir / f"{YANGCHENG}.txt", path)
    index_dir = tmp_path / "index"
    runs = [_indexer(path, index_dir) for _ in range(2)]
    outputs = sorted(run.communicate(timeout=600)[0] for run in runs)
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert "1 indexed, 0 unchanged" in outputs[0] and "0 indexed, 1 unchanged" in outputs[1]


def test_a_writer_killed_with_sigkill_leaves_no_stale_lock(tmp_path: Path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from indexing.lock import write_lock\n"
            f"with write_lock(Path({str(tmp_path)!r})):\n"
            "    print('held', flush=True); time.sleep(600)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with (
        pytest.raises(IndexBusy, match="try again when it has finished"),
        write_lock(tmp_path, timeout=0.3),
    ):
        pass
    holder.kill()
    holder.wait()
    with write_lock(tmp_path, timeout=5):
        pass

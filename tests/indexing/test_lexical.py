"""Each document's lexical segment: saved when it is indexed, loaded back as built."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np

from config import Settings
from indexing.lexical import build_segment, load, save, segment_of, segment_path
from indexing.pipeline import index_paths, open_stores, remove_document
from indexing.tokens import tokenize

ZAOZHUANG = "001_f4ec1982bbb312b3"
GAOPING = "002_6b8b447dd5f33aed"


def _copy(settings: Settings, target: Path) -> Settings:
    """The session's index copied to `target`, free to change."""
    shutil.copytree(settings.index_dir, target, ignore=shutil.ignore_patterns("write.lock"))
    return replace(settings, index_dir=target)


def _files(settings: Settings) -> set[str]:
    return {p.name for p in settings.lexical_path.glob("*.npz")}


def _versions(settings: Settings) -> set[str]:
    folder, documents = settings.lexical_path, open_stores(settings).figures.documents()
    return {segment_path(folder, d.doc_id, d.sha256).name for d in documents}


def test_every_indexed_document_version_has_its_segment_file(built_index: Settings) -> None:
    assert len(_versions(built_index)) == 6
    assert _files(built_index) == _versions(built_index)


def test_a_saved_segment_loads_back_as_it_was_built(built_index: Settings) -> None:
    store = open_stores(built_index).figures
    chunks = store.chunks_of([ZAOZHUANG])[ZAOZHUANG]
    saved = load(segment_path(built_index.lexical_path, ZAOZHUANG, store.sha256(ZAOZHUANG)))
    built = build_segment(chunks)
    assert saved is not None
    assert saved.chunk_ids == built.chunk_ids == tuple(c.chunk_id for c in chunks)
    assert saved.tokens == built.tokens
    for name in ("indptr", "passages", "counts", "lengths"):
        assert np.array_equal(getattr(saved, name), getattr(built, name)), name
    # each passage's length is its number of tokens; 接待 is counted where it occurs
    assert saved.lengths.tolist() == [len(tokenize(c.text)) for c in chunks]
    held = {
        int(p)
        for p in saved.passages[
            saved.indptr[saved.row["接待"]] : saved.indptr[saved.row["接待"] + 1]
        ]
    }
    assert held == {i for i, c in enumerate(chunks) if "接待" in tokenize(c.text)}


def test_a_segment_that_does_not_match_its_passages_is_rebuilt_and_saved(
    built_index: Settings, tmp_path: Path
) -> None:
    store = open_stores(built_index).figures
    chunks, sha = store.chunks_of([GAOPING])[GAOPING], store.sha256(GAOPING) or ""
    path = segment_path(tmp_path, GAOPING, sha)
    save(build_segment(chunks[:3]), path)  # a stale file: three passages only
    segment = segment_of(tmp_path, GAOPING, sha, chunks)
    assert len(segment.chunk_ids) == len(chunks) > 3
    saved = load(path)
    assert saved is not None and saved.chunk_ids == segment.chunk_ids


def test_removing_a_document_deletes_its_segment(built_index: Settings, tmp_path: Path) -> None:
    s = _copy(built_index, tmp_path / "index")
    before = _files(s)
    assert remove_document(GAOPING, s)
    assert {n for n in before if n.startswith(GAOPING + "@")} and _files(s) == {
        n for n in before if not n.startswith(GAOPING + "@")
    }


def test_segments_no_stored_version_owns_are_deleted_by_the_next_run(
    built_index: Settings, tmp_path: Path
) -> None:
    s = _copy(built_index, tmp_path / "index")
    kept = _files(s)
    orphan = segment_path(s.lexical_path, GAOPING, "0" * 64)  # a killed run's new version
    shutil.copy(
        segment_path(s.lexical_path, GAOPING, open_stores(s).figures.sha256(GAOPING) or ""), orphan
    )
    report = index_paths([s.data_dir], s)
    assert len(report.unchanged) == 6 and not report.indexed
    assert not orphan.exists() and _files(s) == kept

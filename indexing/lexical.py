"""Each document's term counts for BM25, made once when it is indexed.

BM25 over the whole corpus used to be rebuilt from every passage at each
start-up and after each upload (seconds at 100 documents, growing with the
corpus). What a document contributes does not depend on the others: its
passages' token counts and lengths. The corpus-wide part (document
frequencies, the average length) is a sum over documents that the search side
keeps per generation and updates by adding or subtracting one document
(`retrieval/search.py`). So each document version's counts are a `Segment`,
written beside the stores when the document is indexed (`save`, a small
`.npz` file under `Settings.lexical_path`) and loaded at start-up (`load`).
A missing or stale file is rebuilt from the passages (`segment_of`).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexing.records import Chunk, Document
from indexing.tokens import tokenize

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Segment:
    """One document's passages as BM25 needs them: a token -> postings matrix.

    Row `r` of the matrix is token `tokens[r]`; its postings are
    `passages[indptr[r]:indptr[r + 1]]` (positions within the document, in
    increasing order) with the token's count in each (`counts`). `lengths`
    holds each passage's number of tokens.
    """

    chunk_ids: tuple[str, ...]
    tokens: tuple[str, ...]
    indptr: np.ndarray  # int32, len(tokens) + 1
    passages: np.ndarray  # uint16 (int32 for a document of 65,536 passages or more)
    counts: np.ndarray  # uint16
    lengths: np.ndarray  # float32, one per passage
    row: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.row:
            self.row.update(zip(self.tokens, range(len(self.tokens)), strict=True))

    def document_frequencies(self) -> dict[str, int]:
        """Token -> how many of this document's passages hold it."""
        return dict(zip(self.tokens, np.diff(self.indptr).tolist(), strict=True))


def build_segment(chunks: Sequence[Chunk]) -> Segment:
    """The segment of one document's passages, in their stored order."""
    per_passage = [Counter(tokenize(c.text)) for c in chunks]
    postings: dict[str, list[tuple[int, int]]] = {}
    for i, counter in enumerate(per_passage):
        for token, n in counter.items():
            postings.setdefault(token, []).append((i, n))
    tokens = tuple(postings)
    sizes = [len(postings[t]) for t in tokens]
    flat = [p for t in tokens for p in postings[t]]
    return Segment(
        chunk_ids=tuple(c.chunk_id for c in chunks),
        tokens=tokens,
        indptr=np.concatenate(([0], np.cumsum(sizes))).astype(np.int32),
        passages=np.array(
            [p for p, _ in flat], dtype=np.uint16 if len(chunks) < 2**16 else np.int32
        ),
        counts=np.array([min(n, 2**16 - 1) for _, n in flat], dtype=np.uint16),
        lengths=np.array([sum(c.values()) for c in per_passage], dtype=np.float32),
    )


def segment_path(folder: Path, doc_id: str, sha256: str) -> Path:
    """Where a document version's segment is kept (doc ids are file-name safe)."""
    return folder / f"{doc_id}@{sha256[:12]}.npz"


def save(segment: Segment, path: Path) -> None:
    """Write a segment atomically: a reader sees the whole file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with partial.open("wb") as out:
        np.savez(
            out,
            chunk_ids=_joined(segment.chunk_ids),
            tokens=_joined(segment.tokens),
            indptr=segment.indptr,
            passages=segment.passages,
            counts=segment.counts,
            lengths=segment.lengths,
        )
    os.replace(partial, path)


def _joined(strings: Sequence[str]) -> np.ndarray:
    """Strings as one UTF-8 byte array, newline-separated (tokens and ids hold no
    whitespace): a fixed-width numpy string array would pad every token to the
    longest, four bytes a character."""
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _split(data: np.ndarray) -> tuple[str, ...]:
    text = data.tobytes().decode("utf-8")
    return tuple(text.split("\n")) if text else ()


def load(path: Path) -> Segment | None:
    """The segment saved at `path`; None when there is none or it cannot be read."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return Segment(
                chunk_ids=_split(data["chunk_ids"]),
                tokens=_split(data["tokens"]),
                indptr=data["indptr"],
                passages=data["passages"],
                counts=data["counts"],
                lengths=data["lengths"],
            )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as exc:
        log.warning("lexical segment %s unreadable (%s): rebuilt from the passages", path, exc)
        return None


def segment_of(folder: Path, doc_id: str, sha256: str, chunks: Sequence[Chunk]) -> Segment:
    """The saved segment of this version when it matches its passages; else built (and saved)."""
    path = segment_path(folder, doc_id, sha256)
    found = load(path)
    if found is not None and found.chunk_ids == tuple(c.chunk_id for c in chunks):
        return found
    segment = build_segment(chunks)
    try:
        save(segment, path)
    except OSError as exc:  # a read-only index still answers; it only rebuilds each start
        log.warning("cannot save lexical segment %s: %s", path, exc)
    return segment


def write(folder: Path, doc_id: str, sha256: str, chunks: Sequence[Chunk]) -> None:
    """Save the segment of a document version being indexed."""
    save(build_segment(chunks), segment_path(folder, doc_id, sha256))


def remove(folder: Path, doc_id: str, keep_sha256: str | None = None) -> None:
    """Delete a document's segments, except the version being kept."""
    keep = segment_path(folder, doc_id, keep_sha256).name if keep_sha256 else None
    for path in folder.glob(f"{doc_id}@*.npz") if folder.is_dir() else ():
        if path.name != keep and path.name.rsplit("@", 1)[0] == doc_id:
            path.unlink(missing_ok=True)


def remove_orphans(folder: Path, documents: Callable[[], Sequence[Document]]) -> int:
    """Delete the segments no stored document version owns (a killed run's); how many.

    `documents` is called only when there are more files than it could own."""
    files = list(folder.glob("*.npz")) if folder.is_dir() else []
    if not files:
        return 0
    stored = documents()
    if len(files) <= len(stored):
        return 0
    owned = {segment_path(folder, d.doc_id, d.sha256).name for d in stored}
    orphans = [f for f in files if f.name not in owned]
    for path in orphans:
        path.unlink(missing_ok=True)
    return len(orphans)

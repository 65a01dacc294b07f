"""Hybrid passage search: BM25 over CJK tokens, dense chromadb search, fused.

Measured on this corpus, lexical search over character bigrams (with the
document title in every passage) finds the gold evidence far more often than
any offline dense encoder; fusing a weak dense retriever with equal weight made
results worse. So lexical ranks carry the fusion and dense ranks are added
with the weight JUESUAN_DENSE_WEIGHT, chosen on the eval set: at 0 / 0.15 /
0.3 / 1.0 answer accuracy is the same and recall@5 falls 0.927 / 0.923 / 0.909
/ 0.884, so the default is 0 and dense search fills in only when lexical
search finds too little.

BM25 is computed here, with bm25s's formula (its "lucene" variant, same
defaults, float32), rather than by bm25s or llama-index's `BM25Retriever`:
neither can add or remove one document without re-indexing the corpus, nor
restrict scoring to a set of departments (llama-index's only takes a regex
token pattern, which cannot produce Chinese bigrams). The fusion is weighted
reciprocal rank fusion in a few lines, for the same reason: filters differ
per question.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexing.lexical import Segment, build_segment
from indexing.records import Chunk
from indexing.tokens import tokenize
from indexing.vectorstore import ChunkStore

log = logging.getLogger(__name__)
RRF_K = 60
K1, B = 1.5, 0.75  # bm25s's defaults, which the eval was tuned with
# A search over more documents than this scores each token's postings over the
# whole corpus in one go (gathered once per generation) rather than document by
# document: at 100 documents 1.5 ms instead of 17 ms.
FEW_SEGMENTS = 8
MAX_CACHED_TOKENS = 50_000


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage and how it ranked."""

    chunk: Chunk
    score: float
    lexical_rank: int | None
    dense_rank: int | None


@dataclass(frozen=True, slots=True)
class Part:
    """One document version in the lexical index: its passages and their term counts."""

    doc_id: str
    sha256: str
    chunks: tuple[Chunk, ...]
    segment: Segment


class LexicalIndex:
    """BM25 (bm25s's "lucene" variant) over every passage, one segment per document.

    Built from per-document segments (`indexing.lexical`) and the corpus-wide
    document frequencies, which `updated` changes by adding or subtracting
    whole documents: an upload or a removal costs that document, not a
    rebuild, and the previous index stays whole for the questions still
    using it. A search within some departments scores only their segments,
    so a question naming one department costs the same in a corpus of five
    or a thousand. Scores are computed per segment the same way for a scoped
    and a whole-corpus search, so both rank alike.
    """

    def __init__(self, chunks: Sequence[Chunk] = (), parts: Sequence[Part] | None = None) -> None:
        if parts is None:  # passages only (tests, benchmarks): one segment per document
            grouped: dict[str, list[Chunk]] = {}
            for c in chunks:
                grouped.setdefault(c.doc_id, []).append(c)
            parts = [Part(d, "", tuple(cs), build_segment(cs)) for d, cs in grouped.items()]
        self._set(list(parts), _frequencies(parts), sum(len(p.chunks) for p in parts))

    def _set(self, parts: list[Part], df: dict[str, int], n: int) -> None:
        self.parts = tuple(parts)
        self._df = df
        self.chunks = [c for p in parts for c in p.chunks]
        sizes = [len(p.chunks) for p in parts]
        self._offsets = np.concatenate(([0], np.cumsum(sizes, dtype=np.int64))).astype(np.int64)
        self._part = {p.doc_id: i for i, p in enumerate(parts)}
        self._position = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self._kind = np.array([c.kind for c in self.chunks])
        self._kind_masks: dict[tuple[str, ...], np.ndarray] = {}
        lengths = [p.segment.lengths for p in parts]
        length = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.float32)
        average = float(length.mean()) if n else 1.0
        # The length part of BM25's denominator, per passage, for this generation.
        self._norm = (K1 * ((1 - B) + B * length / np.float32(average))).astype(np.float32)
        self._idf: dict[str, np.float32] = {}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def updated(self, removed: Sequence[str], added: Sequence[Part]) -> LexicalIndex:
        """A new index without the documents `removed` and with `added` (each replacing
        its document's previous version); this one is left as it was."""
        gone = set(removed) | {p.doc_id for p in added}
        df = dict(self._df)
        for part in self.parts:
            if part.doc_id in gone:
                for token, n in part.segment.document_frequencies().items():
                    if (left := df[token] - n) > 0:
                        df[token] = left
                    else:
                        del df[token]
        for part in added:
            for token, n in part.segment.document_frequencies().items():
                df[token] = df.get(token, 0) + n
        parts = sorted(
            [p for p in self.parts if p.doc_id not in gone] + list(added), key=lambda p: p.doc_id
        )
        new = LexicalIndex.__new__(LexicalIndex)
        new._set(parts, df, sum(len(p.chunks) for p in parts))
        return new

    @property
    def vocab(self) -> frozenset[str]:
        """Every token some passage holds."""
        return frozenset(self._df)

    def position(self, chunk_id: str) -> int | None:
        """Where a passage is in `chunks` (None: not in this generation)."""
        return self._position.get(chunk_id)

    def following(self, chunk: Chunk) -> Chunk | None:
        """The passage after this one in its document (passages are stored in order)."""
        i = self._position.get(chunk.chunk_id)
        if i is None or i + 1 >= len(self.chunks) or self.chunks[i + 1].doc_id != chunk.doc_id:
            return None
        return self.chunks[i + 1]

    def positions(self, doc_ids: Sequence[str] = (), kinds: Sequence[str] = ()) -> np.ndarray:
        """Positions of the passages of these departments (all: none given) and kinds, in order."""
        if doc_ids:
            at = sorted(self._part[d] for d in dict.fromkeys(doc_ids) if d in self._part)
            found = [np.arange(self._offsets[i], self._offsets[i + 1]) for i in at]
            inside = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        else:
            inside = np.arange(len(self.chunks))
        if kinds:
            inside = inside[self._kinds(tuple(kinds))[inside]]
        return inside

    def scores(self, query: str | list[str], within: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every passage, or of the passages at `within` (sorted positions).

        Tokens no passage holds score nothing (and cost nothing)."""
        tokens = tokenize(query) if isinstance(query, str) else query
        known = [t for t in tokens if t in self._df]
        size = len(self.chunks) if within is None else len(within)
        if not known or not size:
            return np.zeros(size, dtype=np.float32)
        if within is None:
            at = range(len(self.parts))
        else:  # the segments the positions fall in
            at = np.unique(np.searchsorted(self._offsets, within, side="right") - 1).tolist()
        idf = [self._idf_of(t) for t in known]
        scores = np.zeros(len(self.chunks), dtype=np.float32)
        if len(at) > FEW_SEGMENTS:  # many documents: each token's postings over all of them
            for token, weight in zip(known, idf, strict=True):
                where, tf = self._postings_of(token)
                scores[where] += weight * (tf / (self._norm[where] + tf))
            return scores if within is None else scores[within]
        for i in at:
            start = int(self._offsets[i])
            local = self._segment_scores(self.parts[i].segment, known, idf, start)
            if local is not None:
                scores[start : start + len(local)] = local
        return scores if within is None else scores[within]

    def _segment_scores(
        self, segment: Segment, tokens: list[str], idf: list[np.float32], start: int
    ) -> np.ndarray | None:
        """The scores of one document's passages (None: no token occurs in it)."""
        local: np.ndarray | None = None
        norm = self._norm[start : start + len(segment.chunk_ids)]
        for token, weight in zip(tokens, idf, strict=True):
            r = segment.row.get(token)
            if r is None:
                continue
            a, b = segment.indptr[r], segment.indptr[r + 1]
            at, tf = segment.passages[a:b], segment.counts[a:b]
            if local is None:
                local = np.zeros(len(segment.chunk_ids), dtype=np.float32)
            local[at] += weight * (tf / (norm[at] + tf))
        return local

    def _postings_of(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """(positions, counts) of a token over every document, gathered from the
        segments the first time a question uses it in this generation."""
        found = self._postings.get(token)
        if found is None:
            where, counts = [], []
            for part, start in zip(self.parts, self._offsets.tolist(), strict=False):
                segment = part.segment
                r = segment.row.get(token)
                if r is not None:
                    a, b = segment.indptr[r], segment.indptr[r + 1]
                    where.append(segment.passages[a:b].astype(np.int64) + start)
                    counts.append(segment.counts[a:b])
            found = (np.concatenate(where), np.concatenate(counts))
            if len(self._postings) >= MAX_CACHED_TOKENS:
                self._postings.clear()
            self._postings[token] = found
        return found

    def _idf_of(self, token: str) -> np.float32:
        idf = self._idf.get(token)
        if idf is None:
            n, df = len(self.chunks), self._df[token]
            idf = self._idf[token] = np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5)))
        return idf

    def search(
        self,
        query: str | list[str],
        top_k: int,
        doc_ids: Sequence[str] = (),
        kinds: Sequence[str] = (),
    ) -> list[tuple[int, float]]:
        """(passage index, score), best first (ties: in passage order), within the
        given departments/kinds."""
        within = self.positions(doc_ids, kinds)
        scores = self.scores(query, within)
        order = np.argsort(-scores, kind="stable")[:top_k]
        return [(int(within[i]), float(scores[i])) for i in order if scores[i] > 0]

    def _kinds(self, kinds: tuple[str, ...]) -> np.ndarray:
        mask = self._kind_masks.get(kinds)
        if mask is None:
            mask = self._kind_masks[kinds] = np.isin(self._kind, list(kinds))
        return mask


def _frequencies(parts: Sequence[Part]) -> dict[str, int]:
    """Token -> how many passages of these documents hold it."""
    df: Counter[str] = Counter()
    for part in parts:
        df.update(part.segment.document_frequencies())
    return dict(df)


def hybrid_search(
    lexical: LexicalIndex,
    dense: ChunkStore | None,
    query: str,
    top_k: int,
    doc_ids: Sequence[str] = (),
    kinds: Sequence[str] = ("section", "table"),
    dense_weight: float = 0.0,
    extra_terms: Sequence[str] = (),
) -> list[Hit]:
    """Fuse lexical and dense rankings (weighted reciprocal rank fusion)."""
    pool = top_k * 3
    lexical_query = tokenize(query) + [t for term in extra_terms for t in tokenize(term)]
    lex = lexical.search(lexical_query, pool, doc_ids, kinds)
    fused: dict[int, float] = {}
    lex_rank: dict[int, int] = {}
    for rank, (idx, _score) in enumerate(lex):
        lex_rank[idx] = rank
        fused[idx] = 1.0 / (RRF_K + rank)
    den_rank: dict[int, int] = {}
    # Dense ranks join the fusion with their weight; with weight 0 they still
    # fill in when lexical search finds too little (a paraphrase with no shared terms).
    sparse = len(lex) < max(2, top_k // 2)
    if dense is not None and (dense_weight > 0 or sparse):
        weight = dense_weight if dense_weight > 0 else 0.5
        dense_query = " ".join([query, *extra_terms])
        for rank, (chunk_id, _sim, _meta) in enumerate(
            dense.search(dense_query, pool, doc_ids, kinds)
        ):
            idx = lexical.position(chunk_id)
            if idx is None or idx in den_rank:  # a stale or duplicate version of a passage
                continue
            den_rank[idx] = rank
            fused[idx] = fused.get(idx, 0.0) + weight / (RRF_K + rank)
    order = sorted(fused, key=lambda i: -fused[i])[:top_k]
    return [Hit(lexical.chunks[i], fused[i], lex_rank.get(i), den_rank.get(i)) for i in order]

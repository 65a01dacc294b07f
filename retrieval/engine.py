"""What answering needs loaded: stores, the document catalogue, the BM25 index.

Loaded once per process and reused by every request (the web app serves many
users from one engine). The SQL store's generation counter tells us when an
upload or re-index changed the corpus, and only then is a new engine made,
from the previous one and the documents that changed (their passages and
lexical segments), while questions go on with the previous one. Everything
else that depends only on the index (the place lexicon, the documents by id,
each document's text as the coverage check reads it) is derived here once per
generation too, so a question's cost does not grow with the corpus; the
coverage check over many documents reads them one at a time and stops at the
first that has the term.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from config import Settings
from config import settings as current_settings
from indexing.lexical import segment_of
from indexing.pipeline import Stores, open_stores
from indexing.records import Chunk, Document
from retrieval.glossary import SpanIndex
from retrieval.places import PlaceIndex
from retrieval.search import LexicalIndex, Part

_SPACE = re.compile(r"\s+")
T = TypeVar("T")
MAX_KEPT_MENTIONS = 10_000  # whole-corpus coverage answers kept per generation


@dataclass(frozen=True, slots=True)
class ScopeText:
    """The text of the documents in scope, whitespace removed, as the coverage
    check reads it: `term in text` and `text.matches(pattern)`.

    Nothing is joined: each test reads the documents one at a time and stops at
    the first that has it, so a term the documents use costs one document
    however many there are (`Engine._mentions`)."""

    doc_ids: tuple[str, ...]
    mentions: Callable[[tuple[str, ...], str | re.Pattern[str]], bool]

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.mentions(self.doc_ids, term)

    def matches(self, pattern: re.Pattern[str]) -> bool:
        return self.mentions(self.doc_ids, pattern)


@dataclass
class Engine:
    """A consistent snapshot of the index for answering."""

    settings: Settings
    stores: Stores
    documents: list[Document]
    lexical: LexicalIndex
    generation: int
    names: frozenset[str] = frozenset()  # departments, places, aliases, units
    texts: dict[str, str] = field(default_factory=dict)  # doc_id → its passages' text
    # the same without whitespace, filled in as documents are asked about
    _squeezed: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    # over the whole corpus: whether a term (or pattern) occurs, per generation
    _found: dict[str | re.Pattern[str], bool] = field(default_factory=dict, init=False, repr=False)
    # doc_id → {appendix project → positions of its pages}, filled in as asked about
    _pages: dict[str, dict[str, tuple[int, ...]]] = field(
        default_factory=dict, init=False, repr=False
    )
    # doc_id → the sentences of its pages that print amounts, read as asked about
    _statements: dict[str, tuple[Any, ...]] = field(default_factory=dict, init=False, repr=False)

    def text_of(self, doc_ids: Sequence[str]) -> ScopeText:
        """The passages of these documents, whitespace removed (what the coverage check reads)."""
        return ScopeText(tuple(doc_ids), self._mentions)

    def _mentions(self, doc_ids: tuple[str, ...], needle: str | re.Pattern[str]) -> bool:
        """Whether one of these documents has the term (or a match of the pattern).

        Read one document at a time, stopping at the first that has it, each
        squeezed the first time it is read, not at start-up. Over the whole
        corpus the answer is kept for the generation: a term that occurs nowhere
        (the question is declined) reads every document once, not every time."""
        whole = doc_ids == self._ids
        if whole and needle in self._found:
            return self._found[needle]
        if isinstance(needle, str):
            found = any(needle in self.squeezed_text(d) for d in doc_ids)
        else:
            found = any(needle.search(self.squeezed_text(d)) for d in doc_ids)
        if whole:
            if len(self._found) >= MAX_KEPT_MENTIONS:
                self._found.clear()
            self._found[needle] = found
        return found

    def squeezed_text(self, doc_id: str) -> str:
        """One document's passages without whitespace, squeezed the first time it is read."""
        text = self._squeezed.get(doc_id)
        if text is None:
            text = self._squeezed[doc_id] = _SPACE.sub("", self.texts.get(doc_id, ""))
        return text

    def project_pages(self, doc_ids: Sequence[str]) -> dict[str, tuple[int, ...]]:
        """Each appendix project of these documents and the positions of its pages
        (section passages). Read once per document and generation, not per question."""
        found: dict[str, tuple[int, ...]] = {}
        for doc_id in doc_ids:
            pages = self._pages.get(doc_id)
            if pages is None:
                by: dict[str, list[int]] = {}
                for i in self.lexical.positions([doc_id], ("section",)):
                    if project := self.lexical.chunks[i].project:
                        by.setdefault(project, []).append(int(i))
                pages = self._pages[doc_id] = {p: tuple(v) for p, v in by.items()}
            for project, positions in pages.items():
                found[project] = found.get(project, ()) + positions
        return found

    def statements(
        self, doc_id: str, read: Callable[[list[Chunk]], tuple[T, ...]]
    ) -> tuple[T, ...]:
        """`read` over one document's section passages, once per document and generation
        (the sentences `retrieval.stating` cites beside a table's row)."""
        found = self._statements.get(doc_id)
        if found is None:
            chunks = [
                self.lexical.chunks[i] for i in self.lexical.positions([doc_id], ("section",))
            ]
            found = self._statements[doc_id] = read(chunks)
        return found

    def document(self, doc_id: str) -> Document | None:
        return self.by_id.get(doc_id)

    @cached_property
    def by_id(self) -> dict[str, Document]:
        return {d.doc_id: d for d in self.documents}

    @cached_property
    def places(self) -> PlaceIndex:
        """The place and department lexicon questions are read with."""
        return PlaceIndex(self.documents)

    def names_in(self, text: str) -> list[str]:
        """The department and place names (two characters or more) in `text`, longest first."""
        return self._name_spans.occurring(text)

    @cached_property
    def _name_spans(self) -> SpanIndex:
        longest = sorted(self.names, key=len, reverse=True)
        return SpanIndex(tuple((n, n) for n in longest if len(n) > 1))

    @cached_property
    def _ids(self) -> tuple[str, ...]:
        return tuple(d.doc_id for d in self.documents)


_lock = threading.Lock()  # guards the two dicts below
_engines: dict[Settings, Engine] = {}
_builders: dict[Settings, threading.Lock] = {}  # held while a configuration's next engine is built


def get_engine(settings: Settings | None = None) -> Engine:
    """The engine for this configuration, updated only when the index changed.

    The update costs the documents that changed (see `_next`). While one
    thread makes it, the others keep answering from the engine they had: a
    question never waits for an upload to be taken in, except the very first
    ones of a process, which wait for the first engine.
    """
    s = settings or current_settings()
    with _lock:
        engine = _engines.get(s)
        builder = _builders.setdefault(s, threading.Lock())
    stores = engine.stores if engine else open_stores(s)
    if engine is not None and engine.generation == stores.figures.generation():
        return engine
    if not builder.acquire(blocking=engine is None):
        return engine  # type: ignore[return-value]  # being updated: answer from this one
    try:
        with _lock:
            engine = _engines.get(s)  # another thread may have just made it
        if engine is None or engine.generation != stores.figures.generation():
            engine = _next(s, stores, engine)
            with _lock:
                _engines[s] = engine
        return engine
    finally:
        builder.release()


def _next(s: Settings, stores: Stores, previous: Engine | None) -> Engine:
    """The engine of the index as it is now, reusing what `previous` loaded.

    Only the documents added or changed since are read (their passages, their
    lexical segments); the documents removed are dropped. The generation is
    read first, so a change made while this runs makes the next question
    update again.
    """
    generation = stores.figures.generation()
    documents = stores.figures.documents()
    versions = {d.doc_id: d.sha256 for d in documents}
    had = {p.doc_id: p.sha256 for p in previous.lexical.parts} if previous else {}
    removed = [d for d in had if d not in versions]
    changed = [d for d, sha in versions.items() if had.get(d) != sha]
    chunks = stores.figures.chunks_of(changed)
    added = [
        Part(d, versions[d], tuple(cs), segment_of(stores.lexical, d, versions[d], cs))
        for d, cs in chunks.items()
    ]
    if previous is None:
        lexical = LexicalIndex(parts=sorted(added, key=lambda p: p.doc_id))
        texts: dict[str, str] = {}
    else:
        lexical = previous.lexical.updated(removed, added)
        gone = set(removed) | set(changed)
        texts = {d: t for d, t in previous.texts.items() if d not in gone}
    texts |= {p.doc_id: " ".join(c.text for c in p.chunks) for p in added}
    engine = Engine(
        settings=s,
        stores=stores,
        documents=documents,
        lexical=lexical,
        generation=generation,
        names=_names(documents),
        texts=texts,
    )
    if previous is not None:  # the squeezed text of documents that did not change
        engine._squeezed.update((d, t) for d, t in previous._squeezed.items() if d in texts)
    return engine


def _names(documents: list[Document]) -> frozenset[str]:
    """Every name a question may use for a department (not a topic of its own)."""
    names: set[str] = set()
    for d in documents:
        names |= {d.department, d.place, d.place.rstrip("市县区"), *d.aliases, *d.units}
    return frozenset(n for n in names if n)

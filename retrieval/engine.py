"""What answering needs loaded: stores, the document catalogue, the BM25 index.

Loaded once per process and reused by every request (the web app serves many
users from one engine). The SQL store's generation counter tells us when an
upload or re-index changed the corpus, and only then is the lexical index
rebuilt. Everything else that depends only on the index (the place lexicon,
the documents by id, the text the coverage check reads) is derived here once
per generation too, so a question's cost does not grow with the corpus.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import cached_property

from config import Settings
from config import settings as current_settings
from indexing.pipeline import Stores, open_stores
from indexing.records import Document
from retrieval.glossary import SpanIndex
from retrieval.places import PlaceIndex
from retrieval.search import LexicalIndex

_SPACE = re.compile(r"\s+")


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

    def text_of(self, doc_ids: list[str] | tuple[str, ...]) -> str:
        """The passages of these documents, whitespace removed (what the coverage check reads).

        Each document's is squeezed the first time it is asked for, not at start-up."""
        if tuple(doc_ids) == self._ids:
            return self._all_text
        return "".join(self._squeezed_text(d) for d in doc_ids)

    def _squeezed_text(self, doc_id: str) -> str:
        text = self._squeezed.get(doc_id)
        if text is None:
            text = self._squeezed[doc_id] = _SPACE.sub("", self.texts.get(doc_id, ""))
        return text

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

    @cached_property
    def _all_text(self) -> str:
        return "".join(self._squeezed_text(d) for d in self._ids)


_lock = threading.Lock()
_engines: dict[Settings, Engine] = {}


def get_engine(settings: Settings | None = None) -> Engine:
    """The engine for this configuration, rebuilt only when the index changed."""
    s = settings or current_settings()
    with _lock:
        engine = _engines.get(s)
        stores = engine.stores if engine else open_stores(s)
        generation = stores.figures.generation()
        if engine is None or engine.generation != generation:
            documents = stores.figures.documents()
            chunks = stores.figures.chunks()
            texts: dict[str, list[str]] = {}
            for chunk in chunks:
                texts.setdefault(chunk.doc_id, []).append(chunk.text)
            engine = Engine(
                settings=s,
                stores=stores,
                documents=documents,
                lexical=LexicalIndex(chunks),
                generation=generation,
                names=_names(documents),
                texts={d: " ".join(t) for d, t in texts.items()},
            )
            _engines[s] = engine
        return engine


def _names(documents: list[Document]) -> frozenset[str]:
    """Every name a question may use for a department (not a topic of its own)."""
    names: set[str] = set()
    for d in documents:
        names |= {d.department, d.place, d.place.rstrip("市县区"), *d.aliases, *d.units}
    return frozenset(n for n in names if n)

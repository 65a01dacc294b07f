"""What answering needs loaded: stores, the document catalogue, the BM25 index.

Loaded once per process and reused by every request (the web app serves many
users from one engine). The SQL store's generation counter tells us when an
upload or re-index changed the corpus, and only then is the lexical index
rebuilt.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from config import Settings
from config import settings as current_settings
from indexing.pipeline import Stores, open_stores
from indexing.records import Document
from retrieval.search import LexicalIndex


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

    def text_of(self, doc_ids: list[str] | tuple[str, ...]) -> str:
        return " ".join(self.texts.get(d, "") for d in doc_ids)

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)


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

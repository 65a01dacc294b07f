"""Questions are answered while a document is indexed and while the engine takes it in.

Adding a document used to make the next question wait for a rebuild of the
whole BM25 index (17-20 s at 100 documents). Now the engine takes in only the
documents that changed, and while one thread does so the others answer from
the engine they had.
"""

from __future__ import annotations

import threading
from pathlib import Path

from config import Settings
from indexing.metadata import doc_id_for
from indexing.pipeline import index_paths
from retrieval import ask
from retrieval import engine as engine_module
from retrieval.engine import get_engine

from .conftest import writable_copy

GUANXIAN = "000_14fd902755dfec5d"
ASKED = "冠县人民政府办公室2024年住房公积金支出决算是多少？"  # 75.56 万元


def _renamed_copy(settings: Settings, folder: Path) -> Path:
    """冠县's document moved to 莘县: another department with the same numbers."""
    text = (settings.data_dir / f"{GUANXIAN}.txt").read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "莘县_政府办_2024.txt"
    path.write_text(text.replace("冠县", "莘县"), encoding="utf-8")
    return path


def test_questions_are_answered_while_a_document_is_indexed(
    built_index: Settings, tmp_path: Path
) -> None:
    s = writable_copy(built_index, tmp_path / "index")
    new = _renamed_copy(s, tmp_path / "new")
    get_engine(s)
    done = threading.Event()
    reports = []

    def index() -> None:
        reports.append(index_paths([new], s))
        done.set()

    indexer = threading.Thread(target=index)
    indexer.start()
    answers = []
    while not done.is_set():
        answers.append(ask(ASKED, settings=s))
    indexer.join()
    assert reports[0].indexed == [new.name]
    assert answers and all("75.56" in a.text for a in answers)
    assert all(a.citations[0].doc_id == GUANXIAN for a in answers)
    answer = ask(ASKED.replace("冠县", "莘县"), settings=s)
    assert "75.56" in answer.text and answer.citations[0].doc_id == doc_id_for(new.name)


def test_while_the_next_engine_is_made_questions_use_the_previous_one(
    built_index: Settings, tmp_path: Path
) -> None:
    s = writable_copy(built_index, tmp_path / "index")
    new = _renamed_copy(s, tmp_path / "new")
    previous = get_engine(s)
    assert index_paths([new], s).indexed == [new.name]
    builder = engine_module._builders[s]
    builder.acquire()  # another thread is making the next engine
    try:
        assert get_engine(s) is previous
        assert "75.56" in ask(ASKED, settings=s).text
    finally:
        builder.release()
    current = get_engine(s)
    added = doc_id_for(new.name)
    assert current.generation > previous.generation
    assert current.document(added) is not None and previous.document(added) is None
    # the documents that did not change are taken over, not read and tokenised again
    kept = [p for p in current.lexical.parts if p.doc_id != added]
    assert len(kept) == 6 and all(any(p is q for q in previous.lexical.parts) for p in kept)

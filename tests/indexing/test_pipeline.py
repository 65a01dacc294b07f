"""The indexing pipeline on the real corpus: parsing, re-indexing, crashes, bad input.

Read-only checks use the session index (`built_index`). Tests that change a
document work on a copy of one corpus file in a private index (`scratch`),
which `pristine` puts back to the original before each test; passages whose
text did not change keep their stored vectors, so that reset costs little.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from config import ROOT, Settings, settings
from indexing import vectorstore
from indexing.loaders import file_sha256
from indexing.metadata import doc_id_for
from indexing.numbers import parse_number
from indexing.pipeline import (
    IndexReport,
    Stores,
    discover,
    index_paths,
    open_stores,
    parse_document,
    remove_document,
)
from indexing.records import Figure, ParsedDocument
from indexing.sqlstore import FigureStore
from indexing.vectorstore import ChunkStore
from retrieval.search import LexicalIndex

CORPUS = discover([ROOT / "data"])
TABLES_01_TO_09 = {f"{n:02d}" for n in range(1, 10)}


def _readme_departments() -> dict[str, str]:
    """file name -> department, from the corpus README's table."""
    rows = (ROOT / "data" / "README.md").read_text(encoding="utf-8").splitlines()
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows if row.startswith("|")]
    return {c[0]: c[1] for c in cells if c[0].endswith((".txt", ".pdf"))}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- parse_document ------------------------------------------------------


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedDocument]:
    return {path.name: parse_document(path) for path in CORPUS}


def test_corpus_has_the_documents_of_the_readme() -> None:
    assert [p.name for p in CORPUS] == sorted(_readme_departments())
    assert len(CORPUS) == 6  # the five seed texts and the real Shanghai PDF


@pytest.mark.parametrize("name", [p.name for p in CORPUS])
def test_parse_document_finds_department_year_and_all_records(
    parsed: dict[str, ParsedDocument], name: str
) -> None:
    doc = parsed[name]
    assert doc.document.department == _readme_departments()[name]
    assert doc.document.year == 2024
    assert doc.document.place and doc.document.place in doc.document.department
    assert doc.document.sha256 == file_sha256(ROOT / "data" / name)
    counts = [doc.sections, doc.tables, doc.figures, doc.checks, doc.chunks]
    assert all(len(records) > 0 for records in counts)
    assert {t.table_id for t in doc.tables} >= TABLES_01_TO_09


@pytest.mark.parametrize("name", [p.name for p in CORPUS])
def test_every_figure_carries_department_year_and_a_locator_to_its_quote(
    parsed: dict[str, ParsedDocument], name: str
) -> None:
    doc = parsed[name]
    by_no = {line.no: line.text for line in doc.lines}
    for figure in doc.figures:
        assert (figure.department, figure.year) == (doc.document.department, 2024)
        loc = figure.locator
        assert 1 <= loc.line_start <= loc.line_end <= doc.document.n_lines
        source = "".join(by_no.get(n, "") for n in range(loc.line_start, loc.line_end + 1))
        # a row wrapped over a page break quotes its lines without the repeated header
        for part in figure.quote.split("\n"):
            assert _squeeze(part) in _squeeze(source), figure.figure_id


@pytest.mark.parametrize("name", [p.name for p in CORPUS])
def test_every_chunk_carries_document_metadata_and_names_the_document(
    parsed: dict[str, ParsedDocument], name: str
) -> None:
    doc = parsed[name]
    d = doc.document
    for chunk in doc.chunks:
        meta = chunk.metadata
        expected = (d.doc_id, d.department, d.place, d.year, d.kind)
        assert (meta["doc_id"], meta["department"], meta["place"], meta["year"], meta["kind"]) == (
            expected
        )
        assert chunk.doc_id == d.doc_id and meta["section"], chunk.chunk_id
        assert chunk.text.startswith(d.title + "\n"), chunk.chunk_id
        if chunk.kind == "section":
            assert meta["table_id"] == ""
        else:
            assert meta["table_id"] in {t.table_id for t in doc.tables}, chunk.chunk_id
    assert len({c.chunk_id for c in doc.chunks}) == len(doc.chunks)


# ---- index_paths on the session index -----------------------------------


def test_cold_index_reports_every_record_parsed(
    built_report: IndexReport, parsed: dict[str, ParsedDocument]
) -> None:
    docs = list(parsed.values())
    assert built_report.indexed == [p.name for p in CORPUS]
    assert (built_report.unchanged, built_report.failed) == ([], {})
    assert built_report.sections == sum(len(d.sections) for d in docs)
    assert built_report.tables == sum(len(d.tables) for d in docs)
    assert built_report.figures == sum(len(d.figures) for d in docs)
    assert built_report.checks == sum(len(d.checks) for d in docs)
    assert built_report.chunks == sum(len(d.chunks) for d in docs)
    assert built_report.embedded == sum(len({c.text for c in d.chunks}) for d in docs)


def test_both_stores_hold_every_passage_under_its_version_id(
    built_index: Settings, built_report: IndexReport
) -> None:
    stores = open_stores(built_index)
    counts = stores.figures.counts()
    assert counts["documents"] == len(CORPUS)
    assert (counts["figures"], counts["chunks"]) == (built_report.figures, built_report.chunks)
    assert stores.chunks.count() == built_report.chunks
    for doc in stores.figures.documents():
        wanted = {
            f"{c.chunk_id}@{doc.sha256[:12]}"
            for c in stores.figures.chunks()
            if c.doc_id == doc.doc_id
        }
        assert set(stores.chunks.ids(doc.doc_id)) == wanted


def test_reindexing_unchanged_files_embeds_and_writes_nothing(built_index: Settings) -> None:
    stores = open_stores(built_index)
    generation, count = stores.figures.generation(), stores.chunks.count()
    report = index_paths([built_index.data_dir], built_index)
    assert report.unchanged == [p.name for p in CORPUS]
    assert (report.indexed, report.failed, report.embedded, report.chunks) == ([], {}, 0, 0)
    assert stores.figures.generation() == generation
    assert stores.chunks.count() == count


def test_unchanged_check_looks_vectors_up_by_id_not_by_scanning_metadata(
    built_index: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def scan(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("a metadata filter reads through the whole collection")

    monkeypatch.setattr(ChunkStore, "ids", scan)
    report = index_paths([built_index.data_dir], built_index)
    assert report.unchanged == [p.name for p in CORPUS]


# ---- a private index over one copied document ----------------------------


@dataclass
class Scratch:
    """One corpus file copied into a temp folder and its own index."""

    settings: Settings
    path: Path
    original: bytes

    @property
    def stores(self) -> Stores:
        return open_stores(self.settings)

    @property
    def doc_id(self) -> str:
        return doc_id_for(self.path.name)

    def index(self) -> IndexReport:
        return index_paths([self.path], self.settings)

    def figure(self, table_id: str, column: str = "") -> Figure:
        """The first figure of a table (in a given column), as stored now."""
        figures = self.stores.figures.figures(doc_ids=[self.doc_id])
        return next(
            f for f in figures if f.table_id == table_id and (not column or f.column == column)
        )

    def edit_cell(self, figure: Figure, value: float) -> tuple[str, str]:
        """Print another value in the figure's cell; returns (old line, new line)."""
        lines = self.path.read_text(encoding="utf-8").split("\n")
        old = lines[figure.locator.line_start - 1]
        cells = old.split("\t")
        # the k-th cell printing this value, k counted over the row's figures in column order
        row = [
            f
            for f in self.stores.figures.figures(doc_ids=[self.doc_id])
            if f.quote == figure.quote and f.value == figure.value
        ]
        row.sort(key=lambda f: int(f.figure_id.rsplit(":c", 1)[1]))
        same = [i for i, c in enumerate(cells) if c.strip() and parse_number(c) == figure.value]
        at = same[row.index(figure)]
        cells[at] = f"{value:.2f}"
        lines[figure.locator.line_start - 1] = new = "\t".join(cells)
        self.path.write_text("\n".join(lines), encoding="utf-8")
        return old, new


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory, parsed: dict[str, ParsedDocument]) -> Scratch:
    # the text document with the fewest passages: the cheapest to embed and to edit
    name = min((n for n in parsed if n.endswith(".txt")), key=lambda n: len(parsed[n].chunks))
    folder = tmp_path_factory.mktemp("scratch")
    path = folder / "docs" / name
    path.parent.mkdir()
    shutil.copyfile(ROOT / "data" / name, path)
    s = replace(settings(), index_dir=folder / "index", chroma_host="")
    return Scratch(s, path, path.read_bytes())


@pytest.fixture
def pristine(scratch: Scratch) -> Iterator[Scratch]:
    """The scratch document as shipped, indexed and clean of other versions."""
    scratch.path.write_bytes(scratch.original)
    report = scratch.index()
    assert not report.failed, report.summary()
    sha = file_sha256(scratch.path)
    assert scratch.stores.figures.sha256(scratch.doc_id) == sha
    assert {i.split("@")[1] for i in scratch.stores.chunks.ids(scratch.doc_id)} == {sha[:12]}
    yield scratch


def file_sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sql_chunks(stores: Stores, doc_id: str) -> dict[str, str]:
    return {c.chunk_id: c.text for c in stores.figures.chunks() if c.doc_id == doc_id}


def _version_ids(stores: Stores, doc_id: str, sha: str) -> set[str]:
    return {f"{chunk_id}@{sha[:12]}" for chunk_id in _sql_chunks(stores, doc_id)}


def test_changed_file_replaces_its_records_and_reembeds_only_changed_passages(
    pristine: Scratch,
) -> None:
    s = pristine
    before = _sql_chunks(s.stores, s.doc_id)
    figure = s.figure("01")
    new_value = round(figure.value + 111.11, 2)
    old_line, new_line = s.edit_cell(figure, new_value)
    assert f"{new_value:.2f}" not in s.original.decode("utf-8")

    report = s.index()

    new_sha = file_sha256(s.path)
    after = _sql_chunks(s.stores, s.doc_id)
    assert report.indexed == [s.path.name]
    assert report.embedded == len(set(after.values()) - set(before.values())) > 0
    assert s.stores.figures.sha256(s.doc_id) == new_sha
    stored = {f.figure_id: f.value for f in s.stores.figures.figures(doc_ids=[s.doc_id])}
    assert stored[figure.figure_id] == new_value
    assert any(new_line in text for text in after.values())
    assert not any(old_line in text for text in after.values())
    assert set(s.stores.chunks.ids(s.doc_id)) == _version_ids(s.stores, s.doc_id, new_sha)


def _assert_previous_version_serves(s: Scratch, figure: Figure, old_line: str) -> None:
    """SQL figures, lexical passages and dense search all still give the original."""
    old_sha = file_sha256_of(s.original)
    stores = s.stores
    assert stores.figures.sha256(s.doc_id) == old_sha
    stored = {f.figure_id: f.value for f in stores.figures.figures(doc_ids=[s.doc_id])}
    assert stored[figure.figure_id] == figure.value
    lexical = LexicalIndex(stores.figures.chunks())
    best, _score = lexical.search(old_line, top_k=1, doc_ids=[s.doc_id], kinds=["table"])[0]
    passage = lexical.chunks[best]
    assert old_line in passage.text
    hits = stores.chunks.search(passage.text, top_k=5, doc_ids=[s.doc_id], kinds=["table"])
    assert (passage.chunk_id, old_sha) in {(h[0], h[2]["sha256"]) for h in hits}
    assert _version_ids(stores, s.doc_id, old_sha) <= set(stores.chunks.ids(s.doc_id))


def test_crash_before_the_sql_switch_leaves_the_previous_version_usable(
    pristine: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = pristine
    figure = s.figure("01")
    old_line, _ = s.edit_cell(figure, round(figure.value + 111.11, 2))

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated crash after the vectors were written")

    with monkeypatch.context() as patch:
        patch.setattr(FigureStore, "replace_document", crash)
        with pytest.raises(RuntimeError, match="simulated crash"):
            s.index()
    # both versions' vectors are in chroma now; SQL still points at the old one
    assert {i.split("@")[1] for i in s.stores.chunks.ids(s.doc_id)} == {
        file_sha256_of(s.original)[:12],
        file_sha256(s.path)[:12],
    }
    _assert_previous_version_serves(s, figure, old_line)

    report = s.index()
    assert report.indexed == [s.path.name]
    new_sha = file_sha256(s.path)
    assert set(s.stores.chunks.ids(s.doc_id)) == _version_ids(s.stores, s.doc_id, new_sha)


def test_crash_halfway_through_the_vector_batches_leaves_the_previous_version_usable(
    pristine: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = pristine
    batch = 50
    n_chunks = len(_sql_chunks(s.stores, s.doc_id))
    assert n_chunks > batch  # there is a second batch to fail
    figure = s.figure("01")
    old_line, _ = s.edit_cell(figure, round(figure.value + 111.11, 2))
    calls: list[int] = []
    collection = s.stores.chunks.collection
    upsert = collection.upsert

    def upsert_then_crash(ids: list[str], **kwargs: object) -> None:
        calls.append(len(ids))
        if len(calls) == 2:
            raise RuntimeError("simulated crash in the second batch")
        upsert(ids=ids, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(vectorstore, "BATCH", batch)
        patch.setattr(collection, "upsert", upsert_then_crash)
        with pytest.raises(RuntimeError, match="second batch"):
            s.index()
    assert calls == [batch, min(batch, n_chunks - batch)]
    new_ids = [i for i in s.stores.chunks.ids(s.doc_id) if i.endswith(file_sha256(s.path)[:12])]
    assert len(new_ids) == batch
    _assert_previous_version_serves(s, figure, old_line)

    assert s.index().indexed == [s.path.name]
    new_sha = file_sha256(s.path)
    assert set(s.stores.chunks.ids(s.doc_id)) == _version_ids(s.stores, s.doc_id, new_sha)


def test_crash_before_cleanup_is_repaired_by_the_next_run(
    pristine: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = pristine
    figure = s.figure("01")
    s.edit_cell(figure, round(figure.value + 111.11, 2))
    new_sha, old_sha = file_sha256(s.path), file_sha256_of(s.original)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated crash before the old vectors were deleted")

    with monkeypatch.context() as patch:
        patch.setattr(ChunkStore, "remove", crash)
        with pytest.raises(RuntimeError, match="old vectors"):
            s.index()
    assert s.stores.figures.sha256(s.doc_id) == new_sha
    assert {i.split("@")[1] for i in s.stores.chunks.ids(s.doc_id)} == {
        old_sha[:12],
        new_sha[:12],
    }

    report = s.index()

    assert report.unchanged == [s.path.name]
    assert set(s.stores.chunks.ids(s.doc_id)) == _version_ids(s.stores, s.doc_id, new_sha)


def test_bad_files_fail_with_a_reason_and_leave_indexed_documents_alone(
    pristine: Scratch, tmp_path: Path
) -> None:
    s = pristine
    (tmp_path / "junk.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00binary")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "hello.txt").write_text("hello world\n", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    generation = s.stores.figures.generation()
    ids = set(s.stores.chunks.ids(s.doc_id))
    counts = s.stores.figures.counts()

    report = index_paths([tmp_path / "notes.docx", tmp_path], s.settings)

    assert report.failed == {
        "notes.docx": "notes.docx: unsupported file type .docx; give a PDF or a text file",
        "empty.txt": "empty.txt: the file is empty; was the upload cut short?",
        "hello.txt": "hello.txt: no 决算 tables or headings found; "
        "is this a final-account disclosure?",
        "junk.txt": "junk.txt: not UTF-8 or GB18030 text",
    }
    assert (report.indexed, report.unchanged) == ([], [])
    assert s.stores.figures.generation() == generation
    assert s.stores.figures.counts() == counts
    assert set(s.stores.chunks.ids(s.doc_id)) == ids


def test_corrupted_09_total_is_stored_as_a_mismatch_check(pristine: Scratch) -> None:
    s = pristine
    total = s.figure("09", column="决算数 / 合计")
    before = {c.check_id: c for c in s.stores.figures.checks(s.doc_id)}
    assert all(c.status != "mismatch" for c in before.values())
    s.edit_cell(total, round(total.value + 1, 2))

    assert s.index().indexed == [s.path.name]

    mismatches = [c for c in s.stores.figures.checks(s.doc_id) if c.status == "mismatch"]
    parts = [c for c in mismatches if c.where.startswith("公开09表 决算数: 合计")]
    assert len(parts) == 1
    assert parts[0].kind == "total_vs_parts"
    assert parts[0].expected == round(total.value + 1, 2)
    assert parts[0].actual == before[parts[0].check_id].actual
    assert before[parts[0].check_id].status == "passed"


def test_remove_document_empties_both_stores(pristine: Scratch) -> None:
    s = pristine
    generation = s.stores.figures.generation()

    assert remove_document(s.doc_id, s.settings) is True

    assert s.stores.figures.document(s.doc_id) is None
    assert s.stores.figures.figures(doc_ids=[s.doc_id]) == []
    assert s.stores.figures.checks(s.doc_id) == []
    assert s.stores.figures.tables(s.doc_id) == []
    assert _sql_chunks(s.stores, s.doc_id) == {}
    assert s.stores.chunks.ids(s.doc_id) == []
    assert s.stores.chunks.count() == 0
    assert s.stores.figures.generation() == generation + 1
    assert remove_document(s.doc_id, s.settings) is False

"""From files to stores: parse, check, chunk, embed, write.

`parse_document` is pure (a file in, records out) so tests and the PDF path
compare records directly. `index_paths` adds the stores: unchanged files are
skipped on their content hash, a changed file replaces its records, and every
write is ordered so that a failure leaves the previous version usable.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from config import Settings
from config import settings as current_settings
from indexing import garbled, lexical
from indexing.boxes import locate_figures
from indexing.checks import run_checks
from indexing.chunks import build_chunks
from indexing.embeddings import get_embedder
from indexing.errors import IndexingError, NotADisclosure, UnreadableDocument
from indexing.figures import table_figures
from indexing.grid_tables import grid_tables
from indexing.loaders import SUFFIXES, file_sha256, load_source
from indexing.lock import write_lock
from indexing.metadata import detect_document, doc_id_for
from indexing.narrative import narrative_figures
from indexing.project_counts import prose_counts
from indexing.projects import project_figures, project_spans
from indexing.records import (
    Check,
    Document,
    ExtractionReport,
    Figure,
    ParsedDocument,
    Provenance,
    SourceKind,
    Table,
)
from indexing.sections import split_sections
from indexing.sqlstore import FigureStore
from indexing.table_rows import layouts
from indexing.tables import EXTRACTION_NOTE, find_tables
from indexing.vectorstore import ChunkStore, vector_id

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (file name, done, total)
# parse_document, or the same in a sandbox (indexing.sandbox) for untrusted files.
Parser = Callable[[Path, str], ParsedDocument]
# Who adds a document when the caller does not say (see `Provenance.added_by`).
ADDED_BY = {SourceKind.SHIPPED: "indexer", SourceKind.LOCAL: "command line"}


def parse_document(path: Path, sha256: str | None = None) -> ParsedDocument:
    """All records of one file; raises IndexingError with a readable reason."""
    source = load_source(path)
    lines, n_pages = source.lines, source.n_pages
    text = "\n".join(line.text for line in lines)
    if not any(mark in text for mark in ("决算", "公开01表", "公开 01 表")):
        raise NotADisclosure.of("not_a_disclosure", path.name)
    document = detect_document(lines, path.name, sha256 or file_sha256(path), n_pages)
    sections = split_sections(lines, document.doc_id)
    tables = find_tables(lines, document.doc_id, document.department)
    if source.grids:
        # A PDF's tables come from its ruled grids; the line reader only fills
        # in a standard table the grids did not give.
        read = garbled.recover(
            grid_tables(source.grids, lines, document.doc_id, document.department), lines
        )
        tables = fill_in(read, tables)
    figures = table_figures(tables, document) + narrative_figures(sections, document)
    figures += project_figures(lines, document)
    spans = project_spans(lines, figures)
    figures += prose_counts(lines, spans, document)
    if not tables and not figures:
        # A title and a department name are not a disclosure: nothing could be answered.
        raise NotADisclosure.of(
            "nothing_to_answer", path.name, department=document.department or "a department"
        )
    figures = locate_figures(figures, lines)  # PDF: each sentence's page and box
    checks = run_checks(tables, figures, document)
    chunks = build_chunks(document, lines, sections, tables, spans)
    report = extraction_report(document.doc_id, tables, figures, checks)
    return ParsedDocument(
        document=document,
        lines=tuple(lines),
        sections=tuple(sections),
        tables=tuple(tables),
        figures=tuple(figures),
        checks=tuple(checks),
        chunks=tuple(chunks),
        report=report,
    )


def fill_in(from_grids: Sequence[Table], from_lines: Sequence[Table]) -> list[Table]:
    """A PDF's tables as its grids give them, completed by what the line reader found.

    The line reader still sees what no grid holds: a standard table without
    rules, and rows recovered from a block extraction flattened into prose
    (`garbled`). Its rows are added only where the grid table has no row of
    that 科目编码 and name.
    """
    by_id = {t.table_id: t for t in from_lines}
    out = []
    for table in from_grids:
        other = by_id.pop(table.table_id, None)
        if other is not None and other.columns == table.columns:
            have = {(r.code, r.label) for r in table.rows}
            extra = tuple(r for r in other.rows if (r.code, r.label) not in have)
            table = replace(table, rows=table.rows + extra)
        out.append(table)
    return out + list(by_id.values())


def stored_report(store: FigureStore, doc_id: str) -> ExtractionReport:
    """The extraction report of an indexed document, from its stored records."""
    return extraction_report(
        doc_id, store.tables(doc_id), store.figures(doc_ids=[doc_id]), store.checks(doc_id)
    )


def missing_tables(report: ExtractionReport) -> list[str]:
    """Titles of the standard tables the document was expected to have but did not give."""
    return [layouts()["tables"][t]["title"] for t in report.missing]


def extraction_report(
    doc_id: str, tables: Sequence[Table], figures: Sequence[Figure], checks: Sequence[Check]
) -> ExtractionReport:
    """How much of one document was understood: standard tables, figures, checks."""
    standard = [t for t in layouts()["tables"] if t != "10"]
    found = sorted({t.table_id for t in tables if t.table_id in layouts()["tables"]})
    status = Counter(c.status for c in checks)
    sources = Counter(f.source for f in figures)
    problems = tuple(n for t in tables for n in t.notes if n.startswith(EXTRACTION_NOTE))
    return ExtractionReport(
        doc_id=doc_id,
        standard_found=tuple(found),
        standard_empty=tuple(t.table_id for t in tables if t.table_id in found and t.empty),
        missing=tuple(t for t in standard if t not in found),
        other_tables=tuple(t.title for t in tables if t.table_id not in layouts()["tables"]),
        table_figures=sources["table"],
        narrative_figures=sources["narrative"],
        other_figures=sum(n for k, n in sources.items() if k not in ("table", "narrative")),
        checks_passed=status["passed"],
        checks_failed=status["mismatch"],
        checks_unverified=status["unverified"],
        problems=problems,
    )


@dataclass
class IndexReport:
    """What one indexing run did, for the CLI summary and the upload message."""

    indexed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    errors: dict[str, IndexingError] = field(default_factory=dict)  # why each failed, to say it
    sections: int = 0
    tables: int = 0
    figures: int = 0
    checks: int = 0
    chunks: int = 0
    embedded: int = 0  # passages encoded; unchanged passages reuse their stored vector
    seconds: float = 0.0
    extraction: dict[str, ExtractionReport] = field(default_factory=dict)  # per file indexed

    def summary(self) -> str:
        lines = [
            f"documents: {len(self.indexed)} indexed, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} failed",
            f"sections: {self.sections}  tables: {self.tables}  figures: {self.figures}  "
            f"checks: {self.checks}  chunks: {self.chunks} ({self.embedded} embedded)",
            f"seconds: {self.seconds:.1f}",
        ]
        lines += [f"{name}: {rep.summary()}" for name, rep in self.extraction.items()]
        lines += [f"FAILED {name}: {why}" for name, why in self.failed.items()]
        return "\n".join(lines)


@dataclass
class Stores:
    """The two stores, opened once per process per configuration, and the
    folder of the lexical segments (`indexing.lexical`)."""

    figures: FigureStore
    chunks: ChunkStore
    lexical: Path


@lru_cache(maxsize=4)
def _open(settings: Settings) -> Stores:
    return Stores(
        figures=FigureStore(settings.database),
        chunks=ChunkStore(settings, get_embedder(settings.embed_model)),
        lexical=settings.lexical_path,
    )


def open_stores(settings: Settings | None = None) -> Stores:
    s = settings or current_settings()
    return _open(s)


@contextmanager
def writing(settings: Settings) -> Iterator[Stores]:
    """The stores, held for writing: the index folder's lock, then the database's.

    The folder's flock keeps two writers on this machine apart (the embedded
    stores); a database server's lock keeps apart workers on any machine."""
    with write_lock(settings.index_dir):
        stores = open_stores(settings)
        with stores.figures.writer_lock():
            yield stores


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files to index under the given files and folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)
    return [p for p in found if p.name.lower() != "readme.md"]


def index_paths(
    paths: Sequence[Path],
    settings: Settings | None = None,
    progress: Progress | None = None,
    parse: Parser = parse_document,
    kind: SourceKind | None = None,
    added_by: str = "",
) -> IndexReport:
    """Index files and folders; a file that fails is reported, the rest go on.

    Holds the index's write lock throughout (one writer at a time, see
    `indexing.lock`), and opens the stores only once it has it, so a second
    indexer reads what the first one wrote. `parse` reads each changed file
    (uploads: `indexing.sandbox`). Each new document records `kind` and
    `added_by` with the time (`Provenance`); without a `kind`, a file in the
    corpus folder is shipped and any other local.
    """
    s = settings or current_settings()
    report = IndexReport()
    started = time.perf_counter()
    files = discover(paths)
    with writing(s) as stores:
        # Records SQL does not know of are rare (a run died before its cleanup):
        # only then is each document's list of records read (a collection scan).
        strays = stores.chunks.count() > stores.figures.counts()["chunks"]
        for done, path in enumerate(files):
            if progress:
                progress(path.name, done, len(files))
            origin = kind or _kind_of(path, s)
            who = Provenance.now(origin, added_by or ADDED_BY.get(origin, origin.value))
            try:
                _index_file(path, stores, report, strays, parse, who)
            except OSError as exc:
                error = UnreadableDocument.of("cannot_read", path.name, error=exc.strerror or exc)
                report.failed[path.name], report.errors[path.name] = str(error), error
            except IndexingError as exc:
                report.failed[path.name], report.errors[path.name] = str(exc), exc
        if strays:
            remove_orphan_vectors(stores)
        lexical.remove_orphans(stores.lexical, stores.figures.documents)
    if progress:
        progress("", len(files), len(files))
    report.seconds = time.perf_counter() - started
    return report


def _kind_of(path: Path, settings: Settings) -> SourceKind:
    inside = path.resolve().is_relative_to(settings.data_dir.resolve())
    return SourceKind.SHIPPED if inside else SourceKind.LOCAL


def _index_file(
    path: Path,
    stores: Stores,
    report: IndexReport,
    strays: bool,
    parse: Parser,
    who: Provenance,
) -> None:
    sha = file_sha256(path)
    doc_id = doc_id_for(path.name)
    if _complete(doc_id, sha, stores, strays):
        # An index written before provenance: who is known, when it was added is not.
        stores.figures.record_provenance(doc_id, replace(who, added_at=""))
        report.unchanged.append(path.name)
        return
    parsed = parse(path, sha)
    doc = replace(parsed.document, provenance=_first_provenance(stores, parsed.document, who))
    # Order matters for crash safety: new vectors and term counts, then the
    # SQL switch, then cleanup.
    report.embedded += stores.chunks.add(parsed.chunks, doc.sha256)
    lexical.write(stores.lexical, doc.doc_id, doc.sha256, parsed.chunks)
    stores.figures.replace_document(
        doc, parsed.figures, parsed.checks, parsed.tables, parsed.chunks
    )
    stores.chunks.remove(doc.doc_id, keep_sha256=doc.sha256)
    lexical.remove(stores.lexical, doc.doc_id, keep_sha256=doc.sha256)
    report.indexed.append(path.name)
    if parsed.report is not None:
        report.extraction[path.name] = parsed.report
    report.sections += len(parsed.sections)
    report.tables += len(parsed.tables)
    report.figures += len(parsed.figures)
    report.checks += len(parsed.checks)
    report.chunks += len(parsed.chunks)
    log.info(
        "indexed %s: %d figures, %d chunks", path.name, len(parsed.figures), len(parsed.chunks)
    )


def _first_provenance(stores: Stores, doc: Document, who: Provenance) -> Provenance:
    """The stored provenance when this content is indexed again (vectors were lost), else `who`."""
    before = stores.figures.document(doc.doc_id)
    if before is not None and before.sha256 == doc.sha256 and before.provenance is not None:
        return before.provenance
    return who


def _complete(doc_id: str, sha: str, stores: Stores, strays: bool = True) -> bool:
    """This version is in SQL and all its vectors in chroma.

    Costs an indexed SQL look-up and a chroma look-up by id, so checking a
    whole corpus is O(N). Missing vectors (a crash, a wiped or new chroma
    collection) make the file be indexed again. When chroma holds `strays`,
    records SQL does not know of (a run died between the SQL switch and the
    cleanup), the document's records are listed and other versions' deleted.
    """
    if stores.figures.sha256(doc_id) != sha:
        return False
    wanted = {vector_id(chunk_id, sha) for chunk_id in stores.figures.chunk_ids(doc_id)}
    if not strays:
        return stores.chunks.has(wanted)
    stored = set(stores.chunks.ids(doc_id))
    if stored - wanted:
        stores.chunks.remove(doc_id, keep_sha256=sha)
    return wanted <= stored


def remove_orphan_vectors(stores: Stores) -> int:
    """Delete the vectors no stored document version owns; how many there were.

    They are left by a run killed after writing a new document's vectors and
    before its SQL switch (a killed upload): no later run of that document
    removes them, since SQL never knew of it. Listing every id costs a scan,
    so it is done only when chroma holds more records than SQL has passages.
    """
    figures = stores.figures
    if stores.chunks.count() <= figures.counts()["chunks"]:
        return 0
    wanted = {
        vector_id(chunk_id, d.sha256)
        for d in figures.documents()
        for chunk_id in figures.chunk_ids(d.doc_id)
    }
    orphans = [i for i in stores.chunks.all_ids() if i not in wanted]
    stores.chunks.delete_ids(orphans)
    if orphans:
        log.info("removed %d vectors no indexed document owns", len(orphans))
    return len(orphans)


def remove_document(doc_id: str, settings: Settings | None = None) -> bool:
    """Drop a document from both stores; False when it was not indexed."""
    s = settings or current_settings()
    with writing(s) as stores:
        found = stores.figures.remove_document(doc_id)
        stores.chunks.remove(doc_id)
        lexical.remove(stores.lexical, doc_id)
    return found


def ensure_index(settings: Settings | None = None) -> IndexReport:
    """Index the default corpus if needed (unchanged files cost a hash each)."""
    s = settings or current_settings()
    return index_paths([s.data_dir], s)

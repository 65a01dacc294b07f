"""Passages cut from the real corpus: every table row once, sections kept apart."""

from __future__ import annotations

import pytest

from config import ROOT
from indexing.chunks import MAX_CHARS, TABLE_ROWS, table_header
from indexing.pipeline import discover, parse_document
from indexing.records import ParsedDocument

CORPUS = discover([ROOT / "data"])


@pytest.fixture(scope="module", params=[p.name for p in CORPUS])
def doc(request: pytest.FixtureRequest) -> ParsedDocument:
    return parse_document(ROOT / "data" / request.param)


def test_every_table_row_is_in_exactly_one_slice_of_its_table(doc: ParsedDocument) -> None:
    for table in doc.tables:
        slices = [
            c for c in doc.chunks if c.kind == "table" and c.metadata["table_id"] == table.table_id
        ]
        bodies = [f"\n{c.metadata['body']}\n" for c in slices]
        for row in {r.raw for r in table.rows}:  # a wrapped row's raw spans lines
            assert sum(body.count(f"\n{row}\n") for body in bodies) == 1, (table.table_id, row)


def test_table_slices_repeat_the_header_and_hold_at_most_twelve_rows(
    doc: ParsedDocument,
) -> None:
    tables = {t.table_id: t for t in doc.tables}
    for chunk in (c for c in doc.chunks if c.kind == "table"):
        table = tables[chunk.metadata["table_id"]]
        assert chunk.text.startswith(f"{doc.document.title}\n{table_header(table)}\n")
        assert chunk.metadata["section"] == f"公开{table.table_id}表 {table.title}"
        body = f"\n{chunk.metadata['body']}\n"
        rows = {r.raw for r in table.rows if f"\n{r.raw}\n" in body}
        assert 1 <= len(rows) <= TABLE_ROWS == 12 if table.rows else rows == set()


def test_section_passages_stay_inside_their_section_and_are_short(doc: ParsedDocument) -> None:
    for chunk in (c for c in doc.chunks if c.kind == "section"):
        loc = chunk.locator
        # one of the sections with that heading path (appendices repeat headings)
        assert any(
            " > ".join(s.path) == chunk.metadata["section"]
            and s.locator.line_start <= loc.line_start <= loc.line_end <= s.locator.line_end
            for s in doc.sections
        ), chunk.chunk_id
        heading = f"{doc.document.title}\n{chunk.metadata['section']}\n"
        assert chunk.text == heading + chunk.metadata["body"]
        # over the limit only when one sentence alone is longer
        body = chunk.metadata["body"].replace("\n", "")
        assert len(body) <= MAX_CHARS or body.count("。") <= 1, chunk.chunk_id


def test_figures_get_no_passage_of_their_own(doc: ParsedDocument) -> None:
    # figures are found by exact lookup in the figure store, not by search
    assert doc.figures
    assert {c.kind for c in doc.chunks} <= {"section", "table"}
    assert not any(c.chunk_id.startswith("fig:") for c in doc.chunks)


def test_chunk_ids_are_unique_across_the_corpus() -> None:
    ids = [c.chunk_id for path in CORPUS for c in parse_document(path).chunks]
    assert len(ids) == len(set(ids))


def test_chunk_accessors_read_the_stored_metadata_keys(doc: ParsedDocument) -> None:
    for chunk in doc.chunks:
        meta = chunk.metadata
        assert (chunk.body, chunk.section, chunk.table_id, chunk.source) == (
            meta["body"],
            meta["section"],
            meta["table_id"],
            meta["source"],
        )
        assert chunk.project == meta.get("project", "")
        assert bool(chunk.printed) == ("boxes" in meta)

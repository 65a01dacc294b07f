"""Write a whole-section answer: the list complete and in order, with its count."""

from __future__ import annotations

from indexing.records import Document
from retrieval.cite import Citations
from retrieval.engine import Engine
from retrieval.names import department_name
from retrieval.records import Query
from retrieval.sections import WholeSection


def section_answer(
    query: Query, section: WholeSection, engine: Engine, docs: dict[str, Document], cites: Citations
) -> str:
    """Heading and count first, then every passage of the section and the rows of its tables."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    doc = docs[section.doc_id]
    title = section.heading.rsplit(" > ", 1)[-1]
    items = section.items
    if lang == "en":
        count = f" — {len(items)} items" if items else ""
        lines = [f"{department_name(doc, 'en')}, “{title}”{count}:"]
    else:
        count = f"（共{len(items)}项）" if items else ""
        lines = [f"{doc.department}「{title}」{count}："]
    for chunk in section.passages:
        body = str(chunk.metadata.get("body", "")).strip()
        if body:
            n = cites.passage(chunk, body, 1.0)
            lines.append(f"{body}[{n}]")
    table_chunks = {
        str(c.metadata.get("table_id", "")): c
        for c in engine.lexical.chunks
        if c.doc_id == section.doc_id and c.kind == "table"
    }
    for table in section.tables:
        chunk = table_chunks.get(table.table_id)
        for row in table.rows:
            text = row.raw.replace("\t", " ").strip()
            ref = f"[{cites.passage(chunk, row.raw, 1.0)}]" if chunk is not None else ""
            lines.append(f"- {text}{ref}")
    return "\n".join(lines)

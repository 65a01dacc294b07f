"""HTML for answers, citations and documents, with everything escaped.

Text reaching the page comes from uploaded documents and from users, so every
piece of it goes through `html.escape` here (and in `render_source.py`, which
draws the side panel's sources and the data checks); nothing else builds
markup from it. The only tags in the output are the ones written in these two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from indexing.numbers import parse_number
from indexing.records import Document, Table
from retrieval.records import Answer, Citation

# Numbers as the disclosures print them, tolerating the single stray space PDF
# extraction leaves after "," or "." (but never a tab: that separates cells).
_NUMBER = re.compile(r"\d{1,3}(?:, ?\d{3})+(?:\. ?\d+)?|\d+(?:\. ?\d+)?")
_MARKER = re.compile(r"\[(\d+)\]")


def cite_id(turn: int, n: int, where: str = "msg") -> str:
    """DOM id of citation `n` of answer number `turn` (in the chat or the side panel)."""
    return f"{where}-{turn}-{n}"


def highlight(quote: str, value: float | None) -> str:
    """The quote, escaped, with every printing of `value` wrapped in <mark>."""
    if value is None:
        return escape(quote)
    out: list[str] = []
    last = 0
    for match in _NUMBER.finditer(quote):
        parsed = parse_number(match.group())
        if parsed is None or abs(parsed - value) > 0.005:
            continue
        out.append(escape(quote[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(quote[last:]))
    return "".join(out)


def answer_text_html(text: str, numbers: Iterable[int], turn: int) -> str:
    """The answer, escaped, with its [n] markers turned into citation links."""
    known = set(numbers)

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in known:
            return match.group()
        # Only class and href survive gradio's sanitiser; the page script reads the href.
        return f'<a class="cite" href="#{cite_id(turn, n)}">[{n}]</a>'

    return _MARKER.sub(link, escape(text))


def citation_html(c: Citation, turn: int, lab: dict[str, str], where: str = "msg") -> str:
    """One citation in a chat message: its label, and opened, the quote with the figure marked.

    The message stays short; the table, the page image and the context are in
    the side panel (`render_source.source_html`).
    """
    page = f" · p. {c.page}" if c.page else ""
    quote = highlight(c.quote, c.value).replace("\n", "<br>")
    return (
        f'<details class="citation" id="{cite_id(turn, c.n, where)}" data-cite="{c.n}">'
        f"<summary><b>[{c.n}]</b> {escape(c.department)} · {escape(c.where)}{escape(page)}</summary>"
        f'<div class="citation-body">'
        f'<blockquote class="quote">{quote}</blockquote>'
        f"<div>{escape(c.source)} · {escape(c.locator)}</div>"
        f"</div></details>"
    )


def answer_html(answer: Answer, turn: int, lab: dict[str, str]) -> str:
    """A chat message: the answer first, then its notes, then its citations, folded."""
    text = answer_text_html(answer.text, (c.n for c in answer.citations), turn)
    if answer.declined:
        text = f"<b>{escape(lab['declined'])}</b>: {text}"
    lead, _, notes = text.partition("\n")
    # Newlines become <br> so the citation block below stays one HTML block.
    body = f'<div class="lead">{lead}</div>'
    if notes.strip():
        body += f'<div class="notes">{notes.strip().replace(chr(10), "<br>")}</div>'
    cites = "".join(citation_html(c, turn, lab) for c in answer.citations)
    return f'<div class="answer">{body}</div>' + (
        f'<div class="citations">{cites}</div>' if cites else ""
    )


def user_html(question: str) -> str:
    """A user's question as shown in the chat: plain text, never markup."""
    return escape(question).replace("\n", "<br>")


DOCUMENT_COLUMNS = (
    "doc_id",
    "department",
    "place",
    "province",
    "year",
    "kind",
    "scope",
    "source",
    "lines",
    "added_by",
    "added_at",
)


def provenance_cells(document: Document, lab: dict[str, str]) -> tuple[str, str]:
    """Who added a document (in the page's words) and when, for the documents table."""
    origin = document.provenance
    if origin is None:  # indexed before provenance was recorded
        return lab["origin_unknown"], ""
    when = origin.added_at.replace("T", " ").replace("Z", " UTC")
    return lab[f"origin_{origin.kind.value}"], when


def document_rows(documents: Iterable[Document], lab: dict[str, str]) -> list[list[object]]:
    """One row per document for the documents table (plain values, escaped by gradio)."""
    return [
        [
            d.doc_id,
            d.department,
            d.place,
            d.province,
            d.year or "",
            d.kind,
            d.scope,
            d.source,
            d.n_lines,
            *provenance_cells(d, lab),
        ]
        for d in documents
    ]


def table_rows(tables: Iterable[Table]) -> list[list[object]]:
    """One row per 公开NN表 of a document: id, title, unit, body rows."""
    return [[t.table_id, t.title, t.unit, len(t.rows)] for t in tables]

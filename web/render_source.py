"""HTML of a source as a journalist checks it: the table, the sentence, the marked page.

For a cell: the table's title and unit, its header rows, the cited row with
its 科目编码 and name and the rows around it, the cell marked. For a sentence:
its section path and the text either side, the figure marked. For a PDF: the
page image with the cell's or sentence's box drawn over it (positioned in
percent of the page, so it scales with the image), the page number and a link
to the original file. A data check shows the sources of both its sides.

Everything from a document goes through `html.escape`, as in `render.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from retrieval.records import Citation, PassageExcerpt, TableExcerpt
from web.render import cite_id, highlight
from web.sources import CheckView, SourceView

ZOOM = 1.25  # CSS pixels per PDF point of the page image: 9-point table text reads at 11 px
_STATUS_ORDER = {"mismatch": 0, "unverified": 1, "passed": 2}


def sources_html(views: Sequence[SourceView], turn: int, lab: dict[str, str]) -> str:
    """The side panel: every source of the current answer, the first one open."""
    if not views:
        return f'<p class="no-sources">{escape(lab["no_sources"])}</p>'
    blocks = [source_html(v, cite_id(turn, v.citation.n, "src"), lab) for v in views]
    blocks[0] = blocks[0].replace("<details ", "<details open ", 1)
    return '<div class="sources">' + "".join(blocks) + "</div>"


def source_html(view: SourceView, dom_id: str, lab: dict[str, str]) -> str:
    """One source, folded: its label; open: excerpt, page image, document and links."""
    c = view.citation
    page = f" · p. {c.page}" if c.page else ""
    if view.table is not None:
        excerpt = table_html(view.table, c, lab)
    elif view.passage is not None:
        excerpt = passage_html(view.passage, c, lab)
    else:
        excerpt = f'<blockquote class="quote">{highlight(c.quote, c.value)}</blockquote>'
    return (
        f'<details class="citation source" id="{escape(dom_id)}" data-cite="{c.n}">'
        f"<summary><b>[{c.n}]</b> {escape(c.department)} · {escape(c.where)}{escape(page)}</summary>"
        f'<div class="citation-body">{excerpt}{page_html(view, lab)}'
        f'<div class="source-meta">{escape(c.source)} · {escape(c.locator)} · '
        f'<a class="download" href="{escape(view.file_url)}" download="{escape(c.source)}">'
        f"{escape(lab['download'])}</a></div>"
        f"</div></details>"
    )


def _amount(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def header_rows(columns: Sequence[str]) -> list[list[tuple[str, int, int, tuple[int, ...]]]]:
    """The header of a table from its column paths, merged as printed.

    One list per header row of (text, colspan, rowspan, columns covered):
    adjacent columns sharing a path prefix share its cell, and a path shorter
    than the deepest spans the rows below it.
    """
    paths = [[p.strip() for p in c.split("/")] for c in columns]
    depth = max((len(p) for p in paths), default=0)
    rows: list[list[tuple[str, int, int, tuple[int, ...]]]] = []
    for level in range(depth):
        row = []
        i = 0
        while i < len(paths):
            if len(paths[i]) <= level:
                i += 1
                continue
            prefix = paths[i][: level + 1]
            j = i
            while j < len(paths) and paths[j][: level + 1] == prefix and len(paths[j]) > level:
                j += 1
            leaf = all(len(paths[k]) == level + 1 for k in range(i, j))
            row.append((prefix[-1], j - i, depth - level if leaf else 1, tuple(range(i, j))))
            i = j
        rows.append(row)
    return rows


def table_html(t: TableExcerpt, c: Citation, lab: dict[str, str]) -> str:
    """The cited row among its neighbours under the table's own header, the cell marked."""
    head = header_rows(t.columns)
    depth = max(len(head), 1)
    cells = []
    for level, row in enumerate(head):
        out = (
            (
                f'<th rowspan="{depth}">{escape(lab["code"])}</th>'
                f'<th rowspan="{depth}">{escape(lab["name"])}</th>'
            )
            if level == 0
            else ""
        )
        for text, colspan, rowspan, covered in row:
            cited = t.cited_column in covered
            cls = ' class="cited-col"' if cited else ""
            out += f'<th colspan="{colspan}" rowspan="{rowspan}"{cls}>{escape(text)}</th>'
        cells.append(f"<tr>{out}</tr>")
    width = len(t.columns) + 2
    body = []
    if t.rows_before:
        body.append(_more_row(t.rows_before, width, lab))
    for i, row in enumerate(t.rows):
        cited_row = i == t.cited_row
        tds = [f"<td>{escape(row.code)}</td>", f'<td class="label">{escape(row.label)}</td>']
        for k, value in enumerate(row.values):
            text = escape(_amount(value))
            if cited_row and k == t.cited_column:
                tds.append(f'<td class="num cited-cell"><mark>{text}</mark></td>')
            else:
                tds.append(f'<td class="num">{text}</td>')
        cls = ' class="cited-row"' if cited_row else ""
        body.append(f'<tr{cls} data-line="{row.line}">{"".join(tds)}</tr>')
    if t.rows_after:
        body.append(_more_row(t.rows_after, width, lab))
    title = f"公开{t.table_id}表 {t.title}" if t.table_id.isdigit() else t.title
    return (
        f'<div class="excerpt-table" data-table="{escape(t.table_id)}">'
        f'<div class="excerpt-title"><b>{escape(title)}</b> · {escape(lab["unit"])}：'
        f"{escape(t.unit)}</div>"
        f'<div class="table-scroll"><table class="excerpt">'
        f"<thead>{''.join(cells)}</thead><tbody>{''.join(body)}</tbody></table></div></div>"
    )


def _more_row(n: int, width: int, lab: dict[str, str]) -> str:
    return (
        f'<tr class="more"><td colspan="{width}">{escape(lab["rows_more"].format(n=n))}</td></tr>'
    )


def passage_html(p: PassageExcerpt, c: Citation, lab: dict[str, str]) -> str:
    """The quoted sentence, figure marked, between the sentences around it, under its section."""
    before = f'<span class="context">{escape(p.before)}</span>' if p.before else ""
    after = f'<span class="context">{escape(p.after)}</span>' if p.after else ""
    return (
        f'<div class="excerpt-passage">'
        f'<div class="section-path">{escape(lab["section"])}：{escape(p.section)}</div>'
        f'<blockquote class="quote">{before}'
        f'<span class="cited-sentence">{highlight(p.quote, c.value)}</span>{after}</blockquote>'
        f"</div>"
    )


def page_html(view: SourceView, lab: dict[str, str]) -> str:
    """The PDF page as an image with the cited box drawn over it; "" for text documents."""
    page, c = view.page, view.citation
    if page is None:
        return ""
    w, h = page.width, page.height
    boxes = c.boxes or ((c.bbox,) if c.bbox else ())
    marks = "".join(
        f'<span class="page-mark" data-bbox="{",".join(f"{v:g}" for v in box)}" style="'
        f"left:{box[0] / w * 100:.3f}%;top:{box[1] / h * 100:.3f}%;"
        f'width:{(box[2] - box[0]) / w * 100:.3f}%;height:{(box[3] - box[1]) / h * 100:.3f}%"></span>'
        for box in boxes
        if box is not None
    )
    alt = lab["page_image"].format(page=page.page)
    return (
        f'<div class="page-view" data-page="{page.page}" data-width="{w:g}" data-height="{h:g}">'
        f'<div class="page-meta">{escape(lab["page"].format(page=page.page, pages=page.pages))}'
        f' · <a href="{escape(view.image_url)}" target="_blank" rel="noopener">'
        f"{escape(lab['open_page'])}</a></div>"
        f'<div class="page-frame"><div class="page" style="width:{w * ZOOM:.0f}px;'
        f'aspect-ratio:{w:g} / {h:g}">'
        f'<img class="page-image" src="{escape(view.image_url)}" alt="{escape(alt)}"'
        f' loading="lazy" width="{w * ZOOM:.0f}" height="{h * ZOOM:.0f}">{marks}</div></div>'
        f"</div>"
    )


def checks_html(views: Iterable[CheckView], lab: dict[str, str]) -> str:
    """The data checks of a document, mismatches first; each opens on its two sources."""
    ordered = sorted(views, key=lambda v: (_STATUS_ORDER.get(v.check.status, 3), v.check.check_id))
    if not ordered:
        return f"<p>{escape(lab['no_checks'])}</p>"
    rows = []
    for i, view in enumerate(ordered):
        c = view.check
        # Both sides open side by side as soon as the check is opened.
        sides = "".join(
            '<div class="check-side">'
            + source_html(s, f"check-{i}-{k}", lab).replace("<details ", "<details open ", 1)
            + "</div>"
            for k, s in enumerate(view.sides)
        ) or escape(lab["no_sides"])
        rows.append(
            f'<tr class="check-{escape(c.status)}">'
            f"<td>{escape(lab.get('status_' + c.status, c.status))}</td>"
            f"<td>{escape(c.description)}</td><td>{escape(c.where)}</td>"
            f"<td>{_amount(c.expected)}</td><td>{_amount(c.actual)}</td></tr>"
            f'<tr class="check-sources"><td></td><td colspan="4">'
            f'<details class="check-detail" id="check-{i}"><summary>'
            f"{escape(lab['check_sides'])}</summary>"
            f'<div class="check-sides">{sides}</div></details></td></tr>'
        )
    head = (
        f"<tr><th></th><th>{escape(lab['checks'])}</th><th>{escape(lab['where'])}</th>"
        f"<th>{escape(lab['expected'])}</th><th>{escape(lab['actual'])}</th></tr>"
    )
    return f'<table class="checks"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'

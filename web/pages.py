"""PDF pages as images, rendered once and kept under the index folder.

A citation of a PDF names a page and a box in PDF points; the page shows the
box over an image of that page, so a reader sees the cell or the sentence
where the document prints it. Images are rendered with pypdfium2 (installed
with pdfplumber) at `SCALE` pixels per point, written to
`<index_dir>/pages/<sha256>/<n>.png` and never rendered again: the file's
content hash names the folder, so a changed document gets new images.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from config import Settings
from indexing.loaders import file_sha256
from indexing.records import Document
from web.uploads import uploads_dir

log = logging.getLogger(__name__)
SCALE = 2.0  # pixels per PDF point: 144 dpi, sharp at 1.4× zoom on a high-density screen
# pdfium is not thread-safe: one render at a time (each takes ~50 ms).
_PDFIUM = threading.Lock()


class PageNotFound(LookupError):
    """No such page, or a document without pages (text) or without its file."""


@dataclass(frozen=True, slots=True)
class PageInfo:
    """One page of a PDF: its number, the page count and its size in PDF points."""

    page: int
    pages: int
    width: float
    height: float


def source_path(settings: Settings, document: Document) -> Path:
    """The original file of an indexed document, as indexed (same content hash).

    Shipped documents are in the corpus folder, uploads under the index folder.
    """
    for folder in (settings.data_dir, uploads_dir(settings)):
        path = folder / document.source
        if path.is_file() and _sha256(path, *_stamp(path)) == document.sha256:
            return path
    raise PageNotFound(
        f"the original file of {document.doc_id} ({document.source}) is no longer in "
        f"{settings.data_dir} or the uploads folder, or it changed: index it again"
    )


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=256)
def _sha256(path: Path, mtime_ns: int, size: int) -> str:
    """The content hash, computed once per version of the file (its time and size)."""
    return file_sha256(path)


@lru_cache(maxsize=256)
def page_sizes(path: Path, sha256: str) -> tuple[tuple[float, float], ...]:
    """(width, height) in points of every page of a PDF, read once per content."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        pdf = pdfium.PdfDocument(path)
        try:
            return tuple(tuple(pdf[i].get_size()) for i in range(len(pdf)))  # type: ignore[misc]
        finally:
            pdf.close()


def page_info(settings: Settings, document: Document, page: int) -> PageInfo:
    """Number, count and size of one page; PageNotFound if there is no such page."""
    if not document.source.lower().endswith(".pdf"):
        raise PageNotFound(f"{document.doc_id} is a text document: it has lines, not pages")
    sizes = page_sizes(source_path(settings, document), document.sha256)
    if not 1 <= page <= len(sizes):
        raise PageNotFound(f"{document.doc_id} has pages 1–{len(sizes)}, not {page}")
    width, height = sizes[page - 1]
    return PageInfo(page, len(sizes), round(width, 2), round(height, 2))


def page_image(settings: Settings, document: Document, page: int) -> Path:
    """The PNG of one page, rendered on first use and read from disk after."""
    page_info(settings, document, page)  # the page exists
    target = settings.index_dir / "pages" / document.sha256 / f"{page}.png"
    if not target.is_file():
        render_page(source_path(settings, document), page, target)
    return target


def render_page(pdf_path: Path, page: int, target: Path) -> None:
    """Render page `page` (1-based) of a PDF to `target` as PNG.

    Written to a temporary name first and moved into place, so a reader never
    sees half an image and two concurrent first requests leave one good file.
    """
    import pypdfium2 as pdfium

    target.parent.mkdir(parents=True, exist_ok=True)
    with _PDFIUM:
        pdf = pdfium.PdfDocument(pdf_path)
        try:
            image = pdf[page - 1].render(scale=SCALE).to_pil()
        finally:
            pdf.close()
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    image.save(partial, format="PNG")
    os.replace(partial, target)
    log.info("rendered %s page %d to %s", pdf_path.name, page, target)

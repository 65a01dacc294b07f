"""How big an upload is, measured before anything slow reads it: pages, characters, objects.

pdfplumber (through pdfminer) spends about 50 µs on every character it places
and interprets a page's whole content stream first, so a small crafted file
can cost minutes: 300k text operations on one page took 93 s. pdfium counts
the same things in C in milliseconds, so an upload over a cap is refused at
once, with the cap named. The counting runs in the sandbox too
(`indexing.sandbox`): a file built to defeat it (a stream that inflates to
gigabytes) meets the memory limit there. Characters that pdfium merges (glyphs
drawn over each other) are still counted as objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from config import Settings
from indexing.errors import OverLimit


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Limits on parsing one upload; each is a JUESUAN_PARSE_* setting (config.py)."""

    memory_mb: int = 1024
    cpu_seconds: int = 60
    max_pages: int = 500
    max_chars: int = 1_000_000
    max_page_objects: int = 20_000

    def __post_init__(self) -> None:
        for name in self.__slots__:
            if getattr(self, name) <= 0:
                raise ValueError(f"parse limit {name} must be positive, not {getattr(self, name)}")

    @classmethod
    def of(cls, settings: Settings) -> ParseLimits:
        return cls(
            memory_mb=settings.parse_memory_mb,
            cpu_seconds=settings.parse_cpu_seconds,
            max_pages=settings.parse_max_pages,
            max_chars=settings.parse_max_chars,
            max_page_objects=settings.parse_max_page_objects,
        )


def check_caps(path: Path, limits: ParseLimits) -> None:
    """Raise OverLimit naming the cap when the file is over one; return otherwise.

    A file these counters cannot open is left to the loader, whose messages
    say what is wrong with it (not a PDF, encrypted, truncated).
    """
    if path.suffix.lower() == ".pdf":
        _check_pdf(path, limits)
    else:
        _check_text(path, limits)


def _check_text(path: Path, limits: ParseLimits) -> None:
    raw = path.read_bytes()
    if len(raw) <= limits.max_chars:  # no encoding has more characters than bytes
        return
    try:
        chars = len(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        chars = len(raw.decode("gb18030", errors="replace"))
    if chars > limits.max_chars:
        raise OverLimit.of(
            "over_text_chars", path.name, chars=f"{chars:,}", limit=f"{limits.max_chars:,}"
        )


def _check_pdf(path: Path, limits: ParseLimits) -> None:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return
    try:
        pages = len(pdf)
        if pages > limits.max_pages:
            raise OverLimit.of(
                "over_pages", path.name, pages=f"{pages:,}", limit=f"{limits.max_pages:,}"
            )
        chars = 0
        for number in range(pages):
            page = pdf[number]
            try:
                objects, exact = _count_objects(page, limits.max_page_objects)
                if objects > limits.max_page_objects:
                    many = f"{objects:,}" if exact else f"over {limits.max_page_objects:,}"
                    raise OverLimit.of(
                        "over_page_objects",
                        path.name,
                        page=number + 1,
                        objects=many,
                        limit=f"{limits.max_page_objects:,}",
                    )
                text = page.get_textpage()
                chars += text.count_chars()
                text.close()
            finally:
                page.close()
    finally:
        pdf.close()
    if chars > limits.max_chars:
        raise OverLimit.of(
            "over_pdf_chars", path.name, chars=f"{chars:,}", limit=f"{limits.max_chars:,}"
        )


def _count_objects(page: object, limit: int) -> tuple[int, bool]:
    """(objects on a page, those inside forms too; whether exact): counting forms'
    objects one by one stops just past `limit`, the page's own count is exact."""
    import pypdfium2.raw as pdfium_c

    top = pdfium_c.FPDFPage_CountObjects(page)  # type: ignore[arg-type]
    if top > limit:
        return top, True
    count = 0
    for _ in page.get_objects():  # type: ignore[attr-defined]  # descends into forms
        count += 1
        if count > limit:
            return count, False
    return count, True

"""Uploads are parsed in a sandbox: bombs are refused naming the limit, the server stays small.

A 1 MB PDF inflating to 1 GB used to take the server's memory from 0.8 to
2.8 GB, and a PDF of 300k text operations 93 s of its CPU: uploads were parsed
inside the server. Now they are parsed in a child process with RLIMIT_AS and
RLIMIT_CPU, after pdfium has counted their pages, characters and objects
(`indexing.caps`, `indexing.sandbox`). The server is the real app in its own
process, so its memory is its own; every bomb is built here, from raw bytes.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest

from benchmarks.bench_load import Server, served
from config import ROOT, Settings
from indexing.pipeline import open_stores
from web import handlers
from web.labels import labels
from web.uploads import add_uploads, uploads_dir

from .conftest import ADMIN_TOKEN, App, bearer, writable_copy

QUESTION = "枣庄市人民政府办公室2024年公务接待费是多少？"
FIXTURE_PDF = ROOT / "tests" / "fixtures" / "pdf" / "001_f4ec1982bbb312b3.pdf"
REAL_PDF = ROOT / "data" / "上海市普陀区_财政局_2024.pdf"


def raw_pdf(content: bytes, pages: int = 1, flate: bool = True) -> bytes:
    """A PDF of `pages` pages all drawing one content stream (compressed when `flate`)."""
    stream = zlib.compress(content, 9) if flate else content
    return pdf_with_stream(stream, pages, flate)


def pdf_with_stream(stream: bytes, pages: int, flate: bool) -> bytes:
    kids = " ".join(f"{5 + n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), b" /Filter /FlateDecode" if flate else b"")
        + stream
        + b"\nendstream",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    )
    objects += [page] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def decompression_bomb(megabytes: int = 2048) -> bytes:
    """About 2 MB of PDF whose page content inflates to `megabytes` MB of spaces."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    stream = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    return pdf_with_stream(stream, 1, flate=True)


def text_bomb(operations: int = 300_000) -> bytes:
    """One page showing a character 300k times, a few KB compressed."""
    return raw_pdf(b"BT /F1 1 Tf " + b"(A) Tj 0.01 0 Td " * operations + b"ET")


@dataclass(frozen=True)
class Uploader:
    """The app in its own process and the settings of the index it serves."""

    server: Server
    settings: Settings

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def uploader(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Uploader]:
    """The app in its own process, with the admin token, over a copy of the session index."""
    s = writable_copy(built_index, tmp_path_factory.mktemp("sandbox") / "index")
    env = {"JUESUAN_INDEX_DIR": str(s.index_dir), "JUESUAN_ADMIN_TOKEN": ADMIN_TOKEN}
    with served(env) as server:
        yield Uploader(server, s)


def upload(server: Uploader, name: str, content: bytes) -> httpx.Response:
    return httpx.post(
        server.url + "api/documents",
        files={"file": (name, content, "application/octet-stream")},
        headers=bearer(),
        timeout=300,
    )


def index_state(server: Uploader) -> tuple:
    documents = httpx.get(server.url + "api/documents", timeout=30).json()
    health = httpx.get(server.url + "api/health", timeout=30).json()
    folder = uploads_dir(server.settings)
    files = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    return [d["doc_id"] for d in documents], health["generation"], files


def assert_refused_and_intact(server: Uploader, name: str, content: bytes, reason: str) -> None:
    before, rss = index_state(server), server.server.memory_mb()
    started = time.perf_counter()
    response = upload(server, name, content)
    took = time.perf_counter() - started
    assert response.status_code == 422, response.text
    [result] = response.json()["results"]
    assert result["status"] == "failed"
    assert result["message"] == f"{name}: {reason}"
    assert took < 30
    # The server's own memory hardly moved (the parser's was the child's), and its peak too.
    assert server.server.memory_mb() - rss < 300
    assert server.server.memory_mb("VmHWM") - rss < 300
    assert index_state(server) == before
    answer = httpx.post(server.url + "api/ask", json={"question": QUESTION}, timeout=30).json()
    assert "32.73" in answer["answer"]


def test_a_decompression_bomb_is_refused_naming_the_memory_limit(uploader: Uploader):
    reason = (
        "reading it needed more than 1,024 MB of memory, the limit (JUESUAN_PARSE_MEMORY_MB); "
        "it may be a decompression bomb: re-export it"
    )
    assert_refused_and_intact(uploader, "bomb.pdf", decompression_bomb(), reason)


def test_a_text_bomb_is_refused_at_once_naming_the_object_limit(uploader: Uploader):
    reason = (
        "page 1 has 300,000 text and drawing objects; the limit is 20,000 a page "
        "(JUESUAN_PARSE_MAX_PAGE_OBJECTS)"
    )
    assert_refused_and_intact(uploader, "text-bomb.pdf", text_bomb(), reason)


def test_a_pdf_of_3000_pages_is_refused_naming_the_page_limit(uploader: Uploader):
    pages = raw_pdf(b"BT /F1 12 Tf 72 720 Td (hello) Tj ET", pages=3000, flate=False)
    reason = "the PDF has 3,000 pages; the limit is 500 (JUESUAN_PARSE_MAX_PAGES)"
    assert_refused_and_intact(uploader, "pages.pdf", pages, reason)


def test_a_text_of_over_a_million_characters_is_refused_naming_the_limit(uploader: Uploader):
    text = ("部门决算" * 300_000).encode("utf-8")  # 3.6 MB, under the upload limit
    reason = "the text has 1,200,000 characters; the limit is 1,000,000 (JUESUAN_PARSE_MAX_CHARS)"
    assert_refused_and_intact(uploader, "long.txt", text, reason)


def test_a_disclosure_pdf_is_still_indexed_through_the_sandbox(uploader: Uploader):
    response = upload(uploader, "枣庄.pdf", FIXTURE_PDF.read_bytes())
    assert response.status_code == 201, response.text
    [result] = response.json()["results"]
    assert result["status"] == "indexed" and result["doc_id"].startswith("upload-")
    checks = httpx.get(uploader.url + f"api/documents/{result['doc_id']}/checks", timeout=30)
    assert checks.status_code == 200 and checks.json()
    removed = httpx.delete(
        uploader.url + f"api/documents/{result['doc_id']}", headers=bearer(), timeout=60
    )
    assert removed.status_code == 200


def test_a_parse_over_the_cpu_limit_is_refused_naming_it(admin: App):
    """The page's path (add_uploads): the real 25-page PDF needs over 1 s of CPU to parse."""
    strict = replace(admin.settings, parse_cpu_seconds=1)
    before = {d.doc_id for d in open_stores(strict).figures.documents()}
    [result] = add_uploads([REAL_PDF], strict, labels("en"))
    assert (result.status, result.message) == (
        "failed",
        f"{REAL_PDF.name}: reading it took more than 1 s of CPU time, the limit "
        "(JUESUAN_PARSE_CPU_SECONDS); the file is too large or too complex to index, or crafted",
    )
    assert {d.doc_id for d in open_stores(strict).figures.documents()} == before


def test_the_page_shows_the_limit_a_bomb_met(admin: App, tmp_path: Path):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(text_bomb())
    shown = handlers.upload([str(bomb)], ADMIN_TOKEN, "English", admin.settings, lambda *a, **k: 0)
    assert shown.startswith("- `bomb.pdf`: " + labels("en")["failed"] + " — bomb.pdf: page 1 has")
    assert "the limit is 20,000 a page" in shown

"""kill -9 of the real server while it parses an upload: after a restart the index is intact.

The server is `python app.py` with an admin token, over its own copy of the
session index. An upload of a changed copy of the real PDF is sent; once its
file is in the uploads folder and the sandbox is parsing it, the server gets
SIGKILL (and so does its orphaned parser). Restarted, the server must answer
the shipped documents' questions exactly as before, list the same documents
with the same provenance, and hold no file or vector of the killed upload.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx

from benchmarks.bench_load import Server, served
from config import ROOT, Settings
from indexing.pipeline import open_stores
from indexing.sqlstore import FigureStore
from web.uploads import uploads_dir

from .conftest import ADMIN_TOKEN, bearer, writable_copy

REAL_PDF = ROOT / "data" / "上海市普陀区_财政局_2024.pdf"
QUESTIONS = (
    "枣庄市人民政府办公室2024年公务接待费是多少？",
    "高平市人民政府办公室2024年住房公积金支出是多少？",
    "普陀区财政局2024年本年支出合计是多少？",
)


def answers(server: Server) -> dict[str, str]:
    return {
        q: httpx.post(server.url + "api/ask", json={"question": q}, timeout=60).json()["answer"]
        for q in QUESTIONS
    }


def listing(server: Server) -> list[tuple]:
    documents = httpx.get(server.url + "api/documents", timeout=30).json()
    return [(d["doc_id"], d["sha256"], d["provenance"]) for d in documents]


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the upload's sandboxed parser)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def is_parser(pid: int) -> bool:
    try:
        return b"indexing.sandbox" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def stored(settings: Settings) -> tuple:
    """What the stores hold, read from disk by a fresh connection (the server is down)."""
    figures = FigureStore(settings.sqlite_path)
    chunks = open_stores(settings).chunks
    return figures.counts(), chunks.count()


def test_kill_9_while_an_upload_is_parsed_leaves_the_index_as_it_was(
    built_index: Settings, tmp_path: Path
):
    s = writable_copy(built_index, tmp_path / "index")
    env = {"JUESUAN_INDEX_DIR": str(s.index_dir), "JUESUAN_ADMIN_TOKEN": ADMIN_TOKEN}
    changed = REAL_PDF.read_bytes() + b"\n% a changed copy, so it is a new document\n"
    with served(env) as first:
        before_answers, before_listing = answers(first), listing(first)
        outcome: list[object] = []

        def send() -> None:
            try:
                outcome.append(
                    httpx.post(
                        first.url + "api/documents",
                        files={"file": ("普陀区.pdf", changed, "application/pdf")},
                        headers=bearer(),
                        timeout=300,
                    )
                )
            except httpx.HTTPError as exc:
                outcome.append(exc)

        sent = threading.Thread(target=send, daemon=True)
        sent.start()
        deadline = time.monotonic() + 120
        parser = []
        while not parser:
            assert time.monotonic() < deadline, "the upload never reached its parser"
            time.sleep(0.05)
            parser = [p for p in children(first.process.pid) if is_parser(p)]
        kept = sorted(p.name for p in uploads_dir(s).iterdir())
        assert any(name.endswith("_普陀区.pdf") for name in kept)  # mid-parse: the file is in
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=30)
        for pid in parser:  # the orphaned parser would only write a result no one reads
            os.kill(pid, signal.SIGKILL)
        sent.join(timeout=60)
        assert first.process.returncode == -signal.SIGKILL
        [dropped] = outcome  # the client saw the connection die, not an answer
        assert isinstance(dropped, httpx.HTTPError), dropped

    with served(env) as again:
        assert answers(again) == before_answers
        assert listing(again) == before_listing
    (counts, vectors) = stored(s)
    assert vectors == counts["chunks"]  # no orphan vectors: every one is a stored passage's
    assert counts["documents"] == len(before_listing)
    assert sorted(p.name for p in uploads_dir(s).iterdir()) == [
        name for name in kept if not name.endswith("_普陀区.pdf")
    ]

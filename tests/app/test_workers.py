"""N app workers behind one store: two `python app.py` on one PostgreSQL and Chroma server.

Each worker has its own index folder (page images, its lock) and shares only
the servers, as workers on two machines would. They start at the same time:
one indexes the corpus while the other waits for the database's writer lock
and then finds every file unchanged. They give the same answers as each other
and as the embedded stores, and a document removed through one is gone from
the other's answers at once.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from config import ROOT, Settings
from retrieval import ask
from tests.servers import Chroma, Postgres
from web.api import answer_json

TOKEN = "workers-admin-token"
START_SECONDS = 600  # the first worker indexes the corpus (embeddings) on a shared 2-core box
ZAOZHUANG = "001_f4ec1982bbb312b3"
RECEPTION = "枣庄市政府办2024年公务接待费是多少？"  # 32.73 万元, 公开09表


@dataclass
class Worker:
    url: str
    process: subprocess.Popen
    log: Path

    def tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _questions() -> list[str]:
    """The first question about each gold document, one in English, one unanswerable."""
    items = []
    for name in ("dev.jsonl", "real_dev.jsonl"):
        lines = (ROOT / "eval" / "gold" / name).read_text(encoding="utf-8").splitlines()
        items += [json.loads(line) for line in lines if line.strip()]
    chosen: dict[str, str] = {}
    for item in items:
        if item["answerable"] and not item.get("history"):
            chosen.setdefault(item["docs"][0], item["question"])
    english = next(i["question"] for i in items if i["lang"] == "en" and not i.get("history"))
    unanswerable = next(i["question"] for i in items if not i["answerable"])
    return [RECEPTION, *chosen.values(), english, unanswerable]


def _start(index_dir: Path, env: dict[str, str]) -> Worker:
    port = _free_port()
    log = index_dir.with_suffix(".log")
    index_dir.mkdir(parents=True)
    process = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port), "--index-dir", str(index_dir)],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Worker(f"http://127.0.0.1:{port}", process, log)


def _wait_until_ready(worker: Worker, deadline: float) -> None:
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"worker exited with {worker.process.returncode}:\n{worker.tail()}")
        try:
            if httpx.get(f"{worker.url}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"worker not ready within {START_SECONDS} s:\n{worker.tail()}")


@pytest.fixture(scope="module")
def workers(
    postgres: Postgres, chroma: Chroma, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Worker]]:
    """Two app processes started at once on a new database and collection of the servers."""
    base = tmp_path_factory.mktemp("workers")
    env = os.environ | {
        "JUESUAN_DATABASE_URL": postgres.new_database(),
        "JUESUAN_CHROMA_HOST": chroma.host,
        "JUESUAN_CHROMA_PORT": str(chroma.port),
        "JUESUAN_COLLECTION": chroma.new_collection(),
        "JUESUAN_DATA_DIR": str(ROOT / "data"),
        "JUESUAN_ADMIN_TOKEN": TOKEN,
        "HF_HUB_OFFLINE": "1",
    }
    started = [_start(base / name, env) for name in ("a", "b")]
    try:
        deadline = time.monotonic() + START_SECONDS
        for worker in started:
            _wait_until_ready(worker, deadline)
        yield started
    finally:
        for worker in started:
            worker.process.terminate()
        for worker in started:
            try:
                worker.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()


def test_two_workers_starting_together_index_the_corpus_once(workers: list[Worker]) -> None:
    corpus = len([p for p in (ROOT / "data").iterdir() if p.suffix in (".txt", ".pdf")])
    ready = sorted(
        next(
            line for line in w.log.read_text(encoding="utf-8").splitlines() if "index ready" in line
        )
        .split("index ready: ")[1]
        .split(";")[0]
        for w in workers
    )
    assert ready == [
        f"documents: 0 indexed, {corpus} unchanged, 0 failed",
        f"documents: {corpus} indexed, 0 unchanged, 0 failed",
    ]


def test_two_workers_give_the_same_answers_as_the_embedded_stores(
    workers: list[Worker], built_index: Settings
) -> None:
    questions = _questions()
    assert len(questions) >= 8
    for question in questions:
        replies = [
            httpx.post(f"{w.url}/api/ask", json={"question": question}, timeout=60).json()
            for w in workers
        ]
        assert replies[0] == replies[1], question
        embedded = json.loads(json.dumps(answer_json(ask(question, settings=built_index))))
        assert replies[0] == embedded, question
    first = httpx.post(f"{workers[1].url}/api/ask", json={"question": RECEPTION}, timeout=60)
    assert "32.73 万元" in first.json()["answer"]


def test_a_document_removed_through_one_worker_is_gone_from_the_other(
    workers: list[Worker],
) -> None:
    a, b = workers
    removed = httpx.delete(
        f"{a.url}/api/documents/{ZAOZHUANG}",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )
    assert removed.status_code == 200, removed.text
    listed = [d["doc_id"] for d in httpx.get(f"{b.url}/api/documents", timeout=30).json()]
    assert ZAOZHUANG not in listed and len(listed) >= 5
    reply = httpx.post(f"{b.url}/api/ask", json={"question": RECEPTION}, timeout=60).json()
    assert "32.73" not in reply["answer"]
    assert ZAOZHUANG not in {c["doc_id"] for c in reply["citations"]}

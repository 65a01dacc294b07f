"""The optional LLM rewrite (`retrieval.llm`) against a local OpenAI-compatible server.

A stdlib HTTP server on 127.0.0.1 plays the endpoint: it records what it was
sent and answers /v1/chat/completions with a canned completion, so the real
llama-index `OpenAILike` client runs end to end without a model.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from config import Settings
from retrieval import ask

QUESTION = "枣庄市人民政府办公室2024年公务接待费是多少？"


class CannedLLM(ThreadingHTTPServer):
    """An OpenAI-compatible endpoint that always says `reply` and keeps the requests."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply = ""
        self.requests: list[dict[str, Any]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def prompts(self) -> list[str]:
        return [m["content"] for r in self.requests for m in r["messages"]]


class _Handler(BaseHTTPRequestHandler):
    server: CannedLLM

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path not in ("/v1/chat/completions", "/chat/completions"):
            self.send_error(404, "only chat completions here")
            return
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        payload = json.dumps(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", "test"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": self.server.reply},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            },
            ensure_ascii=False,
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return


@pytest.fixture
def server() -> Iterator[CannedLLM]:
    llm = CannedLLM()
    thread = threading.Thread(target=llm.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield llm
    llm.shutdown()
    llm.server_close()
    thread.join(timeout=5)


def with_llm(settings: Settings, base_url: str) -> Settings:
    return replace(settings, llm="openai", llm_base_url=base_url, llm_model="test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_rewrite_whose_numbers_are_all_in_the_evidence_replaces_the_text(
    built_index: Settings, server: CannedLLM
) -> None:
    extractive = ask(QUESTION, settings=built_index)
    server.reply = (
        "2024年枣庄市人民政府办公室公务接待费决算32.73万元[1]，其中基本支出部分2.73万元[3]。"
    )
    answer = ask(QUESTION, settings=with_llm(built_index, server.base_url))
    assert answer.text == server.reply
    assert answer.citations == extractive.citations
    assert answer.figures == extractive.figures


def test_server_receives_the_question_evidence_and_draft(
    built_index: Settings, server: CannedLLM
) -> None:
    server.reply = "公务接待费32.73万元[1]。"
    answer = ask(QUESTION, settings=with_llm(built_index, server.base_url))
    assert len(server.requests) == 1 and server.requests[0]["model"] == "test"
    (prompt,) = server.prompts()
    assert QUESTION in prompt
    for citation in answer.citations:
        assert citation.quote in prompt
        assert f"[{citation.n}] {citation.department} {citation.where}" in prompt


def test_rewrite_with_a_number_not_in_the_evidence_keeps_the_extractive_answer(
    built_index: Settings, server: CannedLLM
) -> None:
    extractive = ask(QUESTION, settings=built_index)
    server.reply = "枣庄市人民政府办公室2024年公务接待费为99.99万元[1]。"
    answer = ask(QUESTION, settings=with_llm(built_index, server.base_url))
    assert len(server.requests) == 1
    assert answer == extractive


def test_empty_rewrite_keeps_the_extractive_answer(
    built_index: Settings, server: CannedLLM
) -> None:
    extractive = ask(QUESTION, settings=built_index)
    server.reply = ""
    assert ask(QUESTION, settings=with_llm(built_index, server.base_url)) == extractive


def test_unreachable_server_keeps_the_extractive_answer(built_index: Settings) -> None:
    extractive = ask(QUESTION, settings=built_index)
    down = with_llm(built_index, f"http://127.0.0.1:{free_port()}/v1")
    assert ask(QUESTION, settings=down) == extractive


def test_declined_answer_is_not_sent_to_the_llm(built_index: Settings, server: CannedLLM) -> None:
    server.reply = "滕州市公务接待费为32.73万元。"
    answer = ask(
        "滕州市政府办2024年公务接待费是多少？", settings=with_llm(built_index, server.base_url)
    )
    assert answer.declined and answer.citations == ()
    assert server.requests == []

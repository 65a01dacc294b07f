"""Optional LLM rewriting of an extractive answer, through llama-index.

Off by default (JUESUAN_LLM=off). When on, the LLM sees only the evidence the
extractive path already chose, and its reply is accepted only if every number
in it appears in that evidence (or the question); otherwise the extractive
answer is returned unchanged. The prompt lives in retrieval/prompts/answer_zh.txt.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from config import Settings
from indexing.numbers import normalise
from retrieval.records import Answer, Query

log = logging.getLogger(__name__)
PROMPT_PATH = Path(__file__).with_name("prompts") / "answer_zh.txt"
_NUMBER = re.compile(r"\d[\d,.\s]*\d|\d")
_MARKER = re.compile(r"\[\d+\]")


@lru_cache(maxsize=2)
def _llm(kind: str, base_url: str, model: str, api_key: str) -> Any:
    if kind == "ollama":
        from llama_index.llms.ollama import Ollama

        return Ollama(model=model, base_url=base_url, request_timeout=60.0)
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=model,
        api_base=base_url,
        api_key=api_key or "none",
        is_chat_model=True,
        timeout=60.0,
        max_retries=0,
    )


def numbers_in(text: str) -> set[str]:
    """Numbers as comparable strings: separators removed, trailing zeros dropped."""
    found = set()
    for raw in _NUMBER.findall(normalise(_MARKER.sub(" ", text))):
        number = raw.replace(",", "").replace(" ", "")
        if "." in number:
            number = number.rstrip("0").rstrip(".")
        found.add(number)
    return found


def rewrite(answer: Answer, query: Query, settings: Settings) -> Answer:
    """The LLM's wording when its numbers are all in the evidence, else the original."""
    evidence = "\n".join(f"[{c.n}] {c.department} {c.where}：{c.quote}" for c in answer.citations)
    prompt = PROMPT_PATH.read_text(encoding="utf-8").format(
        question=query.text, evidence=evidence, draft=answer.text
    )
    try:
        llm = _llm(settings.llm, settings.llm_base_url, settings.llm_model, settings.llm_api_key)
        reply = str(llm.complete(prompt)).strip()
    except Exception as exc:  # the endpoint is optional: any failure falls back
        log.warning("LLM unavailable, keeping the extractive answer: %s", exc)
        return answer
    allowed = numbers_in(evidence) | numbers_in(query.text) | numbers_in(answer.text)
    invented = numbers_in(reply) - allowed
    if not reply or invented:
        log.info("LLM answer rejected; numbers not in evidence: %s", sorted(invented))
        return answer
    return replace(answer, text=reply)

"""Score answers against the gold set: right answer, right citation, right evidence.

Three separate judgements, because each fails for a different reason: the
answer text can be right with a wrong citation (a journalist cannot check
it), and retrieval can find the passage while the answer still misreads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from eval.gold import Evidence, GoldItem
from eval.matching import contains_quote, missing, same_value
from retrieval.records import Answer, Citation, Retrieved


@dataclass(frozen=True, slots=True)
class QuestionScore:
    """How one answer did on one gold question (None: does not apply)."""

    id: str
    type: str
    lang: str
    question: str
    expected: str
    answerable: bool
    correct: bool
    citation_correct: bool | None  # None when the gold has no evidence
    declined: bool
    recall: float | None  # recall@k of evidence documents; None without evidence
    reciprocal_rank: float | None  # 1/rank of the first hit within k, 0 if none
    latency_ms: float
    missing: tuple[str, ...]  # must_include strings not found in the answer
    got: str  # the answer text
    top_sources: tuple[str, ...]  # sources of the top retrieved items
    error: str = ""  # the exception raised while answering, if any
    gold_set: str = ""  # the gold file of the question


@dataclass(frozen=True, slots=True)
class BaselineScore:
    """How the plain llama-index retriever did on one gold question."""

    id: str
    type: str
    lang: str
    answerable: bool
    top_chunk_correct: bool | None  # all must_include in the top chunk; None if unanswerable
    recall: float | None
    reciprocal_rank: float | None
    latency_ms: float
    top_sources: tuple[str, ...]


def _name(source: str) -> str:
    return PurePath(str(source)).name


def answer_correct(item: GoldItem, answer: Answer) -> tuple[bool, tuple[str, ...]]:
    """Right answer, and the must_include strings it lacks.

    An unanswerable question is right only when the assistant declines;
    an answerable one is wrong when it declines, whatever the text says.
    """
    if not item.answerable:
        return answer.declined, ()
    if answer.declined:
        return False, item.must_include
    lacking = missing(answer.text, item.must_include, item.unit)
    return not lacking, lacking


def _quote_cited(evidence: Evidence, citations: tuple[Citation, ...]) -> bool:
    return any(
        _name(c.source) == evidence.doc and contains_quote(c.quote, evidence.quote)
        for c in citations
    )


def _value_cited(item: GoldItem, citation: Citation) -> bool:
    if item.value is None or citation.value is None:
        return False
    if item.docs and _name(citation.source) not in item.docs:
        return False
    return same_value(item.value, item.unit, citation.value, citation.unit)


def citation_correct(item: GoldItem, citations: tuple[Citation, ...]) -> bool | None:
    """A citation quotes gold evidence from its document, or cites the gold figure."""
    if not item.answerable or not item.evidence:
        return None
    if any(_quote_cited(e, citations) for e in item.evidence):
        return True
    return any(_value_cited(item, c) for c in citations)


def _hits(evidence: Evidence, passage: Retrieved) -> bool:
    return _name(passage.source) == evidence.doc and contains_quote(passage.text, evidence.quote)


def retrieval_scores(
    evidence: tuple[Evidence, ...], retrieved: tuple[Retrieved, ...], k: int
) -> tuple[float | None, float | None]:
    """Recall@k and reciprocal rank (within k) of the gold evidence.

    Evidence quotes of one document are alternatives (the table row or the
    sentence that repeats it), quotes of different documents are all needed
    (a comparison across offices), so recall counts documents: the share of
    evidence documents with at least one quote in the top k passages.
    """
    if not evidence:
        return None, None
    top = retrieved[:k]
    docs = {e.doc for e in evidence}
    found = {e.doc for e in evidence if any(_hits(e, p) for p in top)}
    rank = next((i for i, p in enumerate(top, start=1) if any(_hits(e, p) for e in evidence)), None)
    return len(found) / len(docs), (1.0 / rank if rank else 0.0)


def top_sources(retrieved: tuple[Retrieved, ...], n: int = 3) -> tuple[str, ...]:
    """Where the top passages came from, as "file name: where" for the failure list."""
    out = []
    for passage in retrieved[:n]:
        label = _name(passage.source)
        out.append(f"{label}: {passage.where}" if passage.where else label)
    return tuple(out)


def score_answer(item: GoldItem, answer: Answer, latency_ms: float, k: int) -> QuestionScore:
    """All judgements of one answer to one gold question."""
    correct, lacking = answer_correct(item, answer)
    recall, rr = retrieval_scores(item.evidence, answer.retrieved, k)
    return QuestionScore(
        gold_set=item.gold_set,
        id=item.id,
        type=item.type,
        lang=item.lang,
        question=item.question,
        expected=item.answer,
        answerable=item.answerable,
        correct=correct,
        citation_correct=citation_correct(item, answer.citations),
        declined=answer.declined,
        recall=recall,
        reciprocal_rank=rr,
        latency_ms=latency_ms,
        missing=lacking,
        got=answer.text,
        top_sources=top_sources(answer.retrieved),
    )


def score_error(item: GoldItem, error: Exception, latency_ms: float) -> QuestionScore:
    """A question whose answering raised: wrong on every count, with the error shown."""
    return QuestionScore(
        gold_set=item.gold_set,
        id=item.id,
        type=item.type,
        lang=item.lang,
        question=item.question,
        expected=item.answer,
        answerable=item.answerable,
        correct=False,
        citation_correct=False if item.answerable and item.evidence else None,
        declined=False,
        recall=0.0 if item.evidence else None,
        reciprocal_rank=0.0 if item.evidence else None,
        latency_ms=latency_ms,
        missing=item.must_include,
        got="",
        top_sources=(),
        error=f"{type(error).__name__}: {error}",
    )

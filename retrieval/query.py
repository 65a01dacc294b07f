"""Understanding a question: who, what, which measure, which intent, which year.

`understand` turns a question (Chinese, English or both) into a `Query` the
search and composition stages act on.  The knowledge it uses is data: the
catalogue's own names (`Document.aliases`), the metrics of the vocabulary
(`indexing/vocabulary.yaml`, through `glossary.py`) and the cue words
(`query_cues.yaml`).

>>> q = understand("枣庄市政府办2024年公务接待费是多少？", documents)
>>> q.doc_ids, q.metrics, q.intent
(('001_f4ec1982bbb312b3',), ('公务接待费',), 'figure')
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from indexing.records import Document
from retrieval.cues import detect_language, detect_year, load_cues, parts_asked
from retrieval.glossary import load_glossary, name_tokenizer, zh_key
from retrieval.glossary import to_chinese_terms as to_chinese_terms
from retrieval.places import PlaceIndex
from retrieval.records import Filters, Query, Turn

log = logging.getLogger(__name__)

_CODE = re.compile(r"^\d{5}$|^\d{7}$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A question that leans on the previous turn: 那阳谷呢？ / and its budget? / 其中…
_ELLIPTICAL = re.compile(
    r"^(?:那|那么|那个|其中|这个|该|它|它们|其|同样|还有)|呢[?？。!！]*$"
    r"|^(?:and|what about|how about|same for|its|their|of which|of these)\b",
    re.IGNORECASE,
)

__all__ = ["understand", "to_chinese_terms"]


@dataclass(frozen=True, slots=True)
class _Reading:
    """What one turn says on its own, before history and filters are applied."""

    doc_ids: tuple[str, ...]
    unknown: tuple[str, ...]
    weak: tuple[str, ...]
    all_docs: bool
    metrics: tuple[str, ...]
    measure: str
    year: int | None


@lru_cache(maxsize=8)
def _place_index(documents: tuple[Document, ...]) -> PlaceIndex:
    return PlaceIndex(documents)


def _read(text: str, index: PlaceIndex) -> _Reading:
    cues = load_cues()
    glossary = load_glossary()
    places = index.match(text)
    normal = unicodedata.normalize("NFKC", text)
    return _Reading(
        doc_ids=places.doc_ids,
        unknown=places.unknown,
        weak=places.weak,
        all_docs=cues.all_docs.matches(normal),
        metrics=tuple(glossary.metrics(text)),
        measure=cues.measure(glossary.strip_names(text)),
        year=detect_year(text),
    )


def _allowed(
    documents: Sequence[Document], filters: Filters | None, index: PlaceIndex
) -> tuple[str, ...]:
    """The documents the UI's filters leave in play (all of them without filters)."""
    ids = [d.doc_id for d in documents]
    if filters is None or not filters.active:
        return tuple(ids)
    if filters.doc_ids:
        wanted = set(filters.doc_ids)
        ids = [i for i in ids if i in wanted]
    for named_by in (filters.place, filters.department):
        if named_by:
            named = set(index.match(named_by).doc_ids)
            ids = [i for i in ids if i in named]
    if filters.year is not None:
        years = {d.doc_id: d.year for d in documents}
        ids = [i for i in ids if years[i] == filters.year]
    return tuple(ids)


_EXCEPT = re.compile(
    r"除(?:了|去|掉)?(?P<names>[^，,。？?]{1,30}?)(?:以外|之外|外|，|,)"
    r"|(?:leav(?:e|ing) out|exclud(?:e|es|ing)|except(?: for)?|other than|apart from|aside from"
    r"|not counting|setting aside)\s+"
    r"(?P<names_en>[^,.?;]{1,60}?)(?=[,.?;]|$)",
    re.IGNORECASE,
)


def _without_excluded(
    question: str, doc_ids: tuple[str, ...], index: PlaceIndex, allowed: tuple[str, ...]
) -> tuple[str, ...]:
    """ "除高平以外的各家": the departments named after 除 are left out of the scope;
    a question that names only those ("除阳城以外，其他四家…") is about the rest."""
    excluded: set[str] = set()
    for match in _EXCEPT.finditer(question):
        names = match.group("names") or match.group("names_en")
        excluded |= set(index.match(names).doc_ids)
    kept = tuple(d for d in doc_ids if d not in excluded)
    if excluded and not kept:
        kept = tuple(d for d in allowed if d not in excluded)
    return kept if excluded and kept else doc_ids


_CLAUSE = re.compile(r"[^，,；;。.\n]+")


def _others(
    question: str, history: Sequence[Turn] | None, index: PlaceIndex, allowed: tuple[str, ...]
) -> tuple[str, ...]:
    """ "And the other three?", "其余两家呢？": of the departments the question before
    covered, those its answer did not name first; () when the question asks no
    such thing or the turn before cannot tell which.

    The answer names its subjects first ("只有冠县…和枣庄…；高平、阳城、阳谷三家
    没有"): with a number asked, the first (covered − number) it names are set
    aside; without one, those of its first clause that names any.
    """
    n = load_cues().others_asked(unicodedata.normalize("NFKC", question))
    if n is None or not history:
        return ()
    before = _read(history[-1].q, index)
    scope = before.doc_ids if len(before.doc_ids) > 1 else allowed if before.all_docs else ()
    clauses = [index.match(c).doc_ids for c in _CLAUSE.findall(history[-1].a)]
    named = [d for c in clauses for d in c if d in scope]
    named = list(dict.fromkeys(named))
    if n and len(scope) > n:
        aside = named[: len(scope) - n]
    else:
        aside = next(([d for d in c if d in scope] for c in clauses if set(c) & set(scope)), [])
    rest = tuple(d for d in scope if d not in aside and d in allowed)
    return rest if aside and rest else ()


def _resolve_docs(
    own: _Reading, earlier: list[_Reading], allowed: tuple[str, ...], filtered: bool
) -> tuple[tuple[str, ...], bool]:
    """(doc_ids, all_docs) from the question, else from history, within `allowed`.

    With filters, a question that names nobody (or only a place no document
    covers, which the answer declines) is about what they allow, never more.
    """
    named = own.doc_ids
    all_docs = own.all_docs
    if not named and not own.unknown and not all_docs:
        context = next((r for r in earlier if r.doc_ids or r.all_docs), None)
        among = [d for d in own.weak if context and d in context.doc_ids]
        if among:
            named = tuple(among)
        elif len(own.weak) == 1:
            named = own.weak
        elif context:
            named, all_docs = context.doc_ids, context.all_docs
    if all_docs and len(named) < 2:
        named = allowed
    kept = tuple(d for d in named if d in allowed)
    if kept:
        return kept, all_docs
    return (allowed if (filtered and not own.unknown) or all_docs else ()), all_docs


def _terms(text: str, metrics: tuple[str, ...], index: PlaceIndex) -> tuple[str, ...]:
    """Chinese content words for lexical search: question words, English mapped, metrics.

    Metric names are kept whole as the question spells them (职业年金缴费) and
    as canonical names; place names are left out, since `doc_ids` carries them.
    """
    cues = load_cues()
    key = zh_key(text)
    names: list[str] = []
    for span in reversed(load_glossary().zh_spans(key)):
        names.insert(0, key[span.start : span.end])
        key = key[: span.start] + " " + key[span.end :]
    words = [
        w
        for w in name_tokenizer().lcut(index.strip_names(key))
        if (_CJK.search(w) and len(w) >= 2 or _CODE.match(w)) and w not in cues.stop_words
    ]
    names = [n for n in names if len(n) >= 2 and n not in cues.stop_words]
    return tuple(dict.fromkeys([*names, *words, *to_chinese_terms(text), *metrics]))


def understand(
    question: str,
    documents: Sequence[Document],
    history: Sequence[Turn] | None = None,
    filters: Filters | None = None,
    places: PlaceIndex | None = None,
) -> Query:
    """The question as understood; earlier turns fill in what a follow-up leaves out.

    `history` holds earlier turns (checked `Turn`s), oldest first; `filters`
    restrict the documents (`Filters()` or None: none);
    `places` is `PlaceIndex(documents)` when the caller keeps one (the engine
    builds it once per index generation).
    """
    index = places or _place_index(tuple(documents))
    own = _read(question, index)
    earlier = [_read(turn.q, index) for turn in reversed(history or [])]
    earlier += [_read(turn.a, index) for turn in reversed(history or [])]
    filtered = filters is not None and filters.active
    allowed = _allowed(documents, filters, index)
    doc_ids, all_docs = _resolve_docs(own, earlier, allowed, filtered)
    doc_ids = _without_excluded(question, doc_ids, index, allowed)
    if not own.doc_ids and (others := _others(question, history, index, allowed)):
        doc_ids, all_docs = others, False
    outside = tuple(d for d in own.doc_ids if d not in allowed)
    follow_up = bool(earlier) and (not own.doc_ids or bool(_ELLIPTICAL.search(question.strip())))
    before = earlier[: len(history or [])] if follow_up else []
    metrics = own.metrics or next((r.metrics for r in before if r.metrics), ())
    if follow_up and own.metrics and parts_asked(question) > len(own.metrics):
        # "这三家加起来是多少？其中货物采购一共多少？": a part names nothing of its own
        # and means the earlier metric; the parts that do name theirs follow it
        earlier_metrics = next((r.metrics for r in before if r.metrics), ())
        metrics = (*[m for m in earlier_metrics if m not in own.metrics], *own.metrics)
    measure = own.measure or next((r.measure for r in before if r.measure), "")
    year = own.year or next((r.year for r in before if r.year), None)
    if year is None and filters is not None:
        year = filters.year
    several = len(doc_ids) > 1 or all_docs
    normal = unicodedata.normalize("NFKC", question)
    intent = load_cues().intent(normal, several)
    # 合计 after a metric name (住房保障支出合计多少) asks a sum; 支出合计 alone
    # names a metric, so the cue is read again outside the names.
    stripped = load_glossary().strip_names(normal)
    if intent == "figure" and several and load_cues().intent(stripped, several) == "sum":
        intent = "sum"
    if intent == "figure" and follow_up and history and not own.metrics:
        previous = history[-1].q
        intent = load_cues().intent(unicodedata.normalize("NFKC", previous), len(doc_ids) > 1)
    terms = _terms(question, metrics, index)
    if follow_up and history and not metrics:
        # "比年初预算少了多少？为什么？" after "…财政委托业务支出是多少？": a row the
        # vocabulary does not name is searched for by the earlier question's words
        terms = tuple(dict.fromkeys((*terms, *_terms(history[-1].q, (), index))))
    return Query(
        text=question,
        lang=detect_language(question),
        doc_ids=doc_ids,
        metrics=metrics,
        measure=measure,
        intent=intent,
        year=year,
        terms=terms,
        unknown_places=own.unknown,
        all_docs=all_docs,
        filtered=filtered,
        outside_filter=outside,
        earlier=history[-1].q if follow_up and history else "",
        earlier_answer=history[-1].a if follow_up and history else "",
    )

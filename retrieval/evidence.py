"""Pick the sentences that answer, out of the passages search found.

A passage holds a few sentences; the answer quotes only the one or two that
share the question's terms and carry what was asked (a number for a figure,
a reason for "why", a definition for "what is"). Quoting the source sentence
whole keeps every number in it exactly as published.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from indexing.records import Chunk
from retrieval.coverage import paraphrase_forms
from retrieval.cues import parts_asked
from retrieval.glossary import zh_key
from retrieval.projects import asked_projects, beyond_names, core
from retrieval.records import Query
from retrieval.search import Hit
from retrieval.tokens import tokenize

_SPLIT = re.compile(r"(?<=[。；;！？!?])|\n")
# What money paid for is often a list of uses over several 「；」: read to the 。
_WHOLE_SENTENCE = re.compile(r"(?<=[。！？!?])|\n")
_HAS_NUMBER = re.compile(r"\d")
_CONTENTS = re.compile(r"\.{4,}|…{2,}|目\s*录")
# A title line ("…项目支出绩效自评表(2024年度)") or a row of column labels
# ("年初预算数 | 全年预算数(A) | 全年执行数(B) | 分值"): it states nothing.
_TITLE = re.compile(r"^[^\t]{2,40}(?:表|报告)\s*(?:[(（]\d{4}年度?[)）])?$")
_LABEL_ONLY = re.compile(r"^(?:项目名称|主管部门|预算单位)")
# Words that mark what an intent looks for in a sentence.
# words that give a change's reason ("主要用于" says what money paid for: no reason)
_REASON_MARKS = ("原因", "由于", "因为")
_INTENT_MARKS = {
    "why": ("原因", "主要是", "主要用于", "由于", "因为", "因"),
    "definition": ("指", "反映", "是指"),
    "list": ("包括", "组成", "下设", "、"),
    "count": ("个", "辆", "批次", "人次", "项"),
}


# Words that show a sentence states the measure asked for.
_MEASURE_CUES = {
    "年初预算数": ("年初预算",),
    "全年预算数": ("全年预算",),
    "预算和决算": ("预算", "决算"),
    "完成率": ("完成", "执行率"),
    "增减": ("增加", "减少", "增长", "下降"),
    "占比": ("占",),
}


@dataclass(frozen=True, slots=True)
class Sentence:
    """A quotable sentence and the passage it came from."""

    text: str
    chunk: Chunk
    score: float


def best_sentences(
    query: Query,
    hits: Sequence[Hit],
    limit: int = 2,
    terms: Sequence[str] = (),
    following: Callable[[Chunk], Chunk | None] | None = None,
) -> list[Sentence]:
    """The `limit` best sentences across the top passages, distinct, best first."""
    forms = paraphrase_forms(query.text)
    wanted = set(tokenize(" ".join([query.text, *query.metrics, *terms, *forms])))
    if query.earlier and not query.metrics:
        # a follow-up naming nothing speaks of what the question before it named
        wanted |= set(tokenize(" ".join(query.terms)))
    quoted = [q for q in re.findall(r"[“\"「]([^”\"」]+)[”\"」]", query.text) if len(q) > 1]
    names = [*query.metrics, *quoted]
    # A project the question names is implied on its own pages: its name's words
    # must not make a sentence that merely repeats the name win.
    projects = asked_projects(query.text, query.earlier, {h.chunk.project for h in hits})
    if projects:
        wanted = set(beyond_names(" ".join([query.text, *terms, *forms]), projects))
        names = [n for n in names if not any(core(n) in core(p) for p in projects)]
    scored: list[Sentence] = []
    shared: dict[int, set[str]] = {}  # the question's tokens each sentence has
    for rank, hit in enumerate(hits):
        body = hit.chunk.body
        by_line = (
            hit.chunk.kind == "table"
            or query.intent in ("why", "definition")
            or query.measure in ("年初预算数", "完成率", "预算和决算")
        )
        narrative = "第三部分" in hit.chunk.section
        for text in _sentences(body, by_line):
            if _CONTENTS.search(text):
                continue  # a table of contents names everything and says nothing
            if _states_nothing(text):
                continue
            tokens = set(tokenize(text))
            overlap = len(tokens & wanted)
            if not overlap:
                continue
            # share of the question covered, not raw overlap: long lines must not win by length
            score = 10.0 * overlap / max(len(wanted), 1) + 2.0 / (1 + rank)
            squeezed = re.sub(r"[\s()（）]", "", text)
            score += sum(5 for n in names if re.sub(r"[\s()（）]", "", n) in squeezed)
            if hit.chunk.project in projects or any(core(p) in squeezed for p in projects):
                score += 5  # the project asked about: its pages speak of it unnamed
            if query.intent in ("figure", "count", "compare", "sum") and _HAS_NUMBER.search(text):
                score += 2
            if any(mark in text for mark in _INTENT_MARKS.get(query.intent, ())):
                score += 3
            if narrative and query.intent in ("why", "figure", "count"):
                score += 1.5
            if any(cue in text for cue in _MEASURE_CUES.get(query.measure, ())):
                score += 3
            scored.append(Sentence(text.strip(), hit.chunk, score))
            shared[id(scored[-1])] = tokens & wanted
    if query.intent == "why":
        scored = [_with_reason(s, following) for s in scored]
    scored.sort(key=lambda s: -s.score)
    if limit < 2 or parts_asked(query.text) < 2 or query.intent in ("why", "definition"):
        return _distinct(scored, limit)  # one thing asked: the best sentences for it
    # several parts asked: each next sentence is worth what it adds of the question
    chosen: list[Sentence] = []
    covered: set[str] = set()
    pool = list(scored)
    while pool and len(chosen) < limit:
        done = frozenset(covered)
        best = max(pool, key=lambda s: _gain(s, shared, done, wanted))  # noqa: B023
        pool.remove(best)
        if all(best.text not in c.text and c.text not in best.text for c in chosen):
            chosen.append(best)
            covered |= shared.get(id(best), set())
    return chosen


def _states_nothing(text: str) -> bool:
    """A title, a label row or a row of column headers: quoted, it answers nothing."""
    stripped = text.strip()
    if _TITLE.match(stripped) or _LABEL_ONLY.match(stripped):
        return True
    if "\t" not in stripped:
        return False
    # column headers: no cell has a digit outside its brackets ("全年预算数(A)", "(10分)")
    cells = [re.sub(r"[(（][^)）]*[)）]", "", c) for c in stripped.split("\t")]
    return sum(1 for c in cells if c.strip()) >= 3 and not any(re.search(r"\d", c) for c in cells)


def _gain(
    sentence: Sentence, shared: dict[int, set[str]], covered: frozenset[str], wanted: set[str]
) -> float:
    """A sentence's score less the part of the question already answered; one
    that adds nothing new (the same row printed twice) drops behind the rest."""
    has = shared.get(id(sentence), set())
    again = len(has & covered)
    penalty = 8.0 if covered and not has - covered else 0.0
    return sentence.score - 10.0 * again / max(len(wanted), 1) - penalty


def _distinct(scored: Sequence[Sentence], limit: int) -> list[Sentence]:
    """The best `limit` sentences, none inside another."""
    chosen: list[Sentence] = []
    for sentence in scored:
        if all(sentence.text not in c.text and c.text not in sentence.text for c in chosen):
            chosen.append(sentence)
        if len(chosen) == limit:
            break
    return chosen


def split_sentences(body: str) -> list[str]:
    """A passage's sentences as answers quote them."""
    return _sentences(body, by_line=False)


def _sentences(body: str, by_line: bool) -> list[str]:
    """Sentences, or whole lines: a reason or a definition often runs over
    several sentences of one paragraph, and a table row is one line."""
    if by_line:
        return [line for line in body.split("\n") if line.strip()]
    parts = [p.strip() for p in _SPLIT.split(body) if p and p.strip()]
    # Very short fragments ("其中：") read badly alone: attach them to the next one.
    merged: list[str] = []
    carry = ""
    for part in parts:
        if len(carry + part) < 12:
            carry += part
            continue
        merged.append(carry + part)
        carry = ""
    if carry:
        merged.append(carry)
    return merged


def _with_reason(sentence: Sentence, following: Callable[[Chunk], Chunk | None] | None) -> Sentence:
    """A paragraph that states a change often gives its reason on the next line,
    which may open the next passage."""
    if any(mark in sentence.text for mark in _REASON_MARKS):
        return sentence
    lines = [ln.strip() for ln in sentence.chunk.body.split("\n")]
    if sentence.text not in lines:
        return sentence
    i = lines.index(sentence.text)
    if i + 1 < len(lines):
        after = lines[i + 1]
    else:
        nxt = following(sentence.chunk) if following else None
        same_section = nxt and nxt.section == sentence.chunk.section
        after = nxt.body.split("\n")[0].strip() if same_section else ""
    if any(m in after for m in _REASON_MARKS):
        return Sentence(f"{sentence.text}{after}", sentence.chunk, sentence.score + 3)
    return sentence


_PURPOSE = re.compile(
    r"(?:主要)?用于[:：]?|开支内容(?:包括|为)|主要包括|主要是(?!因为|由于)|用途(?:为|是)"
)


def purpose_sentences(
    query: Query, hits: Sequence[Hit], metrics: Sequence[str] = (), limit: int = 1
) -> list[Sentence]:
    """The sentences that say what the money asked about paid for ("主要用于：…",
    "开支内容包括：…", "其他用车主要是调研考察活动等用车").

    The sentence, or one of the two just before it (its subject: "4、…财政委托业务
    支出（项）。"), must name the metric asked about (车辆数 as 车辆), or be on
    the pages of the project asked about; a passage saying 用于 answers "what
    was it used for" even when it states no amount.
    """
    names = [zh_key(m.removesuffix("数")) for m in (*query.metrics, *metrics) if len(m) >= 2]
    projects = asked_projects(query.text, query.earlier, {h.chunk.project for h in hits})
    found: list[tuple[int, int, Sentence]] = []
    for order, hit in enumerate(hits):
        body = hit.chunk.body
        parts = [s.strip() for s in _WHOLE_SENTENCE.split(body) if s.strip()]
        if "名词解释" in hit.chunk.section:
            continue  # a definition says what a term covers, not what this money paid for
        own_pages = hit.chunk.project in projects
        in_chunk: tuple[int, Sentence] | None = None
        for i, sentence in enumerate(parts):
            cue = _PURPOSE.search(sentence)
            if not cue or _CONTENTS.search(sentence):
                continue
            # best: the name just before the cue ("公用经费55.31万元，主要包括"); then
            # anywhere before it, in the sentences before, or on the project's own
            # pages; last, only among the uses after it (then it is not the subject)
            before = sentence[: cue.start()]
            clause = re.split(r"[，,：:；;]", before.rstrip("，,：: "))[-1]
            subject_near = zh_key("".join(parts[max(0, i - 2) : i]) + before)
            if not names or any(n in zh_key(clause) for n in names):
                rank = 0
            elif own_pages or any(n in subject_near for n in names):
                rank = 1
            elif any(n in zh_key(sentence) for n in names):
                rank = 2
            else:
                continue
            prior = parts[i - 1] if i else ""
            subject = (
                prior if prior and not _HAS_NUMBER.search(prior[-6:]) and len(prior) < 80 else ""
            )
            here = Sentence(subject + sentence, hit.chunk, hit.score)
            if in_chunk is None or rank < in_chunk[0]:
                in_chunk = (rank, here)  # one per passage: the one naming it best
        if in_chunk is not None:
            found.append((in_chunk[0], order, in_chunk[1]))
    found.sort(key=lambda x: (x[0], x[1]))
    return [sentence for _, _, sentence in found[:limit]]


_STATED = r"\d[\d,]*(?:\.\d+)?\s*(?:余|多)?\s*(?:{units})"
# what kind of number the question asks, by its words → the units that state one
_ASKED_UNITS = (
    (
        re.compile(r"多少(?:个)?人(?!民)|几(?:个)?人|人数|how many (?:people|staff)", re.I),
        "人次|人|名",
    ),
    (re.compile(r"率|比例|百分|rate|percent", re.I), "%"),
    (
        re.compile(r"钱|金额|预算|资金|经费|执行数|花了|支出|cost|budget|spend|spent", re.I),
        "万元|元",
    ),
)


def every_statement(
    question: str, pages: Sequence[Chunk], projects: Sequence[str], limit: int = 4
) -> list[Sentence]:
    """The sentences (and table rows) of a project's own pages that state a number
    of the kind asked about what the question asks ("到底保障了多少人就餐": 230人 in
    its table, 250余人 and 200余人 in its text), best first: where two sources
    differ, the reader sees both."""
    units = next(
        (u for cue, u in _ASKED_UNITS if cue.search(question)), "万元|元|%|人次|人|名|次|条|个"
    )
    stated = re.compile(_STATED.format(units=units))
    asked = {t for t in beyond_names(question, projects) if len(t) >= 2}
    found: list[Sentence] = []
    for chunk in sorted(pages, key=lambda c: c.locator.line_start):
        for text in re.split(r"(?<=[。；;])|\n", chunk.body):
            text = text.strip()
            # on the project's own pages a number of the kind asked is a statement of
            # it whatever words it uses (餐饮供应人数 230人); shared words rank it first
            if text and stated.search(text):
                found.append(Sentence(text, chunk, float(len(asked & set(tokenize(text))))))
    best = sorted(range(len(found)), key=lambda i: -found[i].score)[:limit]
    return [found[i] for i in sorted(best)]


def work_statements(
    question: str,
    pages: Sequence[Chunk],
    projects: Sequence[str],
    markers: Sequence[str],
    limit: int = 3,
) -> list[Sentence]:
    """The sentences (and table cells) of a project's own pages that say what it
    did or covers ("具体对开评标室进行了隔音处理…", "主要包括日常管理事项…"),
    those sharing most of the question's words first, in document order."""
    asked = {t for t in beyond_names(question, projects) if len(t) >= 2}
    found: list[Sentence] = []
    seen: set[str] = set()
    for chunk in sorted(pages, key=lambda c: c.locator.line_start):
        # a description runs on over its semicolons ("…做好定期维护；完成…考核评估任务")
        for text in re.split(r"(?<=[。])|\n|\t", chunk.body):
            text = text.strip()
            if len(text) < 12 or text in seen or not any(m in text for m in markers):
                continue
            seen.add(text)
            found.append(Sentence(text, chunk, float(len(asked & set(tokenize(text))))))
    best = sorted(range(len(found)), key=lambda i: -found[i].score)[:limit]
    return [found[i] for i in sorted(best)]

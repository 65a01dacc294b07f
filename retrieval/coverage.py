"""Is what the question asks about in the documents at all?

A question about something the disclosures never mention (new-energy
vehicles, a department we do not hold, a year not covered) must be declined,
not answered with the nearest number. We look for the question's salient
nouns in the text of the departments in scope; the words every question uses
("多少", "比例", "情况") are listed in `question_words.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import jieba.posseg as pseg
import yaml

from retrieval.glossary import load_glossary, name_tokenizer

WORDS_PATH = Path(__file__).with_name("question_words.yaml")
_NOUN = re.compile(r"^(n|nz|nt|ns|nr|vn|an)")
_CJK = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(WORDS_PATH.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def _question_words() -> frozenset[str]:
    groups = (
        v for v in _data().values() if isinstance(v, list) and all(isinstance(w, str) for w in v)
    )
    return frozenset(w for group in groups for w in group)


def _paraphrases() -> dict[str, list[str]]:
    return _data().get("paraphrases") or {}


def paraphrase_forms(question: str) -> list[str]:
    """The documents' own words for everyday words in the question ("买了" → 购置,
    购买, 采购), so search and sentence choice find what the documents call it."""
    return [f for word, forms in _paraphrases().items() if word in question for f in forms]


def _made_of(word: str, parts: frozenset[str]) -> bool:
    """ "哪些项目" is 哪些 + 项目: a compound of question words asks, it names nothing."""
    reach = [True] + [False] * len(word)
    for i in range(len(word)):
        if reach[i]:
            for j in range(i + 1, len(word) + 1):
                if word[i:j] in parts:
                    reach[j] = True
    return reach[-1]


@lru_cache(maxsize=1)
def _segmenter() -> pseg.POSTokenizer:
    """Part-of-speech cutting over the glossary-aware private jieba."""
    return pseg.POSTokenizer(name_tokenizer())


@lru_cache(maxsize=4)
def _skipped(ignore: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Words that are never salient, and every shorter Chinese piece of them.

    A noun inside a longer skipped word (政府 in 县政府办) is skipped too. A 科目
    name that names no metric of the vocabulary is skipped whole, not its
    pieces: the national 经济分类 list would otherwise hide most nouns (设施 in
    基础设施建设, 债务 in 国内债务付息). The pieces are listed once per set of
    names (the engine's, once per index generation), so a question costs the
    same however many departments there are.
    """
    glossary = load_glossary()
    skip = _question_words() | ignore | set(glossary.zh_names())
    pieces: set[str] = set()
    for word in _question_words() | ignore | set(glossary.metric_names()):
        for run in _CJK_RUN.findall(word):
            for i in range(len(run) - 1):
                pieces.update(run[i:j] for j in range(i + 2, min(len(run), len(word) - 1 + i) + 1))
    return frozenset(skip), frozenset(pieces)


def salient_terms(question: str, ignore: Iterable[str] = ()) -> list[str]:
    """Nouns of the question that identify what it is about."""
    skip, pieces = _skipped(ignore if isinstance(ignore, frozenset) else frozenset(ignore))
    # Dictionary words only (HMM off): guessed "words" such as 个序 in 排个序
    # are artefacts of segmentation, not terms the documents could contain.
    return [
        pair.word
        for pair in _segmenter().cut(question, HMM=False)
        if _NOUN.match(pair.flag)
        and _CJK.match(pair.word)
        and pair.word not in skip
        and pair.word not in pieces
        and not _made_of(pair.word, _question_words())
    ]


class ScopedText(Protocol):
    """The text of the documents in scope without whitespace (`Engine.text_of`):
    what `term in text` and `text.matches(pattern)` test, one document at a time."""

    def __contains__(self, term: object) -> bool: ...
    def matches(self, pattern: re.Pattern[str]) -> bool: ...


def missing_terms(question: str, squeezed: ScopedText, ignore: Iterable[str] = ()) -> list[str]:
    """Salient terms that occur nowhere in the documents in scope (`squeezed`)."""
    forms = _paraphrases()
    return [
        t
        for t in salient_terms(question, ignore)
        if t not in squeezed
        and not any(f in squeezed for f in forms.get(t, ()))
        and not _pieces_present(t, squeezed)
    ]


def _pieces_present(term: str, squeezed: ScopedText) -> bool:
    """A compound the question coins from the documents' words ("热线服务" for
    热线系统运营服务) is about what they say: every piece of it occurs, the
    pieces (热线, 服务) covering the whole term."""
    pieces = [
        p for p in name_tokenizer().cut_for_search(term, HMM=False) if 2 <= len(p) < len(term)
    ]
    covered = set()
    for piece in pieces:
        at = term.find(piece)
        covered |= set(range(at, at + len(piece)))
    return len(covered) == len(term) and all(p in squeezed for p in pieces)


@dataclass(frozen=True, slots=True)
class AskedDetail:
    """A detail a question may ask and how a document would state it (compiled once)."""

    asks: tuple[re.Pattern[str], ...]
    evidence: tuple[re.Pattern[str], ...]  # empty: final accounts never state it
    says: tuple[str, str]  # (zh, en) what the documents give instead


@lru_cache(maxsize=1)
def asked_details() -> tuple[AskedDetail, ...]:
    """`asked_details` of question_words.yaml as compiled records."""
    return tuple(
        AskedDetail(
            tuple(re.compile(p, re.IGNORECASE) for p in d["ask"]),
            tuple(re.compile(p) for p in d.get("evidence") or []),
            (d["says"][0], d["says"][1]),
        )
        for d in _data().get("asked_details") or []
    )


def undisclosed_detail(question: str, text: ScopedText) -> tuple[str, str] | None:
    """(zh, en) reason when the question asks a detail the documents in scope never state.

    The details and how documents state them are data (`asked_details` in
    question_words.yaml): a person's pay, the countries of a trip, staff
    numbers, the names of firms or equipment that a disclosure only counts.
    `text` is theirs without whitespace (`Engine.text_of`).
    """
    for detail in asked_details():
        if any(a.search(question) for a in detail.asks) and not any(
            text.matches(e) for e in detail.evidence
        ):
            return detail.says
    return None


@dataclass(frozen=True, slots=True)
class AmountAsked:
    """An amount a question asks for: money, or a count in one unit (台, 人次)."""

    kind: str  # "money" | "count"
    unit: str  # the count's unit; "" for money
    states: re.Pattern[str]  # how a sentence states one


def amount_asked(question: str) -> AmountAsked | None:
    """The amount the question asks for (`amounts_asked` in question_words.yaml), or None."""
    kinds = _data().get("amounts_asked") or {}
    for kind, words in kinds.items():
        for pattern in words["ask"]:
            if m := re.search(pattern, question, re.IGNORECASE):
                unit = m.group(1) if m.groups() else ""
                states = "|".join(p.replace("{unit}", re.escape(unit)) for p in words["states"])
                return AmountAsked(kind, unit, re.compile(states))
    return None


def states_amount(asked: AmountAsked, texts: Iterable[str], terms: Sequence[str] = ()) -> bool:
    """Whether any of the texts states an amount of the kind asked, in a text
    that names one of the question's `terms` (when it has any): 251.25万元 of
    procurement does not say what the lights cost."""
    forms = _paraphrases()
    words = [w for t in terms for w in (t, *forms.get(t, ()))]
    squeezed = (re.sub(r"\s+", "", t) for t in texts)
    return any(
        asked.states.search(t) and (not words or any(w in t for w in words)) for t in squeezed
    )


# "5个数据库分别是哪些", "县四星级智慧社区是哪个社区", "Which featured service
# applications (特色服务应用) were built": the names of things asked for.
_NAMES_ASKED = (
    re.compile(r"(?:\d+|几)个([\u4e00-\u9fff]{2,10}?)(?:分别|各自)?(?:是|叫)(?:哪|什么)"),
    re.compile(r"(?:^|[的了，,])([\u4e00-\u9fff]{3,10}?)(?:分别)?是哪(?:个|些|几个|一个|家|所)"),
    re.compile(r"\b(?:which|what)\b[^?]{0,60}?[（(]([\u4e00-\u9fff]{2,12})[)）]", re.IGNORECASE),
)
_COUNTED_BEFORE = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)(?:个|处|家|项|套|台|条|所)$")
_COUNTED_AFTER = re.compile(
    r"^(?:数量?)?(?:\([^)]{1,3}\))?[=≥≤]?(?:\d+|[一二两三四五六七八九十]+)(?:个|处|家|项|套|台|条|所)"
)
_LISTED_AFTER = re.compile(r"^(?:包括|主要有|分别为|分别是|名称为|为|是|:|：)[^。；]{0,40}、")
_LISTED_BEFORE = re.compile(r"、[^。；，]{1,15}等(?:\d+个)?$")


def names_asked(question: str) -> str:
    """The thing whose names the question asks for (数据库, 县四星级智慧社区), or ""."""
    for pattern in _NAMES_ASKED:
        if m := pattern.search(unicodedata.normalize("NFKC", question)):
            noun = re.split(r"[的了]", m.group(1))[-1]  # "采购的办公设备" asks 办公设备
            return noun if len(noun) >= 2 else ""
    return ""


def only_counted(question: str, text: str) -> tuple[str, str] | None:
    """(zh, en) reason when the question asks the names of things the documents
    only count ("新建数据库 5 个", "创建县四星级智慧社区一处") and never list.

    `text` is the scope's text without whitespace; a thing the documents never
    mention is left to the coverage check, one they list anywhere is answered."""
    noun = names_asked(question)
    if not noun or noun not in text:
        return None
    counted = False
    for m in re.finditer(re.escape(noun), text):
        before, after = text[max(0, m.start() - 20) : m.start()], text[m.end() : m.end() + 50]
        if _LISTED_AFTER.match(after) or _LISTED_BEFORE.search(before):
            return None
        counted = counted or bool(_COUNTED_BEFORE.search(before) or _COUNTED_AFTER.match(after))
    if not counted:
        return None
    return (
        f"文件只给出{noun}的数量，没有列出名称",
        f"the documents give the number of {noun}, not their names",
    )

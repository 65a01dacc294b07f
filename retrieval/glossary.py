"""The metric glossary: which canonical metric a question's words name.

The metrics, their Chinese forms, English phrases and 科目 codes are the
indexer's own vocabulary (`indexing/vocabulary.yaml`, read through
`indexing.vocabulary`), so a question names a metric exactly as the figure
store does; `synonyms_en.yaml` holds other English words → Chinese terms.
This module only matches text against them.  Matching prefers the longest
name, so the most specific metric wins (公务用车运行维护费 over
公务用车购置及运行维护费 over 车辆).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import yaml

from indexing.vocabulary import Vocabulary, name_key, vocabulary

HERE = Path(__file__).resolve().parent
SYNONYMS_EN_PATH = HERE / "synonyms_en.yaml"

_EN_SPLIT = re.compile(r"[^a-z0-9]+")
_CODE = re.compile(r"(?<!\d)(\d{7}|\d{5})(?!\d)")
# "X中的Y", "X里的Y", "X安排的Y": X only narrows Y, so Y is the metric asked.
_QUALIFIER_GAP = re.compile(r"^(?:[中里]?的?|安排的|开支的|用于|中用于)[，,、]?$")
# "住房公积金(项)支出合计": 支出合计 right after a name (or its level) sums that
# name; it is not the metric 支出合计.
_LEVEL_GAP = re.compile(r"^[类款项]?$")


def _totals_a_name(key: str, spans: list[Span], i: int) -> bool:
    """Whether span `i` is a "…合计" word that only totals the name before it."""
    span = spans[i]
    if i == 0 or not key[span.start : span.end].endswith("合计"):
        return False
    return bool(_LEVEL_GAP.match(key[spans[i - 1].end : span.start]))


class GlossaryError(ValueError):
    """synonyms_en.yaml is malformed; the message says how."""


# Text as compared with Chinese names: the vocabulary's own comparison
# (NFKC, lower case, no quotes/brackets/spaces).
zh_key = name_key


# Words that do not tell one metric from another in English phrases.
_EN_FILLER = frozenset(
    [
        "and",
        "of",
        "the",
        "a",
        "an",
        "for",
        "on",
        "in",
        "to",
        "its",
        "their",
        "cost",
        "costs",
        "expense",
        "expenses",
        "spending",
        "spent",
        "expenditure",
        "expenditures",
        "running",
        "operating",
    ]
)


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def en_key(text: str) -> str:
    """Text as compared with English phrases: lower-case words separated by one space."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = _EN_SPLIT.split(unicodedata.normalize("NFKC", folded).lower())
    return " " + " ".join(w for w in words if w) + " "


@dataclass(frozen=True, slots=True)
class Span:
    """A name found in the (keyed) question: where, and which metric or term it gives."""

    start: int
    end: int
    value: str


def longest_first(text: str, index: tuple[tuple[str, str], ...]) -> list[Span]:
    """Non-overlapping matches of `index` names in `text`: longest names taken first,
    and of two as long, the one further left (项目支出合计 is 项目支出 + 合计)."""
    found: list[tuple[int, int, str]] = []
    for name, value in index:
        start = text.find(name)
        while start != -1:
            found.append((-len(name), start, value))
            start = text.find(name, start + 1)
    taken: list[Span] = []
    for minus_length, start, value in sorted(found, key=lambda f: (f[0], f[1])):
        end = start - minus_length
        if all(end <= s.start or start >= s.end for s in taken):
            taken.append(Span(start, end, value))
    return sorted(taken, key=lambda s: s.start)


class SpanIndex:
    """`longest_first` over many names, at a cost that grows with the text, not the names.

    The catalogue's names (thousands of departments and their aliases) are
    bucketed by their first two characters, so a question is read once and
    only the names that start at each position are tried; the spans are
    those `longest_first(text, index)` gives. Empty names are left out.
    """

    def __init__(self, index: tuple[tuple[str, str], ...]) -> None:
        self.index = index
        self._heads: dict[str, list[tuple[int, str, str]]] = {}
        for order, (name, value) in enumerate(index):
            if name:
                self._heads.setdefault(name[:2], []).append((order, name, value))

    def _occurrences(self, text: str) -> list[tuple[int, int, str, str]]:
        """(order in the index, start, name, value) of every name in `text`."""
        found = []
        for start in range(len(text)):
            for head in {text[start : start + 2], text[start]}:
                for order, name, value in self._heads.get(head, ()):
                    if text.startswith(name, start):
                        found.append((order, start, name, value))
        return found

    def occurring(self, text: str) -> list[str]:
        """The names found anywhere in `text`, in index order, each once."""
        return list(dict.fromkeys(name for _o, _s, name, _v in sorted(self._occurrences(text))))

    def longest_first(self, text: str) -> list[Span]:
        taken: list[Span] = []
        # Longest first and, of two as long, the one further left: `longest_first`'s order.
        ordered = sorted(self._occurrences(text), key=lambda o: (-len(o[2]), o[1], o[0]))
        for _order, start, name, value in ordered:
            end = start + len(name)
            if all(end <= s.start or start >= s.end for s in taken):
                taken.append(Span(start, end, value))
        return sorted(taken, key=lambda s: s.start)


def _sorted_index(pairs: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0])))


class Glossary:
    """Canonical metrics with their Chinese/English names and the 科目 codes."""

    def __init__(self, vocabulary: Vocabulary, synonyms_en: dict[str, list[str]]) -> None:
        zh: dict[str, str] = {}
        en: dict[str, str] = {}
        metrics = list(vocabulary.metrics.values())
        for metric in metrics:
            for form in metric.forms:
                zh.setdefault(zh_key(form), metric.name)
            for phrase in metric.en:
                en.setdefault(en_key(phrase), metric.name)
        self.english: dict[str, str] = {m.name: m.english for m in metrics}
        self._metric_keys = frozenset(zh)  # the metrics' own names, before the 科目 names
        # A 科目 code names the metric its name is a form of, else a metric of its own.
        self.codes: dict[str, str] = {}
        for subject in vocabulary.subjects:
            zh.setdefault(zh_key(subject.name), subject.metric)
            self.codes[subject.code] = subject.metric
        self.canonical: frozenset[str] = frozenset(zh.values())
        self.counts: dict[str, tuple[str, ...]] = {m.name: m.counts for m in metrics if m.counts}
        self._zh = _sorted_index(zh)
        self._en = _sorted_index(en)
        terms = {en_key(k): canonical for k, canonical in en.items()}
        for phrase, chinese in synonyms_en.items():
            terms.setdefault(en_key(phrase), "|".join(chinese))
        self._en_terms = _sorted_index(terms)

    def zh_names(self) -> list[str]:
        """Every Chinese name the glossary knows (for a word segmenter's dictionary)."""
        return [name for name, _ in self._zh if len(name) > 1]

    def metric_names(self) -> list[str]:
        """The Chinese forms of the vocabulary's metrics: `zh_names` without the
        names only the 科目 lists give."""
        return [n for n in self.zh_names() if n in self._metric_keys]

    def metrics(self, text: str) -> list[str]:
        """Canonical metrics named in `text`, the asked-for ones first.

        Chinese names, 科目 codes and English phrases all count.  Order follows
        the question, except that a metric only narrowing the next one
        (基本支出 in 基本支出中的劳务费) moves to the end.
        """
        key = zh_key(text)
        spans = longest_first(key, self._zh)
        head: list[str] = []
        context: list[str] = []
        for i, span in enumerate(spans):
            if _totals_a_name(key, spans, i):
                continue
            following = spans[i + 1] if i + 1 < len(spans) else None
            gap = key[span.end : following.start] if following else None
            (context if gap is not None and _QUALIFIER_GAP.match(gap) else head).append(span.value)
        found = head + context
        found += [self.codes[c] for c in _CODE.findall(text) if c in self.codes]
        english = [s.value for s in longest_first(en_key(text), self._en)]
        found += english or self._loose_english(text)
        return list(dict.fromkeys(found))

    def _loose_english(self, text: str) -> list[str]:
        """English metrics whose phrase's content words all occur in `text`, in
        any order ("official vehicle operation costs" → 公务用车运行维护费);
        the phrases with the most such words win."""
        words = {_stem(w) for w in en_key(text).split()}
        hits: list[tuple[int, str]] = []
        for phrase, canonical in self._en:
            content = [_stem(w) for w in phrase.split() if w not in _EN_FILLER]
            if len(content) >= 2 and all(w in words for w in content):
                hits.append((len(content), canonical))
        if not hits:
            return []
        most = max(n for n, _ in hits)
        return list(dict.fromkeys(c for n, c in hits if n == most))

    def en_phrases(self, metric: str) -> list[str]:
        """The English phrases that name a metric, as keyed (lower case, single spaces)."""
        return [phrase.strip() for phrase, canonical in self._en if canonical == metric]

    def en_spans(self, key: str) -> list[Span]:
        """English metric phrases in a keyed text (`en_key`), longest first, in text order."""
        return longest_first(key, self._en)

    def zh_spans(self, key: str) -> list[Span]:
        """Chinese metric names in a keyed text (`zh_key`), longest first, in text order."""
        return longest_first(key, self._zh)

    def strip_names(self, text: str) -> str:
        """`text` without the metric names in it, Chinese part then English part.

        Cue words must not be read inside a name: 预算 in 一般公共预算财政拨款支出
        is not "budget", 合计 in 支出合计 is not "sum".
        """
        key = zh_key(text)
        spans = longest_first(key, self._zh)
        for i in reversed(range(len(spans))):
            span = spans[i]
            kept = " 合计" if _totals_a_name(key, spans, i) else " "
            key = key[: span.start] + kept + key[span.end :]
        english = en_key(text)
        for span in reversed(longest_first(english, self._en)):
            english = english[: span.start] + " | " + english[span.end :]
        return f"{key}\n{english}"

    def to_chinese_terms(self, text: str) -> list[str]:
        """Chinese terms for the English phrases in `text` (metric names first)."""
        terms: list[str] = []
        for span in longest_first(en_key(text), self._en_terms):
            terms.extend(span.value.split("|"))
        return list(dict.fromkeys(terms))


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise GlossaryError(f"{path}: not valid YAML ({exc}); fix the file") from exc
    if not isinstance(data, dict):
        raise GlossaryError(f"{path}: expected a mapping at the top level")
    return data


@lru_cache(maxsize=1)
def load_glossary() -> Glossary:
    """The glossary of the indexer's vocabulary and the English synonyms, read once."""
    return Glossary(vocabulary(), _read_yaml(SYNONYMS_EN_PATH))


def find_metrics(text: str) -> list[str]:
    """Canonical metric names that `text` mentions (Chinese, English or 科目 code)."""
    return load_glossary().metrics(text)


def count_metrics(metric: str) -> tuple[str, ...]:
    """The counts that go with an amount (团组/人次 for 因公出国(境)费), from the vocabulary."""
    return load_glossary().counts.get(metric, ())


def to_chinese_terms(text: str) -> list[str]:
    """English phrases of `text` mapped to Chinese terms: official reception → 公务接待费."""
    return load_glossary().to_chinese_terms(text)


# jieba announces building its dictionary at INFO: quiet it once, here, for every
# module that cuts Chinese (places, query understanding, the coverage check)
logging.getLogger("jieba").setLevel(logging.WARNING)


@lru_cache(maxsize=1)
def name_tokenizer() -> jieba.Tokenizer:
    """A private jieba that knows the glossary's names, shared by query
    understanding and the coverage check; jieba's global dictionary, which place
    detection reads, stays as shipped."""
    tokenizer = jieba.Tokenizer()
    for name in load_glossary().zh_names():
        tokenizer.add_word(name, freq=100000)
    return tokenizer

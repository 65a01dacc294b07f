"""What kind of answer a question wants: measure, intent, "all offices", year, language.

The cue words are data (`query_cues.yaml`); this module compiles and applies
them.  The measures they name are the vocabulary's asked measures
(`indexing/vocabulary.yaml`, `asked_measures`).  Metric names are blanked out by the caller first, so 一般公共预算 in a
metric name does not read as "budget".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from indexing.vocabulary import vocabulary

CUES_PATH = Path(__file__).resolve().parent / "query_cues.yaml"

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)(?!\d)")


class CueError(ValueError):
    """query_cues.yaml is malformed; the message names the entry."""


@dataclass(frozen=True, slots=True)
class CueGroup:
    """One label (a measure, an intent) and the patterns that signal it."""

    label: str
    zh: re.Pattern[str] | None
    en: re.Pattern[str] | None

    def matches(self, text: str) -> bool:
        """Whether any cue of the group occurs in `text`."""
        return bool((self.zh and self.zh.search(text)) or (self.en and self.en.search(text)))


def _compile(patterns: list[str] | None, english: bool, where: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    body = "|".join(f"(?:{p})" for p in patterns)
    try:
        if english:
            return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)
        return re.compile(body)
    except re.error as exc:
        raise CueError(f"{CUES_PATH}: bad pattern in {where}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Cues:
    """All cue groups, in the order they are tried."""

    measures: tuple[CueGroup, ...]
    intents: tuple[CueGroup, ...]
    all_docs: CueGroup
    comparison_before: re.Pattern[str]
    comparison_after: re.Pattern[str]
    document_year_after: re.Pattern[str]
    stop_words: frozenset[str]
    not_measure: re.Pattern[str]
    derivations: tuple[CueGroup, ...] = ()
    per_unit_counts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    per_unit_quantities: tuple[tuple[str, tuple[str, ...]], ...] = ()  # 平方米 → m², ㎡
    per_unit_english: tuple[tuple[str, tuple[str, ...]], ...] = ()  # 人 → person, worker
    purpose: CueGroup | None = None  # "what was it used for"
    breakdown: CueGroup | None = None  # "which 科目 did it go to"
    # what a question asks of a named project in words (its work, place, who
    # carries it out), each with the words of the sentences that say so
    project_facts: tuple[tuple[CueGroup, tuple[str, ...]], ...] = ()
    others: CueGroup | None = None  # "the other three", "其余两家"
    count_words: tuple[tuple[str, int], ...] = ()  # 三 → 3, three → 3

    def others_asked(self, text: str) -> int | None:
        """How many "other" departments a follow-up asks about ("the other three"
        → 3, "其余各家" → 0: not said how many); None when it asks about no others."""
        if self.others is None:
            return None
        for pattern in (self.others.zh, self.others.en):
            found = pattern.search(text) if pattern else None
            if found:
                n = (found.groupdict().get("n") or "").lower()
                return int(n) if n.isdigit() else dict(self.count_words).get(n, 0)
        return None

    def project_markers(self, text: str) -> tuple[str, ...]:
        """The marker words of every project fact the question asks, or ()."""
        return tuple(
            m for group, markers in self.project_facts if group.matches(text) for m in markers
        )

    def derivation(self, text: str) -> str:
        """The measure to compute from figures (share, rate, difference, per_unit), or ""."""
        return next((g.label for g in self.derivations if g.matches(text)), "")

    def measure(self, text: str) -> str:
        """The first measure whose cue occurs, or "" when none does."""
        text = self.not_measure.sub(" ", text)
        return next((g.label for g in self.measures if g.matches(text)), "")

    def intent(self, text: str, several_docs: bool) -> str:
        """The intent; compare and sum only when the question spans several documents."""
        for group in self.intents:
            if group.label in ("compare", "sum") and not several_docs:
                continue
            if group.matches(text):
                return group.label
        return "figure"


@lru_cache(maxsize=1)
def cue_data() -> dict:
    """`query_cues.yaml` as read, once; its sections are compiled by their readers."""
    try:
        return yaml.safe_load(CUES_PATH.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CueError(f"{CUES_PATH}: not valid YAML ({exc})") from exc


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """The cues from `query_cues.yaml`, compiled once."""
    data = cue_data()

    def group(label: str, entry: dict, where: str) -> CueGroup:
        return CueGroup(
            label,
            _compile(entry.get("zh"), False, where),
            _compile(entry.get("en"), True, where),
        )

    asked = vocabulary().asked_measures
    for entry in data["measures"]:
        if entry["measure"] not in asked:
            raise CueError(
                f"{CUES_PATH.name}: measures: {entry['measure']!r} is not a measure questions "
                "ask for (indexing/vocabulary.yaml, `asked_measures`)"
            )
    measures = tuple(group(m["measure"], m, f"measures/{m['measure']}") for m in data["measures"])
    intents = tuple(group(k, v, f"intents/{k}") for k, v in data["intents"].items())
    comparison = data["comparison_year"]
    return Cues(
        measures=measures,
        intents=intents,
        all_docs=group("all_docs", data["all_docs"], "all_docs"),
        others=group("others", data["others"], "others") if data.get("others") else None,
        count_words=tuple((str(k), int(v)) for k, v in (data.get("count_words") or {}).items()),
        comparison_before=re.compile("|".join(comparison["before"]), re.IGNORECASE),
        comparison_after=re.compile("|".join(comparison["after"])),
        document_year_after=re.compile(
            "|".join((data.get("document_year") or {}).get("after") or [r"(?!x)x"]), re.IGNORECASE
        ),
        stop_words=frozenset(data.get("stop_words") or ()),
        not_measure=re.compile("|".join(map(re.escape, data.get("not_measure") or ["\0"]))),
        derivations=tuple(
            group(k, v, f"derivations/{k}") for k, v in (data.get("derivations") or {}).items()
        ),
        per_unit_english=tuple(
            (unit, tuple(words)) for unit, words in (data.get("per_unit_english") or {}).items()
        ),
        per_unit_quantities=tuple(
            (word, tuple(units)) for word, units in (data.get("per_unit_quantities") or {}).items()
        ),
        per_unit_counts=tuple(
            (unit, tuple(metrics)) for unit, metrics in (data.get("per_unit_counts") or {}).items()
        ),
        purpose=group("purpose", data["purpose"], "purpose") if data.get("purpose") else None,
        breakdown=group("breakdown", data["breakdown"], "breakdown")
        if data.get("breakdown")
        else None,
        project_facts=tuple(
            (group(f["fact"], f, f"project_facts/{f['fact']}"), tuple(f.get("markers") or ()))
            for f in data.get("project_facts") or ()
        ),
    )


def detect_year(text: str) -> int | None:
    """The year asked about: 2024年, 2022年度, "in 2023".

    A year that is only the base of a comparison (比2023年, compared with 2023)
    is skipped; when it is the only year, the year asked about is the next one.
    """
    asked = years_asked(text)
    if asked:
        return asked[0]
    base = next(iter(_base_years(text)), None)
    return base + 1 if base else None


def years_asked(text: str) -> list[int]:
    """The years a question asks about, in order: not a year that is only the
    base of a comparison, nor one naming the document ("据2024年决算说明推算
    2023年…") unless it is the only year named."""
    cues = load_cues()
    text = unicodedata.normalize("NFKC", text)
    asked: list[int] = []
    documents: list[int] = []
    for match in _YEAR.finditer(text):
        before = text[max(0, match.start() - 14) : match.start()]
        after = text[match.end() : match.end() + 12]
        if cues.comparison_before.search(before) or cues.comparison_after.search(after):
            continue
        year = int(match.group(1))
        (documents if cues.document_year_after.search(after) else asked).append(year)
    return asked or documents


def _base_years(text: str) -> list[int]:
    cues = load_cues()
    text = unicodedata.normalize("NFKC", text)
    return [
        int(m.group(1))
        for m in _YEAR.finditer(text)
        if cues.comparison_before.search(text[max(0, m.start() - 14) : m.start()])
        or cues.comparison_after.search(text[m.end() : m.end() + 6])
    ]


def detect_language(text: str) -> str:
    """ "zh" for mainly Chinese, "en" for English only, "mixed" for English carrying Chinese terms."""
    cjk = len(_CJK.findall(text))
    words = len(_LATIN_WORD.findall(text))
    if cjk == 0:
        return "en" if words else "zh"
    if words >= 3 and words * 3 >= cjk:
        return "mixed"
    return "zh"


_ASKING = re.compile(
    r"多少|几|哪些|哪几|哪个|哪里|哪儿|什么|是否|有没有|吗|how (?:many|much)|what|which|where|when",
    re.I,
)


# "满意率、问题解决率各是多少": each thing listed before 各/分别 is asked
_EACH_LISTED = re.compile(
    r"([^，,。？?；;]*[、和][^，,。？?；;]*?)(?:各|分别)(?:是|为|有)?(?:多少|几)"
)


def parts_asked(question: str) -> int:
    """How many things the question asks ("更换了多少米管道、多少组暖气片？实际花了多少钱？": 3;
    "满意率、问题解决率各是多少": 2)."""
    listed = sum(m[1].count("、") + m[1].count("和") for m in _EACH_LISTED.finditer(question))
    return len(_ASKING.findall(question)) + listed

"""The vocabulary of the domain: every metric, its forms, its cells and its 科目编码;
every measure a figure is stated in, and which of them answer a question.

`vocabulary.yaml` defines each metric once; the indexer names figures from it
(table cells in `figures.py`, sentences in `narrative.py`, flattened 06表
blocks in `garbled.py`) and query understanding reads questions with it
(`retrieval/glossary.py`). When the two sides had a list each, they drifted:
a question about 国(境)外接待费 was answered with 公务接待费's figure.

The file is parsed once into frozen records, validated as pdfplumber's
`TableSettings` is: a misspelt key, a wrong value, a metric defined twice or a
reference to no metric raises `VocabularyError` naming the entry and the key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")

# The standard tables a cell may be in (公开01表 … 公开10表).
TABLE_IDS = frozenset(f"{n:02d}" for n in range(1, 11))
# The row label of a coded table's total row: its cells are named by column.
TOTAL_ROW = "合计"
# 类 (3 digits), 款 (5) and 项 (7) of 功能分类; 类 (3) and 款 (5) of 经济分类.
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
# Quotes, brackets and spaces carry no meaning when names are compared:
# “三公”经费 = 三公经费, 因公出国（境）费 = 因公出国境费.
_NAME_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()\[\]（）【】·]")
_FULL_WIDTH = re.compile(r"[（）\s]")


def name_key(text: str) -> str:
    """A name as names are compared: NFKC, lower case, no quotes, brackets or spaces."""
    return _NAME_DROP.sub("", unicodedata.normalize("NFKC", text).lower())


class VocabularyError(ValueError):
    """vocabulary.yaml is malformed; the message names the entry and the key."""


class Classification(StrEnum):
    """The two national lists of 科目: what money was for, and what it bought."""

    FUNCTIONAL = "功能分类"
    ECONOMIC = "经济分类"


@dataclass(frozen=True, slots=True)
class Cell:
    """A standard-table cell that gives a metric its name.

    `row` is the row's label (公开10表: "section/item"; `TOTAL_ROW` for the
    total row), `column` the leaf of the column path; "" means any.
    """

    table: str
    row: str = ""
    column: str = ""

    def __post_init__(self) -> None:
        if self.table not in TABLE_IDS:
            raise VocabularyError(f"cells: table {self.table!r} is not one of 01 … 10")
        if not (self.row or self.column):
            raise VocabularyError(f"cells: a cell of table {self.table} needs a row or a column")


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric: its canonical name, the forms that name it, where tables give it."""

    name: str
    printed: tuple[str, ...] = ()  # forms sentences print; the narrative reader matches them
    asked: tuple[str, ...] = ()  # further Chinese forms only questions use
    en: tuple[str, ...] = ()  # English phrases; the first is its English name
    unit: str = ""  # what a count is counted in; "" for an amount
    cells: tuple[Cell, ...] = ()
    counts: tuple[str, ...] = ()  # what a "how many" question about it counts
    codes: tuple[str, ...] = ()  # its 科目编码, from the subject lists

    def __post_init__(self) -> None:
        if not self.name or _FULL_WIDTH.search(self.name):
            raise VocabularyError(
                f"metric {self.name!r}: a canonical name has half-width parentheses and no spaces"
            )

    @property
    def forms(self) -> tuple[str, ...]:
        """Every Chinese form a question may use: the name, printed forms, asked forms."""
        return tuple(dict.fromkeys((self.name, *self.printed, *self.asked)))

    @property
    def english(self) -> str:
        """Its English name in answers, or "" when it has none."""
        return self.en[0] if self.en else ""


@dataclass(frozen=True, slots=True)
class Subject:
    """One 科目 of a national list: its code, its name as printed, the metric it names."""

    code: str
    name: str
    classification: Classification
    metric: str


@dataclass(frozen=True, slots=True)
class Measure:
    """A measure a figure is stated in (决算数, 年初预算数, 增减额 …) and its names in answers."""

    name: str
    zh: str  # "" when the metric's name alone says it (数量)
    en: str


@dataclass(frozen=True, slots=True)
class AskedMeasure:
    """A measure a question asks for ("" for none) and the stored measures that answer it."""

    name: str
    answered_by: tuple[str, ...]


_METRIC_KEYS = ("printed", "asked", "en", "unit", "cells", "counts")
_CELL_KEYS = ("table", "row", "column")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Every metric (in file order), the measures and the 科目 lists, with the lookups
    both stages use."""

    metrics: Mapping[str, Metric]
    measures: Mapping[str, Measure]
    asked_measures: Mapping[str, AskedMeasure]
    subjects: tuple[Subject, ...]
    _by_key: Mapping[str, str] = field(repr=False, compare=False)
    _by_cell: Mapping[tuple[str, str, str], str] = field(repr=False, compare=False)

    @classmethod
    def from_data(cls, data: Any, source: str = "vocabulary.yaml") -> Vocabulary:
        """The vocabulary from parsed YAML, validated; errors name `source` and the key."""
        try:
            return cls._parse(_mapping(data, "the top level", _TOP_KEYS))
        except VocabularyError as exc:
            raise VocabularyError(f"{source}: {exc}") from None

    @classmethod
    def _parse(cls, data: Mapping[str, Any]) -> Vocabulary:
        entries = _mapping(data.get("metrics"), "metrics")
        metrics = [_metric(str(name), entry) for name, entry in entries.items()]
        # A name is claimed by the first metric listing it, then by the first 科目 named so.
        by_key: dict[str, str] = {}
        for metric in metrics:
            for form in metric.forms:
                by_key.setdefault(name_key(form), metric.name)
        subjects = []
        lists = _mapping(data.get("subjects"), "subjects", tuple(Classification))
        for classification in Classification:
            codes = _mapping(lists.get(classification.value), f"subjects: {classification}")
            for code, name in codes.items():
                code = str(code)
                if not _CODE.match(code) or not isinstance(name, str) or not name:
                    raise VocabularyError(
                        f"subjects: {classification}: {code!r}: expected a 3-, 5- or 7-digit "
                        "code and its name"
                    )
                named = by_key.setdefault(name_key(name), unicodedata.normalize("NFKC", name))
                subjects.append(Subject(code, name, classification, named))
        codes_of: dict[str, list[str]] = {}
        for subject in subjects:
            codes_of.setdefault(subject.metric, []).append(subject.code)
        metrics = [replace(m, codes=tuple(codes_of.get(m.name, ()))) for m in metrics]
        by_name = {m.name: m for m in metrics}
        _check_references(metrics, by_name)
        measures = _measures(data.get("measures"))
        return cls(
            MappingProxyType(by_name),
            MappingProxyType(measures),
            MappingProxyType(_asked_measures(data.get("asked_measures"), measures)),
            tuple(subjects),
            MappingProxyType(by_key),
            MappingProxyType(_cell_index(metrics)),
        )

    def metric(self, name: str) -> Metric:
        """The metric of that canonical name; VocabularyError if there is none."""
        try:
            return self.metrics[name]
        except KeyError:
            raise VocabularyError(f"no metric {name!r} in vocabulary.yaml") from None

    def named(self, name: str) -> str | None:
        """The canonical metric a name (any form, or a 科目 name) names, or None."""
        return self._by_key.get(name_key(name))

    def of_cell(self, table: str, row: str = "", column: str = "") -> Metric | None:
        """The metric a standard-table cell gives, when its `cells` name it."""
        name = self._by_cell.get((table, row, column))
        return self.metrics[name] if name else None

    def measure(self, name: str) -> Measure:
        """The stored measure of that name; VocabularyError if there is none."""
        try:
            return self.measures[name]
        except KeyError:
            raise VocabularyError(f"no measure {name!r} in vocabulary.yaml") from None

    def answering(self, asked: str) -> tuple[str, ...]:
        """The stored measures that answer an asked measure (an unknown one: as none)."""
        entry = self.asked_measures.get(asked) or self.asked_measures.get("")
        return entry.answered_by if entry else ()

    def subject_names(self, classification: Classification) -> dict[str, str]:
        """Code → name as printed, of one national list, in its order."""
        return {s.code: s.name for s in self.subjects if s.classification == classification}


_TOP_KEYS = ("metrics", "measures", "asked_measures", "subjects")


def _mapping(value: Any, where: str, keys: Sequence[str] = ()) -> Mapping[str, Any]:
    """`value` as a mapping (None as empty), with only `keys` when they are given."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise VocabularyError(f"{where}: expected a mapping, got {type(value).__name__}")
    unknown = [k for k in value if keys and k not in keys]
    if unknown:
        raise VocabularyError(
            f"{where}: unknown key {unknown[0]!r} (expected one of {', '.join(keys)})"
        )
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise VocabularyError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _metric(name: str, entry: Any) -> Metric:
    where = f"metric {name!r}"
    entry = _mapping(entry, where, _METRIC_KEYS)
    unit = entry.get("unit") or ""
    if not isinstance(unit, str):
        raise VocabularyError(f"{where}: unit: expected a word (辆, 人次, 个 …)")
    cells = entry.get("cells") or []
    if not isinstance(cells, list):
        raise VocabularyError(f"{where}: cells: expected a list of {{table, row, column}}")
    try:
        parsed = tuple(
            Cell(**{k: str(v) for k, v in _mapping(c, "cells", _CELL_KEYS).items()}) for c in cells
        )
        return Metric(
            name,
            printed=_strings(entry.get("printed"), "printed"),
            asked=_strings(entry.get("asked"), "asked"),
            en=_strings(entry.get("en"), "en"),
            unit=unit,
            cells=parsed,
            counts=_strings(entry.get("counts"), "counts"),
        )
    except (VocabularyError, TypeError) as exc:
        message = str(exc).removeprefix(f"{where}: ")
        raise VocabularyError(f"{where}: {message}") from None


def _measures(data: Any) -> dict[str, Measure]:
    measures = {}
    for name, entry in _mapping(data, "measures").items():
        labels = _mapping(entry, f"measures: {name!r}", ("zh", "en"))
        zh, en = labels.get("zh"), labels.get("en")
        if not isinstance(zh, str) or not isinstance(en, str) or not en:
            raise VocabularyError(f"measures: {name!r}: expected its names {{zh: …, en: …}}")
        measures[str(name)] = Measure(str(name), zh, en)
    return measures


def _asked_measures(data: Any, measures: Mapping[str, Measure]) -> dict[str, AskedMeasure]:
    asked = {}
    for name, stored in _mapping(data, "asked_measures").items():
        where = f"asked_measures: {name!r}"
        answered_by = _strings(stored, where)
        unknown = [m for m in answered_by if m not in measures]
        if unknown:
            raise VocabularyError(f"{where}: no measure {unknown[0]!r} in `measures`")
        asked[str(name)] = AskedMeasure(str(name), answered_by)
    return asked


def _check_references(metrics: Sequence[Metric], by_name: Mapping[str, Metric]) -> None:
    """Each metric once; its counts are metrics; a printed form names one metric."""
    if len(by_name) != len(metrics):
        twice = next(m.name for m in metrics if sum(o.name == m.name for o in metrics) > 1)
        raise VocabularyError(f"metric {twice!r} is defined twice")
    printer: dict[str, str] = {}
    for metric in metrics:
        for count in metric.counts:
            if count not in by_name:
                raise VocabularyError(f"metric {metric.name!r}: counts: no metric {count!r}")
        for form in metric.printed:
            other = printer.setdefault(form, metric.name)
            if other != metric.name:
                raise VocabularyError(
                    f"metric {metric.name!r}: printed: {form!r} is printed for {other!r} too"
                )


def _cell_index(metrics: Sequence[Metric]) -> dict[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for metric in metrics:
        for cell in metric.cells:
            other = index.setdefault((cell.table, cell.row, cell.column), metric.name)
            if other != metric.name:
                raise VocabularyError(
                    f"metric {metric.name!r}: cells: {cell} already gives {other!r}"
                )
    return index


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys; a metric defined twice must be an error."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise VocabularyError(
                    f"line {key_node.start_mark.line + 1}: {key!r} is defined twice"
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_vocabulary(path: Path) -> Vocabulary:
    """The vocabulary in one YAML file, validated (any file: tests, a trial edit)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except VocabularyError as exc:
        raise VocabularyError(f"{path.name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{path.name}: not valid YAML ({exc}); fix the file") from exc
    return Vocabulary.from_data(data, path.name)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (`vocabulary.yaml` next to this module), read once."""
    return read_vocabulary(VOCABULARY_PATH)

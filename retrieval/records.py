"""What a question becomes and what an answer is made of, defined once.

`ask` returns an `Answer`; the web page, the JSON API, the CLI and the
evaluation harness all read the same fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier exchange of the conversation, so a follow-up ("那高平呢？") has
    its context. The page, the API and the harness all send these; checked once
    by `retrieval.validate.check_history`."""

    q: str
    a: str = ""


@dataclass(frozen=True, slots=True)
class Filters:
    """What the reader restricts the answer to: some documents, a place, a
    department, a year; each one set must hold, and an answer never widens
    beyond them. The page, the API and the harness all send these; their JSON
    form (`{"doc_ids": [str], "place": str, "department": str, "year": int}`,
    every key optional) is read once, by `from_json`."""

    doc_ids: tuple[str, ...] = ()
    place: str = ""
    department: str = ""
    year: int | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Filters:
        """The filters of a JSON object; `QuestionError` naming the key or value that is wrong.

        A key left out, null or blank filters nothing. `year` is an integer
        (its four digits as text, as the page's picker sends them, are read
        too); `doc_ids` a list of at most `MAX_FILTER_IDS` strings. Text is
        cleaned as the question is (`retrieval.validate.clean_text`).
        """
        from retrieval.validate import MAX_FILTER_IDS, QuestionError, clean_text

        keys = [f.name for f in fields(cls)]
        if not isinstance(data, Mapping):
            raise QuestionError(
                f"filters must be an object with the keys {', '.join(keys)}", "invalid_filter"
            )
        unknown = [key for key in data if key not in keys]
        if unknown:
            raise QuestionError(
                f"unknown filter {unknown[0]!r}: use {', '.join(keys)}", "invalid_filter"
            )
        chosen: dict[str, Any] = {}
        for key, value in data.items():
            if value is None or value == "":
                continue
            if key == "year":
                chosen[key] = _year(value)
            elif key == "doc_ids":
                if isinstance(value, str) or not isinstance(value, Sequence):
                    raise QuestionError(
                        "filter 'doc_ids' must be a list of ids (strings)", "invalid_filter"
                    )
                if len(value) > MAX_FILTER_IDS:
                    raise QuestionError(
                        f"filter 'doc_ids' has {len(value)} ids; the limit is {MAX_FILTER_IDS}",
                        "invalid_filter",
                    )
                for number, doc_id in enumerate(value, start=1):
                    if not isinstance(doc_id, str):
                        raise QuestionError(
                            f"filter 'doc_ids' must be a list of ids (strings): "
                            f"item {number} is not a string",
                            "invalid_filter",
                        )
                chosen[key] = tuple(clean_text(v, "filter 'doc_ids'").strip() for v in value)
            else:
                chosen[key] = clean_text(value, f"filter {key!r}").strip()
        return cls(**chosen)

    def to_json(self) -> dict[str, Any]:
        """The JSON form `from_json` reads: only the filters that are set."""
        out: dict[str, Any] = {}
        if self.doc_ids:
            out["doc_ids"] = list(self.doc_ids)
        if self.place:
            out["place"] = self.place
        if self.department:
            out["department"] = self.department
        if self.year is not None:
            out["year"] = self.year
        return out

    @property
    def active(self) -> bool:
        """Whether it filters anything: `Filters()` leaves every document in."""
        return bool(self.doc_ids or self.place or self.department or self.year is not None)


def _year(value: Any) -> int:
    """A filter's year: an integer, or its four digits as text; QuestionError otherwise."""
    from retrieval.validate import QuestionError, clean_text

    if isinstance(value, str):
        text = clean_text(value, "filter 'year'").strip()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        text = repr(value)  # escapes what cannot be written (a lone surrogate)
    if not re.fullmatch(r"\d{4}", text):
        raise QuestionError(
            f"filter 'year' must be a year such as 2024 (an integer), not {text[:20]!r}",
            "invalid_filter",
        )
    return int(text)


@dataclass(frozen=True, slots=True)
class Query:
    """The question as understood: who, what, which measure, which intent."""

    text: str
    lang: str  # "zh" | "en" | "mixed"
    doc_ids: tuple[str, ...]  # departments named (or carried over from history)
    metrics: tuple[str, ...]  # canonical metric names of the vocabulary
    measure: str  # an asked measure of the vocabulary (增减, 完成率 …); "" when none is named
    intent: str  # figure | compare | sum | why | definition | list | count
    year: int | None
    terms: tuple[str, ...] = ()  # content words for lexical search (Chinese)
    unknown_places: tuple[str, ...] = ()  # places named that no document covers
    all_docs: bool = False  # "these five offices", "which office …"
    filtered: bool = False  # filters were given: doc_ids never widen beyond them
    outside_filter: tuple[str, ...] = ()  # documents the question names that the filters leave out
    earlier: str = ""  # the question this one follows up on ("这个项目…"), if it does
    earlier_answer: str = ""  # the answer to it ("这几个项目…" are the ones it named)


@dataclass(frozen=True, slots=True)
class Citation:
    """One numbered source, enough to find and check it in the document."""

    n: int
    doc_id: str
    department: str
    source: str  # file name
    where: str  # "公开09表 / 决算数 / 公务接待费" or "第三部分 > 九、… > （二）…"
    quote: str
    locator: str  # "p. 3, lines 120–124"
    page: int | None
    line_start: int
    line_end: int
    score: float
    value: float | None = None  # the cited figure's value, when a figure is cited
    unit: str = ""
    # PDF: the box of the cited cell or sentence on `page` (x0, top, x1, bottom in
    # PDF points, from the page's top left) and one box per printed line of it.
    bbox: tuple[float, float, float, float] | None = None
    boxes: tuple[tuple[float, float, float, float], ...] = ()
    figure_id: str = ""  # the cited figure, when a figure is cited
    table_id: str = ""  # the 公开NN表 of a cited cell or table row
    column: str = ""  # the cited cell's column header path


@dataclass(frozen=True, slots=True)
class FigureRef:
    """A figure used in the answer (what the JSON API lists as `figures`)."""

    doc_id: str
    department: str
    metric: str
    measure: str
    value: float
    unit: str
    where: str
    citation: int  # number of the citation that supports it


@dataclass(frozen=True, slots=True)
class Derivation:
    """A number the answer computed from cited figures, with its formula.

    `operands` are the input values in formula order and `inputs` the
    citation numbers that state them, so anyone can redo the sum.
    """

    doc_id: str
    kind: str  # share | rate | difference | per_unit
    value: float
    unit: str
    formula: str  # "1,020.78 ÷ 1,078.17 × 100%"
    operands: tuple[float, ...]
    inputs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Retrieved:
    """One piece of ranked evidence behind an answer: a figure it used or a passage found.

    The harness scores recall@k and MRR on these; `score` is the passage
    search's fused score, None for a figure.
    """

    text: str  # the figure's quote or the passage's body
    doc_id: str
    source: str  # file name
    kind: str  # "figure", or the passage's kind (section, table …)
    where: str  # the figure's metric or the passage's section
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form: a figure has no `score` key."""
        out = asdict(self)
        if self.score is None:
            del out["score"]
        return out


@dataclass(frozen=True, slots=True)
class Answer:
    """The reply: text with [n] markers, the citations they point to, the figures."""

    text: str
    language: str
    citations: tuple[Citation, ...] = ()
    figures: tuple[FigureRef, ...] = ()
    declined: bool = False
    intent: str = ""
    chart: tuple[tuple[str, float], ...] = ()  # (department, value) for comparisons
    derived: tuple[Derivation, ...] = ()  # numbers computed from the cited figures
    retrieved: tuple[Retrieved, ...] = ()  # ranked evidence, for eval

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the CLI's --json), each retrieved item in its own JSON form."""
        out = asdict(self)
        out["retrieved"] = [r.to_dict() for r in self.retrieved]
        return out


@dataclass(frozen=True, slots=True)
class ExcerptRow:
    """One body row of a table excerpt: 科目编码, name and one value per column."""

    code: str
    label: str
    values: tuple[float | None, ...]
    line: int  # the row's line in the document


@dataclass(frozen=True, slots=True)
class TableExcerpt:
    """The part of a table a cited cell or row sits in, as a reader checks it.

    `columns` are the full header paths ("本年支出 / 基本支出"); `rows` the
    cited row with its neighbours, `cited_row` its index among them and
    `cited_column` the cited cell's column (None when a whole row is cited).
    """

    doc_id: str
    table_id: str
    title: str
    unit: str
    columns: tuple[str, ...]
    rows: tuple[ExcerptRow, ...]
    cited_row: int
    cited_column: int | None
    rows_before: int  # rows of the table above the excerpt
    rows_after: int  # rows below it


@dataclass(frozen=True, slots=True)
class PassageExcerpt:
    """A quoted sentence in its place: its section path and the text either side."""

    section: str
    before: str
    quote: str
    after: str

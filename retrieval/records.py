"""What a question becomes and what an answer is made of, defined once.

`ask` returns an `Answer`; the web page, the JSON API, the CLI and the
evaluation harness all read the same fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier exchange of the conversation, so a follow-up ("那高平呢？") has
    its context. The page, the API and the harness all send these; checked once
    by `retrieval.validate.check_history`."""

    q: str
    a: str = ""


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

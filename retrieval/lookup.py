"""Exact figure lookup: (department, metric, measure) → figures from the store.

The same metric is often printed in several places: the 三公 table, the
narrative and the basic-expenditure detail table. When they agree they
support one value; when they differ (Zaozhuang's 公务接待费: 32.73 in total,
2.73 of it under basic expenditure) each value is kept with its sources so
the answer can say which is which.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from indexing.project_counts import is_prose_count
from indexing.records import Figure
from indexing.sqlstore import FigureStore
from indexing.vocabulary import vocabulary
from retrieval.cues import cue_data
from retrieval.glossary import count_metrics, load_glossary
from retrieval.projects import beyond_names, core, squeeze, unplaced
from retrieval.records import Query
from retrieval.tokens import tokenize

# A project's funding measures: its 资金总额 row is the total, 其中 rows its parts.
_BUDGET = ("年初预算数", "全年预算数", "执行数", "执行率")
# Columns that hold a row's total; other columns of a row are its parts.
TOTAL_COLUMNS = ("合计", "小计", "金额", "决算数", "统计数", "本年收入合计", "本年支出合计")
# A project's indicator row (出访人数 3): read whatever measure the question asks.
INDICATOR = "指标值"
# Preferred source when values differ: the table a metric is reported in.
TABLE_ORDER = ("09", "10", "05", "03", "02", "01", "04", "06", "07", "08")


@dataclass(frozen=True, slots=True)
class Reading:
    """One value of one metric in one document, with every figure that states it."""

    doc_id: str
    metric: str
    measure: str
    value: float
    unit: str
    figures: tuple[Figure, ...]

    @property
    def primary(self) -> Figure:
        return self.figures[0]


COUNT_WORDS = (
    "几个",
    "几人",
    "多少人",
    "人次",
    "批次",
    "团组",
    "几辆",
    "多少辆",
    "how many",
    "person-trips",
    "delegations",
)


def metrics_for(query: Query, known: Sequence[str]) -> list[str]:
    """The asked metrics, the counts that go with them when a count is asked,
    and stored metrics that name the same thing more fully
    (职业年金缴费 → 机关事业单位职业年金缴费支出)."""
    asked = list(query.metrics)
    counting = query.intent == "count" or any(w in query.text.lower() for w in COUNT_WORDS)
    if counting:
        counts = [c for m in query.metrics for c in count_metrics(m) if c not in asked]
        if query.intent == "count":
            # "how many" asks for counts first (those named first), amounts after
            named = [m for m in asked if count_metrics(m) == () or m in counts_named(asked)]
            asked = named + counts + [m for m in asked if m not in named]
        else:
            asked += counts
    # "一般公共预算财政拨款…项目支出" names the qualified metric 一般公共预算财政拨款项目支出
    qualified = [
        a.removesuffix("支出") + b
        for a in query.metrics
        for b in query.metrics
        if a != b and a.removesuffix("支出") + b in known
    ]
    asked = qualified + asked
    # Names the glossary does not know but the figure store does (projects):
    # a stored metric written out in the question is asked for.
    # The glossary's own names were read with the question (支出合计 in
    # "住房公积金(项)支出合计" only totals the name before it).
    named = _written_out(query.text, known)
    if not asked and not named and query.earlier:
        # a follow-up naming nothing ("比年初预算少了多少？") asks about what the
        # question before it wrote out (财政委托业务支出, a 科目 row)
        named = _written_out(query.earlier, known)
    asked += sorted(named, key=len, reverse=True)
    related = [
        k
        for m in query.metrics
        for k in known
        if k != m and len(m) >= 4 and (m in k or k in m) and abs(len(k) - len(m)) <= 8
    ]
    return list(dict.fromkeys(asked + related + _scope_variants(query, known)))


def _written_out(text: str, known: Sequence[str]) -> list[str]:
    """Stored names the vocabulary does not know (projects, 科目 rows) written
    out in `text`; a name inside a longer one written out is not also named
    ("办公信息化业务费" names that project, not the 业务费 project inside it)."""
    squeezed = squeeze(text)
    glossary = load_glossary().canonical
    named = [
        k
        for k in known
        if len(k) >= 4 and k not in glossary and squeeze(k.removesuffix("项目")) in squeezed
    ]
    # a project named without the place its name starts with (阳谷县“爱山东”APP…)
    named = named or [k for k in known if k.endswith("项目") and unplaced(k) in squeezed]
    # ("阳谷县政务公开…" and "政务公开…" printed both: two projects, one name
    # asked with the department's place; both are given)
    return [
        k
        for k in named
        if not any(
            k != o and squeeze(k.removesuffix("项目")) in squeeze(o) and unplaced(o) != core(k)
            for o in named
        )
    ]


def _scope_variants(query: Query, known: Sequence[str]) -> list[str]:
    """The same name over a narrower scope of money (年末结转和结余 → 年末财政拨款
    结转和结余): two figures for one name, both given, when the question names
    no scope itself."""
    qualifiers = sorted(cue_data().get("scope_qualifiers") or (), key=len, reverse=True)
    if any(q in query.text for q in qualifiers):
        return []
    variants = []
    for k in known:
        plain = k
        for q in qualifiers:
            plain = plain.replace(q, "")
        if plain != k and plain in query.metrics:
            variants.append(k)
    return variants


def counts_named(metrics: Sequence[str]) -> list[str]:
    """The metrics that are themselves counts (车辆数, 接待人次 …)."""
    every = {c for m in metrics for c in count_metrics(m)} | {
        c for m in load_glossary().counts for c in count_metrics(m)
    }
    return [m for m in metrics if m in every]


def lookup(store: FigureStore, query: Query, doc_ids: Sequence[str]) -> list[Reading]:
    """Readings for the query's metrics in the given documents (none given: every
    document), best supported first."""
    metrics = metrics_for(query, store.metrics(doc_ids))
    if not metrics:
        return []
    # Which stored measures answer the asked one: the vocabulary's `asked_measures`.
    wanted = vocabulary().answering(query.measure)
    if doc_ids:
        stored = store.figures(doc_ids=doc_ids, metrics=metrics)
    else:  # every document: only the rows that can answer, by the (metric, measure) index
        stored = store.across(metrics, (*wanted, INDICATOR) if wanted else ())
    figures = [f for f in stored if f.measure in wanted and is_total(f) and not is_prose_count(f)]
    figures += _indicators_asked(stored, figures, query.text)
    return group(_rows_named(figures, query.text), metrics, query.text)


def _indicators_asked(
    stored: Sequence[Figure], chosen: Sequence[Figure], question: str
) -> list[Figure]:
    """A project's indicator rows the question speaks of ("补贴了几名人才" →
    来冠就业创业优秀人才数量 4), whatever measure the rest of it asks."""
    have = {f.figure_id for f in chosen}
    beyond: dict[str, set[str]] = {}  # per project: the question's words beyond its name
    found = []
    for f in stored:
        if f.source != "appendix" or f.measure != INDICATOR or f.figure_id in have:
            continue
        if f.metric not in beyond:
            beyond[f.metric] = set(beyond_names(question, [f.metric]))
        if beyond[f.metric] & set(tokenize(f.row.rsplit(" / ", 1)[-1])):
            found.append(f)
    return found


def _rows_named(figures: Sequence[Figure], question: str) -> list[Figure]:
    """When a metric has one figure per row (a score per project) and the
    question names a row, keep that row's figures only."""
    squeezed = squeeze(question)
    named = {
        (f.doc_id, f.metric)
        for f in figures
        if (label := squeeze(f.row.replace(f.metric, "")))
        and len(label) >= 4
        and label.removesuffix("项目") in squeezed
    }
    return [
        f
        for f in figures
        if (f.doc_id, f.metric) not in named
        or squeeze(f.row.replace(f.metric, "")).removesuffix("项目") in squeezed
    ]


def is_total(figure: Figure) -> bool:
    """Keep a row's total, not its parts; a 合计 row's cells are metrics themselves."""
    if figure.source == "appendix" and figure.measure in _BUDGET:
        # a project's funding rows: 资金总额 is the total, 其中 rows are its parts
        label = figure.row.rsplit(" / ", 1)[-1] if " / " in figure.row else ""
        return not label or any(word in label for word in ("总额", "合计", "总计"))
    if figure.source != "table" or figure.table_id == "09":
        return True
    leaf = figure.column.split(" / ")[-1].replace(" ", "")
    return any(leaf.startswith(name) for name in TOTAL_COLUMNS) or figure.metric.endswith(leaf)


# A 功能分类 level named after a name: 住房公积金（项）, 一般公共服务(类).
_LEVEL_ASKED = re.compile(r"\(([类款项])\)|([类款项])级")
_CODE_LENGTH = {"类": 3, "款": 5, "项": 7}


def _at_level(figure: Figure, levels: set[tuple[str, str]]) -> bool:
    """Whether a figure is a 功能分类 row of a level the question names (a 经济分类
    code such as 30113 住房公积金 is not: those start with 3)."""
    names = {a or b for a, b in levels}
    if figure.code:
        return figure.code.startswith("2") and len(figure.code) in {_CODE_LENGTH[n] for n in names}
    return any(f"({n})" in unicodedata.normalize("NFKC", figure.row) for n in names)


def group(figures: Sequence[Figure], metrics: Sequence[str], question: str = "") -> list[Reading]:
    """Merge figures that state the same value; order by metric asked, then support."""
    buckets: dict[tuple, list[Figure]] = {}
    for f in figures:
        buckets.setdefault((f.doc_id, f.metric, f.measure, round(f.value, 2), f.unit), []).append(f)
    # The bucket key is rounded so 182.8 and 182.80 merge; the value shown is the
    # figure's own, with every decimal printed (5.625 万元/季度, not 5.62).
    readings = [
        Reading(doc_id, metric, measure, fs[0].value, unit, tuple(sorted(fs, key=_source_rank)))
        for (doc_id, metric, measure, _, unit), fs in buckets.items()
    ]
    metric_order = {m: i for i, m in enumerate(metrics)}
    asked = tokens_of(question)
    levels = set(_LEVEL_ASKED.findall(unicodedata.normalize("NFKC", question)))
    beyond: dict[str, frozenset[str]] = {}  # per project: the question past its name

    def project_rank(r: Reading) -> tuple[int, int]:
        """A project's indicators the question speaks of (出访人数, 天数) first, then
        its money (执行数, 全年预算数 …), then its other indicators."""
        if r.primary.source != "appendix":
            return (_measure_rank(r.measure), 0)
        if r.metric not in beyond:
            beyond[r.metric] = frozenset(beyond_names(question, [r.metric]))
        named = len(beyond[r.metric] & tokens_of(r.primary.row.rsplit(" / ", 1)[-1]))
        kind = 0 if named else 1 if r.measure in _BUDGET else 2
        return (kind * 100 + _measure_rank(r.measure), -named)

    return sorted(
        readings,
        key=lambda r: (
            metric_order.get(r.metric, 99),
            *project_rank(r),
            # "住房公积金(项)": the 功能分类 项 row, not the 经济分类 30113 of that name
            0 if not levels or any(_at_level(f, levels) for f in r.figures) else 1,
            # the table the question names (一般公共预算…) before other tables
            -len(asked & tokens_of(r.primary.table_title + r.primary.column)),
            -len({(f.source, f.table_id) for f in r.figures}),
            _source_rank(r.primary),
        ),
    )


@lru_cache(maxsize=4096)
def tokens_of(text: str) -> frozenset[str]:
    """A text's tokens, as a set. Tokenised once: ranking the readings of many
    departments asks for the same table titles, columns and question again."""
    return frozenset(tokenize(text))


def _measure_rank(measure: str) -> int:
    order = (
        *("决算数", "执行数", "数量", "全年预算数", "年初预算数", "完成率", "执行率"),
        *("增减额", "增减率", "占比"),
    )
    return order.index(measure) if measure in order else len(order)


def _source_rank(figure: Figure) -> tuple[int, int]:
    if figure.source == "narrative":
        return (1, figure.locator.line_start)
    order = TABLE_ORDER.index(figure.table_id) if figure.table_id in TABLE_ORDER else 99
    return (0 if figure.table_id == "09" else 2 + order, figure.locator.line_start)


def best_per_document(readings: Sequence[Reading], metric: str, measure: str) -> dict[str, Reading]:
    """For comparisons: the best-supported reading of one metric per document."""
    chosen: dict[str, Reading] = {}
    for r in readings:
        if r.metric == metric and r.measure == measure and r.doc_id not in chosen:
            chosen[r.doc_id] = r
    return chosen


def derive_budget(readings: Sequence[Reading], store: FigureStore) -> list[Reading]:
    """The initial budget a document states only as the change against it
    ("机关运行经费支出57.39万元，比年初预算数减少18.67万元" → 76.06): the
    actual minus that change, citing both, labelled as derived."""
    derived = []
    for change in readings:
        if change.measure != "预算增减额":
            continue
        if any(
            r.doc_id == change.doc_id and r.metric == change.metric and r.measure == "年初预算数"
            for r in readings
        ):
            continue
        actual = next(
            (
                f
                for f in store.figures(doc_ids=[change.doc_id], metrics=[change.metric])
                if f.measure == "决算数"
                and f.unit == change.unit
                and f.locator.line_start == change.primary.locator.line_start
            ),
            None,
        )
        if actual is not None:
            value = round(actual.value - change.value, 2)
            derived.append(
                Reading(
                    change.doc_id, change.metric, "年初预算数推算", value, change.unit,
                    (actual, change.primary),
                )
            )  # fmt: skip
    return derived


def derive_previous(current: Reading, change: Reading, year: int) -> Reading:
    """Last year's value = this year's − the stated change; cites both figures."""
    value = round(current.value - change.value, 2)
    return Reading(
        current.doc_id, current.metric, f"{year}年推算", value, current.unit,
        current.figures[:1] + change.figures[:1],
    )  # fmt: skip

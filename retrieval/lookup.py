"""Exact figure lookup: (department, metric, measure) → figures from the store.

The same metric is often printed in several places: the 三公 table, the
narrative and the basic-expenditure detail table. When they agree they
support one value; when they differ (Zaozhuang's 公务接待费: 32.73 in total,
2.73 of it under basic expenditure) each value is kept with its sources so
the answer can say which is which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indexing.records import Figure
from indexing.sqlstore import FigureStore
from retrieval.records import Query

# Which stored measures answer which asked measure.
MEASURES = {
    "": ("决算数", "数量"),
    "决算数": ("决算数", "数量"),
    "全年预算数": ("全年预算数",),
    "年初预算数": ("年初预算数", "完成率"),
    "预算和决算": ("全年预算数", "年初预算数", "决算数", "完成率"),
    "增减": ("增减额", "增减率"),
    "占比": ("占比",),
    "完成率": ("完成率", "年初预算数", "决算数"),
    "数量": ("数量",),
}
# Columns that hold a row's total; other columns of a row are its parts.
TOTAL_COLUMNS = ("合计", "小计", "金额", "决算数", "统计数", "本年收入合计", "本年支出合计")
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


def lookup(store: FigureStore, query: Query, doc_ids: Sequence[str]) -> list[Reading]:
    """Readings for the query's metrics in the given documents, best supported first."""
    if not query.metrics:
        return []
    wanted = MEASURES.get(query.measure, MEASURES[""])
    figures = [
        f
        for f in store.figures(doc_ids=doc_ids, metrics=query.metrics)
        if f.measure in wanted and _is_total(f)
    ]
    return group(figures, query.metrics)


def _is_total(figure: Figure) -> bool:
    if figure.source != "table" or figure.table_id == "09":
        return True
    leaf = figure.column.split(" / ")[-1].replace(" ", "")
    return any(leaf.startswith(name) for name in TOTAL_COLUMNS)


def group(figures: Sequence[Figure], metrics: Sequence[str]) -> list[Reading]:
    """Merge figures that state the same value; order by metric asked, then support."""
    buckets: dict[tuple, list[Figure]] = {}
    for f in figures:
        buckets.setdefault((f.doc_id, f.metric, f.measure, round(f.value, 2), f.unit), []).append(f)
    readings = [
        Reading(doc_id, metric, measure, value, unit, tuple(sorted(fs, key=_source_rank)))
        for (doc_id, metric, measure, value, unit), fs in buckets.items()
    ]
    metric_order = {m: i for i, m in enumerate(metrics)}
    return sorted(
        readings,
        key=lambda r: (
            metric_order.get(r.metric, 99),
            _measure_rank(r.measure),
            -len({(f.source, f.table_id) for f in r.figures}),
            _source_rank(r.primary),
        ),
    )


def _measure_rank(measure: str) -> int:
    order = ("决算数", "数量", "全年预算数", "年初预算数", "完成率", "增减额", "增减率", "占比")
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

"""One citable `Figure` per non-empty table cell.

The metric names are shared with the narrative figures (see `layouts.yaml`,
section `metrics`), so a question about 公务接待费 finds the 09表 cell and the
sentence in the 情况说明 alike, and `run_checks` can compare the two.
"""

from __future__ import annotations

from collections.abc import Sequence

from indexing.records import Document, Figure, Table, TableRow
from indexing.table_rows import layouts, metric_name

ACTUAL = "决算数"


def table_figures(tables: Sequence[Table], document: Document) -> list[Figure]:
    """Every amount printed in the tables, with its row, column path and source."""
    figures = []
    standard = layouts()["tables"]
    for table in tables:
        if table.table_id not in standard:
            continue  # a table of the document's own: kept as a table, not named as figures
        for index, row in enumerate(table.rows):
            for column, value in enumerate(row.values):
                if value is None:
                    continue
                figures.append(_figure(table, index, row, column, value, document))
    return figures


def _figure(
    table: Table, index: int, row: TableRow, column: int, value: float, document: Document
) -> Figure:
    path = table.columns[column]
    metric, measure, unit = describe(table.table_id, row.label, path)
    return Figure(
        figure_id=f"{table.doc_id}:t{table.table_id}:r{index}:L{row.locator.line_start}:c{column}",
        doc_id=table.doc_id,
        department=document.department,
        year=document.year,
        source="table",
        table_id=table.table_id,
        table_title=table.title,
        code=row.code,
        row=row.label,
        column=path,
        metric=metric,
        measure=measure,
        value=value,
        unit=unit or table.unit,
        quote=row.raw,
        locator=row.locator,
        bbox=row.boxes[column] if column < len(row.boxes) else None,
    )


def describe(table_id: str, label: str, column: str) -> tuple[str, str, str]:
    """(metric, measure, unit override or "") of one cell."""
    names = layouts()["metrics"]
    parts = [p.strip() for p in column.split("/")]
    if table_id == "09" and parts[-1] in names["column_leaf"]:
        return names["column_leaf"][parts[-1]], names["column_measure"].get(parts[0], ACTUAL), ""
    if table_id == "10":
        section, _, item = label.partition(" / ")
        entry = names["stat_rows"].get(f"{metric_name(section)}/{metric_name(item)}")
        if entry is None:
            return metric_name(item or section), ACTUAL, ""
        unit = entry.get("unit", "")
        return entry["metric"], "数量" if unit else ACTUAL, unit
    metric = metric_name(label)
    if metric == "合计":
        by_column = names["total_row"].get(table_id, {})
        return by_column.get(parts[-1], parts[-1]), ACTUAL, ""
    return names["row_labels"].get(table_id, {}).get(metric, metric), ACTUAL, ""

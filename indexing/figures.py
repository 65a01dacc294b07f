"""One citable `Figure` per non-empty table cell.

Cells are named from the vocabulary (`vocabulary.yaml`, a metric's `cells`),
as the narrative figures are, so a question about 公务接待费 finds the 09表 cell
and the sentence in the 情况说明 alike, and `run_checks` can compare the two.
"""

from __future__ import annotations

from collections.abc import Sequence

from indexing.records import Document, Figure, Table, TableRow
from indexing.table_rows import layouts, metric_name
from indexing.vocabulary import TOTAL_ROW, vocabulary

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
    """(metric, measure, unit override or "") of one cell.

    A cell the vocabulary names gets that metric (a count gets its unit);
    any other cell is named by its row label, or a total row's by its column.
    """
    words = vocabulary()
    parts = [p.strip() for p in column.split("/")]
    if table_id == "09" and (named := words.of_cell("09", column=parts[-1])):
        measures = layouts()["tables"]["09"]["column_measures"]
        return named.name, measures.get(parts[0], ACTUAL), ""
    if table_id == "10":
        section, _, item = label.partition(" / ")
        named = words.of_cell("10", row=f"{metric_name(section)}/{metric_name(item)}")
        if named is None:
            return metric_name(item or section), ACTUAL, ""
        return named.name, "数量" if named.unit else ACTUAL, named.unit
    metric = metric_name(label)
    if metric == TOTAL_ROW:
        named = words.of_cell(table_id, row=TOTAL_ROW, column=parts[-1])
        return named.name if named else parts[-1], ACTUAL, ""
    named = words.of_cell(table_id, row=metric)
    return named.name if named else metric, ACTUAL, ""

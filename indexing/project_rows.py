"""Reading the rows of one appendix self-evaluation table (see projects.py).

Two kinds of rows carry numbers: the budget-execution rows (年初预算数,
全年预算数, 全年执行数, 执行率) and the performance-indicator rows (a target
such as "=173条" followed by the actual value "173条"). PDF extraction
shifts their cells, so neither is read by absolute column: a budget row is
aligned on its own label and checked by its execution rate, an indicator row
is read around its target cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from indexing.numbers import normalise, parse_number
from indexing.records import Line

_LAYOUT = Path(__file__).resolve().parent / "projects.yaml"
# "提高85%" states an actual (and "提高90%" a target) the way "≥90%" does
_ACTUAL = re.compile(r"^(?:=|提高|降低)?(\d+(?:\.\d+)?)([^\d≥≤=<>＞＜≧≦]*)$")
_TARGET = re.compile(r"^(?:[≥≤=<>＞＜≧≦]|提高|降低)(\d+(?:\.\d+)?)([^\d]*)$")
_HEADER_TAG = re.compile(r"\((?:[A-Z/]+|万元|元)\)$")


@lru_cache(maxsize=1)
def layout() -> dict[str, Any]:
    """projects.yaml, loaded once."""
    with _LAYOUT.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def squeeze(text: str) -> str:
    """Cell text as the layout words are written: half-width, no spaces."""
    text = re.sub(r"\s+", "", normalise(text))
    return text.replace("（", "(").replace("）", ")").replace("：", ":")


@dataclass(frozen=True, slots=True)
class Reading:
    """One number of a project table, before the project is known."""

    row: str  # row label within the project: 资金总额, 线路开通数量, 总分
    column: str
    measure: str
    value: float
    unit: str
    line: Line


class BudgetReader:
    """Reads the budget-execution rows under one header (and its sub-header)."""

    def __init__(self, header: list[str], unit: str) -> None:
        rules = layout()["budget"]
        self.header = header
        self.first = next(i for i, c in enumerate(header) if rules["header_needs"][0] in c)
        self.unit = _unit_of(header) or unit
        self.columns = self._paths(header, [""] * len(header))
        self.sub_open = True
        self.mode: str | None = None  # alignment that read the total row right
        # "项目资金… | 资金总额: | 年初预算数 …": the header itself names the total,
        # so the block's rows are labelled by fund source, or not at all
        self.total_in_header = any(_label(c) in rules["totals"] for c in header)

    @staticmethod
    def is_header(cells: list[str]) -> bool:
        needs = layout()["budget"]["header_needs"]
        return all(any(need in c for c in cells) for need in needs)

    def wants_subheader(self, cells: list[str]) -> bool:
        """The row right after the header, with words and no numbers (目标申报 …)."""
        is_sub = (
            self.sub_open
            and any(cells)
            and all(parse_number(c) is None for c in cells)
            and not any(_label(c) for c in cells)
        )
        self.sub_open = False
        return is_sub

    def add_subheader(self, cells: list[str]) -> None:
        self.columns = self._paths(self.header, cells)
        self.unit = self.unit or _unit_of(cells)

    def _paths(self, header: list[str], sub: list[str]) -> list[str]:
        """Header path of each column from the first (年初预算数) on."""
        paths: list[str] = []
        parent = ""
        for i, cell in enumerate(header):
            parent = cell or parent
            below = sub[i] if i < len(sub) else ""
            paths.append(f"{parent} / {below}" if below else cell)
        paths = paths[self.first :]
        while paths and not paths[-1]:
            paths.pop()
        return [_HEADER_TAG.sub("", p) for p in paths]

    def read(self, cells: list[str], line: Line) -> list[Reading]:
        """The row's figures, or none when no alignment can be trusted."""
        totals = layout()["budget"]["totals"]
        at = max((i for i, c in enumerate(cells) if _label(c)), default=None)
        label = _label(cells[at]) if at is not None else ""
        total = label in totals
        if self.mode is None and self.total_in_header and not total:
            # the first row that adds up is the total, whatever fund (市区财政资金,
            # a label split over two lines, none) it is printed with
            at = at if at is not None else _before_numbers(cells)
            label, total = totals[0], True
        if at is None:
            return []
        for mode, values in self._alignments(cells, at):
            readings = self._readings(label, values, line)
            if total and _rate_agrees(readings):
                self.mode = mode
                return readings
            if not total and mode == self.mode:
                return readings
        return []

    def _alignments(self, cells: list[str], at: int) -> list[tuple[str, list[str]]]:
        """Cells after the label, and cells under the header's own columns."""
        after = cells[at + 1 :]
        while after and not after[-1]:
            after.pop()
        found = []
        if len(after) <= len(self.columns):
            found.append(("label", after))
        if at < self.first:
            found.append(("column", cells[self.first : self.first + len(self.columns)]))
        return found

    def _readings(self, label: str, values: list[str], line: Line) -> list[Reading]:
        readings = []
        for column, cell in zip(self.columns, values, strict=False):
            rule = _measure_of(column)
            value = parse_number(cell)
            if rule is None or value is None:
                continue
            unit = rule.get("unit") or self.unit
            if unit:
                readings.append(Reading(label, column, rule["measure"], value, unit, line))
        return readings


def _label(cell: str) -> str:
    """A budget row label ("其中:当年财政拨款" → 当年财政拨款), or ""."""
    rules = layout()["budget"]
    text = re.sub(r"^其中:?", "", cell).rstrip(":")
    return text if text in rules["totals"] or text in rules["parts"] else ""


def _before_numbers(cells: list[str]) -> int | None:
    """The cell just before a row's first number (its label's place), or None
    when the row has no number."""
    first = next((i for i, c in enumerate(cells) if parse_number(c) is not None), None)
    return None if first is None else first - 1


def _measure_of(column: str) -> dict[str, Any] | None:
    rules = layout()["budget"]
    if not column or any(word in column for word in rules["skip"]):
        return None
    return next((r for r in rules["measures"] if any(w in column for w in r["words"])), None)


def _unit_of(cells: list[str]) -> str:
    for unit in layout()["units"]:  # 万元 before 元
        if any(f"({unit})" in c for c in cells):
            return unit
    return ""


def _rate_agrees(readings: list[Reading]) -> bool:
    """执行数 / 全年预算数 gives the stated 执行率: the row was aligned right."""
    got = {r.measure: r.value for r in reversed(readings)}
    if not {"全年预算数", "执行数", "执行率"} <= got.keys():
        return False
    budget, spent, rate = got["全年预算数"], got["执行数"], got["执行率"]
    if budget == 0:
        return spent == 0
    return abs(spent / budget * 100 - rate) <= layout()["budget"]["rate_tolerance"]


@dataclass(frozen=True, slots=True)
class IndicatorHeader:
    """An indicator block's header: the actual-value column's name, and where a
    row printed cell for cell under it has its name and its target."""

    column: str
    width: int
    name_at: int | None
    target_at: int | None

    @classmethod
    def read(cls, cells: list[str]) -> IndicatorHeader | None:
        """The header, or None when no cell names an actual value."""
        rules = layout()["indicators"]
        actual = [i for i, c in enumerate(cells) if any(w in c for w in rules["actual_headers"])]
        if not actual:
            return None
        column = re.sub(r"\([A-Z/]+\)$", "", cells[actual[0]])
        names = [i for i, c in enumerate(cells) if c in rules["name_headers"]]
        targets = [
            i
            for i, c in enumerate(cells[: actual[0]])
            if any(w in c for w in rules["target_headers"])
        ]
        # the target is read under its header only when the actual follows it
        target_at = targets[-1] if targets and targets[-1] + 1 == actual[0] else None
        return cls(column, len(cells), names[-1] if names else None, target_at)

    def aligned(self, cells: list[str]) -> bool:
        return len(cells) == self.width


def _is_level(cell: str) -> bool:
    rules = layout()["indicators"]
    return cell.endswith(rules["level_suffix"]) or cell in rules["levels"]


def _bounded_target(cells: list[str]) -> int | None:
    target_re = re.compile(layout()["indicators"]["target"])
    return next((i for i, c in enumerate(cells) if target_re.match(c)), None)


def _target_at(cells: list[str], header: IndicatorHeader | None = None) -> int | None:
    """The target cell: one written with a bound ("≥150人"), else, in a row
    printed cell for cell under its header, the number under the target column
    ("100%" then "98.99%")."""
    found = _bounded_target(cells)
    if found is not None or header is None or not header.aligned(cells):
        return found
    at = header.target_at
    if at is None or at + 1 >= len(cells) or parse_number(cells[at]) is None:
        return None
    return at


def _indicator_name(cells: list[str], at: int, header: IndicatorHeader | None = None) -> str:
    """The indicator's name: the cells before its target, back to its level; for a
    target found by its column, the cell under the name column."""
    name_at = header.name_at if header is not None and header.aligned(cells) else None
    name_cell = cells[name_at] if name_at is not None and name_at < at else ""
    if header is not None and _bounded_target(cells) is None:
        return name_cell
    parts: list[str] = []
    for cell in reversed(cells[:at]):
        if _is_level(cell):
            break
        # bounds and unit cells ("≥%", "提高%") are not part of the name
        if cell and not re.match(r"^(?:[≥≤=<>＞＜≧≦]|(?:提高|降低)[%％]?$)", cell):
            parts.insert(0, cell)
    # a row printed under its header ("8 | 效益 | 项目效益 | 满意度 | 社会公众满意度"):
    # the walk back ran over the levels to the 序号; the name cell is the name
    if name_cell and len(parts) > 1 and parts[-1] == name_cell:
        return name_cell
    return "".join(parts)


def level_cells(text: str) -> list[str]:
    """The leading level cells of an indicator row's line (产出指标, 成本指标); empty
    on a row that continues the group above it."""
    out = []
    for cell in (squeeze(c) for c in text.split("\t")):
        if cell and not _is_level(cell):
            break
        if cell:
            out.append(cell)
    return out


def row_reason(text: str) -> str:
    """The reason a budget or indicator row gives for a shortfall (its first cell
    after the last number: 偏差原因), as printed; "" when it gives none."""
    cells = [squeeze(c) for c in text.split("\t")]
    numbers = [i for i, c in enumerate(cells) if parse_number(c) is not None]
    reasons = [c for c in cells[numbers[-1] + 1 :] if c] if numbers else []
    return reasons[0] if reasons else ""


def indicator_cells(text: str) -> tuple[str, str, str]:
    """(target, actual, the reason given for a shortfall) of an indicator row's line,
    as printed; empty strings where the row has none."""
    cells = [squeeze(c) for c in text.split("\t")]
    reason = row_reason(text)
    at = _target_at(cells)
    if at is None or at + 1 >= len(cells):
        return "", "", reason
    return cells[at], cells[at + 1], reason


def indicator_scores(
    cells: list[str], line: Line, column: str, header: IndicatorHeader | None = None
) -> list[Reading]:
    """An indicator's weight (分值) and the points it was given (得分): the first two
    numbers after its actual value, kept when the points do not exceed the weight
    ("成本节约率 ≥10% ≥5% 10 7": 7 of 10, three points deducted)."""
    at = _target_at(cells, header)
    if at is not None:
        name, rest = _indicator_name(cells, at, header), cells[at + 2 :]
    else:
        # a target not written as a number ("成本指标 | 未填报 | 部分达成… | 10 | 5"):
        # named by the cell after its level, scored by the numbers after that
        last = None  # the leading level cells: 一级, 二级 (empty cells between them)
        for i, cell in enumerate(cells):
            if cell and not _is_level(cell):
                break
            last = i if cell else last
        if last is None:
            return []
        # the name is the cell right after them; a 三级 printed as its level's name
        # ("成本指标 | 成本指标 | | 未填报") leaves an empty cell there
        after = cells[last + 1] if last + 1 < len(cells) else ""
        name, rest = (after, cells[last + 2 :]) if after else (cells[last], cells[last + 1 :])
    # weights and points are plain numbers, never a percentage (an actual "90%")
    numbers = [v for v in (parse_number(c) for c in rest if c and "%" not in c) if v is not None]
    if not name or len(numbers) < 2 or not 0 <= numbers[1] <= numbers[0]:
        return []
    weight, points = numbers[0], numbers[1]
    return [
        Reading(name, column, "指标分值", weight, "分", line),
        Reading(name, column, "指标得分", points, "分", line),
    ]


def indicator_reading(
    cells: list[str], line: Line, column: str, header: IndicatorHeader | None = None
) -> Reading | None:
    """The actual value after an indicator's target; its name is the text before.

    An actual value that is itself a bound ("≥95%") or has no unit, neither
    printed nor in the target, gives no figure.
    """
    at = _target_at(cells, header)
    if at is None or at + 1 >= len(cells):
        return None
    actual = _ACTUAL.match(cells[at + 1])
    target = _TARGET.match(cells[at])
    if actual is None:
        return None
    unit = actual.group(2) or (target.group(2) if target else "")
    value = parse_number(actual.group(1))
    name = _indicator_name(cells, at, header)
    # A quantity indicator counts things ("来冠就业创业优秀人才数量 =4 | 4"): its
    # whole number stands without a unit; any other unitless value is left out.
    counted = "数量指标" in cells and value is not None and float(value).is_integer()
    if value is None or not name or not (unit or counted):
        return None
    return Reading(name, column, "指标值", value, unit, line)

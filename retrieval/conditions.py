"""Conditions over rows: the rows of a document that meet a threshold.

"哪些项目的执行率低于90%", "得分低于95分的有哪些", "哪些项级科目的决算数低于
年初预算", "公用经费里哪些经济科目超过了20万元": the question names a measure,
a comparison and a threshold (a number, a half, or the row's own budget); every
row of the document with that measure is tested and those that pass are
listed, each with its citation. The words are data (`query_cues.yaml`,
`conditions`).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from indexing.project_rows import level_cells
from indexing.records import Figure
from indexing.sqlstore import FigureStore
from retrieval.cues import cue_data
from retrieval.lookup import is_total
from retrieval.projects import of_another_level
from retrieval.records import Query

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(%|％|分|万元|元)?")
# a threshold in the question (years are not thresholds)
_NUMBER_CUE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:%|％|分|万元|元)")


@dataclass(frozen=True, slots=True)
class Condition:
    """Rows whose `measure` compares (`op`) with `threshold`, or with their own budget."""

    measure: str  # 项目自评得分 | 执行率 | 完成率 | 决算数
    op: str  # < | > | >= | =
    threshold: float | None  # None: against the row's own 年初预算数
    unit: str
    column: str = ""  # a table column the rows are read from (公用经费)
    level: int = 0  # 科目编码 length of the rows asked (3 类, 5 款, 7 项), 0 any
    general_budget: bool = False  # rows of 一般公共预算财政拨款 only (the 05表)
    projects: tuple[str, ...] = ()  # the appendix projects named: their rows only
    kinds: tuple[str, ...] = ()  # indicator words a row must carry (满意度, 成本)
    project_level: str = ""  # "县级预算项目": projects named for another level left out
    subjects: bool = False  # "哪些科目": rows with a 科目编码 only, not totals or income lines


@dataclass(frozen=True, slots=True)
class Match:
    """One row that meets the condition, with the figures that show it."""

    row: str
    value: float
    unit: str
    figures: tuple[Figure, ...]


def _words() -> dict:
    return cue_data().get("conditions") or {}


def _any(patterns: dict | list, text: str) -> re.Match[str] | None:
    # English cues are words: "over" is not in "government"
    items = (
        patterns
        if isinstance(patterns, list)
        else [*patterns.get("zh", []), *(rf"\b(?:{p})" for p in patterns.get("en", []))]
    )
    for p in items:
        if m := re.search(p, text, re.IGNORECASE):
            return m
    return None


def parse(query: Query) -> Condition | None:
    """The condition a question sets on rows, or None when it sets none."""
    text = query.text
    w = _words()
    if not w:
        return None
    if _any(w.get("deducted", []), text):  # "成本指标为什么被扣分": which, and why
        return _deducted_condition(text, w)
    if not _any(w["asks_rows"], text):
        return None
    lacking = re.search(rf"(?:没有|无|未安排|不含)({'|'.join(w.get('parts', []))})", text)
    if lacking:  # "全部是项目支出、没有基本支出": rows with nothing in one part column
        return Condition("决算数", "absent", None, "", lacking.group(1), _level(text, w), True)
    if grade := _any(w.get("grade", []), text):
        # "自评等级为“良”的项目": rows whose stated grade is the one asked
        asked = next((g for g, forms in w["grades"].items() if grade.group(1) in forms), "")
        return Condition("项目自评得分", "grade", None, "", asked) if asked else None
    if _any(w.get("no_budget", []), text):
        projects = (
            "项目"
            if re.search(r"哪(?:些|几个)项目|项目中?有?哪些|\bprojects\b", text, re.I)
            else ""
        )
        return Condition("年初预算数", "no_budget", None, "", projects, _level(text, w))
    if _any(w.get("full_marks", []), text):
        return Condition("项目自评得分", "=", 100.0, "分")
    rose, fell = _any(w.get("rose", []), text), _any(w.get("fell", []), text)
    if (rose or fell) and not _NUMBER_CUE.search(text):
        # "哪些类比上年决算增加了": rows whose stated change against last year is > 0
        return Condition("增减额", ">" if rose else "<", 0.0, "万元", "", _level(text, w))
    at_least = _any(w.get("at_least", []), text)
    below, above = _any(w["below"], text), None if at_least else _any(w["above"], text)
    reached = _any(w["reached"], text) or at_least
    equal = _any(w.get("equal", []), text)
    cue = below or above or reached or equal
    if cue is None:
        return None
    op = "<" if below else (">" if above else (">=" if reached else "="))
    measure = next(
        (m for m, cues in w["measures"].items() if any(re.search(c, text, re.I) for c in cues)),
        "决算数",
    )
    tail = text[cue.end() : cue.end() + 16]
    number = _NUMBER.search(tail)
    if number is None:  # "98分及以上", "98 points or more": the number before the cue
        before = list(_NUMBER.finditer(text[max(0, cue.start() - 16) : cue.start()]))
        number = before[-1] if before else None
    threshold: float | None = None
    unit = ""
    if _any(w["half"], tail):
        threshold, unit = 50.0, "%"
        measure = "完成率" if measure == "决算数" else measure
    elif number and (number.group(2) or not re.match(r"\s*(?:了)?(?:年初|全年)?预算", tail)):
        threshold, unit = float(number.group(1)), (number.group(2) or "").replace("％", "%")
    elif (
        re.match(r"\s*(?:了)?(?:年初|全年)?预算", tail)
        or re.search(r"预算\S{0,4}$", text[: cue.start()])
        or (op == "=" and "预算" in text)
    ):
        threshold = None  # against each row's own budget
    else:
        return None
    if unit == "%" and measure in ("决算数", ""):
        measure = "完成率"
    level = _level(text, w)
    column = next((m for m in query.metrics if m in ("公用经费", "人员经费")), "")
    general = "一般公共预算" in text and measure in ("决算数", "完成率")
    subjects = "科目" in text
    return Condition(measure, op, threshold, unit, column, level, general, subjects=subjects)


def _deducted_condition(text: str, w: dict) -> Condition:
    """Indicators given fewer points than their weight, of the kinds the question names."""
    kinds = tuple(
        word
        for forms in (w.get("indicator_kinds") or {}).values()
        if any(re.search(rf"\b{f}" if f.isascii() else f, text, re.I) for f in forms)
        for word in forms
        if not word.isascii()
    )
    return Condition("指标得分", "deducted", None, "分", kinds=kinds)


def parse_ranking(query: Query) -> Condition | None:
    """ "各项级科目中哪一项完成年初预算的比例最高": every row with the measure,
    to be ranked; None when the question ranks no rows of one document."""
    text, w = query.text, _words()
    ranks = w.get("ranks") or {}
    if not w or not _any(ranks.get("by", []), text) or not _any(ranks.get("row", []), text):
        return None
    measure = next(
        (m for m, cues in w["measures"].items() if any(re.search(c, text, re.I) for c in cues)),
        "",
    )
    if not measure:
        return None
    general = "一般公共预算" in text
    return Condition(measure, ">=", float("-inf"), "", "", _level(text, w), general)


def _level(text: str, w: dict) -> int:
    """The 科目 level the question names (项级, 各类, 哪几款), as a code length; 0 none."""
    return next(
        (
            n
            for word, n in w["levels"].items()
            # 哪些项目 names projects, not 项 rows
            if any(re.search(f"{pre}{word}(?!目)", text) for pre in ("各", "哪几", "哪一", "哪些"))
            or f"{word}级" in text
        ),
        0,
    )


_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    ">": operator.gt,
    ">=": operator.ge,
    "=": lambda a, b: abs(a - b) < 0.005,  # amounts printed to the 分
}


def scan(store: FigureStore, condition: Condition, doc_id: str) -> list[Match]:
    """Every row of the document that meets the condition, in document order."""
    figures = [
        f
        for f in store.figures(doc_ids=[doc_id])
        if not (f.metric.endswith("项目") and of_another_level(f.metric, condition.project_level))
    ]
    if condition.op == "grade":
        return _graded(figures, condition)
    if condition.op == "no_budget":
        return _unbudgeted(figures, condition)
    if condition.op == "deducted":
        return _deducted(figures, condition)
    if condition.op == "absent":
        return _without_part(figures, condition)
    if condition.column:
        return _table_rows(figures, condition)
    if condition.threshold is None:
        return _against_budget(figures, condition)
    test = _OPS[condition.op]
    if condition.subjects and condition.measure == "决算数":
        # "哪些支出科目…超过了100万元": the coded rows, not 收入合计 or a heading's total
        figures = [f for f in figures if f.source == "table" and f.code]
    seen: dict[str, Match] = {}
    stated: list[Figure] = []  # projects' rates the 情况说明 states, its own naming
    for f in figures:
        if _project_rate(f, condition):
            stated.append(f)
            continue
        if f.measure != condition.measure:
            continue
        row = _row_name(f)
        if row in seen or not test(f.value, condition.threshold):
            continue
        seen[row] = Match(row, f.value, f.unit, (f,))
    # a project the tables already gave ("12345市民服务热线经费项目") is not
    # listed again under the 情况说明's shorter name ("市民服务热线经费项目")
    tabled = [re.sub(r"[()（）]", "", r) for r in seen]
    for f in stated:
        row = _row_name(f)
        plain = re.sub(r"[()（）]", "", row)
        if row in seen or any(plain in t or t in plain for t in tabled):
            continue
        if test(f.value, condition.threshold):
            seen[row] = Match(row, f.value, f.unit, (f,))
    if condition.measure == "完成率" and condition.threshold != float("-inf"):
        # rows that state their budget and actual but not the rate: computed from them
        # (a ranking lists stated rates only; nothing budgeted has no rate)
        stated = {_row_name(f) for f in figures if f.measure == "完成率"}
        for m in _budget_pairs(figures):
            if not m.figures[0].value or m.row in stated or m.row in seen:
                continue
            if test(m.value, condition.threshold):
                seen[m.row] = m
    return _at_level(list(seen.values()), condition, figures)


def _project_rate(f: Figure, c: Condition) -> bool:
    """A project's 执行率 the 情况说明 states as 完成预算的 80% (a 完成率): the same
    rate, so a project with no table row of its own is not left out."""
    return c.measure == "执行率" and f.measure == "完成率" and f.metric.endswith("项目")


def _without_part(figures: Sequence[Figure], c: Condition) -> list[Match]:
    """Rows of the 一般公共预算 expenditure table (05表) that spend but print
    nothing (or 0) in the part column named: all of a 项 is 项目支出 when its
    基本支出 cell is empty."""
    rows: dict[str, list[Figure]] = {}
    for f in figures:
        at_level = not c.level or len(f.code) == c.level
        if f.source == "table" and f.table_id == "05" and f.code and at_level:
            rows.setdefault(f.code, []).append(f)
    out = []
    for cells in rows.values():
        total = next((f for f in cells if is_total(f) and f.value), None)
        part = [f for f in cells if f.column.split(" / ")[-1] == c.column and f.value]
        if total is not None and not part:
            out.append(Match(total.row, total.value, total.unit, (total,)))
    return out


_GRADE = re.compile(r"[“\"「\s](优秀|良好|优|良|中等|中|合格|差)[”\"」]?\s*[。.]?\s*$")


def _graded(figures: Sequence[Figure], c: Condition) -> list[Match]:
    """Projects whose score is stated with the grade asked ("总得分 86.04 分，属于“良”",
    or the grade cell after the score in the summary table)."""
    forms = set((_words().get("grades") or {}).get(c.column, ()))
    seen: dict[str, Match] = {}
    for f in figures:
        if f.measure != c.measure or _row_name(f) in seen:
            continue
        m = _GRADE.search(f.quote.strip())
        if m and m.group(1) in forms:
            seen[_row_name(f)] = Match(_row_name(f), f.value, f.unit, (f,))
    return list(seen.values())


def _row_name(f: Figure) -> str:
    return f.metric if f.source != "table" else f.row


def _table_rows(figures: Sequence[Figure], c: Condition) -> list[Match]:
    test = _OPS[c.op]
    out = []
    for f in figures:
        if f.source != "table" or not f.code or c.column not in f.column:
            continue
        if len(f.code) <= 3:
            continue  # a class total, not an item
        if c.threshold is not None and test(f.value, c.threshold):
            out.append(Match(f.row, f.value, f.unit, (f,)))
    return out


def _budget_pairs(figures: Sequence[Figure]) -> list[Match]:
    """Every row whose 年初预算数 and 决算数 one sentence states, with the rate
    (决算 ÷ 预算 × 100, 0 when nothing was budgeted) and both figures."""
    actuals = {
        (f.metric, f.locator.line_start): f
        for f in figures
        if f.source == "narrative" and f.measure == "决算数"
    }
    out: list[Match] = []
    seen: set[str] = set()
    for budget in figures:
        if budget.source != "narrative" or budget.measure != "年初预算数" or budget.metric in seen:
            continue
        actual = actuals.get((budget.metric, budget.locator.line_start))
        if actual is None:
            continue
        seen.add(budget.metric)
        rate = round(actual.value / budget.value * 100, 2) if budget.value else 0.0
        out.append(Match(budget.metric, rate, "%", (budget, actual)))
    return out


def _deducted(figures: Sequence[Figure], c: Condition) -> list[Match]:
    """Indicators given fewer points than their weight, of the projects named (all
    projects when none is), of the kinds asked: the weight and points, in order."""
    weights = {
        (f.metric, f.row, f.locator.line_start): f for f in figures if f.measure == "指标分值"
    }
    several = len({f.metric for f in weights.values()}) > 1 and len(c.projects) != 1
    groups = _indicator_groups(weights.values())
    out = []
    for f in figures:
        if f.measure != c.measure or (c.projects and f.metric not in c.projects):
            continue
        weight = weights.get((f.metric, f.row, f.locator.line_start))
        if weight is None or f.value >= weight.value:
            continue
        group = groups.get((f.metric, f.locator.line_start), "")
        if c.kinds and not any(k in group or k in f.row for k in c.kinds):
            continue
        indicator = f.row.rsplit(" / ", 1)[-1]
        row = f"{f.metric}：{indicator}" if several else indicator
        out.append(Match(row, f.value, f.unit, (weight, f)))
    return out


def _indicator_groups(weights: Iterable[Figure]) -> dict[tuple[str, int], str]:
    """Each indicator row's level cells (成本指标 …), carried down the rows of its
    group that leave them empty, keyed by (project, line)."""
    groups: dict[tuple[str, int], str] = {}
    current: dict[str, str] = {}
    for f in sorted(weights, key=lambda f: (f.metric, f.locator.line_start)):
        levels = level_cells(f.quote)
        if levels:
            current[f.metric] = "".join(levels)
        groups[(f.metric, f.locator.line_start)] = current.get(f.metric, "")
    return groups


def _unbudgeted(figures: Sequence[Figure], c: Condition) -> list[Match]:
    """Rows spent with nothing in their initial budget: a sentence's 年初预算为0 beside its
    决算, or a project's 年初预算数 of 0 in its total row beside what it executed."""
    out = [m for m in _budget_pairs(figures) if not m.figures[0].value and m.figures[1].value]
    spent = {
        f.metric: f
        for f in figures
        if f.source == "appendix" and f.measure == "执行数" and is_total(f) and f.value
    }
    seen = {m.row for m in out}
    for f in figures:
        project = f.metric
        if f.source != "appendix" or f.measure != "年初预算数" or f.value or project in seen:
            continue
        if is_total(f) and project in spent:
            seen.add(project)
            out.append(Match(project, 0.0, f.unit, (f, spent[project])))
    if c.column == "项目":  # "哪些项目": the appendix's projects, not 科目 rows
        out = [m for m in out if m.figures[0].source == "appendix"]
    return _at_level(out, c, figures)


def _against_budget(figures: Sequence[Figure], c: Condition) -> list[Match]:
    """Rows whose 决算数 is below (above) their own 年初预算数, stated in one sentence."""
    out = [
        m
        for m in _budget_pairs(figures)
        if (m.figures[1].value != m.figures[0].value or c.op == "=")
        and _OPS[c.op](m.figures[1].value, m.figures[0].value)
    ]
    return _at_level(out, c, figures)


def _at_level(matches: list[Match], c: Condition, figures: Sequence[Figure]) -> list[Match]:
    """Keep the rows of the 科目 level asked (a 项 is a 7-digit code in the tables),
    and, for rows of the 一般公共预算 tables, only those the 05表 prints."""
    if not c.level and not c.general_budget:
        return matches
    tables = ("05",) if c.general_budget else ("05", "03")
    codes = {
        f.row: len(f.code)
        for f in figures
        if f.source == "table" and f.code and f.table_id in tables
    }
    kept = []
    for m in matches:
        level = codes.get(m.row)
        if c.general_budget and level is None:
            continue
        if c.level and level != c.level:
            continue  # "各类": rows of that level of the tables, not 三公经费
        kept.append(m)
    return kept

"""Sums and averages over the projects of one document's appendix.

"阳谷县政府办16个县级预算项目的全年预算数加起来是多少？" or "不算市政府决策研究
中心的4个，其余13个项目的平均得分": no figure states the total, so it is added
up from each project's own figure (its table's 年度资金总额 row, its summary
score, else the 情况说明's sentence about it), every one cited, with the count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from indexing.project_rows import layout
from indexing.records import Figure
from indexing.sqlstore import FigureStore
from retrieval.cues import cue_data
from retrieval.projects import (
    asked_level,
    core,
    every_named,
    named_projects,
    of_another_level,
    squeeze,
)
from retrieval.records import Query


@dataclass(frozen=True, slots=True)
class ProjectTotal:
    """What to add up: which measure, summed or averaged, over which projects."""

    measures: tuple[str, ...]  # 全年预算数 / 执行数 / 项目自评得分
    average: bool
    named: tuple[str, ...]  # the projects named: only these (or all but these)
    excluded: bool  # the named projects, or `unit`, are taken out
    unit: str  # "市政府决策研究中心": projects whose name carries it
    level: str = ""  # "县级预算项目": projects named for another level left out
    within: str = ""  # "属于市政府决策研究中心的": only projects whose name carries it


@dataclass(frozen=True, slots=True)
class ProjectValue:
    """One project's figure of a measure."""

    project: str
    figure: Figure
    stated: Figure | None = None  # the 情况说明's sentence giving the same amount

    @property
    def amount(self) -> float:
        """In 万元 when the table prints 元 (a sum over projects is read in 万元)."""
        return _in_wan(self.figure)


@lru_cache(maxsize=1)
def _cues() -> dict[str, list[re.Pattern[str]]]:
    raw = cue_data().get("project_totals") or {}

    def compiled(forms: dict | list) -> list[re.Pattern[str]]:
        if isinstance(forms, list):
            return [re.compile(p, re.I) for p in forms]
        return [re.compile(p, re.I) for p in forms.get("zh", [])] + [
            re.compile(rf"\b{p}\b", re.I) for p in forms.get("en", [])
        ]

    keys = ("sum", "average", "projects", "exclude", "rates", "these")
    out = {key: compiled(raw.get(key) or []) for key in keys}
    for rule in raw.get("measures") or []:
        out[f"measure:{rule['measure']}"] = compiled(rule["cues"])
    return out


def _found(key: str, text: str) -> re.Match[str] | None:
    return next((m for p in _cues()[key] if (m := p.search(text))), None)


def parse(query: Query, text: str, projects: Iterable[str]) -> ProjectTotal | None:
    """The total a question asks over projects, or None when it asks none. `text`
    is the question without the department's names (阳谷县政府… names no project)."""
    if not _cues() or not _found("projects", text) or _found("rates", text):
        return None
    average = _found("average", text) is not None
    if not average and not _found("sum", text):
        return None
    measures = tuple(
        key.split(":", 1)[1] for key in _cues() if key.startswith("measure:") and _found(key, text)
    )
    if average:
        measures = ("项目自评得分",) if "项目自评得分" in measures else measures[:1]
    else:
        measures = tuple(m for m in measures if m != "项目自评得分")
    if not measures:
        return None
    named = tuple(every_named(text, projects))
    if not named and query.earlier_answer and _found("these", text):
        # "这几个项目…加起来": the projects the answer before it named, as printed
        named = tuple(named_projects(query.earlier_answer, projects))
    cue = _found("exclude", text)
    unit = ""
    if cue is not None:
        # "不算市政府决策研究中心的4个": the unit the excluded projects carry in their names
        phrase = re.split(r"[的，,。;；()（）]|\d", text[cue.end() :], maxsplit=1)[0]
        unit = squeeze(phrase)
    belongs = re.search(r"属于(.{2,24}?)的", text)
    within = squeeze(belongs.group(1)) if belongs and cue is None else ""
    return ProjectTotal(measures, average, named, cue is not None, unit, asked_level(text), within)


def collect(
    store: FigureStore, total: ProjectTotal, doc_id: str, measure: str
) -> list[ProjectValue]:
    """Each project's figure of `measure`, in document order, after the question's
    inclusions and exclusions."""
    figures = store.figures(doc_ids=[doc_id])
    if measure == "项目自评得分":
        values = _scores(figures)
    else:
        values = _with_sentences(_amounts(figures, measure), figures)
    values = [v for v in values if not of_another_level(v.project, total.level)]
    within = total.within
    if len(within) >= 2 and any(within in squeeze(v.project) for v in values):
        return [v for v in values if within in squeeze(v.project)]
    unit = total.unit
    if len(unit) >= 2 and any(unit in squeeze(v.project) for v in values):
        return [v for v in values if unit not in squeeze(v.project)]
    named = {core(p) for p in total.named}
    if named:
        return [v for v in values if (core(v.project) in named) != total.excluded]
    return values


def _scores(figures: Sequence[Figure]) -> list[ProjectValue]:
    """One score per project: the summary table's rows, else each table's total."""
    scores = [f for f in figures if f.source == "appendix" and f.measure == "项目自评得分"]
    listed = [f for f in scores if " / 序号" in f.row]
    chosen = listed or scores
    return [ProjectValue(f.metric, f) for f in _by_line(chosen)]


def _with_sentences(values: list[ProjectValue], figures: Sequence[Figure]) -> list[ProjectValue]:
    """Each project's table amount with the sentence that states it too ("资金实际
    使用 302.21 万元" for 3,022,110.75 元), so a reader can check it in either."""
    out = []
    for v in values:
        f = v.figure
        name = core(v.project)
        stated = next(
            (
                n
                for n in figures
                if n.source == "narrative"
                and n.measure == f.measure
                and n is not f
                and abs(_in_wan(n) - v.amount) <= 0.005
                and (core(n.metric) in name or name in core(n.metric))
            ),
            None,
        )
        out.append(ProjectValue(v.project, f, stated) if f.source != "narrative" else v)
    return out


def _in_wan(f: Figure) -> float:
    return f.value / 10000 if f.unit == "元" else f.value


def _amounts(figures: Sequence[Figure], measure: str) -> list[ProjectValue]:
    """One amount per project: its table's total row, else the 情况说明's sentence."""
    totals = set(layout()["budget"]["totals"])
    rows = [
        f
        for f in figures
        if f.source == "appendix" and f.measure == measure and f.row.rsplit(" / ", 1)[-1] in totals
    ]
    tabled = {f.metric for f in rows}
    projects = {f.metric for f in figures if f.source == "appendix"}
    stated = [
        f
        for f in figures
        if f.source == "narrative"
        and f.measure == measure
        and f.metric in projects
        and f.metric not in tabled
    ]
    return [ProjectValue(f.metric, f) for f in _by_line(rows + stated)]


def _by_line(figures: Sequence[Figure]) -> list[Figure]:
    """One figure per printed row (a row may repeat a cell), in document order; two
    projects of one name on different rows stay two."""
    seen: dict[tuple[str, int], Figure] = {}
    for f in sorted(figures, key=lambda f: f.locator.line_start):
        seen.setdefault((f.metric, f.locator.line_start), f)
    return list(seen.values())

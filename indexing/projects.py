"""Figures of the appendix project tables: scores, budget execution, indicators.

Journalists ask what score a project got, how much of its budget it spent and
what it delivered ("线路开通数量 173条"). Those numbers are stated only in the
appendix (第五部分 附件): a summary table of the self-evaluated projects and
one self-evaluation table per project. The extraction shifts cells from row
to row, so a row is read relative to its own label, a total row is accepted
only when its execution rate agrees with its amounts, and a row that cannot
be mapped to its columns gives no figure. Layout words live in projects.yaml.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from indexing.loaders import is_watermark
from indexing.narrative import parse_text
from indexing.numbers import parse_number
from indexing.project_rows import (
    BudgetReader,
    IndicatorHeader,
    Reading,
    indicator_reading,
    indicator_scores,
    layout,
    squeeze,
)
from indexing.records import Document, Figure, Line, Locator, ProjectSpan

log = logging.getLogger(__name__)
_MIN_NAME_SIMILARITY = 0.6  # a garbled name ("单位运行组费") still resembles its summary row


def project_metric(name: str) -> str:
    """The metric a project's figures are stored under, named as the narrative
    names it ("县电子政务外网公共服务域建设项目(移动)项目"), so both meet in one
    answer: the narrative's own text normalisation, and a trailing 项目."""
    text, subjects = parse_text(name)
    if subjects:  # the name looked like a sentence subject: keep it as printed
        text = squeeze(name)
    return text if text.endswith("项目") else f"{text}项目"


@dataclass
class _Block:
    """One appendix table (or Shanxi report): its title line and what follows."""

    kind: str  # "summary" | "detail"
    title: Line
    lines: list[Line] = field(default_factory=list)


@dataclass
class _Summary:
    """One row of a summary table."""

    number: str
    name: str
    score: float
    column: str
    line: Line


@dataclass
class _Detail:
    """What one self-evaluation table states, before its project is resolved."""

    title: str
    name: str = ""
    score: float | None = None
    readings: list[Reading] = field(default_factory=list)


def _appendix(lines: Sequence[Line]) -> list[Line]:
    """Lines of the last part that opens with 第五部分, watermarks dropped."""
    starts = tuple(layout()["appendix_start"])
    first = [i for i, line in enumerate(lines) if line.text.strip().startswith(starts)]
    if not first:
        return []
    return [line for line in lines[first[-1] :] if not is_watermark(line.text)]


def appendix_heading(lines: Sequence[Line]) -> str:
    """The appendix's own heading line (第五部分 附件), or "" without an appendix."""
    appendix = _appendix(lines)
    return appendix[0].text.strip() if appendix else ""


def _title_kind(line: Line) -> str:
    """The kind of table a title line opens; a title ends with its word ("…绩效
    评价报告"), a sentence that mentions one ("撰写绩效评价报告。") is not one."""
    text = re.sub(layout()["title_suffix"], "", squeeze(line.text))
    if "\t" in line.text or len(text) > 40:
        return ""
    for kind, words in layout()["titles"].items():
        if text.endswith(tuple(words)):
            return kind
    return ""


def _blocks(lines: Sequence[Line]) -> list[_Block]:
    blocks: list[_Block] = []
    for line in _appendix(lines):
        kind = _title_kind(line)
        if kind:
            blocks.append(_Block(kind, line))
        elif blocks:
            blocks[-1].lines.append(line)
    return blocks


def _title(line: Line) -> str:
    return re.sub(layout()["title_suffix"], "", squeeze(line.text))


def _summary_rows(block: _Block) -> list[_Summary]:
    """序号 / 项目名称 / … / 得分 rows, the score read under its header."""
    words = layout()["summary"]
    rows: list[_Summary] = []
    columns: dict[str, int] = {}
    for line in block.lines:
        cells = [squeeze(c) for c in line.text.split("\t")]
        if words["number"] in cells and words["name"] in cells:
            score = next((c for c in cells if c in words["score"]), None)
            if score is None:
                continue
            columns = {"name": cells.index(words["name"]), "score": cells.index(score)}
            header = score
        elif columns and cells[0].isdigit() and len(cells) > columns["score"]:
            value = parse_number(cells[columns["score"]])
            name = cells[columns["name"]]
            if value is not None and name:
                rows.append(_Summary(cells[0], name, value, header, line))
    return rows


def _project_name(cells: list[str]) -> str:
    """The cells after 项目名称 up to 主管部门 (an OCR'd name may be split)."""
    words = layout()["project"]
    start = cells.index(words["name_cell"]) + 1
    parts: list[str] = []
    for cell in cells[start:]:
        if cell.startswith(tuple(words["name_end"])):
            break
        parts.append(cell)
    return "".join(parts).strip(":")


def _read_detail(block: _Block) -> _Detail:
    """Budget rows, indicator rows and the total score of one project table."""
    words = layout()
    detail = _Detail(_title(block.title))
    budget: BudgetReader | None = None
    unit = ""
    indicators: IndicatorHeader | None = None
    said: list[Reading] = []  # the money its sentences state, for a report without a table
    for line in block.lines:
        text = squeeze(line.text)
        cells = [squeeze(c) for c in line.text.split("\t")]
        if "\t" not in line.text:
            unit = _unit_line(text) or unit
            named = re.match(rf"{words['project']['name_cell']}:(.+)$", text)
            if named and not detail.name:
                detail.name = named.group(1)
            said.extend(_budget_sentence(text, line))
            stated = re.search(words["score_sentence"], text)
            if stated and detail.score is None:
                detail.score = float(stated.group(1))
                detail.readings.append(
                    Reading("总得分", "得分", "项目自评得分", detail.score, "分", line)
                )
        elif cells[0] == words["project"]["name_cell"] or (
            words["project"]["name_cell"] in cells[:2] and not detail.name
        ):
            detail.name = detail.name or _project_name(cells)
        elif BudgetReader.is_header(cells):
            budget = BudgetReader(cells, unit)
            indicators = None
        elif budget is not None and budget.wants_subheader(cells):
            budget.add_subheader(cells)
        elif header := IndicatorHeader.read(cells):
            indicators = header
        elif words["score_row"] in cells:
            detail.score = _last_number(cells)
            if detail.score is not None:
                detail.readings.append(
                    Reading(words["score_row"], "得分", "项目自评得分", detail.score, "分", line)
                )
            indicators = None
        elif indicators is not None:
            found = indicator_reading(cells, line, indicators.column, indicators)
            detail.readings += [found] if found else []
            detail.readings += indicator_scores(cells, line, indicators.column, indicators)
        elif budget is not None:
            detail.readings += budget.read(cells, line)
    tabled = {r.measure for r in detail.readings}
    detail.readings += [r for r in said if r.measure not in tabled]
    return detail


def _budget_sentence(text: str, line: Line) -> list[Reading]:
    """The project's budget or spending a report's sentence states, as its total row."""
    found = []
    for rule in layout().get("budget_sentences") or []:
        if m := re.search(rule["pattern"], text):
            value = parse_number(m.group(1))
            if value is not None:
                total = layout()["budget"]["totals"][0]
                found.append(Reading(total, "报告", rule["measure"], value, m.group(2), line))
    return found


def _unit_line(text: str) -> str:
    match = re.match(r"^单位:(万元|元)$", text)
    return match.group(1) if match else ""


def _last_number(cells: list[str]) -> float | None:
    numbers = [v for v in (parse_number(c) for c in cells) if v is not None]
    return numbers[-1] if numbers else None


def _resolve(detail: _Detail, summary: list[_Summary]) -> str:
    """The table's project as the summary names it; "" when it cannot be told.

    Without a summary the name is taken as printed. With one, a name that is
    not listed (OCR-garbled: "单位运行组费") is accepted only when exactly one
    listed project resembles it and has the same score.
    """
    if not detail.name:
        return ""
    if not summary:
        return detail.name
    key = project_metric(detail.name)
    listed = {project_metric(s.name): s.name for s in summary}
    if key in listed:
        return listed[key]
    like = {
        s.name
        for s in summary
        if detail.score is not None
        and s.score == detail.score
        and SequenceMatcher(None, key, project_metric(s.name)).ratio() >= _MIN_NAME_SIMILARITY
    }
    if len(like) == 1:
        return like.pop()
    log.debug("appendix table of %r matches no summary row; no figures", detail.name)
    return ""


def project_figures(lines: Sequence[Line], document: Document) -> list[Figure]:
    """Every number the appendix project tables state, one Figure each."""
    blocks = _blocks(lines)
    summary = [row for b in blocks if b.kind == "summary" for row in _summary_rows(b)]
    emitted: list[Figure] = []
    per_line: dict[int, int] = defaultdict(int)

    heading = appendix_heading(lines) if blocks else ""

    def emit(title: str, name: str, reading: Reading) -> None:
        line = reading.line
        k = per_line[line.no]
        per_line[line.no] += 1
        row = f"{name} / {reading.row}" if reading.row else name
        emitted.append(
            Figure(
                figure_id=f"{document.doc_id}:p:L{line.no}:{k}",
                doc_id=document.doc_id,
                department=document.department,
                year=document.year,
                source="appendix",
                table_id="",
                table_title=title,
                code="",
                row=row,
                column=reading.column,
                metric=project_metric(name),
                measure=reading.measure,
                value=reading.value,
                unit=reading.unit,
                quote=line.text,
                locator=Locator(line.no, line.no, line.page, line.page),
                section=f"{heading} > {title}",
            )
        )

    for block in blocks:
        if block.kind == "summary":
            for row in _summary_rows(block):
                reading = Reading(
                    f"序号{row.number}", row.column, "项目自评得分", row.score, "分", row.line
                )
                emit(_title(block.title), row.name, reading)
            continue
        detail = _read_detail(block)
        name = _resolve(detail, summary)
        if not name:
            continue
        title = detail.title if squeeze(name) in detail.title else f"{name}{detail.title}"
        for reading in detail.readings:
            emit(title, name, reading)
    return emitted


def project_spans(lines: Sequence[Line], figures: Sequence[Figure]) -> list[ProjectSpan]:
    """Which appendix lines belong to which project.

    A project's pages open with a short title line (…绩效自评表, …自评分析报告,
    …绩效评价报告) and run to the next such line. The project is the one its
    table's figures were resolved to (even under a garbled 项目名称), else the
    one named by 项目名称 just below the title or in the title itself, matched
    to the projects the tables gave figures for (an evaluation report's
    "冠县热线系统…项目" is the table's "热线系统…项目"). A title that names no
    project continues the pages of the one before.
    """
    words = layout()["project"]
    appendix = _appendix(lines)
    known = sorted({f.metric for f in figures if f.source == "appendix"})
    opens = [
        i
        for i, line in enumerate(appendix)
        if "\t" not in line.text
        and len(squeeze(line.text)) <= 40
        and _title(line).endswith(tuple(words["opens"]))
    ]
    spans: list[ProjectSpan] = []
    for k, i in enumerate(opens):
        end = appendix[opens[k + 1] - 1].no if k + 1 < len(opens) else appendix[-1].no
        # the project its tables' figures were resolved to (a garbled 项目名称 too),
        # else the one its 项目名称 or title names
        inside = Counter(
            f.metric
            for f in figures
            if f.source == "appendix" and appendix[i].no <= f.locator.line_start <= end
        )
        name = _named_below(appendix[i : i + words["name_within"]], words)
        metric = inside.most_common(1)[0][0] if inside else ""
        metric = metric or (_known_project(name, known) if name else "")
        if metric:
            spans.append(ProjectSpan(metric, appendix[i].no, end))
        elif spans:
            spans[-1] = ProjectSpan(spans[-1].metric, spans[-1].line_start, end)
    return spans


def _named_below(lines: Sequence[Line], words: dict) -> str:
    """The project named by 项目名称 (a cell, "项目名称：…" or "项目名称 …"), else
    by the title line itself without its title words."""
    cell = words["name_cell"]
    for line in lines[1:]:
        cells = [squeeze(c) for c in line.text.split("\t")]
        if cell in cells[:2]:
            return _project_name(cells)
        spaced = re.match(rf"^\s*{cell}[:：\s]+(\S.*)$", line.text)
        if spaced:
            return squeeze(spaced.group(1))
    title = _title(lines[0])
    for word in sorted(words["opens"], key=len, reverse=True):
        title = title.replace(word, "")
    title = re.sub(r"(项目支出|预算)$", "", title)
    return title if len(title) >= 4 else ""


def _known_project(name: str, known: Sequence[str]) -> str:
    """The stored project metric that `name` is, or resembles (≥ 0.6); else its own."""
    key = project_metric(name)
    if key in known or not known:
        return key
    inside = [k for k in known if k.removesuffix("项目") in key]
    if inside:
        return max(inside, key=len)
    best = max(known, key=lambda k: SequenceMatcher(None, key, k).ratio())
    return best if SequenceMatcher(None, key, best).ratio() >= _MIN_NAME_SIMILARITY else key

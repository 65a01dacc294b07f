"""Write a whole-section answer: the list complete and in order, with its count."""

from __future__ import annotations

from collections.abc import Sequence

from indexing.numbers import format_value
from indexing.project_rows import indicator_cells
from indexing.records import Chunk, Document
from retrieval.cite import Citations
from retrieval.compose import numbered
from retrieval.conditions import Condition, Match
from retrieval.coverage import salient_terms
from retrieval.engine import Engine
from retrieval.names import department_name, measure_label
from retrieval.project_totals import ProjectTotal, ProjectValue
from retrieval.records import Query
from retrieval.sections import ITEM, ReportPart, WholeSection


def section_answer(
    query: Query, section: WholeSection, engine: Engine, docs: dict[str, Document], cites: Citations
) -> str:
    """Heading and count first, then every passage of the section and the rows of its tables."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    doc = docs[section.doc_id]
    title = section.heading.rsplit(" > ", 1)[-1]
    items = section.items
    on_topic = _items_about(section, [*salient_terms(query.text, engine.names), *query.metrics])
    if on_topic and len(on_topic) < len(items):
        return _items_answer(doc, title, items, on_topic, cites, lang)
    if lang == "en":
        count = f" — {len(items)} items" if items else ""
        lines = [f"{department_name(doc, 'en')}, “{title}”{count}:"]
    else:
        count = f"（共{len(items)}项）" if items else ""
        lines = [f"{doc.department}「{title}」{count}："]
    for chunk in section.passages:
        body = chunk.body.strip()
        if body:
            n = cites.passage(chunk, body, 1.0)
            lines.append(f"{body}[{n}]")
    lexical = engine.lexical
    table_chunks = {
        lexical.chunks[i].table_id: lexical.chunks[i]
        for i in lexical.positions([section.doc_id], ["table"])
    }
    for table in section.tables:
        chunk = table_chunks.get(table.table_id)
        for row in table.rows:
            text = row.raw.replace("\t", " ").strip()
            ref = f"[{cites.passage(chunk, row.raw, 1.0)}]" if chunk is not None else ""
            lines.append(f"- {text}{ref}")
    return "\n".join(lines)


_PART_LABELS = {
    "problems": ("存在的问题", "Problems found"),
    "suggestions": ("建议", "Suggestions"),
    "team": ("评价人员", "The evaluation team"),
    "experience": ("经验及做法", "Experience and practice"),
    "scoring": ("评价结论及得分", "Conclusion and scores"),
}


def report_answer(
    parts: Sequence[ReportPart], docs: dict[str, Document], cites: Citations, lang: str
) -> str:
    """Each asked part of a project's evaluation report, whole: its heading, then every
    passage under it in order (subsection titles kept), each cited."""
    lines: list[str] = []
    for part in parts:
        zh, en = _PART_LABELS.get(part.part, (part.part, part.part))
        title = part.heading.rsplit(" > ", 1)[-1]
        lines.append(
            f"{part.project} — {en} (「{title}」):"
            if lang == "en"
            else f"{part.project}「{title}」（{zh}）："
        )
        shown = ""
        for chunk in part.passages:
            path = chunk.section
            sub = path[len(part.heading) :].lstrip(" >")
            body = chunk.body.strip()
            if not body:
                continue
            n = cites.passage(chunk, body, 1.0)
            # a subsection's title once, before its first passage
            head = f"{sub.rsplit(' > ', 1)[-1]}：" if sub and sub != shown else ""
            shown = sub
            lines.append(f"- {head}{body.replace(chr(9), ' ')}[{n}]")
    return "\n".join(lines)


def rows_answer(
    query: Query,
    condition: Condition,
    matches: Sequence[Match],
    doc: Document,
    cites: Citations,
) -> str:
    """The rows that meet the condition, counted, each with its value and citations."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    if condition.threshold is None:
        rule_zh = {
            "<": "决算数低于年初预算",
            "=": "决算数等于年初预算",
            "absent": f"没有{condition.column}",
            "grade": f"绩效自评等级为“{condition.column}”",
            "no_budget": "年初预算为0而有支出",
            "deducted": "绩效指标得分低于分值（被扣分）",
        }.get(condition.op, "决算数超过年初预算")
        rule_en = {
            "<": "actual below the initial budget",
            "=": "actual equal to the initial budget",
            "absent": f"nothing under {condition.column}",
            "grade": f"a self-evaluation graded “{condition.column}”",
            "no_budget": "spending with no initial budget",
            "deducted": "performance indicators given fewer points than their weight",
        }.get(condition.op, "actual above budget")
    elif condition.measure == "增减额" and condition.threshold == 0:
        rule_zh = "比上年增加" if condition.op == ">" else "比上年减少"
        rule_en = "an increase on the year before" if condition.op == ">" else "a decrease"
    else:
        sign_zh = {"<": "低于", ">": "高于", ">=": "达到", "=": "等于"}[condition.op]
        sign_en = {"<": "below", ">": "above", ">=": "at least", "=": "equal to"}[condition.op]
        amount = f"{format_value(condition.threshold)}{condition.unit}"
        rule_zh = f"{measure_label(condition.measure, 'zh') or condition.measure}{sign_zh}{amount}"
        rule_en = f"{measure_label(condition.measure, 'en')} {sign_en} {amount}"
    if lang == "en":
        lines = [f"{department_name(doc, 'en')}: {len(matches)} rows with {rule_en}:"]
    else:
        # projects are counted in 个 (共 7 个项目), 科目 rows in 项
        projects = bool(matches) and all(m.row.endswith("项目") for m in matches)
        count = f"{len(matches)} 个项目" if projects else f"{len(matches)} 项"
        lines = [f"{doc.department}{doc.year or ''}年度{rule_zh}的共 {count}："]
    for i, m in enumerate(matches, start=1):
        if len(m.figures) == 1:  # its row, and a sentence that states it
            refs = cites.supported(m.figures)
        else:
            refs = "".join(dict.fromkeys(f"[{cites.figure(f)}]" for f in m.figures))
        if len(m.figures) == 2 and m.figures[0].measure == "指标分值":
            weight, points = m.figures
            target, actual, reason = indicator_cells(points.quote)
            if lang == "en":
                detail = f"target {target}, actual {actual}; " if target else ""
                detail += f"{format_value(points.value)} of {format_value(weight.value)} points"
            else:
                detail = f"目标 {target}，实际 {actual}，" if target else ""
                detail += (
                    f"得 {format_value(points.value)} 分（分值 {format_value(weight.value)} 分）"
                )
            detail += f"；{reason}" if reason else ""
            lines.append(f"{numbered(i, m.row)}：{detail}{refs}")
        elif len(m.figures) == 2 and m.figures[0].measure == "年初预算数":
            budget, actual = m.figures
            done = "执行" if actual.measure == "执行数" else "决算"
            detail = (
                f"年初预算 {format_value(budget.value)} {budget.unit}，{done} "
                f"{format_value(actual.value)} {actual.unit}"
            )
            if lang == "en":
                detail = (
                    f"initial budget {format_value(budget.value)} {budget.unit}, actual "
                    f"{format_value(actual.value)} {actual.unit}"
                )
            if budget.value:
                detail += f"{'; ' if lang == 'en' else '，完成 '}{format_value(m.value)}%"
            lines.append(f"{numbered(i, m.row)}：{detail}{refs}")
        else:
            lines.append(
                f"{numbered(i, m.row)}：{format_value(m.value)} {m.unit}{refs}".replace(" %", "%")
            )
    return "\n".join(lines)


def _items_about(section: WholeSection, terms: Sequence[str]) -> list[tuple[int, str, Chunk]]:
    """The numbered items of the section that speak of one of the terms
    ("在国有资产管理和政府采购方面负有哪些职责" → item （五）), with their position."""
    words = [t for t in dict.fromkeys(terms) if len(t) >= 2]
    found: list[tuple[int, str, Chunk]] = []
    position = 0
    for chunk in section.passages:
        for line in chunk.body.split("\n"):
            if not ITEM.match(line):
                continue
            position += 1
            if words and any(w in line for w in words):
                found.append((position, line.strip(), chunk))
    return found


def _items_answer(
    doc: Document,
    title: str,
    items: Sequence[str],
    on_topic: Sequence[tuple[int, str, Chunk]],
    cites: Citations,
    lang: str,
) -> str:
    """Only the items asked about, each with its place in the list."""
    if lang == "en":
        lines = [
            f"{department_name(doc, 'en')}, “{title}” ({len(items)} items), those asked about:"
        ]
    else:
        lines = [f"{doc.department}「{title}」共{len(items)}项，问到的是："]
    for _, line, chunk in on_topic:  # each item carries its own number: （五）…
        n = cites.passage(chunk, line, 1.0)
        lines.append(f"{line}[{n}]")
    return "\n".join(lines)


def project_total_answer(
    query: Query,
    total: ProjectTotal,
    found: dict[str, Sequence[ProjectValue]],
    doc: Document,
    cites: Citations,
) -> str:
    """For each measure: the total (or average) over the projects, then each
    project's own figure with its citation, so the sum can be redone."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    blocks: list[str] = []
    for measure, values in found.items():
        money = all(v.figure.unit in ("万元", "元") for v in values)
        unit = "万元" if money else values[0].figure.unit
        summed = round(sum(v.amount for v in values), 2)
        n = len(values)
        label = measure_label(measure, lang)
        if total.average:
            mean = round(summed / n, 2)
            head = (
                f"{department_name(doc, lang)}: the average {label} of {n} projects is "
                f"{format_value(mean)} {unit} ({format_value(summed)} ÷ {n})."
                if lang == "en"
                else f"{doc.department}{n}个项目的{label}平均为 {format_value(mean)} {unit}"
                f"（合计 {format_value(summed)} ÷ {n}）。"
            )
        else:
            head = (
                f"{department_name(doc, lang)}: {label} of {n} projects adds up to "
                f"{format_value(summed)} {unit}."
                if lang == "en"
                else f"{doc.department}{n}个项目的{label}合计 {format_value(summed)} {unit}。"
            )
        lines = [head]
        for rank, v in enumerate(values, 1):
            f = v.figure
            shown = f"{format_value(f.value)} {f.unit}".strip()
            if f.unit == "元" and money:
                shown += f"（{format_value(round(v.amount, 2))} 万元）"
            if v.stated:
                refs = f"[{cites.figure(f)}][{cites.figure(v.stated)}]"
            else:  # its row, and a sentence of its pages that states it
                refs = cites.supported([f])
            lines.append(f"{numbered(rank, v.project)}: {shown} {refs}")
        parts = " + ".join(format_value(round(v.amount, 2)) for v in values)
        lines.append(f"{parts} = {format_value(summed)} {unit}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)

"""Write the answer from evidence, without an LLM and without inventing numbers.

Every number in the text comes from a stored figure or a quoted sentence, and
carries the [n] of its source. A figure answer leads with one direct sentence
(value, unit, measure, period), then the source sentences; a comparison is a
small table with one citation per row and the computed result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexing.numbers import format_value
from indexing.records import Document, Figure
from retrieval.cite import Citations, figure_where
from retrieval.evidence import Sentence
from retrieval.lookup import Reading, best_per_document
from retrieval.names import department_name, measure_label, metric_label
from retrieval.records import Query

BUDGETS = ("年初预算数", "全年预算数")
LEAD_READINGS = 8  # figures stated before the quotes: every part of a question, not a table


def _value(value: float, unit: str, lang: str) -> str:
    text = f"{format_value(value)} {unit}".strip()
    if lang == "en" and unit == "万元":
        text += f" (RMB {format_value(round(value * 10000, 2))})"
    return text


def numbered(rank: int, label: str) -> str:
    """A list item "1. label". A label that starts with a digit (12345市民服务热线)
    is quoted, so "2. 12345…" never reads as the number 2.12345."""
    return f"{rank}. “{label}”" if label[:1].isdigit() else f"{rank}. {label}"


def figure_answer(
    query: Query,
    readings: Sequence[Reading],
    sentences: Sequence[Sentence],
    docs: dict[str, Document],
    cites: Citations,
    row_parts: dict[str, tuple[Figure, ...]] | None = None,
) -> str:
    """Lead with the figures found, note conflicting sources, quote the evidence.

    `row_parts` (figure id → the other cells of its table row) says what a
    conflicting source's total is made of (16.19 = 财政拨款收入 10 + 其他收入 6.19).
    """
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    parts: list[str] = []
    seen_metric_measure: dict[tuple, Reading] = {}
    shown_values: set[tuple] = set()
    for reading in readings[:LEAD_READINGS]:
        key = (reading.doc_id, reading.metric, reading.measure)
        same = (reading.doc_id, reading.measure, round(reading.value, 2), reading.unit)
        if (
            same in shown_values
            and key not in seen_metric_measure
            and (reading.metric not in query.metrics)
        ):
            continue  # the same number under a near-namesake (收入合计 / 本年收入合计)
        shown_values.add(same)
        refs = (  # a derived value cites each of its inputs, a stated one its sources
            "".join(f"[{cites.figure(f)}]" for f in reading.figures)
            if reading.measure.endswith("推算")
            else cites.supported(reading.figures)
        )
        doc = docs[reading.doc_id]
        if key in seen_metric_measure:
            first = seen_metric_measure[key].primary
            if reading.primary.source == "appendix" and reading.primary.row != first.row:
                parts.append(_row_value(reading, refs))  # another indicator of the project
            else:
                made_of = (row_parts or {}).get(reading.primary.figure_id, ())
                parts.append(
                    _other_value(reading, refs, lang, seen_metric_measure[key])
                    + _made_of(made_of, cites, lang)
                )
            continue
        seen_metric_measure[key] = reading
        parts.append(_lead(doc, reading, refs, lang))
    for sentence in _relevant(sentences, readings):
        n = cites.passage(sentence.chunk, sentence.text, sentence.score)
        label = "Source" if lang == "en" else "原文"
        parts.append(f"{label}：「{sentence.text}」[{n}]")
    return "\n".join(parts)


def with_quotes(
    text: str,
    sentences: Sequence[Sentence],
    readings: Sequence[Reading],
    cites: Citations,
    lang: str,
) -> str:
    """The answer with the sentences about its `readings` that answer its other
    parts, each cited (a derived rate, then "比上年增加了多少，原因是什么" in the
    document's words)."""
    return with_sentences(text, _relevant(sentences, readings), cites, lang)


def with_sentences(text: str, sentences: Sequence[Sentence], cites: Citations, lang: str) -> str:
    """The answer with each sentence it does not already quote, cited."""
    label = "Source" if lang == "en" else "原文"
    lines = [text]
    for sentence in sentences:
        if sentence.text in text:
            continue
        n = cites.passage(sentence.chunk, sentence.text, sentence.score)
        lines.append(f"{label}：「{sentence.text}」[{n}]")
    return "\n".join(lines)


def with_breakdown(
    text: str, parent: Figure, children: Sequence[Figure], cites: Citations, lang: str
) -> str:
    """The answer with the rows under the cited amount's row ("其中：31002 办公设备购置 13.58")."""
    if not children:
        return text
    items = "；".join(
        f"{f.code} {f.row} {_value(f.value, f.unit, lang)}[{cites.figure(f)}]" for f in children
    )
    label = f"Of which ({parent.row})" if lang == "en" else f"其中（{parent.row}）"
    return f"{text}\n{label}：{items}"


def with_purpose(
    text: str, sentences: Sequence[Sentence], cites: Citations, query: Query, most: int = 1
) -> str:
    """The answer with the document's sentences on what the money paid for (one
    per thing asked about, at most `most`), those not quoted yet."""
    label = "Used for" if query.lang in ("en", "mixed") else "用途"
    added = 0
    for sentence in sentences:
        if sentence.text in text or added >= most:
            continue
        n = cites.passage(sentence.chunk, sentence.text, sentence.score)
        text += f"\n{label}：「{sentence.text}」[{n}]"
        added += 1
    return text


_AMOUNT = re.compile(r"\d[\d,.\s]*(万元|元|%|％|个|辆|人次|批次|分)|\d+\.\s?\d+")


def has_amount(text: str) -> bool:
    """Does the text state an amount, a count or a rate (not just a line number)?"""
    return bool(_AMOUNT.search(text))


def blank_answer(
    query: Query, sentence: Sentence, docs: dict[str, Document], cites: Citations
) -> str:
    """The metric's row is there but carries no amount: say so, citing the row."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    doc = docs[sentence.chunk.doc_id]
    n = cites.passage(sentence.chunk, sentence.text, sentence.score)
    metric = metric_label(query.metrics[0], lang)
    if lang == "en":
        return (
            f"{department_name(doc, 'en')} reports no amount for {metric} in {doc.year}: "
            f"the row is blank [{n}].\nSource: 「{sentence.text}」[{n}]"
        )
    return f"{doc.department}{doc.year}年度决算中{metric}没有金额（该行为空）[{n}]。\n原文：「{sentence.text}」[{n}]"


def not_stated(
    query: Query,
    kind: str,
    sentences: Sequence[Sentence],
    docs: dict[str, Document],
    cites: Citations,
) -> str:
    """The documents speak of what was asked but give no amount of it: say so,
    quoting what they do say, so the reader sees why."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    quoted = [(cites.passage(s.chunk, s.text, s.score), s) for s in sentences[:2]]
    if lang == "en":
        what = "the amount" if kind == "money" else "that number"
        lines = [f"Not found in the documents: they do not state {what}. What they say:"]
        lines += [f"「{s.text}」[{n}]" for n, s in quoted]
    else:
        what = "金额" if kind == "money" else "数量"
        lines = [f"文件中未找到：文件没有给出所问的{what}。相关原文："]
        lines += [f"「{s.text}」[{n}]" for n, s in quoted]
    return "\n".join(lines)


def _relevant(sentences: Sequence[Sentence], readings: Sequence[Reading]) -> list[Sentence]:
    """With figures found, quote only sentences that speak of them (their
    metric or one of their values): a loosely matching sentence is noise."""
    if not readings:
        return list(sentences)
    names = {re.sub(r"[()（）\s]", "", r.metric) for r in readings}
    values = {format_value(r.value).replace(",", "") for r in readings}
    projects = {r.metric for r in readings}
    kept = []
    for sentence in sentences:
        if sentence.chunk.project and sentence.chunk.project in projects:
            kept.append(sentence)  # the project's own pages: what it bought, when, how many
            continue
        if not _AMOUNT.search(sentence.text):
            continue  # beside figures, a sentence without an amount adds nothing
        squeezed = re.sub(r"[()（）\s,]", "", sentence.text)
        if any(n in squeezed for n in names) or any(v in squeezed for v in values if len(v) > 2):
            kept.append(sentence)
    return kept


def _derived_lead(doc: Document, r: Reading, refs: str, lang: str) -> str:
    """A value the document implies: the initial budget (actual minus the change
    against it) or last year's (this year's minus the change from it), with the
    formula on the two cited figures."""
    formula = ""
    if len(r.figures) == 2:
        now, change = (format_value(f.value) for f in r.figures)
        formula = f"{now} − ({change}) = {format_value(r.value)}"
    value = _value(r.value, r.unit, lang)
    if r.measure == "年初预算数推算":
        if lang == "en":
            return (
                f"{department_name(doc, 'en')}, {doc.year or ''}: {metric_label(r.metric, 'en')} — "
                f"initial budget derived as the actual minus its stated change against the "
                f"budget ({formula}): {value} {refs}."
            )
        return (
            f"据决算说明推算，{doc.department}{doc.year or ''}年度{r.metric}年初预算数约为 "
            f"{value}（决算数减去比年初预算增减额：{formula}）{refs}。"
        )
    previous = r.measure[:4]
    if lang == "en":
        return (
            f"{department_name(doc, 'en')}: {metric_label(r.metric, 'en')} in {previous}, "
            f"derived as this year's figure minus the stated change ({formula}): {value} {refs}."
        )
    return (
        f"据决算说明推算，{doc.department}{previous}年度{r.metric}约为 "
        f"{value}（本年决算数减去比上年增减额：{formula}）{refs}。"
    )


def _lead(doc: Document, r: Reading, refs: str, lang: str) -> str:
    year = doc.year or ""
    if r.measure.endswith("推算"):  # a value minus a change the document states
        return _derived_lead(doc, r, refs, lang)
    if lang == "en":
        return (
            f"{department_name(doc, 'en')}, {year}: {metric_label(r.metric, 'en')} — "
            f"{measure_label(r.measure, 'en')} {_value(r.value, r.unit, 'en')} {refs}."
        )
    indicator = r.primary.source == "appendix" and r.measure == "指标值" and " / " in r.primary.row
    if indicator:  # a project's indicator is named by its row: 出访国家个数
        row = r.primary.row.rsplit(" / ", 1)[-1]
        return (
            f"{doc.department}{year}年度{r.metric}：{row} {_value(r.value, r.unit, 'zh')}{refs}。"
        )
    return (
        f"{doc.department}{year}年度{r.metric}{measure_label(r.measure, 'zh')}为 "
        f"{_value(r.value, r.unit, 'zh')}{refs}。"
    )


def _row_value(r: Reading, refs: str) -> str:
    row = r.primary.row.split(" / ")[-1]
    return f"- {row}：{_value(r.value, r.unit, 'zh')}{refs}"


def _other_value(r: Reading, refs: str, lang: str, first: Reading | None = None) -> str:
    """A second figure for the same name, said as what it is: another source's number.

    Both sources are named (table and column, or the narrative's section), so a
    reader sees the scope of each; no reason is given that the documents do not give.
    """
    where = figure_where(r.primary)
    lead = f"{figure_where(first.primary)}" if first is not None else ""
    if lang == "en":
        also = f" (the figure above is from {lead})" if lead else ""
        return f"Note: another source, {where}, gives {_value(r.value, r.unit, 'en')} {refs}{also}."
    also = f"（上面的数取自 {lead}）" if lead else ""
    return f"注意：另一来源 {where} 为 {_value(r.value, r.unit, 'zh')}{refs}{also}。"


def _made_of(cells: Sequence[Figure], cites: Citations, lang: str) -> str:
    """The other cells of a total's row, each cited: what the total adds up."""
    if not cells:
        return ""
    items = [
        f"{f.column.split(' / ')[-1]} {_value(f.value, f.unit, lang)}[{cites.figure(f)}]"
        for f in cells
    ]
    return f" Of which: {'; '.join(items)}." if lang == "en" else f"其中：{'、'.join(items)}。"


TOP_ROWS = 10  # departments listed when a question names none (the count says the rest)
_LOWEST = re.compile(r"最低|最少|最小|lowest|least|smallest", re.IGNORECASE)


def comparison_answer(
    query: Query,
    readings: Sequence[Reading],
    doc_ids: Sequence[str],
    missing: dict[str, Sentence | None],
    docs: dict[str, Document],
    cites: Citations,
) -> tuple[str, tuple[tuple[str, float], ...]]:
    """A table over every department, the ranking or the sum, and a chart series."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    lines: list[str] = []
    chart: list[tuple[str, float]] = []
    named = bool(query.doc_ids) and not (query.all_docs and len(doc_ids) > TOP_ROWS)
    metrics = _compared_metrics(readings)
    shown: set[tuple[str, frozenset]] = set()
    for metric in metrics:
        measures = _compared_measures(query, readings, metric)
        for measure in measures:
            chosen = best_per_document(readings, metric, measure)
            same = (measure, frozenset((d, r.value) for d, r in chosen.items()))
            if not chosen or same in shown:
                continue  # none, or the numbers of a near-namesake already listed
            shown.add(same)
            rows = sorted(chosen.values(), key=lambda r: -r.value)
            # a question naming no department over a large corpus: the top rows and
            # the count, not every department (the sum still adds them all)
            capped = not named and len(rows) > TOP_ROWS
            low = bool(_LOWEST.search(query.text))
            listed = (rows[-TOP_ROWS:][::-1] if low else rows[:TOP_ROWS]) if capped else rows
            title = f"{metric_label(metric, lang)} {measure_label(measure, lang)}".strip()
            lines.append(f"{title}:" if lang == "en" else f"{title}：")
            for rank, r in enumerate(listed, 1):
                refs = cites.supported(r.figures)
                name = department_name(docs[r.doc_id], lang)
                lines.append(f"{rank}. {name}: {_value(r.value, r.unit, lang)} {refs}")
            absent = [d for d in doc_ids if d not in chosen]
            if capped or (not named and len(absent) > TOP_ROWS):
                lines.append(_counted(len(rows), len(listed), len(absent), low, lang))
            else:
                lines += [_missing_line(docs[d], missing.get(d), cites, lang) for d in absent]
            lines.append(_result(query, rows, docs, lang, len(listed)))
            if not chart:
                chart = [(department_name(docs[r.doc_id], lang), r.value) for r in listed]
    return "\n".join(lines), tuple(chart)


def _counted(stated: int, listed: int, absent: int, low: bool, lang: str) -> str:
    """How many departments state the figure, how many are listed, how many do not."""
    if lang == "en":
        which = "lowest" if low else "top"
        text = f"{stated} departments state it; the {listed} listed are the {which} {listed}."
        return text + (f" {absent} do not state it." if absent else "")
    which = "最少的" if low else "前"
    text = f"共 {stated} 家单位披露了此数，以上列出{which} {listed} 家。"
    return text + (f"另有 {absent} 家未披露。" if absent else "")


def _compared_metrics(readings: Sequence[Reading]) -> list[str]:
    """Metrics worth a table: in asked order, and covering more than one
    department (a near-namesake found in one department's detail table is noise)."""
    coverage: dict[str, set[str]] = {}
    for r in readings:
        coverage.setdefault(r.metric, set()).add(r.doc_id)
    widest = max((len(docs) for docs in coverage.values()), default=0)
    return [m for m, docs in coverage.items() if len(docs) > 1 or widest == 1][:3]


def _compared_measures(query: Query, readings: Sequence[Reading], metric: str) -> list[str]:
    """The measures a comparison or a sum lists: the change (amount and rate),
    the budget and the actual when both are asked, or the main one."""
    if query.measure == "增减":
        return ["增减额", "增减率"]
    if query.measure == "预算和决算":
        stated = {r.measure for r in readings if r.metric == metric}
        order = BUDGETS if "年初" in query.text else BUDGETS[::-1]
        budget = next((m for m in order if m in stated), None)
        return [m for m in (budget, "决算数") if m in stated]
    return [_main_measure(readings, metric)]


def _main_measure(readings: Sequence[Reading], metric: str) -> str:
    measures = [r.measure for r in readings if r.metric == metric]
    for measure in ("决算数", "数量"):
        if measure in measures:
            return measure
    return measures[0] if measures else "决算数"


def _missing_line(doc: Document, sentence: Sentence | None, cites: Citations, lang: str) -> str:
    name = department_name(doc, lang)
    if sentence is None:
        return f"- {name}: not stated" if lang == "en" else f"- {name}：未披露"
    n = cites.passage(sentence.chunk, sentence.text, sentence.score)
    return f"- {name}: 「{sentence.text}」[{n}]"


def _result(
    query: Query, rows: Sequence[Reading], docs: dict[str, Document], lang: str, listed: int = 0
) -> str:
    unit = rows[0].unit
    if query.intent == "sum":
        total = round(sum(r.value for r in rows), 2)
        terms = " + ".join(format_value(r.value) for r in rows[: listed or len(rows)])
        if listed and listed < len(rows):
            rest = round(sum(r.value for r in rows[listed:]), 2)
            other = "the other" if lang == "en" else "其余"
            terms += f" + {other} {len(rows) - listed}: {format_value(rest)}"
        label = "Total" if lang == "en" else "合计"
        return f"{label}: {terms} = {_value(total, unit, lang)}"
    top, bottom = rows[0], rows[-1]
    if lang == "en":
        text = (
            f"Highest: {department_name(docs[top.doc_id], 'en')} ({_value(top.value, unit, 'en')})"
        )
        if len(rows) > 1:
            text += f"; lowest: {department_name(docs[bottom.doc_id], 'en')} ({_value(bottom.value, unit, 'en')})"
        return text + "."
    text = f"最多：{docs[top.doc_id].department}（{_value(top.value, unit, 'zh')}）"
    if len(rows) > 1:
        text += f"；最少：{docs[bottom.doc_id].department}（{_value(bottom.value, unit, 'zh')}）"
    return text + "。"


def row_reasons(given: Sequence[tuple[Figure, str]], cites: Citations, lang: str) -> str:
    """The reasons a project's budget rows give for what it spent, each cited to its row."""
    if not given:
        return ""
    label = "Its self-evaluation table gives the reason" if lang == "en" else "自评表写明的偏差原因"
    return "\n".join(f"{label}：「{reason}」[{cites.figure(f)}]" for f, reason in given)


def passage_answer(query: Query, sentences: Sequence[Sentence], cites: Citations) -> str:
    """Why / definition / list questions: quote the sentences that say it."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    intent = query.intent
    glossary = sentences and "名词解释" in sentences[0].chunk.section
    if intent == "definition" and sentences and not glossary:
        intent = "figure"  # the department's own account of it comes first
    lead = {
        ("why", "zh"): "文件给出的原因：",
        ("why", "en"): "The document gives this reason:",
        ("definition", "zh"): "名词解释：",
        ("definition", "en"): "The glossary (名词解释) says:",
    }.get((intent, lang), "According to the document:" if lang == "en" else "根据文件：")
    parts = [lead]
    several = len({s.chunk.doc_id for s in sentences}) > 1
    for sentence in sentences:
        n = cites.passage(sentence.chunk, sentence.text, sentence.score)
        doc = cites.documents.get(sentence.chunk.doc_id)
        who = f"{department_name(doc, lang)}: " if several and doc else ""
        parts.append(f"{who}「{sentence.text}」[{n}]")
    return "\n".join(parts)


def units_answer(doc: Document, sentence: Sentence | None, cites: Citations, lang: str) -> str:
    """Which units a department's accounts include."""
    units = "、".join(doc.units)
    ref = f"[{cites.passage(sentence.chunk, sentence.text, sentence.score)}]" if sentence else ""
    if lang == "en":
        text = f"{department_name(doc, 'en')}'s accounts cover {len(doc.units)} unit(s): {units} {ref}."
    else:
        text = (
            f"{doc.department}{doc.year or ''}年度决算包括 {len(doc.units)} 个单位：{units}{ref}。"
        )
    if sentence:
        text += f"\n{'Source' if lang == 'en' else '原文'}：「{sentence.text}」{ref}"
    return text


def row_label(f: Figure) -> str:
    """What a ranked row is called: the project (appendix figures are named by
    their project) or the row label without the metric."""
    if f.source == "appendix":
        return f.metric
    return f.row.replace(f.metric, "").strip(" /") or f.row


def ranking_answer(
    query: Query,
    figures: Sequence[Figure],
    docs: dict[str, Document],
    cites: Citations,
    measure: str = "",
    of: str = "",
) -> str:
    """Rows of one metric within one department (projects by score), ranked;
    with `measure`, every row ranked on that measure (完成率 of each 科目); with
    `of`, the rows a total is made of (公用经费's 科目)."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    doc = docs[figures[0].doc_id]
    first = figures[0]
    metric = metric_label(first.measure if first.source == "appendix" else first.metric, lang)
    if measure and first.source != "appendix":
        metric = measure_label(measure, lang) or measure
    if of:
        metric = metric_label(of, lang)
    scope = (
        f"({len(figures)} rows stated in the document)"
        if lang == "en"
        else f"（文件中给出数值的 {len(figures)} 项）"
    )

    def label_of(f: Figure) -> str:
        # ranked on a measure, a row is named as the condition scan names it
        return (f.row if f.source == "table" else f.metric) if measure else row_label(f)

    lines = [f"{department_name(doc, lang)} · {metric} {scope}:"]
    for rank, f in enumerate(figures[:10], 1):
        lines.append(
            f"{numbered(rank, label_of(f))}: {_value(f.value, f.unit, lang)} [{cites.figure(f)}]"
        )
    top = first
    label = label_of(top)
    ascending = len(figures) > 1 and figures[0].value < figures[-1].value
    word = (
        ("Lowest" if ascending else "Highest")
        if lang == "en"
        else ("最低" if ascending else "最高")
    )
    lines.append(f"{word}：{label}（{_value(top.value, top.unit, lang)}）")
    return "\n".join(lines)


def units_comparison(
    docs: Sequence[Document],
    sentences: dict[str, Sentence | None],
    cites: Citations,
    lang: str,
    among: int = 0,
) -> tuple[str, tuple[tuple[str, float], ...]]:
    """How many units each department's accounts include, most first; `among`:
    how many departments were compared, when only the top of them are given."""
    ranked = sorted(docs, key=lambda d: -len(d.units))
    lines = ["Budget units included:" if lang == "en" else "决算包含的二级预算单位数："]
    for rank, doc in enumerate(ranked, 1):
        sentence = sentences.get(doc.doc_id)
        ref = (
            f" [{cites.passage(sentence.chunk, sentence.text, sentence.score)}]" if sentence else ""
        )
        units = "、".join(doc.units)
        lines.append(
            f"{rank}. {department_name(doc, lang)}: {len(doc.units)} {'' if lang == 'en' else '个'}（{units}）{ref}"
        )
    if among > len(ranked):
        lines.append(
            f"{among} departments compared; the {len(ranked)} listed include the most units."
            if lang == "en"
            else f"共比较 {among} 家单位，以上列出包含单位最多的 {len(ranked)} 家。"
        )
    top = ranked[0]
    lines.append(
        f"Most: {department_name(top, 'en')} ({len(top.units)})."
        if lang == "en"
        else f"最多：{top.department}（{len(top.units)}个）。"
    )
    return "\n".join(lines), tuple((department_name(d, lang), float(len(d.units))) for d in ranked)


def decline(reason_zh: str, reason_en: str, docs: Sequence[Document], lang: str) -> str:
    """Say plainly what is not there and what is: the documents indexed, the
    first TOP_ROWS of them and their count when there are more."""
    shown = docs[:TOP_ROWS]
    if lang == "en":
        names = "; ".join(f"{department_name(d, 'en')} ({d.year})" for d in shown)
        more = f" ({len(docs)} in all, {len(shown)} listed)" if len(docs) > len(shown) else ""
        return f"Not found in the documents: {reason_en}. Indexed: {names}{more}."
    covered = "；".join(f"{d.department}（{d.year}年度）" for d in shown)
    more = f"（共 {len(docs)} 份，以上列出 {len(shown)} 份）" if len(docs) > len(shown) else ""
    return f"文件中未找到：{reason_zh}。已收录的决算：{covered}{more}。"

"""Write an answer whose number is computed: the result, then its formula with
each input's value and citation, so a reader can redo it from the sources.
"""

from __future__ import annotations

from collections.abc import Sequence

from indexing.numbers import format_value
from indexing.records import Document
from retrieval.cite import Citations
from retrieval.cues import load_cues
from retrieval.derive import Computed
from retrieval.names import department_name, measure_label, metric_label
from retrieval.records import Derivation, Query


def derived_answer(
    query: Query, computed: Sequence[Computed], docs: dict[str, Document], cites: Citations
) -> tuple[str, tuple[Derivation, ...]]:
    """One line per department (ranked when several), each with its formula."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    lines: list[str] = []
    derivations: list[Derivation] = []
    for rank, c in enumerate(computed, start=1):
        refs = [cites.figure(r.primary) for r in c.inputs]
        doc = docs[c.doc_id]
        line = _line(c, doc, [cites.supported(r.figures) for r in c.inputs], lang)
        if c.stated is not None:
            n = cites.figure(c.stated.primary)
            value = f"{format_value(c.stated.value)}{c.stated.unit}"
            line += (
                f" Note: the document states {value} [{n}], which does not match."
                if lang == "en"
                else f"注意：文件中写的是 {value}[{n}]，与上式不符。"
            )
        lines.append(f"{rank}. {line}" if len(computed) > 1 else line)
        derivations.append(
            Derivation(
                doc_id=c.doc_id,
                kind=c.kind,
                value=c.value,
                unit=c.unit,
                formula=c.formula,
                operands=tuple(r.value for r in c.inputs),
                inputs=tuple(refs),
            )
        )
    if len({c.doc_id for c in computed}) > 1:
        top = computed[0]
        name = department_name(docs[top.doc_id], lang)
        value = f"{format_value(top.value)}{top.unit}"
        lines.append(f"Top: {name} ({value})." if lang == "en" else f"最高：{name}（{value}）。")
    return "\n".join(lines), tuple(derivations)


def computed_count(computed: int, listed: int, lang: str) -> str:
    """How many departments the measure was computed for, and how many are listed."""
    if lang == "en":
        return f"Computed for {computed} departments; the {listed} listed are the first {listed}."
    return f"共 {computed} 家单位可算出此数，以上列出前 {listed} 家。"


def _line(c: Computed, doc: Document, refs: list[str], lang: str) -> str:
    a, b = c.inputs
    result = f"{format_value(c.value)}{c.unit if c.unit == '%' else ' ' + c.unit}"
    inputs = (
        f"{_name(a.metric, a.measure, lang)} {format_value(a.value)} {a.unit}{refs[0]}",
        f"{_name(b.metric, b.measure, lang)} {format_value(b.value)} {b.unit}{refs[1]}",
    )
    sign = "−" if c.kind == "difference" else "÷"
    scale = " × 100%" if c.kind in ("share", "rate") else ""
    scale = " × 10000" if c.plan.to_yuan and a.unit == "万元" else scale
    formula = f"{inputs[0]} {sign} {inputs[1]}{scale} = {result}"
    year = doc.year or ""
    if lang == "en":
        if c.unit.startswith("万元/") and b.value:  # 0.33 万元/批次 is RMB 3,273 a batch
            result += f" (RMB {format_value(round(a.value * 10_000 / b.value, 2))})"
        english = dict(load_cues().per_unit_english).get(b.unit, (b.unit,))
        what = {
            "share": f"{metric_label(a.metric, 'en')} as a share of {metric_label(b.metric, 'en')}",
            "rate": f"{metric_label(a.metric, 'en')} as a share of its budget",
            "difference": "difference",
            "per_unit": f"{metric_label(a.metric, 'en')} per {english[0] or 'unit'}",
        }[c.kind]
        return f"{department_name(doc, 'en')}, {year}: {what} = {result} (computed: {formula})."
    head = {
        "share": f"{a.metric}占{b.metric}的比重为 {result}",
        "rate": f"{a.metric}完成{measure_label(b.measure, 'zh')}的 {result}",
        "difference": f"{_name(a.metric, a.measure, 'zh')}与{_name(b.metric, b.measure, 'zh')}相差 {result}",
        "per_unit": f"{a.metric}平均每{b.unit or '单位'} {result}",
    }[c.kind]
    return f"{doc.department}{year}年度{head}（计算：{formula}）。"


def _name(metric: str, measure: str, lang: str) -> str:
    label = measure_label(measure, lang)
    if lang == "en":
        return f"{metric_label(metric, 'en')} {label}".strip()
    return f"{metric}{label}" if measure != "数量" else metric

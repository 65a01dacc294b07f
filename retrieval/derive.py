"""Measures a question asks for that the documents do not state, computed from
two figures they do: a share (人员经费 in 基本支出), a completion rate (决算 ÷
年初预算), a difference (预算 − 决算) or an amount per unit (公务接待费 per 人次).

The cues are data (`query_cues.yaml`, `derivations`); which metric is the part
and which the whole is read from where each is named around "占". Each result
keeps the readings it was computed from, so the answer cites both inputs and
prints the formula, and a test can redo the arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from indexing.numbers import ROUNDING
from indexing.records import Figure
from indexing.sqlstore import FigureStore
from retrieval.cues import load_cues
from retrieval.glossary import count_metrics, en_key, load_glossary, zh_key
from retrieval.lookup import Reading, group, is_total
from retrieval.projects import named_projects
from retrieval.records import Query
from retrieval.tokens import tokenize

ACTUAL = ("决算数",)
SPENT = ("决算数", "执行数")  # an amount divided per unit: an account's or a project's
COUNTED = ("数量", "指标值")  # a count stated in the narrative or a project indicator
_MIN_NAME = 4  # shorter stored names (合计, 小计) are words, not metrics
BUDGET = ("年初预算数", "全年预算数")
_INITIAL = re.compile(r"年初")
_LOW = re.compile(r"最低|最少|最小|lowest|least|smallest", re.IGNORECASE)
_AGAINST_BUDGET = re.compile(
    r"(?:比|和|与|较|同|跟)(?:年初|全年)?预算|(?:than|from|against) (?:the |its )?(?:initial |annual )?budget",
    re.I,
)
_EACH = re.compile(r"各占|各自占|分别占|\beach\b", re.IGNORECASE)
_YUAN = re.compile(r"多少元|几元|元/|元每|\byuan\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Operand:
    """One input of a formula: a metric and the measures that may state it, best first."""

    metric: str
    measures: tuple[str, ...]
    # A quantity no metric names (供暖面积 5164.19m²): any figure printed in one
    # of these units whose row the question names, when `metric` gives none.
    units: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """What to compute: the kind and its two inputs (numerator or minuend first)."""

    kind: str  # share | rate | difference | per_unit
    first: Operand
    second: Operand
    to_yuan: bool = False  # an amount per unit asked in 元, not 万元


@dataclass(frozen=True, slots=True)
class Computed:
    """One department's derived value and the two readings behind it."""

    doc_id: str
    kind: str
    value: float
    unit: str
    inputs: tuple[Reading, Reading]
    plan: Plan
    stated: Reading | None = None  # the document's own figure for it, when it differs

    @property
    def formula(self) -> str:
        a, b = (r.value for r in self.inputs)
        sign = {"share": "÷", "rate": "÷", "difference": "−", "per_unit": "÷"}[self.kind]
        tail = " × 100%" if self.kind in ("share", "rate") else ""
        if self.plan.to_yuan and self.inputs[0].unit == "万元":  # 万元 → 元, not 元 again
            tail = " × 10000"
        return f"{_fmt(a)} {sign} {_fmt(b)}{tail}"


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def plan(query: Query, known: Sequence[str] = ()) -> Plan | None:
    """The computation the question asks for, or None when it asks for a stated figure.

    `known` are the stored metric names, so that "一般公共预算财政拨款 … 基本支出"
    is read as the one metric the tables name 一般公共预算财政拨款基本支出.
    """
    text = load_glossary().strip_names(query.text)
    kind = load_cues().derivation(text)
    if not kind:
        return None
    metrics = _qualified(_in_order(query, known), set(known))
    if not metrics:  # a project named shortened ("机关综合业务补助"项目)
        metrics = named_projects(query.text, [k for k in known if k.endswith("项目")])
    if not metrics and query.earlier:
        # "比年初预算少了多少？" after "…财政委托业务支出是多少？": the row the
        # question before it wrote out (a 科目 the vocabulary does not name)
        earlier = replace(query, text=query.earlier)
        metrics = _qualified(_in_order(earlier, known), set(known))
    if kind == "share" and len(metrics) >= 2:
        ordered = _in_english_order(query, metrics)
        part, whole = _part_and_whole(query.text, ordered)
        if _english_part_first(query, ordered[0], ordered[1]):
            part, whole = ordered[0], ordered[1]  # "share of personnel expenses in basic …"
        if after := _named_after_zhan(query.text, metrics):
            # "基本支出和项目支出各占支出合计的比例": the whole is the one after 占
            whole, part = after, next(m for m in metrics if m != after)
        # a share of amounts, or of counts (在编 21 of 编制 47)
        return Plan("share", Operand(part, (*ACTUAL, "数量")), Operand(whole, (*ACTUAL, "数量")))
    if kind == "rate" and metrics:
        return Plan("rate", Operand(metrics[0], ACTUAL), Operand(metrics[0], _budgets(query)))
    if kind == "difference" and len(metrics) >= 2 and _AGAINST_BUDGET.search(query.text):
        # "一般公共服务支出里的行政运行…和年初预算差了多少": the one named last
        # (the row inside the other) against its own budget
        last = metrics[-1]
        return Plan("difference", Operand(last, _budgets(query)), Operand(last, ACTUAL))
    if kind == "difference" and len(metrics) >= 2:
        return Plan("difference", Operand(metrics[0], ACTUAL), Operand(metrics[1], ACTUAL))
    if kind == "difference" and metrics:
        return Plan("difference", Operand(metrics[0], _budgets(query)), Operand(metrics[0], ACTUAL))
    if kind == "per_unit" and metrics:
        return _per_unit(query, metrics)
    return None


def _budgets(query: Query) -> tuple[str, ...]:
    return BUDGET if _INITIAL.search(query.text) else (BUDGET[1], BUDGET[0])


def _in_order(query: Query, known: Sequence[str]) -> list[str]:
    """The question's metrics in the order they are written (English ones last).

    Besides the glossary's, a stored metric written out in full counts (a
    科目 or row name such as 购房补贴), unless it is part of a longer one named.
    """
    key = zh_key(query.text)
    position: dict[str, int] = {}
    for span in load_glossary().zh_spans(key):
        position.setdefault(span.value, span.start)
    metrics = list(query.metrics)
    for metric in metrics:
        if metric not in position and (at := key.find(zh_key(metric))) >= 0:
            position[metric] = at
    written = [k for k in known if len(k) >= _MIN_NAME and zh_key(k) in key]
    for name in sorted(written, key=len, reverse=True):
        if name in metrics or any(zh_key(name) in zh_key(m) for m in metrics):
            continue
        start = key.find(zh_key(name))
        end = start + len(zh_key(name))
        # the glossary's pieces of it (一般公共预算财政拨款支出 + 基本支出) give way
        metrics = [m for m in metrics if not start <= position.get(m, -1) < end]
        metrics.append(name)
        position[name] = start
    # a follow-up's metrics are carried from the question before: in its order
    earlier = zh_key(query.earlier)
    for metric in metrics:
        if metric not in position and (at := earlier.find(zh_key(metric))) >= 0:
            position[metric] = 5_000 + at
    order = {m: i for i, m in enumerate(metrics)}
    return sorted(metrics, key=lambda m: position.get(m, 10_000 + order[m]))


def _in_english_order(query: Query, metrics: list[str]) -> list[str]:
    """In an English question, the metrics in the order its words name them.

    ("what share of project expenditure went to 财政委托业务支出": the whole, named
    first, then the part); a Chinese name inside it counts where it stands.
    """
    if query.lang not in ("en", "mixed"):
        return metrics
    key = en_key(query.text)  # one text for both kinds of name: positions compare
    spans = load_glossary().en_spans(key)
    position: dict[str, int] = {}
    for metric in metrics:
        found = [key.find(metric)] if metric in key else []
        found += [span.start for span in spans if span.value == metric]
        if found:
            position[metric] = min(found)
    return sorted(metrics, key=lambda m: position.get(m, 10_000 + metrics.index(m)))


# English words between the two names that make the first one the part: "the
# share of personnel expenses in (within, among, out of) basic expenditure".
_PART_THEN_WHOLE = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:in(?!\s+\d{4})|within|among|out of|of (?:its|their|the))\b"
)
# ... unless the whole is said to go to the part ("… in 2024 went to micro …")
_WHOLE_THEN_PART = re.compile(r"\b(?:went|go|goes|spent|allocated|paid|awarded)\b")


def _english_part_first(query: Query, first: str, second: str) -> bool:
    """In English, is the first name written the part ("share of A in B")? A whole
    written first ("share of B went to A", "share of B on A") is the default."""
    if query.lang not in ("en", "mixed"):
        return False
    key = en_key(query.text)
    spans = load_glossary().en_spans(key)
    a = next((s for s in spans if s.value == first), None)
    b = next((s for s in spans if s.value == second), None)
    if a is None or b is None or b.start <= a.end:
        return False
    gap = key[a.end : b.start]
    return bool(_PART_THEN_WHOLE.match(gap)) and not _WHOLE_THEN_PART.search(gap)


def _qualified(metrics: list[str], known: set[str]) -> list[str]:
    """Adjacent names that together are one stored metric, merged."""
    out: list[str] = []
    for metric in metrics:
        if out and (joined := out[-1].removesuffix("支出") + metric) in known:
            out[-1] = joined
        else:
            out.append(metric)
    return out


def _named_after_zhan(text: str, metrics: Sequence[str]) -> str:
    """The metric written right after 占 ("各占支出合计的比例" → 支出合计), or ""."""
    key = zh_key(text)
    for metric in metrics:
        name = zh_key(metric)
        for at in (i for i in range(len(key)) if key.startswith(name, i)):
            if re.search(r"占(?:了|到|据)?$", key[max(0, at - 2) : at]):
                return metric
    return ""


def _part_and_whole(text: str, metrics: Sequence[str]) -> tuple[str, str]:
    """Which of the first two metrics is the part.

    "A占B", "A在B中占": the words between them hold 占 or 在, A is the part;
    "B中，A占", "B里A的比重": they hold 中/里/的, B is the whole; English
    "share of B … on A" names the whole first too.
    """
    key = zh_key(text)
    first, second = metrics[0], metrics[1]
    # where the question writes each (a form of it: 核定编制 for 编制数), else its name
    spans = {}
    for span in load_glossary().zh_spans(key):
        spans.setdefault(span.value, (span.start, span.end))
    a, a_end = spans.get(
        first, (key.find(zh_key(first)), key.find(zh_key(first)) + len(zh_key(first)))
    )
    b = spans.get(second, (key.find(zh_key(second)), 0))[0]
    if a >= 0 and b > a:
        gap = key[a_end:b]
        if "占" in gap or "在" in gap:
            return first, second
    return second, first


def _per_unit(query: Query, metrics: Sequence[str]) -> Plan | None:
    cues = load_cues()
    counts = dict(cues.per_unit_counts)
    quantities = dict(cues.per_unit_quantities)
    every_count = {c for group in counts.values() for c in group}
    amounts = [m for m in metrics if m not in every_count]
    named = [m for m in metrics if m in every_count]
    if not amounts:
        return None
    amount = amounts[0]
    unit = _per_word(query.text, [*counts, *quantities])
    if amount.endswith("项目") and unit in quantities:
        # a project's amount per unit: divided by its own indicator in that unit
        # (外出考察人次 30, 线路开通数量 128条), not by an account-wide count
        quantity = Operand(amount, COUNTED, tuple(quantities[unit]))
        return Plan("per_unit", Operand(amount, SPENT), quantity, bool(_YUAN.search(query.text)))
    if named:
        count = named[0]
    else:
        related = [c for c in counts.get(unit, ()) if c in count_metrics(amount)]
        candidates = related or list(counts.get(unit, ()))
        if not candidates and unit not in quantities:
            return None
        count = candidates[0] if candidates else ""
    to_yuan = bool(_YUAN.search(query.text))
    quantity = Operand(count, COUNTED, tuple(quantities.get(unit, ())))
    return Plan("per_unit", Operand(amount, SPENT), quantity, to_yuan)


def _per_word(text: str, units: Sequence[str]) -> str:
    """The unit after 每 / 平均每 / 人均 ("每平方米", "每人"); else the first unit
    written anywhere (the longest first: 人次 before 人)."""
    ordered = sorted(units, key=len, reverse=True)
    alternatives = "|".join(re.escape(u) for u in ordered)
    after = re.search(rf"每(?:一)?({alternatives})", text)
    if after:
        return after.group(1)
    lowered = text.lower()
    for unit, words in load_cues().per_unit_english:
        if unit in units and any(re.search(rf"\bper {w}\b", lowered) for w in words):
            return unit
    if "人均" in text and "人" in units:
        return "人"
    return next((u for u in ordered if u in text), "")


def compute(store: FigureStore, query: Query, scope: Sequence[str]) -> list[Computed]:
    """The planned measure in every department of the scope that states both inputs."""
    known = store.metrics()
    p = plan(query, known)
    if p is None:
        return []
    plans = [p, *_each_other(query, known, p)] if len(scope) == 1 else [p]
    out = []
    for p in plans:
        firsts = _readings(store, scope, p.first, query.text)
        seconds = _readings(store, scope, p.second, query.text)
        own = _stated(store, scope, p, query.text)
        for doc_id in scope:
            first, second = firsts.get(doc_id), seconds.get(doc_id)
            if first is None or second is None or (p.kind != "difference" and not second.value):
                continue
            result = _result(doc_id, p, first, second)
            if p.kind == "share" and _same(own.get(doc_id), result):
                return []  # the document states this very share: answer with its words
            stated = _differing(own.get(doc_id), result)
            if stated is not None and _names_whole(stated, p.second.metric):
                return []  # the document states this measure otherwise: answer with its words
            out.append(replace(result, stated=stated))
    if len({c.doc_id for c in out}) > 1:
        out.sort(key=lambda c: c.value, reverse=not _LOW.search(query.text))
    return out


def _each_other(query: Query, known: Sequence[str], first: Plan) -> list[Plan]:
    """The same rate for every other metric the question names ("行政单位医疗和住房公积金
    各完成了预算的多少"): one plan each, in the question's order."""
    metrics = _qualified(_in_order(query, known), set(known))
    if first.kind == "share" and _EACH.search(query.text):
        # "A和B各占C的比例": the same share for every other part named
        whole = first.second
        return [
            Plan("share", Operand(m, first.first.measures), whole)
            for m in metrics
            if m not in (first.first.metric, whole.metric)
        ]
    if first.kind != "rate":
        return []
    return [
        Plan("rate", Operand(m, ACTUAL), Operand(m, first.second.measures))
        for m in metrics
        if m != first.first.metric
    ]


def _stated(store: FigureStore, scope: Sequence[str], p: Plan, question: str) -> dict[str, Reading]:
    """The share or rate each department states itself for the part (none for
    a difference or an amount per unit)."""
    measure = {"share": "占比", "rate": "完成率"}.get(p.kind)
    if measure is None:
        return {}
    return _readings(store, scope, Operand(p.first.metric, (measure,)), question)


def _same(stated: Reading | None, result: Computed) -> bool:
    """The document states the computed share or rate itself (基本支出 "占 48.16%")."""
    return stated is not None and abs(stated.value - result.value) <= ROUNDING


def _differing(stated: Reading | None, result: Computed) -> Reading | None:
    """The share or rate the document itself states for the part, when it is another number."""
    return stated if stated is not None and abs(stated.value - result.value) > ROUNDING else None


def _names_whole(stated: Reading, whole: str) -> bool:
    """Does the stated share say what it is a share of, and is that the whole asked?

    "占服务支出金额的76.79%" divides by another amount than the inputs picked
    (then the document's number is the answer); "住房保障支出(类)69.09万元，占比0%"
    names no whole (then the computation stands and the statement is noted).
    """
    quote = zh_key(stated.primary.quote)
    name = zh_key(whole)
    # the share's own words: from the 占 before its number to the number ("…其中:
    # 授予小微企业合同金额 296.44 万元,占政府采购支出总额的 27.3%" is a share of
    # 政府采购支出总额, though 授予中小企业合同金额 begins the sentence)
    at = quote.find(f"{stated.value:g}")
    start = quote.rfind("占", 0, at) if at > 0 else -1
    words = quote[start:at] if start >= 0 else quote
    return any(name[i : i + 4] in words for i in range(max(1, len(name) - 3)))


def _result(doc_id: str, p: Plan, first: Reading, second: Reading) -> Computed:
    a, b = first.value, second.value
    if p.kind in ("share", "rate"):
        return Computed(doc_id, p.kind, round(a / b * 100, 2), "%", (first, second), p)
    if p.kind == "difference":
        return Computed(doc_id, p.kind, round(a - b, 2), first.unit, (first, second), p)
    per = f"{second.unit or '个'}"
    if p.to_yuan and first.unit == "万元":
        return Computed(doc_id, p.kind, round(a * 10000 / b, 2), f"元/{per}", (first, second), p)
    return Computed(doc_id, p.kind, round(a / b, 2), f"{first.unit}/{per}", (first, second), p)


def _readings(
    store: FigureStore, scope: Sequence[str], operand: Operand, question: str
) -> dict[str, Reading]:
    """The best-supported reading of one input in each department of the scope
    that states it: one indexed read for them all, not one per department."""
    by_doc: dict[str, list[Figure]] = {d: [] for d in scope}
    for f in store.figures(doc_ids=scope, metrics=[operand.metric]):
        by_doc[f.doc_id].append(f)
    found = {d: _reading(store, d, operand, question, fs) for d, fs in by_doc.items()}
    return {d: r for d, r in found.items() if r is not None}


def _reading(
    store: FigureStore, doc_id: str, operand: Operand, question: str, stored: Sequence[Figure]
) -> Reading | None:
    """The best-supported reading of one input in one department (`stored`: its
    figures of the operand's metric), by measure preference."""
    if operand.units and operand.metric.endswith("项目"):
        # a project's count: of all it states in that unit, the one the question names
        return _quantity(store, doc_id, operand, question)
    figures = [
        f
        for f in stored
        if f.measure in operand.measures
        and is_total(f)
        and (not operand.units or f.unit in operand.units)
    ]
    readings = group(figures, [operand.metric], question)
    for measure in operand.measures:
        found = next((r for r in readings if r.measure == measure), None)
        if found is not None:
            return found
    return _quantity(store, doc_id, operand, question) if operand.units else None


def _quantity(store: FigureStore, doc_id: str, operand: Operand, question: str) -> Reading | None:
    """The figure in one of the operand's units whose row shares most words with
    the question ("按供暖面积折算" → 政府机关供暖面积 5164.19m²); None when no row
    shares any."""
    asked = set(tokenize(question))
    own = operand.metric.endswith("项目")  # the project's own indicators: any row will do
    scored = [
        (len(asked & set(tokenize(f.row.rsplit(" / ", 1)[-1]))), f)
        for f in store.figures(doc_ids=[doc_id], metrics=[operand.metric] if own else None)
        if f.unit in operand.units and f.measure in operand.measures and f.value
    ]
    best = max(scored, key=lambda pair: pair[0], default=(0, None))
    if best[1] is None or (best[0] < 2 and not own):
        return None
    f = best[1]  # named by its row: the project's indicator, not the project
    # the same count in the project's sentences supports it ("全年召开会议次数达到 20 次")
    same = [
        g
        for _, g in scored
        if g is not f and g.value == f.value and g.unit == f.unit and g.metric == f.metric
    ]
    return Reading(doc_id, f.row.rsplit(" / ", 1)[-1], f.measure, f.value, f.unit, (f, *same))

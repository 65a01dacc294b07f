"""`ask(question) -> Answer`: the one entry point for the app, API, CLI and eval.

Understand the question, decline what the documents cannot answer, look up
figures and search passages in the departments asked about, then compose.
The LLM, when configured, only rewrites an answer whose evidence is already
chosen, and its numbers are checked against that evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache, partial

import numpy as np

from config import Settings
from config import settings as current_settings
from indexing.pipeline import missing_tables, stored_report
from indexing.project_rows import row_reason
from indexing.records import Document, Figure
from retrieval import compose
from retrieval.cite import Citations
from retrieval.compose_derived import computed_count, derived_answer
from retrieval.compose_lists import project_total_answer, report_answer, rows_answer, section_answer
from retrieval.conditions import parse as parse_condition
from retrieval.conditions import parse_ranking, scan
from retrieval.coverage import (
    AmountAsked,
    amount_asked,
    missing_terms,
    only_counted,
    paraphrase_forms,
    salient_terms,
    states_amount,
    undisclosed_detail,
)
from retrieval.cues import cue_data, load_cues, parts_asked, years_asked
from retrieval.derive import Computed, compute, plan
from retrieval.engine import Engine, get_engine
from retrieval.evidence import (
    Sentence,
    best_sentences,
    every_statement,
    purpose_sentences,
    work_statements,
)
from retrieval.lookup import (
    Reading,
    derive_budget,
    derive_previous,
    group,
    is_total,
    lookup,
    metrics_for,
)
from retrieval.names import department_name
from retrieval.project_totals import ProjectTotal, collect
from retrieval.project_totals import parse as parse_total
from retrieval.projects import asked_level, asked_projects, beyond_names, core
from retrieval.projects import squeeze as squeeze_project_text
from retrieval.query import understand
from retrieval.quoted_numbers import difference, explain, quoted_amounts, quoted_lines
from retrieval.records import Answer, Derivation, Filters, Query, Retrieved, Turn
from retrieval.search import Hit, hybrid_search
from retrieval.sections import ReportPart, report_parts, whole_section
from retrieval.stating import stating_sentence
from retrieval.validate import QuestionError, check_history, check_question

__all__ = ["ask", "QuestionError"]

_YEAR = re.compile(r"(20\d\d)\s*年?")
PROJECT_PASSAGES = 4  # passages of a named project's pages read before the rest
MAX_SENTENCES = 4  # quoted beside the figures, however many parts a question has
PURPOSE_TERMS = ["用于", "主要用于", "开支内容", "主要包括"]
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_RANKING = re.compile(
    r"最高|最多|最大|最低|最少|最小|排名|排序|highest|most|largest|biggest|lowest|least|smallest|top"
)


def ask(
    question: str,
    history: Sequence[dict[str, str] | Turn] | None = None,
    filters: Filters | None = None,
    settings: Settings | None = None,
) -> Answer:
    """Answer one question with numbered citations; never an invented number.

    `filters` restrict the documents it may answer from (`Filters.from_json`
    reads their JSON form). Raises `QuestionError` for input that cannot be
    taken (see `retrieval.validate`).
    """
    if filters is not None and not isinstance(filters, Filters):
        raise TypeError(
            f"filters must be a retrieval.records.Filters, not {type(filters).__name__}: "
            "Filters.from_json reads the JSON form"
        )
    s = settings or current_settings()
    text = check_question(question, s)
    turns = check_history(history, s)
    engine = get_engine(s)
    query = understand(text, engine.documents, turns, filters, engine.places)
    answer = _answer(engine, query)
    if s.llm != "off" and not answer.declined:
        from retrieval.llm import rewrite

        answer = rewrite(answer, query, s)
    return answer


def _answer(engine: Engine, query: Query) -> Answer:
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    docs = engine.by_id
    # Without filters a question naming nobody is about every document; with
    # filters it is about what they allow, and nothing when they allow nothing.
    scope = list(query.doc_ids) if query.filtered else list(query.doc_ids) or list(docs)
    reason = _decline_reason(engine, query, scope)
    if reason:
        return Answer(
            text=compose.decline(*reason, engine.documents, lang),
            language=lang,
            declined=True,
            intent=query.intent,
        )
    query = _outside_project_names(engine, query, scope)
    if _names_none(query, scope) and (answer := _compared_from_figures(engine, query, scope)):
        return answer
    hits = _search(engine, query, scope)
    readings = _readings(engine, query, scope)
    if (
        query.measure == "增减"
        and (query.intent != "why" or _asks_the_change(query))
        and not _change_disclosed(query, readings, hits)
    ):
        metric = query.metrics[0] if query.metrics else query.text[:20]
        zh = f"文件没有披露{metric}与上年相比的变化"
        en = f"the documents do not state how {metric} changed from the year before"
        several = len(_question_parts(query.text)) > 1 or re.search(
            r"\band (?:how|what)\b", query.text, re.I
        )
        plain = replace(query, measure="")
        stated = (
            lookup(engine.stores.figures, plain, _lookup_scope(engine, scope)) if several else []
        )
        if stated:
            # "财政拨款收入是多少？比上年增长多少？": the part stated is answered,
            # the other said plainly to be missing
            cites = _citations(engine)
            text = compose.figure_answer(query, stated, [], docs, cites)
            text += "\n" + (f"However, {en}." if lang == "en" else f"另外，{zh}。")
            return _answered(text, lang, query.intent, cites, stated, hits, docs)
        return Answer(
            text=compose.decline(zh, en, engine.documents, lang),
            language=lang,
            declined=True,
            intent=query.intent,
        )
    cites = _citations(engine)
    chart: tuple[tuple[str, float], ...] = ()
    ranking = parse_ranking(query) if len(scope) == 1 else None
    if ranking is not None and (rows := scan(engine.stores.figures, ranking, scope[0])):
        low = bool(re.search(r"最低|最少|最小|lowest|worst", query.text))
        rows = sorted(rows, key=lambda m: m.value, reverse=not low)
        ranked = [m.figures[0] for m in rows]
        text = compose.ranking_answer(query, ranked, docs, cites, measure=ranking.measure)
        return _answered(text, lang, "compare", cites, readings, hits, docs)
    if len(scope) == 1 and (total := _project_total(engine, query, scope)):
        # a sum or average over the document's projects, each project's figure cited
        found = {m: collect(engine.stores.figures, total, scope[0], m) for m in total.measures}
        found = {m: values for m, values in found.items() if len(values) >= 2}
        if found:
            text = project_total_answer(query, total, found, docs[scope[0]], cites)
            return _answered(text, lang, "sum", cites, readings, hits, docs)
    computed = compute(engine.stores.figures, query, scope)
    if computed:
        text, derived = derived_answer(query, computed, docs, cites)
        if (parts := parts_asked(query.text)) > 1 and len(scope) == 1:
            # the parts besides the computed one, in the document's words (a
            # reason with the sentence that continues it: "…主要原因是：…")
            following = engine.lexical.following if query.intent == "why" else None
            sentences = best_sentences(query, hits, min(MAX_SENTENCES, parts), following=following)
            inputs = [r for c in computed for r in c.inputs]
            text = compose.with_quotes(text, sentences, inputs, cites, lang)
        chart = tuple((docs[c.doc_id].department, c.value) for c in computed)
        return _answered(
            text,
            lang,
            query.intent,
            cites,
            readings,
            hits,
            docs,
            chart=chart if len(computed) > 1 else (),
            derived=derived,
        )
    condition = parse_condition(query) if len(scope) == 1 else None
    if condition is not None:
        condition = replace(condition, project_level=asked_level(query.text))
    if condition is not None and condition.op == "deducted":
        condition = replace(condition, projects=tuple(_named_projects(engine, query, scope)))
    if condition is not None and (matches := scan(engine.stores.figures, condition, scope[0])):
        others = ""
        # the rows give the measure they meet ("…, and what were their scores?");
        # the other parts' figures come first
        besides = [r for r in readings if condition.measure not in (r.measure, r.metric)]
        if (parts := parts_asked(query.text)) > 1 and (besides or not readings):
            # "实际维护了多少次？花了多少钱？哪个指标没拿满分？": the other parts first
            sentences = best_sentences(query, hits, min(MAX_SENTENCES, parts))
            others = compose.figure_answer(query, besides, sentences, docs, cites)
        rows = rows_answer(query, condition, matches, docs[scope[0]], cites)
        text = f"{others}\n{rows}" if others else rows
        return _answered(text, lang, "list", cites, readings, hits, docs)
    if query.intent in ("compare", "sum") and len(scope) > 1 and readings:
        missing = _missing_sentences(engine, query, scope, readings)
        text, chart = compose.comparison_answer(query, readings, scope, missing, docs, cites)
    elif (
        len(scope) == 1
        and _RANKING.search(query.text)
        and (ranked := _ranked_rows(engine, (part := _ranking_part(engine, query)), scope))
    ):
        lead = ""
        if part.text != query.text and readings:
            # "人员经费、公用经费各多少？公用经费中数额最大的是哪一项？": the
            # amounts asked first, then the ranking
            lead = compose.figure_answer(query, readings, [], docs, cites) + "\n"
        text = lead + compose.ranking_answer(query, ranked, docs, cites, of=_total_of(ranked))
    elif query.intent in ("why", "definition"):
        sentences = best_sentences(query, hits, 2, following=engine.lexical.following)
        if query.intent == "definition" and len(scope) == 1 and query.doc_ids:
            # "阳谷县政府办的公用经费主要包括哪些支出": this office's own words
            # ("公用经费55.31万元，主要包括：…") before the glossary's definition
            sentences = _composition(engine, query, scope) + sentences[:1]
        figures = ""
        if query.intent == "why" and readings and parts_asked(query.text) > 1:
            # "接待了多少人次？实际花了多少钱？为什么执行率只有七成多？": the
            # figures the other parts ask, then the reason in the document's words
            figures = compose.figure_answer(query, readings, [], docs, cites)
        given = _budget_row_reasons(engine, query, scope) if query.intent == "why" else []
        said = compose.row_reasons(given, cites, lang)
        reason = compose.passage_answer(query, sentences, cites)
        text = "\n".join(t for t in (figures, said, reason) if t)
    elif len(scope) == 1 and (parts := _report_parts(engine, query, scope)):
        text = report_answer(parts, docs, cites, lang)
    elif _asks_units(query) and len(scope) > 1 and query.intent in ("compare", "list"):
        shown = _most_units(query, [docs[d] for d in scope])
        sentences = _unit_sentences(engine, query, [d.doc_id for d in shown])
        text, chart = compose.units_comparison(shown, sentences, cites, lang, among=len(scope))
    elif query.intent == "list" and _asks_units(query) and len(scope) == 1 and docs[scope[0]].units:
        sentence = next(iter(best_sentences(query, hits, 1)), None)
        text = compose.units_answer(docs[scope[0]], sentence, cites, lang)
    elif not _named_projects(engine, query, scope) and (
        section := whole_section(engine, query, scope)
    ):
        # (a project named: what it did is on its own pages, not the office's duties)
        text = section_answer(query, section, engine, docs, cites)
    else:
        readings = _with_derived(readings, query, docs, engine)
        readings = _with_project_money(engine, query, scope, readings)
        if query.measure == "年初预算数":
            readings = derive_budget(readings, engine.stores.figures) + readings
        if (year := _prior_year_asked(query, docs)) and not any(
            r.measure.endswith("推算") for r in readings
        ):
            metric = _describe(query)
            return Answer(
                text=compose.decline(
                    f"文件没有给出{metric}{year}年的数额或与上年的增减，只有{year + 1}年度的决算",
                    f"the documents give neither {metric} for {year} nor its change from "
                    f"{year}; only the {year + 1} accounts",
                    engine.documents,
                    lang,
                ),
                language=lang,
                declined=True,
                intent=query.intent,
            )
        limit = 3 if query.intent in ("count", "list") else 2
        # every part asked, and a sentence for each metric named ("基本支出和项目支出")
        limit = min(MAX_SENTENCES, max(limit, parts_asked(query.text), len(query.metrics)))
        sentences = best_sentences(
            query, _own_pages_first(engine, query, scope, hits, readings), limit
        )
        # (a metric named but blank in its table is said to be blank, below)
        one_part = parts_asked(query.text) == 1 and not query.metrics
        asked = amount_asked(query.text) if one_part else None
        if asked is not None and _unstated(
            asked, readings, sentences, salient_terms(query.text, ignore=engine.names)
        ):
            text = compose.not_stated(query, asked.kind, sentences, docs, cites)
            return Answer(
                text=text,
                language=lang,
                citations=tuple(cites.items),
                declined=True,
                intent=query.intent,
                retrieved=_retrieved(readings, hits, docs),
            )
        if (
            not readings
            and query.metrics
            and sentences
            and not any(compose.has_amount(s.text) for s in sentences)
        ):
            text = compose.blank_answer(query, sentences[0], docs, cites)
        else:
            text = compose.figure_answer(
                query, readings, sentences, docs, cites, _row_parts(engine, readings)
            )
            said = _unfigured_parts_said(engine, query, hits, readings)
            text = compose.with_sentences(text, said, cites, lang)
        if (
            _disputed(query.text)
            and len(scope) == 1
            and (named := _named_projects(engine, query, scope))
        ):
            projects = engine.project_pages(scope)
            pages = [engine.lexical.chunks[i] for p in named for i in projects.get(p, ())]
            statements = every_statement(query.text, pages, named)
            text = compose.with_quotes(text, statements, readings, cites, lang)
        if (
            (markers := load_cues().project_markers(query.text))
            and len(scope) == 1
            and (named := _named_projects(engine, query, scope))
        ):
            # "具体做了哪些改造和建设", "项目在哪个区域": the project's own pages say so
            projects = engine.project_pages(scope)
            pages = [engine.lexical.chunks[i] for p in named for i in projects.get(p, ())]
            found = work_statements(query.text, pages, named, markers)
            # asked only in words ("由哪个单位实施？"), the project's figures are not the answer
            if found and not query.measure and amount_asked(query.text) is None:
                cites = _citations(engine)  # numbered from 1: only the quotes are cited
                text = compose.with_sentences("", found, cites, lang).lstrip("\n")
            else:
                text = compose.with_sentences(text, found, cites, lang)
        if len(scope) == 1 and (amounts := quoted_amounts(query.text)):
            # "到底是49.70万元还是73.84万元": what each number the question quotes is
            figures = engine.stores.figures.figures(doc_ids=scope)
            quoted = explain(figures, amounts)
            said = quoted_lines(quoted, difference(figures, quoted), text, cites, lang)
            text = f"{text}\n{said}" if said else text
        if load_cues().breakdown and load_cues().breakdown.matches(query.text):
            text = _with_breakdown(text, readings, engine, cites, query)
        if load_cues().purpose and load_cues().purpose.matches(query.text):
            named = metrics_for(query, engine.stores.figures.metrics())
            found = purpose_sentences(query, hits, named, limit=3)
            text = compose.with_purpose(text, found, cites, query, most=max(1, len(query.metrics)))
    if not cites.items:
        reason_zh = reason_en = _describe(query)
        if len(scope) == 1 and (
            lost := missing_tables(stored_report(engine.stores.figures, scope[0]))
        ):
            reason_zh += f"（此文件的{'、'.join(lost)}未能解析）"
            reason_en += f" (this file's {', '.join(lost)} could not be read)"
        text = compose.decline(reason_zh, reason_en, engine.documents, lang)
        return Answer(text=text, language=lang, declined=True, intent=query.intent)
    return _answered(text, lang, query.intent, cites, readings, hits, docs, chart=chart)


def _names_none(query: Query, scope: Sequence[str]) -> bool:
    """A question over more departments than an answer lists, naming none of
    them ("哪个单位政府采购支出最多", "各单位收支总计加起来是多少")."""
    return (not query.doc_ids or query.all_docs) and len(scope) > compose.TOP_ROWS


def _compared_from_figures(engine: Engine, query: Query, scope: Sequence[str]) -> Answer | None:
    """A ranking, a sum or a computed measure over departments naming none, from
    the figure store alone.

    Its answer lists the top rows and counts the rest, from one indexed read of
    each metric; the passage search every other answer starts with would only
    add passages it does not show. None when the question is of another kind or
    needs more than the figures (a change no figure states): the general path.
    """
    store = engine.stores.figures
    if query.intent not in ("compare", "sum") and plan(query, store.metrics()) is None:
        return None
    readings = _readings(engine, query, scope)
    if query.measure == "增减" and not any(r.measure in ("增减额", "增减率") for r in readings):
        return None  # whether a sentence states the change is for the passages to say
    docs = engine.by_id
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    cites = _citations(engine)
    if computed := compute(store, query, scope):
        text, derived, chart = _derived_across(query, computed, docs, cites, lang)
        return _answered(text, lang, query.intent, cites, readings, (), docs, chart, derived)
    if query.intent not in ("compare", "sum") or not readings:
        return None
    missing = _missing_sentences(engine, query, scope, readings)
    text, chart = compose.comparison_answer(query, readings, scope, missing, docs, cites)
    if not cites.items:
        return None
    return _answered(text, lang, query.intent, cites, readings, (), docs, chart=chart)


def _readings(engine: Engine, query: Query, scope: Sequence[str]) -> list[Reading]:
    """The figures of the metrics asked in the scope, each part's with its own measure."""
    found = lookup(engine.stores.figures, query, _lookup_scope(engine, scope))
    return _with_parts(engine, query, scope, found)


def _derived_across(
    query: Query,
    computed: Sequence[Computed],
    docs: dict[str, Document],
    cites: Citations,
    lang: str,
) -> tuple[str, tuple[Derivation, ...], tuple[tuple[str, float], ...]]:
    """A measure computed in each department, ranked: the top rows with their
    formulas, then how many departments it was computed for."""
    listed = computed[: compose.TOP_ROWS]
    text, derived = derived_answer(query, listed, docs, cites)
    if len(computed) > len(listed):
        text += "\n" + computed_count(len(computed), len(listed), lang)
    chart = tuple((docs[c.doc_id].department, c.value) for c in listed)
    return text, derived, chart if len(listed) > 1 else ()


def _lookup_scope(engine: Engine, scope: Sequence[str]) -> Sequence[str]:
    """The documents to read figures in; none (every one, by the metric's index)
    when the scope is the whole corpus, so the read does not list every id."""
    return () if len(scope) == len(engine.documents) else scope


def _answered(
    text: str,
    lang: str,
    intent: str,
    cites: Citations,
    readings: Sequence[Reading],
    hits: Sequence[Hit],
    docs: dict[str, Document],
    chart: tuple[tuple[str, float], ...] = (),
    derived: tuple[Derivation, ...] = (),
) -> Answer:
    """An answer with what it cites, the figures it used and its ranked evidence."""
    return Answer(
        text=text,
        language=lang,
        citations=tuple(cites.items),
        figures=tuple(cites.figures),
        intent=intent,
        chart=chart,
        derived=derived,
        retrieved=_retrieved(readings, hits, docs),
    )


def _decline_reason(engine: Engine, query: Query, scope: Sequence[str]) -> tuple[str, str] | None:
    """Why the documents cannot answer this, or None when they may."""
    if not engine.documents:
        return ("尚未索引任何文件", "no document is indexed yet")
    if query.unknown_places and not query.doc_ids:
        place = "、".join(query.unknown_places)
        return (f"没有{place}的决算", f"there is no disclosure for {place}")
    if query.filtered and not scope:
        return ("没有符合筛选条件的决算", "no final account matches the filters")
    if query.outside_filter:
        return _outside_filter(engine, query)
    years = {d.year for d in engine.documents if d.year}
    asked = {int(y) for y in _YEAR.findall(query.text)} or ({query.year} if query.year else set())
    if asked and not any(y in years or y + 1 in years for y in asked):
        wanted = "、".join(str(y) for y in sorted(asked))
        have = "、".join(str(y) for y in sorted(years))
        return (
            f"没有{wanted}年度的数据，只有{have}年度决算及其与上年的比较",
            f"no data for {wanted}; only the {have} accounts and their comparison with the year before",
        )
    text = engine.text_of(tuple(scope))
    if detail := undisclosed_detail(query.text, text):
        return detail
    if len(scope) == 1 and (counted := only_counted(query.text, engine.squeezed_text(scope[0]))):
        return counted
    absent = missing_terms(query.text, text, ignore=engine.names)
    if absent:
        terms = "、".join(absent)
        return (f"文件没有提到“{terms}”", f"the documents never mention {terms}")
    return None


def _outside_filter(engine: Engine, query: Query) -> tuple[str, str]:
    """The question names departments the filters leave out: say which, and what they keep."""
    named = [d for d in (engine.document(i) for i in query.outside_filter) if d]
    kept = [d for d in (engine.document(i) for i in query.doc_ids) if d]
    zh = f"问题问的是{'、'.join(d.department for d in named)}，不在筛选范围内"
    en_names = ", ".join(department_name(d, "en") for d in named)
    en = f"the question asks about {en_names}, which the filters leave out"
    if kept:
        zh += f"（筛选后只有{'、'.join(d.department for d in kept)}）"
        en += f" (they keep {', '.join(department_name(d, 'en') for d in kept)})"
    return zh, en


def _search(engine: Engine, query: Query, scope: Sequence[str]) -> list[Hit]:
    s = engine.settings
    if query.intent == "definition":
        return _glossary_hits(engine, query, scope)
    kinds = ("section",) if query.intent in ("why", "list") else ("section", "table")
    dense = engine.stores.chunks
    extra = [t for t in (*query.terms, *query.metrics) if t not in engine.names]
    extra += paraphrase_forms(query.text)
    if load_cues().purpose and load_cues().purpose.matches(query.text):
        extra += PURPOSE_TERMS  # "what was it used for" looks for the sentence saying 用于
    text = _without_names(query.text, engine, scope)
    top_k = s.top_k * 2 if query.intent == "why" else s.top_k  # reasons hide in long sections
    hits = hybrid_search(engine.lexical, dense, text, top_k, scope, kinds, s.dense_weight, extra)
    own = _project_hits(engine, text, query.earlier, extra, scope)
    seen = {h.chunk.chunk_id for h in own}
    return own + [h for h in hits if h.chunk.chunk_id not in seen]


def _budget_row_reasons(
    engine: Engine, query: Query, scope: Sequence[str]
) -> list[tuple[Figure, str]]:
    """Why a named project spent what it did, as its budget-execution rows say in
    their 偏差原因 cell ("市县区财政资金 … 177,868 | 222,132 | | | 单位实际外出学习计划
    减少"): each row's words after its last number, with a figure of that row."""
    if len(scope) != 1 or not (named := _named_projects(engine, query, scope)):
        return []
    found: dict[str, tuple[Figure, str]] = {}
    for f in engine.stores.figures.figures(doc_ids=scope, metrics=named):
        if f.source != "appendix" or f.measure not in ("执行数", "全年预算数", "执行率"):
            continue
        reason = row_reason(f.quote)
        if _CJK_WORD.search(reason) and reason not in found:
            found[reason] = (f, reason)
    return list(found.values())


def _own_pages_first(
    engine: Engine, query: Query, scope: Sequence[str], hits: list[Hit], readings: list[Reading]
) -> list[Hit]:
    """Asked a named project's details and no figure ("每人每餐补助多少钱？在哪个餐厅
    就餐？"), the sentences come from its own pages when they have any; the
    情况说明 only mentions the project in passing."""
    if readings or len(scope) != 1:
        return hits
    named = _named_projects(engine, query, scope)
    if not named:
        return hits
    projects = engine.project_pages(scope)
    own = {engine.lexical.chunks[i].chunk_id for p in named for i in projects.get(p, ())}
    inside = [h for h in hits if h.chunk.chunk_id in own]
    return inside or hits


def _project_hits(
    engine: Engine, text: str, earlier: str, extra: Sequence[str], scope: Sequence[str]
) -> list[Hit]:
    """A question naming an appendix project reads that project's pages first:
    what it bought, how many it served and why it fell short are stated there,
    in passages that never repeat the project's name."""
    lexical = engine.lexical
    projects = engine.project_pages(scope)
    named = asked_projects(text, earlier, projects)
    if not named:
        return []
    pages = np.array(sorted(i for p in named for i in projects[p]))
    asked = beyond_names(" ".join([text, *extra]), named)
    scores = lexical.scores(asked, pages)
    order = np.argsort(-scores, kind="stable")[:PROJECT_PASSAGES]
    return [
        Hit(lexical.chunks[int(pages[k])], float(scores[k]), rank, None)
        for rank, k in enumerate(order)
        if scores[k] > 0
    ]


def _row_parts(engine: Engine, readings: Sequence[Reading]) -> dict[str, tuple[Figure, ...]]:
    """For each table total among the readings, the other non-empty cells of its row
    (its parts: 财政拨款收入, 其他收入), so a second figure for one name is shown with
    what it is made of."""
    out: dict[str, tuple[Figure, ...]] = {}
    lead = readings[: compose.LEAD_READINGS]
    values: dict[tuple[str, str, str], set[float]] = {}
    for r in lead:
        values.setdefault((r.doc_id, r.metric, r.measure), set()).add(round(r.value, 2))
    for r in lead:
        f = r.primary
        if len(values[(r.doc_id, r.metric, r.measure)]) < 2:
            continue  # only a figure another source contradicts is broken down
        if f.source != "table" or not is_total(f):
            continue
        cells = tuple(
            g
            for g in engine.stores.figures.figures(doc_ids=[f.doc_id], metrics=[f.metric])
            if g.table_id == f.table_id
            and g.locator.line_start == f.locator.line_start
            and g.measure == f.measure
            and g.value
            and not is_total(g)
        )
        if cells:
            out[f.figure_id] = cells
    return out


def _disputed(question: str) -> bool:
    """ "到底是多少", "which figure is right": the question doubts one source."""
    return bool(_disputed_cues().search(question))


@lru_cache(maxsize=1)
def _disputed_cues() -> re.Pattern[str]:
    words = cue_data().get("disputed") or {}
    return re.compile("|".join([*words.get("zh", []), *words.get("en", [])]) or r"(?!x)x", re.I)


def _named_projects(engine: Engine, query: Query, scope: Sequence[str]) -> list[str]:
    """The appendix projects the question names, once the department's own name is
    taken out ("冠县人民政府办公室的部门职责" names no 冠县人民政府… project)."""
    text = _strip_names(query.text, engine)
    return asked_projects(text, query.earlier, engine.project_pages(scope))


def _citations(engine: Engine) -> Citations:
    """An answer's citations, a table row cited with the sentence that states it."""
    return Citations(engine.by_id, partial(stating_sentence, engine))


def _project_total(engine: Engine, query: Query, scope: Sequence[str]) -> ProjectTotal | None:
    """The sum or average over one document's projects the question asks, if any
    (read only for a question about one document: no per-question scan of every
    metric of the corpus)."""
    projects = [m for m in engine.stores.figures.metrics(doc_ids=scope) if m.endswith("项目")]
    return parse_total(query, _strip_names(query.text, engine), projects)


def _with_parts(
    engine: Engine, query: Query, scope: Sequence[str], readings: list[Reading]
) -> list[Reading]:
    """A question of several parts asks each its own measure ("机关运行经费比上年
    增减多少？政府采购金额是多少？"): each part's metrics are looked up with the
    measure that part asks, after the readings of the whole question."""
    parts = _question_parts(query.text)
    if not readings or len(parts) < 2:
        return readings  # (no figure for the whole: its sentences answer every part)
    out = list(readings)
    # a part that names nothing asks about what the part before it named; the
    # first part's may be a project, which only the readings know
    previous = tuple(dict.fromkeys(r.metric for r in readings))
    for part in parts:
        own = understand(part, engine.documents, None, None, engine.places)
        metrics = tuple(m for m in own.metrics if m in query.metrics) or previous
        previous = metrics
        if not metrics or own.measure == query.measure:
            continue
        sub = replace(query, text=part, metrics=metrics, measure=own.measure)
        out = _and_new(out, lookup(engine.stores.figures, sub, _lookup_scope(engine, scope)))
    return out


def _unfigured_parts_said(
    engine: Engine,
    query: Query,
    hits: Sequence[Hit],
    readings: Sequence[Reading],
) -> list[Sentence]:
    """A part whose metric has no figure ("有没有机关运行经费？" beside parts that
    have one) is answered by the best sentence about that part alone ("本部门
    （单位）无机关运行经费。"): sentences chosen for the whole question favour
    the parts the figures already answer, and quote only sentences about them."""
    parts = _question_parts(query.text)
    if not readings or len(parts) < 2:
        return []
    have = {r.metric for r in readings}
    out: list[Sentence] = []
    for part in parts:
        own = understand(part, engine.documents, None, None, engine.places)
        metrics = tuple(m for m in own.metrics if m in query.metrics)
        if not metrics or have & set(metrics):
            continue
        sub = replace(query, text=part, metrics=metrics, measure=own.measure)
        said = {s.text for s in out}
        out += [s for s in best_sentences(sub, hits, 1) if s.text not in said]
    return out


def _and_new(readings: list[Reading], more: Sequence[Reading]) -> list[Reading]:
    """`readings` and those of `more` that state another value (a part's own measure)."""
    have = {(r.doc_id, r.metric, r.measure, round(r.value, 2)) for r in readings}
    fresh = {(r.doc_id, r.metric, r.measure, round(r.value, 2)): r for r in more}
    return readings + [r for key, r in fresh.items() if key not in have]


def _question_parts(text: str) -> list[str]:
    """The question's parts, each ending in its ？ or ；."""
    return [p for p in re.split(r"(?<=[？?；;])", text) if p.strip()]


def _with_project_money(
    engine: Engine, query: Query, scope: Sequence[str], readings: list[Reading]
) -> list[Reading]:
    """ "这个项目的预算到底是多少": a project's money doubted is answered with all
    its table states (年初预算, 全年预算, 执行数), so the sentences quoted beside
    them ("预计投入18.43万元") can be read against each."""
    if not _disputed(query.text) or len(scope) != 1:
        return readings
    named = tuple(_named_projects(engine, query, scope))
    if not named:
        return readings
    out = list(readings)
    for measure in ("预算和决算", "决算数"):
        sub = replace(query, metrics=named, measure=measure)
        found = lookup(engine.stores.figures, sub, _lookup_scope(engine, scope))
        out = _and_new(out, [r for r in found if r.metric in named])
    return out


def _outside_project_names(engine: Engine, query: Query, scope: Sequence[str]) -> Query:
    """Metrics read only inside a named project's name are not asked ("“单位运行
    经费”项目" names a project, not the office's 机关运行经费)."""
    if not query.metrics or len(scope) != 1:
        return query
    named = _named_projects(engine, query, scope)
    if not named:
        return query
    rest = squeeze_project_text(query.text)
    for project in named:
        rest = rest.replace(core(project), " ")
    if rest == squeeze_project_text(query.text):
        return query  # the name is not written out: nothing to take away
    outside = set(understand(rest, engine.documents, None, None, engine.places).metrics)
    kept = tuple(m for m in query.metrics if m in outside)
    return replace(query, metrics=kept) if kept != query.metrics else query


def _report_parts(engine: Engine, query: Query, scope: Sequence[str]) -> list[ReportPart]:
    """The parts of a named project's evaluation report the question asks for whole."""
    named = _named_projects(engine, query, scope)
    return report_parts(engine, query, engine.project_pages(scope), named) if named else []


def _without_names(text: str, engine: Engine, scope: Sequence[str]) -> str:
    """Within the departments asked about, their names only add noise to BM25
    (every appendix page repeats them), so they are taken out of the query."""
    if len(scope) == len(engine.documents):
        return text
    return _strip_names(text, engine)


def _strip_names(text: str, engine: Engine) -> str:
    for name in engine.names_in(text):
        text = text.replace(name, " ")
    return text


def _composition(engine: Engine, query: Query, scope: Sequence[str]) -> list[Sentence]:
    """The narrative sentence of one department saying what a metric consisted of."""
    s = engine.settings
    terms = [*query.metrics, *PURPOSE_TERMS]
    hits = hybrid_search(
        engine.lexical, None, " ".join(query.metrics), s.top_k, scope, ("section",), 0.0, terms
    )
    return purpose_sentences(query, hits, limit=1)


def _glossary_hits(engine: Engine, query: Query, scope: Sequence[str]) -> list[Hit]:
    """Definitions live in 名词解释: search only there, for the term asked about."""
    quoted = re.findall(r"[“\"「『]([^”\"」』]+)[”\"」』]", query.text)
    term = " ".join(quoted or query.metrics) or _without_names(query.text, engine, scope)
    lexical = engine.lexical
    within = lexical.positions(scope)
    scores = lexical.scores(term, within)
    ranked = sorted(
        (
            (float(scores[k]), int(i))
            for k, i in enumerate(within)
            if "名词解释" in lexical.chunks[i].section
        ),
        reverse=True,
    )
    return [
        Hit(lexical.chunks[i], score, rank, None)
        for rank, (score, i) in enumerate(ranked[:3])
        if score > 0
    ]


def _missing_sentences(
    engine: Engine, query: Query, scope: Sequence[str], readings: Sequence[Reading]
) -> dict[str, Sentence | None]:
    """For departments without the figure, the sentence that says so (if any)."""
    have = {r.doc_id for r in readings}
    if (not query.doc_ids or query.all_docs) and len(scope) - len(have) > compose.TOP_ROWS:
        return {}  # only counted in the answer: no search per department
    found: dict[str, Sentence | None] = {}
    for doc_id in scope:
        if doc_id in have:
            continue
        hits = hybrid_search(
            engine.lexical, None, " ".join(query.metrics), 3, [doc_id], ("section",), 0.0
        )
        found[doc_id] = next(iter(best_sentences(query, hits, 1)), None)
    return found


def _asks_the_change(query: Query) -> bool:
    """ "比上年增加了多少？为什么？": the change is asked with its reason (a reason
    alone, "为什么比上年增加", is for the passages to give)."""
    return bool(
        re.search(
            r"(?:增加|减少|增长|下降|增减|变化)了?多少|how much .{0,30}(?:change|rise|fall)",
            query.text,
            re.I,
        )
    )


def _change_disclosed(query: Query, readings: Sequence[Reading], hits: Sequence[Hit]) -> bool:
    """Is a change vs the year before stated for the metric asked about?"""
    if not query.metrics or any(r.measure in ("增减额", "增减率") for r in readings):
        return True
    metric = query.metrics[0]
    for hit in hits[:5]:
        for sentence in re.split(r"[。；]", hit.chunk.body):
            if metric in sentence and any(w in sentence for w in ("增加", "减少", "增长", "下降")):
                return True
    return False


def _with_breakdown(
    text: str, readings: Sequence[Reading], engine: Engine, cites: Citations, query: Query
) -> str:
    """The rows under the first amount found whose table row has rows below it."""
    lang = "en" if query.lang in ("en", "mixed") else "zh"
    for reading in readings:
        for figure in reading.figures:
            if children := _children(engine, figure):
                return compose.with_breakdown(text, figure, children, cites, lang)
    return text


def _children(engine: Engine, parent: Figure) -> list[Figure]:
    """The printed rows one 科目 level below a table row, in the same column."""
    if parent.source != "table" or len(parent.code) not in (3, 5):
        return []
    return [
        f
        for f in engine.stores.figures.figures(doc_ids=[parent.doc_id])
        if f.table_id == parent.table_id
        and f.column == parent.column
        and f.code.startswith(parent.code)
        and len(f.code) == len(parent.code) + 2
    ]


def _prior_year_asked(query: Query, docs: dict[str, Document]) -> int | None:
    """The year before the documents' year, when that alone is asked about a figure."""
    if query.measure == "增减" or not query.metrics or query.intent not in ("figure", "count"):
        return None
    asked = set(years_asked(query.text))
    scope = [docs[d] for d in query.doc_ids if d in docs] or list(docs.values())
    years = {d.year for d in scope if d.year}
    prior = {y - 1 for y in years} & asked
    return next(iter(prior)) if prior and not (asked & years) else None


def _with_derived(
    readings: list[Reading], query: Query, docs: dict[str, Document], engine: Engine
) -> list[Reading]:
    """Answer "last year's total" from this year's figure and its stated change."""
    asked = set(years_asked(query.text))
    if query.measure == "增减" or not query.metrics:
        return readings  # the change itself is asked, not last year's level
    if not any(d.year and d.year - 1 in asked for d in docs.values()):
        return readings
    stated = group(
        [
            f
            for f in engine.stores.figures.figures(
                doc_ids=list(query.doc_ids), metrics=query.metrics
            )
            if f.measure in ("决算数", "增减额")
        ],
        query.metrics,
    )
    derived: list[Reading] = []
    for r in stated:
        doc = docs.get(r.doc_id)
        if not doc or not doc.year or doc.year - 1 not in asked or doc.year in asked:
            continue
        if r.measure != "增减额":
            continue
        current = next(
            (
                x
                for x in stated
                if x.doc_id == r.doc_id and x.metric == r.metric and x.measure == "决算数"
            ),
            None,
        )
        if current and current.unit == r.unit:
            derived.append(derive_previous(current, r, doc.year - 1))
    return derived + readings


def _unit_sentences(
    engine: Engine, query: Query, scope: Sequence[str]
) -> dict[str, Sentence | None]:
    """Per department, the sentence of 机构设置 that lists its units."""
    found: dict[str, Sentence | None] = {}
    for doc_id in scope:
        hits = hybrid_search(
            engine.lexical, None, "二级预算单位 包括 组成", 3, [doc_id], ("section",), 0.0
        )
        found[doc_id] = next(iter(best_sentences(query, hits, 1, ("二级预算单位",))), None)
    return found


def _most_units(query: Query, documents: Sequence[Document]) -> list[Document]:
    """The departments whose units a comparison lists, most units first: every one
    named, or the top rows when the question names none (the count says the
    rest), so a sentence is looked for in the departments shown only."""
    ranked = sorted(documents, key=lambda d: -len(d.units))
    if (not query.doc_ids or query.all_docs) and len(ranked) > compose.TOP_ROWS:
        return ranked[: compose.TOP_ROWS]
    return ranked


def _ranked_rows(engine: Engine, query: Query, scope: Sequence[str]) -> list[Figure]:
    """One department, many rows of one metric (projects and their scores): best first."""
    store = engine.stores.figures
    reverse = not re.search(r"最低|最少|lowest|least", query.text)
    for metric in metrics_for(query, store.metrics(scope)):
        figures = [
            f
            for f in store.figures(doc_ids=scope, metrics=[metric])
            if f.measure in ("数量", "决算数", "项目自评得分")
        ]
        if metric == "项目自评得分":  # appendix tables: the project is the metric
            figures += [f for f in store.figures(doc_ids=scope) if f.measure == metric]
        ranked = _one_per_label(sorted(figures, key=lambda f: f.value, reverse=reverse))
        if len({(f.value, f.unit) for f in ranked}) > 1:  # not one total in two places
            return ranked
        # one total ("公用经费中数额最大的是哪一项"): the rows it is made of
        members = next((m for f in ranked if len(m := _members(engine, f)) > 1), [])
        if members:
            return sorted(members, key=lambda f: f.value, reverse=reverse)
    return []


def _ranking_part(engine: Engine, query: Query) -> Query:
    """Of a question of several parts, the one that asks the ranking, with the
    metrics it names ("公用经费中数额最大的是哪一项" after "人员经费、公用经费各多少")."""
    parts = _question_parts(query.text)
    ranking = [p for p in parts if _RANKING.search(p)]
    if len(parts) < 2 or len(ranking) != 1:
        return query
    own = understand(ranking[0], engine.documents, None, None, engine.places)
    metrics = tuple(m for m in own.metrics if m in query.metrics) or query.metrics
    return replace(query, text=ranking[0], metrics=metrics)


def _total_of(rows: Sequence[Figure]) -> str:
    """What ranked 科目 rows make up, named by their column (公用经费), or ""."""
    first = rows[0]
    if first.source != "table" or len({f.metric for f in rows}) < 2:
        return ""  # the rows of one metric (projects by score) are headed by it
    return first.column.split(" / ")[0]


def _members(engine: Engine, total: Figure) -> list[Figure]:
    """The rows a table total is made of: the 科目 one level below a coded row; under
    a column's own total with no code (公用经费合计), the finest 科目 of that column
    (30239 其他交通费用, not the 302 商品和服务支出 that adds them up)."""
    if total.source != "table" or total.code:
        return _children(engine, total)
    rows = [
        f
        for f in engine.stores.figures.figures(doc_ids=[total.doc_id])
        if f.table_id == total.table_id and f.column == total.column and f.code
    ]
    codes = {f.code for f in rows}
    return [f for f in rows if not any(c != f.code and c.startswith(f.code) for c in codes)]


def _one_per_label(figures: Sequence[Figure]) -> list[Figure]:
    """A project stated in the narrative and in its appendix table counts once."""
    seen: set[str] = set()
    kept = []
    for f in figures:
        key = re.sub(r"[\s()（）]", "", compose.row_label(f)).removesuffix("项目")
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


def _asks_units(query: Query) -> bool:
    return any(w in query.text for w in ("单位", "组成", "units", "包括哪些", "包含哪些"))


def _unstated(
    asked: AmountAsked,
    readings: Sequence[Reading],
    sentences: Sequence[Sentence],
    terms: Sequence[str],
) -> bool:
    """An amount asked that no figure found and no sentence to be quoted states:
    "更换老旧照明设施花了多少钱" when the text only says the lights were replaced.
    A named project's own pages speak of it whatever words they use."""
    if not sentences:
        return False
    units = ("万元", "元", "亿元") if asked.kind == "money" else (asked.unit,)
    if any(r.unit in units for r in readings):
        return False
    own = [s.text for s in sentences if s.chunk.project]
    if states_amount(asked, own):
        return False
    return not states_amount(asked, (s.text for s in sentences), terms)


def _describe(query: Query) -> str:
    return "、".join(query.metrics) or query.text[:40]


def _retrieved(
    readings: Sequence[Reading], hits: Sequence[Hit], docs: dict[str, Document]
) -> tuple[Retrieved, ...]:
    """Ranked evidence for the harness: figures used, then passages."""
    items: list[Retrieved] = []
    for r in readings[:5]:
        f = r.primary
        source = docs[f.doc_id].source if f.doc_id in docs else ""
        items.append(Retrieved(f.quote, f.doc_id, source, "figure", f.metric))
    for hit in hits:
        c = hit.chunk
        items.append(
            Retrieved(
                text=c.body,
                doc_id=c.doc_id,
                source=c.source,
                kind=c.kind,
                where=c.section,
                score=round(hit.score, 4),
            )
        )
    return tuple(items)

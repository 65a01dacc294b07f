"""How departments, metrics and measures are named in answers, in zh and en.

English answers keep the Chinese term beside the English one ("official
reception (公务接待费)") so a reader can find it in the source. English metric
names come from the glossary file, department names from the document's own
aliases: nothing here is specific to one document.
"""

from __future__ import annotations

import re

from indexing.records import Document
from retrieval.glossary import load_glossary

MEASURES = {
    "决算数": ("决算数", "actual"),
    "全年预算数": ("全年预算数", "full-year budget"),
    "年初预算数": ("年初预算数", "initial budget"),
    "增减额": ("比上年增减额", "change vs previous year"),
    "增减率": ("比上年增减率", "change rate vs previous year"),
    "预算增减额": ("比年初预算增减额", "change vs initial budget"),
    "预算增减率": ("比年初预算增减率", "change rate vs initial budget"),
    "完成率": ("完成预算比例", "share of budget executed"),
    "占比": ("占比", "share"),
    "数量": ("", "count"),
    "执行数": ("执行数", "amount executed"),
    "执行率": ("执行率", "execution rate"),
    "指标值": ("实际完成值", "actual result"),
    "项目自评得分": ("自评得分", "self-evaluation score"),
}


def _english_metrics() -> dict[str, str]:
    """The English name of each metric: the first phrase the glossary gives it."""
    return load_glossary().english


def metric_label(metric: str, lang: str) -> str:
    if lang != "en":
        return metric
    english = _english_metrics().get(metric, "")
    return f"{english} ({metric})" if english else metric


def measure_label(measure: str, lang: str) -> str:
    zh, en = MEASURES.get(measure, (measure, measure))
    return en if lang == "en" else zh


def department_name(doc: Document, lang: str) -> str:
    """The department as a reader of that language knows it."""
    if lang != "en":
        return doc.department
    english = [
        a for a in doc.aliases if re.fullmatch(r"[A-Za-z][A-Za-z .'-]+", a) and len(a.split()) >= 3
    ]
    return f"{english[0]} ({doc.department})" if english else doc.department

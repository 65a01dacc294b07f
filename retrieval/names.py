"""How departments, metrics and measures are named in answers, in zh and en.

English answers keep the Chinese term beside the English one ("official
reception (公务接待费)") so a reader can find it in the source. English metric
and measure names come from the vocabulary (`indexing/vocabulary.yaml`),
department names from the document's own aliases: nothing here is specific
to one document.
"""

from __future__ import annotations

import re

from indexing.records import Document
from indexing.vocabulary import vocabulary
from retrieval.glossary import load_glossary


def _english_metrics() -> dict[str, str]:
    """The English name of each metric: the first phrase the glossary gives it."""
    return load_glossary().english


def metric_label(metric: str, lang: str) -> str:
    if lang != "en":
        return metric
    english = _english_metrics().get(metric, "")
    return f"{english} ({metric})" if english else metric


def measure_label(measure: str, lang: str) -> str:
    """How an answer names a measure (the vocabulary's `measures`); an unknown one as itself."""
    named = vocabulary().measures.get(measure)
    if named is None:
        return measure
    return named.en if lang == "en" else named.zh


def department_name(doc: Document, lang: str) -> str:
    """The department as a reader of that language knows it."""
    if lang != "en":
        return doc.department
    english = [
        a for a in doc.aliases if re.fullmatch(r"[A-Za-z][A-Za-z .'-]+", a) and len(a.split()) >= 3
    ]
    return f"{english[0]} ({doc.department})" if english else doc.department

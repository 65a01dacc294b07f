"""Load gold questions and answers (JSONL, format in eval/gold/README.md).

The loader checks every line and says which line and field is wrong, so a
journalist adding questions by hand can fix the file without reading code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from retrieval.records import Turn

DEFAULT_GOLD = Path(__file__).with_name("gold") / "dev.jsonl"
# What `python -m eval` scores by default: the seed documents' questions and the
# real PDF's, each reported as its own group.
DEFAULT_GOLDS = (DEFAULT_GOLD, DEFAULT_GOLD.with_name("real_dev.jsonl"))


class GoldFormatError(ValueError):
    """A gold file line that does not follow the documented format."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """A passage that proves the answer: an exact substring of `doc`."""

    doc: str  # corpus file name
    quote: str
    where: str  # table or section, for people


@dataclass(frozen=True, slots=True)
class GoldItem:
    """One hand-checked question with what a correct answer must contain."""

    id: str
    question: str
    lang: str
    type: str
    docs: tuple[str, ...]
    answerable: bool
    answer: str
    value: float | None
    unit: str  # "" when the answer is not a number
    must_include: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    history: tuple[Turn, ...]
    notes: str
    gold_set: str = ""  # the file it comes from ("dev", "real_dev"): reported as its own group


def _field(row: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if name not in row:
        raise GoldFormatError(f"{where}: missing field {name!r}")
    value = row[name]
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise GoldFormatError(f"{where}: field {name!r} has the wrong type ({value!r})")
    return value


def _strings(row: dict[str, Any], name: str, where: str) -> tuple[str, ...]:
    values = _field(row, name, list, where)
    if not all(isinstance(v, str) for v in values):
        raise GoldFormatError(f"{where}: field {name!r} must be a list of strings")
    return tuple(values)


def _objects(row: dict[str, Any], name: str, keys: tuple[str, ...], where: str) -> list[dict]:
    values = _field(row, name, list, where)
    for value in values:
        if not isinstance(value, dict) or any(not isinstance(value.get(k), str) for k in keys):
            raise GoldFormatError(f"{where}: each {name!r} entry needs string fields {keys}")
    return values


def parse_item(row: dict[str, Any], where: str = "gold") -> GoldItem:
    """One JSON object of a gold file as a typed `GoldItem`."""
    value = row.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise GoldFormatError(f"{where}: field 'value' must be a number or null ({value!r})")
    unit = row.get("unit") or ""
    if not isinstance(unit, str):
        raise GoldFormatError(f"{where}: field 'unit' must be a string or null ({unit!r})")
    evidence = _objects(row, "evidence", ("doc", "quote"), where)
    history = _objects(row, "history", ("q", "a"), where)
    return GoldItem(
        id=_field(row, "id", str, where),
        question=_field(row, "question", str, where),
        lang=_field(row, "lang", str, where),
        type=_field(row, "type", str, where),
        docs=_strings(row, "docs", where),
        answerable=_field(row, "answerable", bool, where),
        answer=_field(row, "answer", str, where),
        value=None if value is None else float(value),
        unit=unit,
        must_include=_strings(row, "must_include", where),
        evidence=tuple(Evidence(e["doc"], e["quote"], e.get("where", "")) for e in evidence),
        history=tuple(Turn(t["q"], t["a"]) for t in history),
        notes=row.get("notes") or "",
    )


def load_gold(path: Path | str = DEFAULT_GOLD) -> list[GoldItem]:
    """All questions of a gold JSONL file, in file order; blank lines are skipped."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"gold file not found: {path} (see eval/gold/README.md)")
    items: list[GoldItem] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise GoldFormatError(f"{where}: expected a JSON object")
        item = parse_item(row, where)
        if item.id in seen:
            raise GoldFormatError(f"{where}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(replace(item, gold_set=path.stem))
    return items


def load_golds(paths: list[Path]) -> list[GoldItem]:
    """Several gold files in order; an id may appear in one file only."""
    items: list[GoldItem] = []
    seen: dict[str, str] = {}
    for path in paths:
        for item in load_gold(path):
            if item.id in seen:
                raise GoldFormatError(f"{path.name}: id {item.id!r} is also in {seen[item.id]}")
            seen[item.id] = Path(path).name
            items.append(item)
    return items


def check_evidence(items: list[GoldItem], data_dir: Path) -> list[str]:
    """Problems with evidence quotes: each must be an exact substring of its document.

    A quote that drifted from the document would make every citation and
    retrieval score on that question meaningless, so run this on new gold files.
    """
    texts: dict[str, str | None] = {}
    problems = []
    for item in items:
        for evidence in item.evidence:
            if evidence.doc not in texts:
                path = data_dir / evidence.doc
                texts[evidence.doc] = _document_text(path) if path.is_file() else None
            text = texts[evidence.doc]
            if text is None:
                problems.append(f"{item.id}: document {evidence.doc} not in {data_dir}")
            elif evidence.quote not in text:
                problems.append(f"{item.id}: quote not found in {evidence.doc}: {evidence.quote}")
    return problems


def _document_text(path: Path) -> str:
    """The text a quote must be found in: the file, or a PDF's lines as read."""
    if path.suffix.lower() != ".pdf":
        return path.read_text(encoding="utf-8")
    from indexing.loaders import load_lines

    lines, _ = load_lines(path)
    return "\n".join(line.text for line in lines)

"""Who a disclosure is about: department, place, year, kind and its units.

Everything is read from the document's own words (the cover lines, the
"部门：" lines above each table, the 机构设置 paragraph), so a new document is
described without code changes. Places are resolved through the national list of divisions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from indexing.aliases import SCOPE_SUFFIX, department_aliases, locate
from indexing.ordinals import PART
from indexing.records import Document, Line

# Table headers name the department: "部门：X", "部门名称：X", "单位名称：X".
_DEPARTMENT_LINE = re.compile(
    r"^\s*(?:部门|部门名称|单位名称|部门\(单位\)名称)\s*[:：]\s*(?P<name>\S[^\t]*?)\s*$"
)
_TRAILER = re.compile(r"\s*(?:\d{4}\s*年度?|金额单位.*|单位\s*[:：].*|公开\s*\d+\s*表.*)$")
_YEAR = re.compile(r"(20\d{2})\s*年度?")
_KINDS = ("单位决算", "部门决算")
_TOC = re.compile(r"^\s*目\s*录\s*$")
_PART = re.compile(rf"^\s*{PART}")
# Units are listed as numbered items after "二级预算单位包括：", or named in one
# sentence "由A、B、C等5个二级预算单位组成".
_UNIT_ITEM = re.compile(r"^\s*(?:-\s*)?\d{1,2}\s*[、.．]\s*(?P<name>[^\s，,。；;：:]{2,40})\s*$")
_UNIT_SENTENCE = re.compile(r"由(?P<names>[^。]+?)等\s*\d+\s*个(?:二级预算)?单位组成")


def doc_id_for(source: str) -> str:
    """Stable id from the file name: its stem, slugified ("001_f4ec1982bbb312b3").

    A text file keeps its bare stem; other formats add theirs ("report-pdf"),
    so report.pdf and report.txt side by side never replace each other."""
    path = Path(source)
    slug = re.sub(r"[^\w\-]+", "_", path.stem, flags=re.UNICODE).strip("_").lower() or "document"
    suffix = path.suffix.lower().lstrip(".")
    return slug if suffix in ("", "txt") else f"{slug}-{suffix}"


UPLOAD_PREFIX = "upload-"


def upload_file_name(sha256: str, name: str) -> str:
    """The name an uploaded file is kept under: its content hash, then its own name.

    `doc_id_for` of it starts with "upload-" and 16 hex digits of the hash, so
    an upload can never take a shipped document's id or another upload's,
    whatever it is called ("001_f4ec1982bbb312b3.txt", "！！！.txt"); the
    original name stays readable in citations.
    """
    path = Path(name)
    stem = re.sub(r"[\x00-\x1f\x7f/\\]+", " ", path.stem).strip()[:80]
    suffix = re.sub(r"[^\w.]", "", path.suffix.lower())[:10]
    return f"{UPLOAD_PREFIX}{sha256[:16]}" + (f"_{stem}" if stem else "") + suffix


def _cover_lines(lines: Sequence[Line]) -> list[str]:
    """Non-blank lines before the table of contents (or the first part)."""
    cover: list[str] = []
    for line in lines:
        text = line.text.strip()
        if _TOC.match(text) or _PART.match(text):
            break
        if text:
            cover.append(text)
    return cover[:6]


def _title(cover: list[str]) -> str:
    """Cover lines joined; a kind word split over two lines is rejoined."""
    title = " ".join(cover)
    for word in _KINDS:
        title = re.sub(r"\s*".join(word), word, title)
    title = re.sub(r"\s*([（(])\s*", r"\1", title)
    return re.sub(r"\s*([）)])", r"\1", title).strip()


def _department(lines: Sequence[Line], title: str) -> str:
    """The name the table headers give most often, else the title's."""
    names = Counter()
    for line in lines:
        match = _DEPARTMENT_LINE.match(line.text)
        if match:
            name = _TRAILER.sub("", match.group("name")).strip()
            name = re.sub(r"^[(（]公章[)）]", "", name)
            if 2 <= len(name) <= 40:
                names[name] += 1
    if names:
        return names.most_common(1)[0][0]
    stripped = _YEAR.sub("", title)
    for word in _KINDS:
        stripped = stripped.replace(word, "")
    return re.sub(r"\s+|公开$", "", stripped)


def _units(lines: Sequence[Line]) -> tuple[str, ...]:
    """二级预算单位 named in the 机构设置 part of 第一部分."""
    start = next((i for i, ln in enumerate(lines) if "二级预算单位" in ln.text), None)
    if start is None:
        return ()
    sentence = _UNIT_SENTENCE.search(lines[start].text)
    if sentence:
        return tuple(n.strip() for n in re.split(r"[、，,]", sentence.group("names")) if n.strip())
    units: list[str] = []
    for line in lines[start + 1 :]:
        text = line.text.strip()
        if not text:
            continue
        match = _UNIT_ITEM.match(text)
        if not match:
            break
        units.append(match.group("name"))
    return tuple(units)


def _kind(title: str, lines: Sequence[Line]) -> str:
    """单位决算 or 部门决算, as the cover says; 部门决算 when it says neither."""
    head = title + "".join(line.text for line in lines[:80])
    return next((word for word in _KINDS if word in title), None) or next(
        (word for word in _KINDS if word in head), "部门决算"
    )


def detect_document(
    lines: Sequence[Line], source: str, sha256: str, n_pages: int | None = None
) -> Document:
    """Describe a disclosure from its lines; empty fields where it does not say.

    `scope` is 汇总 when the document says so or consolidates several units,
    本级 otherwise. The department is kept as the table headers write it
    (阳谷县人民政府办公室（汇总）); the aliases carry the name without 汇总.
    """
    cover = _cover_lines(lines)
    title = _title(cover)
    department = _department(lines, title)
    place, prefix = locate(SCOPE_SUFFIX.sub("", department))
    place_name = place.name
    year_match = _YEAR.search(title) or next(
        (m for m in (_YEAR.search(line.text) for line in lines[:80]) if m), None
    )
    units = _units(lines)
    consolidated = "汇总" in title or "汇总" in department or len(units) > 1
    return Document(
        doc_id=doc_id_for(source),
        title=title,
        department=department,
        place=place_name,
        province=place.province,
        city=place.city,
        county=place.county,
        year=int(year_match.group(1)) if year_match else None,
        kind=_kind(title, lines),
        scope="汇总" if consolidated else "本级",
        units=units,
        aliases=department_aliases(department, place_name, units, prefix),
        source=Path(source).name,
        sha256=sha256,
        n_lines=max((line.no for line in lines), default=0),
        n_pages=n_pages,
    )

"""Split a disclosure into its heading tree: 第X部分 › 一、 › （一） › 1、.

A heading is a numbering marker followed by a short title: at most
`MAX_HEADING` characters, no clause punctuation inside (a trailing 。 or ： is
allowed), no amounts and no 科目 path ((类)/(款)/(项) — those are wrapped
sentences). A numbered line with no text under it before the next heading of
its level or above is a list item (the units listed in 机构设置), not a heading.

Three regions have their own rules, because the documents shape them so:
- a table of contents (after 目录; or lines ending in page numbers/dots) lists
  headings that appear again later: its lines are never headings. It ends
  where its first entry's marker comes back.
- 第二部分 (the tables): one section per table title (the line before
  "公开NN表"); numbered rows inside tables are not headings.
- 名词解释: each numbered term "十四、“三公”经费：指…" is its own section, so a
  definition can be retrieved and cited with its number.

`Section.text` holds the heading line(s) and the lines under it, blank lines
kept as empty lines, so that line k of the text is source line
`locator.line_start + k`; the narrative parser relies on this to cite lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexing.ordinals import NUMERALS
from indexing.records import Line, Locator, Section

MAX_HEADING = 40
_CN = f"{NUMERALS}百"
_LEVELS = (
    (1, re.compile(rf"^第[{_CN}]+部分")),
    (2, re.compile(rf"^[{_CN}]+、")),
    (3, re.compile(rf"^[（(]\s*[{_CN}]+\s*[）)]")),
    (4, re.compile(r"^\d{1,2}\s*(?:、|[.．](?!\d))")),
)
_BULLET = re.compile(r"^\s*[-•·]\s+")
_TOC_TITLE = re.compile(r"^目\s*录$")
_TOC_ENTRY = re.compile(r"(?:\.{3,}|…{2,})\s*\d*\s*$|\t\s*\d+\s*$")
_INNER_PUNCT = re.compile(r"[，,；;。！？!?：:]")
_NOT_TITLE = re.compile(r"万元|%|％|[（(][类款项][）)]")
_GLOSSARY_ITEM = re.compile(rf"^(?P<head>[{_CN}]+、[^：:]{{1,80}}?)\s*[：:]\s*\S")
_TABLE_NO = re.compile(r"^公开\s*\d{1,2}")
_LOOKAHEAD = 4


@dataclass(slots=True)
class _Heading:
    index: int  # position in the line list
    level: int
    text: str
    span_end: int  # index of the heading's last line (a part title may be on the next line)
    inline: bool = False  # the line goes on after the heading (a glossary definition)


def _clean(text: str) -> str:
    return _BULLET.sub("", text).strip()


def _marker(text: str) -> tuple[int, str] | None:
    """(level, marker) of a numbered line: (2, "一、")."""
    for level, pattern in _LEVELS:
        match = pattern.match(text)
        if match:
            return level, re.sub(r"\s|[（）()]", "", match.group(0))
    return None


def _is_title(text: str, marker_len: int) -> bool:
    """Short, not a sentence, not an amount: "（二）收入决算具体情况"."""
    body = text[marker_len:].strip().rstrip("。：:")
    return (
        len(body) > 0
        and len(text) <= MAX_HEADING
        and not _INNER_PUNCT.search(body)
        and not _NOT_TITLE.search(body)
    )


def _toc_lines(texts: Sequence[str]) -> set[int]:
    """Indexes of table-of-contents lines: never headings."""
    toc = {i for i, text in enumerate(texts) if _TOC_ENTRY.search(text)}
    i = 0
    while i < len(texts):
        if not _TOC_TITLE.match(texts[i]):
            i += 1
            continue
        toc.add(i)
        first = None
        j = i + 1
        while j < len(texts) and j - i < 120:
            found = _marker(texts[j]) if texts[j] else None
            if found and first is None:
                first = found[1]
            elif found and found[1] == first and not _TOC_ENTRY.search(texts[j]):
                break
            toc.add(j)
            j += 1
        i = j
    return toc


def _is_table_title(texts: Sequence[str], i: int) -> bool:
    """A table's title: a short line ending in 表, with "公开NN表" just below."""
    text = texts[i]
    if "\t" in text or len(text) > MAX_HEADING or not text.endswith("表") or _TABLE_NO.match(text):
        return False
    ahead = [t for t in texts[i + 1 :] if t][:_LOOKAHEAD]
    return any(_TABLE_NO.match(t) for t in ahead)


def _candidates(texts: Sequence[str]) -> list[_Heading]:
    """Every line that looks like a heading, with its region rules applied."""
    toc = _toc_lines(texts)
    found: list[_Heading] = []
    region = ""
    for i, text in enumerate(texts):
        if not text or i in toc or "\t" in text:
            continue
        marker = _marker(text)
        if marker and marker[0] == 1 and len(text) <= MAX_HEADING:
            region = text
            found.append(_Heading(i, 1, text, i))
        elif "决算表" in region:
            if _is_table_title(texts, i):
                found.append(_Heading(i, 2, text, i))
        elif "名词解释" in region and marker and marker[0] == 2:
            glossary = _GLOSSARY_ITEM.match(text)
            head = glossary.group("head") if glossary else text
            found.append(_Heading(i, 2, head.strip(), i, inline=bool(glossary)))
        elif marker and _is_title(text, len(marker[1])) and not _in_item_list(texts, i, toc):
            found.append(_Heading(i, marker[0], text, i))
    return found


def _number(marker: str) -> int:
    """Value of a marker's numeral: "（十一）" → 11, "3、" → 3."""
    digits = re.sub(rf"[^0-9{_CN}]", "", marker)
    if digits.isdigit():
        return int(digits)
    units = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
    tens, _, ones = digits.rpartition("十")
    if "十" not in digits:
        return units.get(digits, 0)
    return (units.get(tens, 1)) * 10 + units.get(ones, 0)


def _in_item_list(texts: Sequence[str], i: int, toc: set[int]) -> bool:
    """A short numbered line between numbered sentences is one more list item.

    Duties listed as "（十）…，…。（十一）…。（十二）…，…。" are content, even the
    short ones: a level-3/4 candidate whose neighbour is the previous or next
    number of the same level, written as a sentence, is not a heading.
    """
    level, key = _marker(texts[i]) or (0, "")
    if level < 3:
        return False
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(texts) and not texts[j]:
            j += step
        if not 0 <= j < len(texts) or j in toc or "\t" in texts[j]:
            continue
        neighbour = _marker(texts[j])
        if (
            neighbour
            and neighbour[0] == level
            and _number(neighbour[1]) == _number(key) + step
            and not _is_title(texts[j], len(neighbour[1]))
        ):
            return True
    return False


def _merge_part_titles(texts: Sequence[str], headings: list[_Heading]) -> None:
    """ "第一部分" + "部门概况" on the next line → "第一部分 部门概况"."""
    starts = {h.index for h in headings}
    for h in headings:
        if h.level != 1 or not _LEVELS[0][1].fullmatch(h.text.replace(" ", "")):
            continue
        j = h.index + 1
        while j < len(texts) and not texts[j]:
            j += 1
        if j < len(texts) and j not in starts and len(texts[j]) <= 30 and not _marker(texts[j]):
            h.text, h.span_end = f"{h.text} {texts[j]}", j


def _drop_list_items(texts: Sequence[str], headings: list[_Heading]) -> list[_Heading]:
    """A heading followed directly by one of its level or above has no body: a list item."""
    kept: list[_Heading] = []
    for k, h in enumerate(headings):
        nxt = headings[k + 1] if k + 1 < len(headings) else None
        body = range(h.span_end + 1, nxt.index if nxt else len(texts))
        has_body = h.inline or any(texts[i] for i in body)
        if h.level == 1 or has_body or (nxt is not None and nxt.level > h.level):
            kept.append(h)
    return kept


def _headings(texts: Sequence[str]) -> list[_Heading]:
    headings = _candidates(texts)
    # Part titles first: a region's name decides how the lines below are read.
    _merge_part_titles(texts, headings)
    return _drop_list_items(texts, headings)


def split_sections(lines: Sequence[Line], doc_id: str) -> list[Section]:
    """The heading tree of a document, in reading order, with each section's text."""
    texts = [_clean(line.text) for line in lines]
    headings = _resolve_regions(texts)
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    for k, h in enumerate(headings):
        end = (headings[k + 1].index if k + 1 < len(headings) else len(lines)) - 1
        while end > h.span_end and not texts[end]:
            end -= 1
        end = max(end, h.span_end)
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        stack.append((h.level, h.text))
        first, last = lines[h.index], lines[end]
        by_no = {ln.no: ln.text.rstrip() for ln in lines[h.index : end + 1]}
        text = "\n".join(by_no.get(no, "") for no in range(first.no, last.no + 1))
        sections.append(
            Section(
                doc_id=doc_id,
                section_id=f"{doc_id}:s:L{first.no}",
                heading=h.text,
                path=tuple(t for _, t in stack),
                level=h.level,
                text=text,
                locator=Locator(first.no, last.no, first.page, last.page),
            )
        )
    return sections


def _resolve_regions(texts: Sequence[str]) -> list[_Heading]:
    """Headings, read twice: once to learn the part titles, once with them."""
    merged = list(texts)
    for h in _headings(texts):
        if h.level == 1 and h.span_end != h.index:
            merged[h.index] = h.text
            merged[h.span_end] = ""
    headings = _headings(merged)
    for h in headings:
        if h.level == 1 and h.text != texts[h.index]:
            h.span_end = next(
                (j for j in range(h.index + 1, len(texts)) if texts[j] and texts[j] in h.text),
                h.index,
            )
    return headings

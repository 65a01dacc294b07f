"""Every name a user may type for a department: short forms, pinyin, English.

Retrieval recognises who a question is about from these aliases, so they are
built from the department name, the national list of divisions
(`divisions`) and `names_en.yaml` rather than listed by hand: a new document gets good aliases
without code changes. Pinyin comes from pypinyin; where a character has several
readings with the same letters (冠 guān/guàn), every tone-marked form is kept,
because users type both.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.contrib.tone_convert import to_normal

from indexing.divisions import find_chain, parents

_HERE = Path(__file__).resolve().parent
# A place name not in the gazetteer still ends with its administrative level.
_PLACE_SUFFIX = re.compile(r"^(.{1,8}?(?:自治州|自治县|地区|省|市|县|区|旗))")
# "（汇总）" marks a consolidated disclosure; users leave it out.
SCOPE_SUFFIX = re.compile(r"\s*[（(]\s*汇总\s*[）)]\s*$")
_MAX_TONE_FORMS = 4


@dataclass(frozen=True, slots=True)
class Place:
    """A place and its parents, as far as the gazetteer knows them."""

    name: str
    level: str  # province | city | county | ""
    province: str
    city: str
    county: str


def _load_yaml(name: str) -> dict[str, Any]:
    path = _HERE / name
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


@lru_cache(maxsize=1)
def names_en() -> dict[str, Any]:
    """names_en.yaml: department-type words and place levels."""
    return _load_yaml("names_en.yaml")


def locate(name: str) -> tuple[Place, str]:
    """The place a department is named after, and the prefix it is printed with.

    "上海市普陀区财政局" → (普陀区 in 上海市, "上海市普陀区"); the national list of
    divisions (`divisions`) gives the parents. A place not in the list is
    still recognised by its suffix (省/市/县/区), without parents.
    """
    name = name.strip()
    chain, start, end = find_chain(name)
    if chain:
        province, city, county = parents(chain[-1])
        place = Place(chain[-1].name, chain[-1].level, province, city, county)
        return place, name[start:end]
    match = _PLACE_SUFFIX.match(name)
    found = match.group(1) if match else ""
    return Place(found, "", "", "", ""), found


def find_place(name: str) -> str:
    """The most specific place a department name contains ("冠县人民政府办公室" → "冠县")."""
    return locate(name)[0].name


def resolve_place(name: str) -> Place:
    """Province, city and county of a place name."""
    return locate(name)[0]


def _split_level(place: str) -> tuple[str, str]:
    """("冠", "县") for 冠县: the name stem and its level suffix."""
    levels = names_en().get("levels", {})
    if len(place) > 1 and place[-1] in levels:
        return place[:-1], place[-1]
    return place, ""


def _tone_forms(text: str) -> list[str]:
    """Tone-marked spellings whose plain letters match pypinyin's reading."""
    plain = lazy_pinyin(text)
    readings = pinyin(text, style=Style.TONE, heteronym=True)
    options = [
        [r for r in chars if to_normal(r) == base] or [chars[0]]
        for chars, base in zip(readings, plain, strict=True)
    ]
    forms = ["".join(combo) for combo in itertools.product(*options)]
    return [form[:1].upper() + form[1:] for form in forms[:_MAX_TONE_FORMS]]


def place_pinyin(place: str) -> list[str]:
    """Latin forms of a place: "Zaozhuang", "zao zhuang", "Zǎozhuāng", "Guan County"."""
    stem, suffix = _split_level(place)
    if not stem or not re.search(r"[\u4e00-\u9fff]", stem):
        return []
    level = names_en().get("levels", {}).get(suffix, {})
    syllables = lazy_pinyin(stem)
    title = "".join(syllables).capitalize()
    forms: list[str] = []
    if len(stem) > 1:
        forms += [title, title.lower(), " ".join(syllables), *_tone_forms(stem)]
    if level:
        sound = level.get("pinyin", "")
        forms += [f"{title} {level['suffix_en']}", f"{title} {level['suffix_en'].lower()}"]
        if sound and (suffix == "县" or len(stem) == 1):
            forms += [f"{title}{sound}", f"{title}{sound}".lower(), f"{title} {sound}"]
            forms += [f"{title.lower()} {sound}", *_tone_forms(place)]
    return forms


def _department_type(body: str) -> tuple[str, dict[str, Any]]:
    """The department-type entry a department body starts with, longest first."""
    departments = names_en().get("departments", {})
    for key in sorted(departments, key=len, reverse=True):
        if body.startswith(key):
            return key, departments[key]
    return "", {}


def english_names(place: str, body: str) -> list[str]:
    """ "Zaozhuang municipal government office" from 枣庄市 + 人民政府办公室."""
    _, entry = _department_type(body)
    stem, suffix = _split_level(place)
    if not entry or not stem:
        return []
    level = names_en().get("levels", {}).get(suffix, {})
    title = "".join(lazy_pinyin(stem)).capitalize()
    if len(stem) == 1 and level:
        title += level.get("pinyin", "")
    words = level.get("en", [""]) if level else [""]
    return [" ".join(p for p in (title, w, en) if p) for w in words for en in entry["en"]]


def department_aliases(
    department: str, place: str, units: tuple[str, ...] = (), prefix: str = ""
) -> tuple[str, ...]:
    """All names for a department, most specific first, without duplicates.

    `prefix` is the places as printed before the department's own name
    ("上海市普陀区"); users often give only the innermost ("普陀区财政局").
    """
    plain = SCOPE_SUFFIX.sub("", department)
    prefix = prefix or place
    body = plain
    if prefix and prefix in plain:
        body = plain[plain.index(prefix) + len(prefix) :]
    elif place and plain.startswith(place):
        body = plain[len(place) :]
    stem, suffix = _split_level(place)
    names = [department, plain]
    if body and body != plain and place:
        names.append(f"{place}{body}")
    _, entry = _department_type(body)
    for short in entry.get("short", []):
        names += [f"{place}{short}", f"{suffix}{short}" if suffix else ""]
        names.append(f"{stem}{short}" if len(stem) > 1 else "")
    names += [place, prefix, stem if len(stem) > 1 else ""]
    names += place_pinyin(place) + english_names(place, body)
    names += [SCOPE_SUFFIX.sub("", u) for u in units if not re.search(r"本级[）)]?$", u)]
    seen: dict[str, None] = {}
    for name in (n.strip() for n in names):
        if name and name not in seen:
            seen[name] = None
    return tuple(seen)

"""China's administrative divisions, from a complete national list.

The list is the adcodes table that ships inside the `cpca` package (3,500
provinces, cities and counties with their 12-digit codes); only its CSV is
read, so neither cpca's matcher nor pandas is loaded. The code says the
hierarchy: 31 01 07 → 上海市 / 普陀区, 37 15 25 → 山东省 / 聊城市 / 冠县.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Rows of the list that stand for a grouping, not a place a department is named after.
_NOT_PLACES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_MUNICIPALITIES = ("11", "12", "31", "50")
_MAX_NAME = 12


class DivisionsUnavailable(RuntimeError):
    """The national list is missing: the `cpca` package is not installed."""


@dataclass(frozen=True, slots=True)
class Division:
    """One province, city or county with its 6-digit code."""

    code: str
    name: str
    level: str  # province | city | county

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str:
        return self.code[:4] + "00"

    def is_under(self, other: Division) -> bool:
        """True when this division lies inside `other`."""
        if other.level == "province":
            return self.code[:2] == other.code[:2] and self.code != other.code
        if other.level == "city":
            return self.code[:4] == other.code[:4] and self.code != other.code
        return False


def _csv_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise DivisionsUnavailable("install the cpca package: it carries the national list")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


@lru_cache(maxsize=1)
def divisions() -> dict[str, list[Division]]:
    """Every division by name (a name can be several places: 普陀区, 城区, 朝阳区)."""
    by_name: dict[str, list[Division]] = defaultdict(list)
    with _csv_path().open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"][:6], row["name"].strip()
            if name and name not in _NOT_PLACES:
                by_name[name].append(Division(code, name, _level(code)))
    return dict(by_name)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Division]:
    return {d.code: d for found in divisions().values() for d in found}


def by_code(code: str) -> Division | None:
    return _by_code().get(code)


def find_chain(text: str) -> tuple[list[Division], int, int]:
    """The places a name is prefixed with, outermost first, and where they are printed.

    "中共上海市普陀区委社会工作部" → ([上海市, 普陀区], 2, 8). A name that is
    several places is resolved by the place it follows or precedes.
    """
    names = divisions()
    for start in range(len(text)):
        first = _names_at(text, start, names)
        if not first:
            continue
        chain: list[list[Division]] = [first[0][1]]
        end = start + len(first[0][0])
        while nxt := _names_at(text, end, names):
            name, options = nxt[0]
            inside = [d for d in options if any(d.is_under(p) for p in chain[-1])]
            if not inside:
                break
            chain[-1] = [p for p in chain[-1] if any(d.is_under(p) for d in inside)]
            chain.append(inside)
            end += len(name)
        return [options[0] for options in chain], start, end
    return [], 0, 0


def _names_at(
    text: str, start: int, names: dict[str, list[Division]]
) -> list[tuple[str, list[Division]]]:
    """Division names printed at `start`, longest first."""
    found = []
    for length in range(min(_MAX_NAME, len(text) - start), 1, -1):
        piece = text[start : start + length]
        if piece in names:
            found.append((piece, names[piece]))
    return found


def parents(division: Division) -> tuple[str, str, str]:
    """(province, city, county) names of a division; a municipality is its own city."""
    province = by_code(division.province_code)
    province_name = province.name if province else ""
    if division.level == "province":
        return province_name, province_name if division.code[:2] in _MUNICIPALITIES else "", ""
    city = by_code(division.city_code)
    city_name = city.name if city else ""
    if division.code[:2] in _MUNICIPALITIES:
        city_name = province_name
    if division.level == "city":
        return province_name, division.name, ""
    return province_name, city_name, division.name

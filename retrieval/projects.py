"""Which appendix project a question names, written out or shortened.

A citizen writes "台办慰问台胞台属项目" for the project printed as
"台办业务及慰问台胞台属相关费用". A project is named when its printed name is
in the question, or else when most of the question's words around it are the
project's: enough of the name's character pairs appear in the question, and
no other project shares as many.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from indexing.divisions import find_chain
from retrieval.tokens import tokenize

MIN_SHARED = 4  # character pairs of the name the question must repeat…
MIN_SHARE = 0.4  # …and this share of them, for a shortened name
# Pairs that every project name has: they say nothing about which one.
_COMMON = frozenset({"项目", "经费", "费用", "相关", "业务", "工作", "服务", "建设", "专项"})


def core(project: str) -> str:
    """The project's name without the trailing 项目 and brackets, as compared."""
    return re.sub(r"[()（）\s]", "", project.removesuffix("项目"))


def _base(project: str) -> str:
    """The name before a bracketed variant ("县电子政务外网公共服务域建设项目(移动)项目"
    → 县电子政务外网公共服务域建设); the name itself when it has none."""
    name = re.sub(r"[(（][^()（）]*[)）]$", "", project.removesuffix("项目"))
    return squeeze(name).removesuffix("项目")


@lru_cache(maxsize=65536)
def unplaced(project: str) -> str:
    """The name without the place it starts with ("阳谷县“爱山东”APP分厅…" → "爱山东
    APP分厅…"), which a question puts before the department instead ("阳谷县政府办
    “爱山东”APP分厅…"); the place is one of the national list of divisions. A
    sentinel no text contains when the name starts with no place, or the rest is
    too short to name anything."""
    name = core(project)
    chain, start, end = find_chain(name)
    rest = name[end:] if chain and start == 0 else ""
    return rest if len(rest) >= 6 else "\0"


def squeeze(text: str) -> str:
    """Without spaces, brackets and quotation marks: how names are compared."""
    return re.sub(r"[\s()（）“”\"'‘’]", "", text)


def named_projects(question: str, projects: Iterable[str]) -> list[str]:
    """The projects the question names: exact names (longest, not one inside
    another), else the one shortened name that matches clearly best."""
    asked = squeeze(question)
    known = sorted(set(projects))
    # a name written as printed, else without the place it starts with (a
    # question writes 阳谷县政府办“爱山东”APP…): a name printed with its place and
    # one without are two projects (阳谷县政务公开… 4.97万, 政务公开… 10万)
    exact = [p for p in known if core(p) and core(p) in asked]
    exact = exact or [p for p in known if core(p) and unplaced(p) in asked]
    # a name inside a longer one named is not named too, unless the longer is its
    # twin printed with the place (阳谷县政务公开… beside 政务公开…): both are
    exact = [
        p
        for p in exact
        if not any(p != q and core(p) in core(q) and unplaced(q) != core(p) for q in exact)
    ]
    if exact:
        return exact
    pairs = set(tokenize(asked)) - _COMMON
    scored = []
    for p in known:
        name = set(tokenize(core(p))) - _COMMON
        shared = len(name & pairs)
        if name and shared >= MIN_SHARED and shared / len(name) >= MIN_SHARE:
            scored.append((shared, p))
    scored.sort(reverse=True)
    if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return [scored[0][1]]
    return []


# Government levels a project may be named for ("省级“数字山东”发展资金" is the
# province's transfer): a question asking one level's projects ("县级预算项目")
# leaves out those named for another.
_LEVELS = ("中央", "省级", "市级", "县级", "区级")


def asked_level(question: str) -> str:
    """The level whose projects the question asks for ("16个县级预算项目" → 县级), or ""."""
    found = re.search(rf"({'|'.join(_LEVELS)})(?:预算|财政)?(?:支出)?项目", question)
    return found.group(1) if found else ""


def of_another_level(project: str, level: str) -> bool:
    """A project whose name opens with a level other than the one asked."""
    return bool(level) and project.startswith(tuple(lv for lv in _LEVELS if lv != level))


def every_named(question: str, projects: Iterable[str]) -> list[str]:
    """All the projects a question names, as for a sum over them ("“数字政府”项目
    一期建设工程款和全市大数据统一运维项目"): the exact names, then each other
    project most of whose name the rest of the question holds."""
    known = sorted(set(projects))
    found = named_projects(question, known)
    rest = squeeze(question)
    # "县电子政务外网公共服务域建设项目分移动、联通两块": the name without its
    # bracketed part names each project printed with one ((移动), (联通))
    # (unless a project of that very name is named: 政务热线服务费12345, not its
    # (上年质保金) sibling)
    exact = {core(p) for p in found}
    found += [
        p
        for p in known
        if p not in found and len(_base(p)) >= 4 and _base(p) in rest and _base(p) not in exact
    ]
    for p in found:
        rest = rest.replace(core(p), " ").replace(_base(p), " ")
    pairs = set(tokenize(rest)) - _COMMON
    for p in known:
        name = set(tokenize(core(p))) - _COMMON
        shared = len(name & pairs)
        if p not in found and name and shared >= MIN_SHARED and shared / len(name) >= MIN_SHARE:
            found.append(p)
    return found


def beyond_names(question: str, projects: Iterable[str]) -> list[str]:
    """The question's tokens once the projects' names are taken out, each name
    token once: in "台办慰问台胞台属项目慰问了多少户" the second 慰问 is what is asked."""
    left = Counter(tokenize(question))
    for p in projects:
        left -= Counter(set(tokenize(core(p))))
    return list(left.elements())


def asked_projects(question: str, earlier: str, projects: Iterable[str]) -> list[str]:
    """The projects a question names, or, for a follow-up naming none ("这个项目…"),
    those the question before it named."""
    known = list(projects)
    return named_projects(question, known) or (named_projects(earlier, known) if earlier else [])

"""Which documents a question names: places and departments in Chinese, pinyin or English.

The lexicon is built from the catalogue (`Document.aliases`, department, place,
units), so a new document needs no code.  Latin words are compared with the
pinyin of the place names, so spellings nobody listed (zao zhuang, Yang-gu,
Guan County) still resolve.  A Chinese place that no document covers
(滕州市人民政府办公室) is reported, so the answer can decline politely.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg
from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from indexing.records import Document
from retrieval.glossary import SpanIndex, en_key, load_glossary, zh_key

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SUFFIXES = "省市县区镇乡旗"
# Pinyin and English words that may follow a place name: "Guan County", "Zaozhuang shi".
_SUFFIX_WORDS = {
    "市": ("shi", "city", "municipal", "municipality"),
    "县": ("xian", "county"),
    "区": ("qu", "district"),
    "镇": ("zhen", "town"),
    "乡": ("xiang", "township"),
    "省": ("sheng", "province", "provincial"),
}
_GOV_WORDS = ("county", "city", "municipal", "district", "town", "government", "province")
_GOV_ZH = re.compile(r"^(?:[市县区]?人民政府|[市县区]?政府|[市县区]委|[市县区]府办)")
# A department of a covered place that is not the covered department: 枣庄市财政局.
_OTHER_DEPARTMENT = re.compile(
    r"^[\u4e00-\u9fff]{0,5}?(?:局|委员会|法院|检察院|医院|学校|(?<!大)厅)"
)
_PAREN = re.compile(r"[(（][^)）]*[)）]")


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """What a question says about who: documents named, and places nobody covers."""

    doc_ids: tuple[str, ...]
    unknown: tuple[str, ...] = ()
    # Documents named only by a place-less department name (市政府办公室),
    # which the caller may use when history or filters disambiguate.
    weak: tuple[str, ...] = ()


def latin_tokens(text: str) -> list[str]:
    """Lower-case Latin words without tone marks, digits or possessive 's."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()
    tokens = re.findall(r"[a-z]+", plain.replace("'s ", " ").replace("’s ", " "))
    return tokens


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", reading) if not unicodedata.combining(c)
            )
            if len(plain) >= 2 and re.fullmatch(r"[a-z]+", plain):
                found.add(plain)
    return frozenset(found)


def is_pinyin_word(word: str, min_syllables: int = 2) -> bool:
    """Whether `word` splits into at least `min_syllables` pinyin syllables (Tengzhou: yes)."""
    syllables = _syllables()
    best = [-1] * (len(word) + 1)  # most syllables covering word[:i], -1 = impossible
    best[0] = 0
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            if best[start] >= 0 and word[start:end] in syllables:
                best[end] = max(best[end], best[start] + 1)
    return best[-1] >= min_syllables


def split_place(name: str) -> tuple[str, str]:
    """The last administrative unit of `name` as (stem, suffix): 晋城市阳城县 → (阳城, 县)."""
    name = _PAREN.sub("", unicodedata.normalize("NFKC", name)).strip()
    parts = re.findall(rf"[^{_SUFFIXES}]+[{_SUFFIXES}]", name)
    last = parts[-1] if parts else name
    if last and last[-1] in _SUFFIXES:
        return last[:-1], last[-1]
    return last, ""


def place_forms(name: str) -> list[str]:
    """Chinese forms a user may type for a place: 高平市 → 高平市, 高平; 冠县 → 冠县."""
    stem, suffix = split_place(name)
    if not stem:
        return []
    return [stem + suffix, stem] if suffix and len(stem) >= 2 else [stem + suffix]


def department_forms(department: str, places: Iterable[str]) -> tuple[list[str], list[str]]:
    """(full forms, place-less forms) of a department name.

    阳谷县人民政府办公室（汇总） gives 阳谷县政府办, 阳谷政府办公室 … and the
    place-less 县政府办, which alone names a department only in context.
    """
    base = _PAREN.sub("", unicodedata.normalize("NFKC", department)).strip()
    forms = {base}
    for form in list(forms):
        forms.add(form.replace("人民政府", "政府"))
    for form in list(forms):
        if form.endswith("办公室"):
            forms.add(form[:-2])
    full, bare = set(forms), set()
    for place in places:
        stem, suffix = split_place(place)
        prefix = stem + suffix
        for form in forms:
            if prefix and form.startswith(prefix) and len(form) > len(prefix):
                rest = form[len(prefix) :]
                if len(stem) >= 2:
                    full.add(stem + rest)
                bare.add(suffix + rest if suffix in "市县区" else rest)
                bare.add(rest)
    bare = {b for b in bare if len(b) >= 3}
    return sorted(full), sorted(bare - full)


def _pinyin(stem: str) -> str:
    return "".join(lazy_pinyin(stem, style=Style.NORMAL, v_to_u=True)).replace("ü", "u")


class PlaceIndex:
    """The catalogue's names, ready to be found in questions.

    Built once per index generation; finding the names in a question then
    costs the same however many documents there are (see `SpanIndex`).
    """

    def __init__(self, documents: Sequence[Document]) -> None:
        self.doc_ids = tuple(d.doc_id for d in documents)
        self._strong: dict[str, set[str]] = defaultdict(set)
        self._weak: dict[str, set[str]] = defaultdict(set)
        self._region: dict[str, set[str]] = defaultdict(set)
        self._english: dict[str, set[str]] = defaultdict(set)
        # (pinyin of stem, suffix) → docs; regions kept apart as a fallback.
        self._pinyin: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._region_pinyin: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._place_keys: set[str] = set()
        for doc in documents:
            self._add(doc)
        self.places = frozenset(self._place_keys)
        self.regions = frozenset(self._region)
        self._strong_index = tuple(
            sorted(((k, k) for k in self._strong), key=lambda kv: -len(kv[0]))
        )
        self._weak_index = tuple(sorted(((k, k) for k in self._weak), key=lambda kv: -len(kv[0])))
        self._region_index = tuple(
            sorted(((k, k) for k in self._region), key=lambda kv: -len(kv[0]))
        )
        self._strong_spans = SpanIndex(self._strong_index)
        self._weak_spans = SpanIndex(self._weak_index)
        self._region_spans = SpanIndex(self._region_index)
        names = (*self._strong_index, *self._weak_index, *self._region_index)
        self._all_spans = SpanIndex(tuple(sorted(names, key=lambda kv: -len(kv[0]))))
        self._known_latin = latin_forms(self.places | self.regions)
        self._english_order = {phrase: i for i, phrase in enumerate(self._english)}
        self._english_words = max((len(p.split()) for p in self._english), default=0)
        self._place_latin = _PinyinTable(self._pinyin)
        self._region_latin = _PinyinTable(self._region_pinyin)

    def _add(self, doc: Document) -> None:
        places = [p for p in (doc.place, doc.county) if p]
        for place in places:
            for form in place_forms(place):
                self._strong[zh_key(form)].add(doc.doc_id)
                self._place_keys.add(zh_key(form))
            stem, suffix = split_place(place)
            if stem:
                self._pinyin[(_pinyin(stem), suffix)].add(doc.doc_id)
        for region in (doc.city, doc.province):
            for form in place_forms(region) if region else []:
                self._region[zh_key(form)].add(doc.doc_id)
            stem, suffix = split_place(region) if region else ("", "")
            if stem:
                self._region_pinyin[(_pinyin(stem), suffix)].add(doc.doc_id)
        stems = {zh_key(form) for place in places for form in place_forms(place)}
        for name in [doc.department, *doc.units, *doc.aliases]:
            if not name:
                continue
            if not _CJK.search(name):
                self._english[en_key(name)].add(doc.doc_id)
                continue
            full, bare = department_forms(name, places)
            for form in full:
                # 县政府办公室 names no place: only context can tell which county.
                named = any(stem in zh_key(form) for stem in stems)
                (self._strong if named else self._weak)[zh_key(form)].add(doc.doc_id)
            for form in bare:
                self._weak[zh_key(form)].add(doc.doc_id)

    def match(self, text: str) -> PlaceMatch:
        """Documents `text` names, strongest evidence first; see `PlaceMatch`."""
        key = zh_key(text)
        unknown = list(unknown_places(text, self.places, self.regions, self._known_latin))
        strong = []
        for span in self._strong_spans.longest_first(key):
            other = _OTHER_DEPARTMENT.match(key[span.end :])
            if span.value in self.places and other:
                unknown.append(span.value + other.group(0))
            else:
                strong.append(span)
        found: list[str] = [d for span in strong for d in sorted(self._strong[span.value])]
        found += self._match_english(text)
        weak: list[str] = []
        if not found:
            # 政府办 inside the metric 政府办公厅(室)及相关机构事务 names nobody.
            covered = [(s.start, s.end) for s in strong]
            covered += [(s.start, s.end) for s in load_glossary().zh_spans(key)]
            for span in self._weak_spans.longest_first(key):
                if all(span.end <= a or span.start >= b for a, b in covered):
                    weak += sorted(self._weak[span.value])
        if not found and not unknown:
            regions = self._region_spans.longest_first(key)
            found = [d for span in regions for d in sorted(self._region[span.value])]
            found += self._region_latin.hits(latin_tokens(text))
        return PlaceMatch(_unique(found), _unique(unknown), _unique(weak))

    def strip_names(self, key: str) -> str:
        """A keyed question (`zh_key`) without the place and department names in it."""
        for span in reversed(self._all_spans.longest_first(key)):
            key = key[: span.start] + " " + key[span.end :]
        return key

    def _match_english(self, text: str) -> list[str]:
        # A phrase (" guan county ") is in the keyed text when its words are a
        # run of the text's words: look the runs up instead of every phrase.
        words = en_key(text).split()
        runs = {
            " " + " ".join(words[i : i + n]) + " "
            for i in range(len(words))
            for n in range(1, self._english_words + 1)
            if i + n <= len(words)
        } or {"  "}  # en_key of a text without words
        named = sorted((p for p in runs if p in self._english), key=self._english_order.get)
        found = [d for phrase in named for d in self._english[phrase]]
        return found + self._place_latin.hits(latin_tokens(text))


class _PinyinTable:
    """Docs whose place pinyin the Latin tokens spell, with or without spaces or suffix.

    A one-syllable stem (冠 guan) counts only with its suffix (Guanxian, Guan County),
    since a bare syllable is too easily an English word. The spellings are
    looked up, so the cost does not grow with the number of places.
    """

    def __init__(self, table: dict[tuple[str, str], set[str]]) -> None:
        self._docs: list[list[str]] = []
        # spelling → (place, the suffix words one of which must follow, or None)
        self._spellings: dict[str, list[tuple[int, tuple[str, ...] | None]]] = defaultdict(list)
        for place, ((stem, suffix), docs) in enumerate(table.items()):
            self._docs.append(sorted(docs))
            words = _SUFFIX_WORDS.get(suffix, ())
            self._spellings[stem].append((place, None if is_pinyin_word(stem, 2) else words))
            if words:
                self._spellings[stem + words[0]].append((place, None))

    def hits(self, tokens: list[str]) -> list[str]:
        found: set[tuple[int, int, int]] = set()
        for i in range(len(tokens)):
            for n in range(1, 5):
                after = tokens[i + n] if i + n < len(tokens) else ""
                for place, words in self._spellings.get("".join(tokens[i : i + n]), ()):
                    if words is None or after in words:
                        found.add((place, i, n))
        return [d for place, _i, _n in sorted(found) for d in self._docs[place]]


def unknown_places(
    text: str,
    places: frozenset[str],
    regions: frozenset[str],
    known_latin: frozenset[str] | None = None,
) -> tuple[str, ...]:
    """Chinese places named that no document covers: 滕州市人民政府办公室 → 滕州市.

    Uses jieba's place tags (ns).  A place with an admin suffix, or any place
    followed by 人民政府/政府, counts.  A city or province of a covered place
    (晋城) is known when merely mentioned, but its own government is not a
    covered department (晋城市人民政府办公室 → 晋城市). `known_latin` is
    `latin_forms(places | regions)`, computed once by a caller that reads
    many questions.

    Dictionary words only (HMM off): place names are dictionary words, and
    the tagger's HMM costs ~10 ms per unknown character, so a long question
    of rare characters would stall the service.
    """
    found: list[str] = []
    words = list(jieba.posseg.cut(unicodedata.normalize("NFKC", text), HMM=False))
    for i, word in enumerate(words):
        name = word.word
        following = "".join(w.word for w in words[i + 1 : i + 3])
        government = bool(_GOV_ZH.match(following))
        if word.flag != "ns" or len(name) < 2 or (name[-1] not in _SUFFIXES and not government):
            continue
        if name[-1] not in _SUFFIXES and following[:1] in "市县区":
            name += following[0]
        known = _is_known(name, places) or (not government and _is_known(name, regions))
        if not known and not (name[-1] == "省" and not government):
            found.append(name)
    found += _unknown_latin(text, places, regions, known_latin)
    return _unique(found)


def _is_known(name: str, known: frozenset[str]) -> bool:
    stem, suffix = split_place(name)
    return any(zh_key(form) in known for form in (name, stem + suffix, stem) if form)


def latin_forms(known: Iterable[str]) -> frozenset[str]:
    """The pinyin of known places, bare and with their suffix word: zaozhuang, guanxian."""
    forms: set[str] = set()
    for name in known:
        stem, suffix = split_place(name)
        forms.add(_pinyin(stem))
        forms.update(_pinyin(stem) + w for w in _SUFFIX_WORDS.get(suffix, ())[:1])
    return frozenset(forms)


def _unknown_latin(
    text: str, places: frozenset[str], regions: frozenset[str], known: frozenset[str] | None
) -> list[str]:
    """Capitalised pinyin words before county/city/government that name no known place."""
    found: list[str] = []
    for match in re.finditer(r"\b([A-Z][a-z]+)\s+(\w+)", text):
        word, after = match.group(1), match.group(2).lower()
        if after not in _GOV_WORDS:
            continue
        if known is None:
            known = latin_forms(places | regions)
        if word.lower() not in known and is_pinyin_word(word.lower()):
            found.append(word)
    return found


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))

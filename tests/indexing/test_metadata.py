"""detect_document on the five real disclosures: who, where, when, what kind."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from indexing.loaders import file_sha256, load_lines
from indexing.metadata import detect_document, doc_id_for
from indexing.records import Document

DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def document(prefix: str) -> Document:
    path = next(DATA.glob(f"{prefix}_*.txt"))
    lines, pages = load_lines(path)
    return detect_document(lines, path.name, file_sha256(path), pages)


@pytest.mark.parametrize(
    ("prefix", "department", "place", "province", "city", "county"),
    [
        ("000", "冠县人民政府办公室", "冠县", "山东省", "聊城市", "冠县"),
        ("001", "枣庄市人民政府办公室", "枣庄市", "山东省", "枣庄市", ""),
        ("002", "高平市人民政府办公室", "高平市", "山西省", "晋城市", "高平市"),
        ("003", "阳城县政务服务中心", "阳城县", "山西省", "晋城市", "阳城县"),
        ("004", "阳谷县人民政府办公室（汇总）", "阳谷县", "山东省", "聊城市", "阳谷县"),
    ],
)
def test_department_and_place_resolve_through_the_gazetteer(
    prefix, department, place, province, city, county
):
    doc = document(prefix)
    assert (doc.department, doc.place, doc.province, doc.city, doc.county) == (
        department,
        place,
        province,
        city,
        county,
    )


@pytest.mark.parametrize(
    ("prefix", "kind", "scope"),
    [
        ("000", "部门决算", "本级"),
        ("001", "部门决算", "汇总"),
        ("002", "部门决算", "汇总"),
        ("003", "单位决算", "本级"),
        ("004", "部门决算", "汇总"),
    ],
)
def test_year_kind_and_scope(prefix, kind, scope):
    doc = document(prefix)
    assert (doc.year, doc.kind, doc.scope) == (2024, kind, scope)


def test_titles_are_the_cover_lines_joined():
    assert document("001").title == "2024 年度 枣庄市人民政府办公室 部门决算"
    assert document("002").title == "高平市人民政府办公室 2024年度部门决算公开"
    assert document("000").title == "2024 年度 冠县人民政府办公室部门决算"
    assert document("003").title == "阳城县政务服务中心 2024年度单位决算公开"


@pytest.mark.parametrize(
    ("prefix", "units"),
    [
        ("000", ("冠县人民政府办公室（本级）",)),
        ("001", ("枣庄市人民政府办公室本级", "枣庄市人民政府决策研究中心")),
        (
            "002",
            (
                "高平市人民政府办公室",
                "高平市市域治理现代化指挥中心",
                "高平市发展研究中心",
                "高平市外事工作服务中心",
                "高平市治理车辆超限超载事务中心",
            ),
        ),
        ("003", ()),
        ("004", ("阳谷县人民政府办公室（汇总）本级",)),
    ],
)
def test_units_are_the_budget_units_listed_in_jigou_shezhi(prefix, units):
    assert document(prefix).units == units


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "001",
            {
                "枣庄市政府办",
                "市政府办公室",
                "枣庄市政府办公室",
                "枣庄",
                "枣庄市",
                "Zaozhuang",
                "zao zhuang",
                "zaozhuang",
                "Zǎozhuāng",
                "Zaozhuang municipal government office",
                "Zaozhuang city government office",
                "枣庄市人民政府决策研究中心",
            },
        ),
        (
            "000",
            {
                "冠县",
                "Guanxian",
                "Guan County",
                "Guan xian",
                "Guānxiàn",
                "Guànxiàn",
                "Guanxian county government office",
                "县政府办公室",
            },
        ),
        ("002", {"高平", "Gaoping", "Gaoping City", "高平市政府办公室"}),
        (
            "003",
            {"阳城", "Yangcheng", "Yangcheng county government service center", "阳城县政务中心"},
        ),
        (
            "004",
            {"阳谷县人民政府办公室", "阳谷", "Yanggu", "Yánggǔ", "Yanggu county government office"},
        ),
    ],
)
def test_aliases_cover_short_pinyin_and_english_names(prefix, expected):
    assert expected <= set(document(prefix).aliases)


def test_county_aliases_do_not_include_a_bare_one_letter_stem():
    assert "Guan" not in document("000").aliases
    assert "冠" not in document("000").aliases


def test_doc_id_is_the_slugified_file_stem():
    assert doc_id_for("data/001_f4ec1982bbb312b3.txt") == "001_f4ec1982bbb312b3"
    assert doc_id_for("/tmp/My Report 2024.txt") == "my_report_2024"
    assert document("003").doc_id == "003_5bf6c4be2fcbdf28"


def test_doc_id_of_a_pdf_differs_from_the_text_file_of_the_same_name():
    assert doc_id_for("/tmp/My Report 2024.pdf") == "my_report_2024-pdf"
    assert doc_id_for("002.pdf") != doc_id_for("002.txt")


def test_n_lines_counts_source_lines_including_dropped_watermarks():
    assert document("003").n_lines == 1030
    assert document("003").source == "003_5bf6c4be2fcbdf28.txt"

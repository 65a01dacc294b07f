"""prose_counts on the real disclosures: counts a project's report states in sentences."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from indexing.loaders import file_sha256, load_lines
from indexing.metadata import detect_document
from indexing.project_counts import prose_counts
from indexing.projects import project_figures, project_spans
from indexing.records import Figure

DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def counts(prefix: str) -> tuple[Figure, ...]:
    path = next(DATA.glob(f"{prefix}_*.txt"))
    lines, pages = load_lines(path)
    doc = detect_document(lines, path.name, file_sha256(path), pages)
    spans = project_spans(lines, project_figures(lines, doc))
    return tuple(prose_counts(lines, spans, doc))


def named(prefix: str) -> dict[str, tuple[float, str]]:
    return {f.row: (f.value, f.unit) for f in counts(prefix)}


def test_each_count_of_a_report_sentence_is_a_figure_of_its_project():
    found = named("003")
    # "2024年1-12月共受理各类工单4659件，办结4659件。其中，热线直接答复468件…"
    assert found["政务热线服务费12345 / 受理各类工单"] == (4659.0, "件")
    assert found["政务热线服务费12345 / 热线直接答复"] == (468.0, "件")
    assert found["政务大厅运行费 / 大厅全年审批数量"] == (250000.0, "件")
    (f,) = [f for f in counts("003") if f.row == "政务热线服务费12345 / 受理各类工单"]
    assert (f.metric, f.measure, f.source) == ("政务热线服务费12345项目", "数量", "appendix")
    assert f.quote == "2024年1-12月共受理各类工单4659件，办结4659件"


def test_a_bound_or_an_ordinal_is_no_count():
    rows = " ".join(named("002")) + " ".join(named("003"))
    # "不少于 5 次的督查", "每月不少于 4 次": targets; "县政府31次常务会议": an ordinal
    assert "督查" not in rows and "督察" not in rows
    assert "常务" not in rows and not any(v == 31.0 for v, _ in named("003").values())
    # "平均每天接听电话量近3600个": an estimate, and 个 is no count unit of a sentence
    assert not any(v == 3600.0 for v, _ in named("001").values())


def test_one_count_repeated_by_the_same_words_is_one_figure():
    rows = [f.row for f in counts("002")]
    assert rows.count("台办业务及慰问台胞台属相关费用 / 慰问台胞户数") == 1


def test_a_count_is_placed_under_its_projects_pages():
    (f,) = [f for f in counts("003") if f.row == "政务大厅运行费 / 大厅全年审批数量"]
    assert f.section.startswith("第五部分") and f.section.endswith(
        "政务大厅运行费项目支出绩效自评表"
    )

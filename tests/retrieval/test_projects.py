"""Which appendix project a question names (retrieval/projects.py)."""

from __future__ import annotations

from retrieval.projects import beyond_names, named_projects

GAOPING = (
    "台办业务及慰问台胞台属相关费用项目",
    "党建宣传相关费用项目",
    "业务费项目",
    "办公信息化业务费项目",
)


def test_a_written_out_name_is_that_project_not_one_inside_it():
    assert named_projects("“办公信息化业务费”项目买了些什么", GAOPING) == ["办公信息化业务费项目"]


def test_a_shortened_name_is_the_project_it_clearly_resembles():
    assert named_projects("台办慰问台胞台属项目慰问了多少户", GAOPING) == [
        "台办业务及慰问台胞台属相关费用项目"
    ]


def test_common_words_alone_name_no_project():
    assert named_projects("相关费用项目的业务工作服务经费", GAOPING) == []


def test_what_is_asked_keeps_a_word_the_name_also_has():
    left = beyond_names("台办慰问台胞台属项目慰问了多少户", ["台办业务及慰问台胞台属相关费用项目"])
    assert left.count("慰问") == 1 and "少户" in left and "台胞" not in left


def test_a_project_printed_with_its_place_is_named_with_the_department_between() -> None:
    from retrieval.projects import named_projects

    known = [
        "阳谷县爱山东APP分厅建设工作服务项目",
        "阳谷县政务公开工作优化提升服务项目",
        "政务公开工作优化提升服务项目",
    ]
    asked = "阳谷县政府办“爱山东”APP分厅建设工作服务项目2024年的执行率是多少？"
    assert named_projects(asked, known) == ["阳谷县爱山东APP分厅建设工作服务项目"]
    # printed with its place and without it, the names are two projects: the one
    # written as printed is named
    assert named_projects("“政务公开工作优化提升服务项目”做了哪些工作？", known) == [
        "政务公开工作优化提升服务项目"
    ]


def test_a_name_and_its_twin_printed_with_the_place_are_both_named() -> None:
    # the summary lists 政务公开工作优化提升服务 (10万) and 阳谷县政务公开… (4.97万):
    # asked with the department's place, the name is either; both are given
    known = ["阳谷县政务公开工作优化提升服务项目", "政务公开工作优化提升服务项目", "业务费项目"]
    asked = "阳谷县政务公开工作优化提升服务项目2024年花了多少钱？"
    assert sorted(named_projects(asked, known)) == sorted(known[:2])
    # a name inside another that is no twin is not named ("办公信息化业务费" ⊃ 业务费)
    assert named_projects(
        "办公信息化业务费项目买了什么？", ["办公信息化业务费项目", "业务费项目"]
    ) == ["办公信息化业务费项目"]

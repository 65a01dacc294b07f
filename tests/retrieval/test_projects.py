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

"""Lists and descriptions asked for whole: the section complete, in order, counted."""

from __future__ import annotations

from config import Settings
from retrieval import ask


def test_a_duty_list_is_answered_complete_and_counted(built_index: Settings) -> None:
    answer = ask("高平市人民政府办公室有哪些职责？请完整列出。", settings=built_index)
    assert "共9项" in answer.text
    items = [
        line for line in answer.text.splitlines() if line[:2] in {f"{n}、" for n in range(1, 10)}
    ]
    assert [line[0] for line in items] == [str(n) for n in range(1, 10)]
    assert "交办的其他事项" in answer.text and "值班工作" in answer.text
    assert all("职责" in c.where for c in answer.citations)


def test_the_units_of_a_disclosure_come_from_the_table_in_its_section(
    built_index: Settings,
) -> None:
    answer = ask("普陀区财政局2024年部门决算包括哪些单位？", settings=built_index)
    assert "共3项" in answer.text
    for unit in (
        "上海市普陀区财政局（本级）",
        "上海市普陀区财政局财政所",
        "上海市普陀区国库收付中心",
    ):
        assert unit in answer.text
    assert "预算不单列，并入本级" in answer.text
    assert {c.page for c in answer.citations} == {5}


def test_a_question_naming_no_department_gets_no_whole_section(built_index: Settings) -> None:
    answer = ask("各单位的部门职责有哪些？", settings=built_index)
    assert "「" not in answer.text.splitlines()[0] or "共" not in answer.text.splitlines()[0]


def test_duties_asked_on_one_topic_give_the_items_about_it(built_index: Settings) -> None:
    answer = ask(
        "普陀区财政局在行政事业单位国有资产管理和政府采购方面负有哪些职责？", settings=built_index
    )
    lines = answer.text.splitlines()
    assert lines[0].startswith("上海市普陀区财政局「一、主要职能」") and "问到的是" in lines[0]
    assert len(lines) == 2 and lines[1].startswith("（五）") and "公物仓" in lines[1]


def test_how_many_glossary_entries_is_the_glossary_whole_with_its_count(
    built_index: Settings,
) -> None:
    from retrieval import ask

    # the PDF's 名词解释 has no passage of its own: each sits under one of its items
    answer = ask("普陀区财政局的名词解释一共有几条？", settings=built_index)
    assert "「第四部分 名词解释」（共11项）" in answer.text
    assert "十一、机关运行经费" in answer.text

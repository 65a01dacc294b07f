"""A question quoting two numbers for one name is told what each number is."""

from __future__ import annotations

from config import Settings
from retrieval import ask
from retrieval.quoted_numbers import quoted_amounts


def test_the_amounts_a_question_quotes_are_read_with_their_units():
    assert quoted_amounts("到底是49.70万元还是73.84万元？") == [(49.7, "万元"), (73.84, "万元")]
    # a year, a project number or a percentage is not an amount
    assert quoted_amounts("2024年12345热线执行率80%") == []


def test_each_quoted_number_is_named_by_the_cell_that_states_it(built_index: Settings):
    # 普陀's 公用经费 is 184.65; 171.07 is its 302 row and the gap 13.58 its 310 row
    answer = ask("普陀区财政局2024年的公用经费是184.65万元还是171.07万元？", settings=built_index)
    assert "184.65" in answer.text
    assert "171.07 万元 是公开06表" in answer.text and "302 商品和服务支出" in answer.text
    assert "184.65 − 171.07 = 13.58 万元" in answer.text and "310 资本性支出" in answer.text
    cited = {c.value for c in answer.citations}
    assert {184.65, 171.07, 13.58} <= cited


def test_a_quoted_number_no_figure_states_is_said_to_be_absent(built_index: Settings):
    answer = ask("阳谷县政府办2024年的“三公”经费是13.39万元还是14.5万元？", settings=built_index)
    assert "13.39" in answer.text and "问题中的 14.5 万元：文件中没有这一数字。" in answer.text


def test_a_threshold_or_an_amount_not_in_doubt_is_not_checked():
    assert quoted_amounts("单价100万元以上的设备有几台？") == []
    assert quoted_amounts("超过10万元的项目有哪些") == []
    assert quoted_amounts("公用经费是184.65万元吗，还是171.07万元？") == [
        (184.65, "万元"),
        (171.07, "万元"),
    ]

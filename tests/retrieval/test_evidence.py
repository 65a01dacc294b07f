"""Which sentences are quoted as evidence."""

from __future__ import annotations

from retrieval.evidence import _states_nothing


def test_a_title_a_label_row_or_column_headers_state_nothing() -> None:
    assert _states_nothing("政务热线服务费12345（上年质保金）项目支出绩效自评表(2024年度)")
    assert _states_nothing("项目名称\t\t政务热线服务费12345（上年质保金）")
    assert _states_nothing("项目预算执行情况(10分)\t年初预算数\t全年预算数(A)\t全年执行数(B)\t分值")
    # a row with its numbers, and a sentence, say something
    assert not _states_nothing("年度资金总额\t18.41\t18.41\t18.33\t10\t99.57%")
    assert not _states_nothing("该项目预计投入18.43万元,主要用于打通县乡村政务服务体系建设。")

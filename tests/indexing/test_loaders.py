"""The loader: one test of what a watermark line is, applied to the real corpus."""

from __future__ import annotations

from config import ROOT
from indexing.loaders import is_watermark, load_lines


def test_watermark_is_a_line_of_only_a_review_stamp_whatever_its_spaces():
    assert is_watermark("仅供内部审核") and is_watermark("  仅 供 内部审核 \t")
    assert not is_watermark("本单位仅供内部审核使用的资料") and not is_watermark("")


def test_loader_drops_the_watermark_lines_of_the_yangcheng_text():
    path = next((ROOT / "data").glob("003_*.txt"))
    printed = path.read_text(encoding="utf-8").split("\n")
    lines, _ = load_lines(path)
    assert sum(t.strip() == "仅供内部审核" for t in printed) > 0
    assert not any(is_watermark(line.text) for line in lines)

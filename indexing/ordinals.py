"""Chinese ordinal markers as the disclosures print them, defined once.

第一部分 opens a part, 一、 an item, （一） a sub-item, 第一条 an article. Each
reader builds its own pattern from these pieces (a heading, a row label, a
list item), so the numerals and the marker shapes are written here only.
"""

from __future__ import annotations

NUMERALS = "一二三四五六七八九十"
PART = rf"第[{NUMERALS}]+部分"  # 第三部分
ITEM = rf"[{NUMERALS}]+、"  # 九、
PAREN = rf"[（(][{NUMERALS}]+[）)]"  # （二）
ARTICLE = rf"第[{NUMERALS}]+条"  # 第一条

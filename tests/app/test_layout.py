"""The page's layout as gradio sends it: the tab bar holds tabs and nothing else.

A component created between two tabs (the chat's states were) is a child of
the Tabs: it shifts the later tabs' order, and the browser drew a second
header for the Documents and Upload tabs when each was first opened
(test_browser.py opens them).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from config import Settings
from web.ui import build_ui


def tab_bars(node: dict, types: dict[int, str]) -> list[list[str]]:
    """The component types directly inside each Tabs of a layout tree."""
    children = node.get("children", [])
    found = [[types[c["id"]] for c in children]] if types.get(node.get("id")) == "tabs" else []
    return found + [bar for c in children for bar in tab_bars(c, types)]


@pytest.mark.parametrize("token", ["", "a-token"])
def test_the_tab_bar_holds_only_the_three_tabs(app_settings: Settings, token: str):
    config = build_ui(replace(app_settings, admin_token=token)).get_config_file()
    types = {c["id"]: c["type"] for c in config["components"]}
    assert tab_bars(config["layout"], types) == [["tabitem", "tabitem", "tabitem"]]

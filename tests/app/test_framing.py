"""The full page cannot be framed by any site; `/embed` only by the configured ones.

`/` used to be framable by anyone (only `/embed` sent `frame-ancestors`), so a
site could overlay the upload form and the admin-token field and have them
clicked through. The browser's side of it is in test_browser.py.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("path", ["/", "/config", "/api/health", "/docs", "/no-such-page"])
def test_every_page_outside_embed_refuses_to_be_framed(client: TestClient, path: str):
    response = client.get(path)
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"


def test_the_embed_page_keeps_its_own_framing_policy(client: TestClient):
    response = client.get("/embed")
    assert "x-frame-options" not in response.headers
    [csp] = response.headers.get_list("content-security-policy")
    assert csp.endswith("frame-ancestors 'self' https://news.example.org")

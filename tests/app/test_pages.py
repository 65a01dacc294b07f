"""Page images of the real PDF (web/pages.py through the API): rendered once, then from disk."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote, unquote

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from config import Settings
from indexing.pipeline import open_stores
from web import pages

PUTUO = quote("上海市普陀区_财政局_2024-pdf")
ZAOZHUANG = "001_f4ec1982bbb312b3"


def test_page_image_is_rendered_once_and_served_from_disk_after(
    client: TestClient, app_settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    renders: list[int] = []
    real = pages.render_page

    def counting(pdf, page, target):
        renders.append(page)
        real(pdf, page, target)

    monkeypatch.setattr(pages, "render_page", counting)
    document = open_stores(app_settings).figures.document(unquote(PUTUO))
    assert document is not None
    cached = app_settings.index_dir / "pages" / document.sha256 / "4.png"
    cached.unlink(missing_ok=True)  # a cache: this test needs the first request to render
    first = client.get(f"/api/documents/{PUTUO}/pages/4.png")
    second = client.get(f"/api/documents/{PUTUO}/pages/4.png")
    assert (first.status_code, second.status_code) == (200, 200)
    assert renders == [4]
    assert first.content == second.content == cached.read_bytes()
    assert first.headers["content-type"] == "image/png"


def test_page_image_is_the_page_at_two_pixels_per_point(client: TestClient):
    image = Image.open(BytesIO(client.get(f"/api/documents/{PUTUO}/pages/10.png").content))
    assert image.size == (1684, 1190)  # page 10 is landscape A4: 842 × 595 points


def test_page_info_gives_the_size_in_points_and_the_urls(client: TestClient):
    body = client.get(f"/api/documents/{PUTUO}/pages/10").json()
    assert (body["page"], body["pages"], body["width"], body["height"]) == (10, 25, 842, 595)
    assert body["image"].endswith("/pages/10.png")
    assert client.get(body["download"]).status_code == 200


def test_a_page_past_the_end_is_404_naming_the_pages(client: TestClient):
    response = client.get(f"/api/documents/{PUTUO}/pages/26.png")
    assert response.status_code == 404
    assert "pages 1–25" in response.json()["detail"]


def test_a_text_document_has_no_pages_but_its_file_downloads(client: TestClient):
    response = client.get(f"/api/documents/{ZAOZHUANG}/pages/1.png")
    assert response.status_code == 404
    assert "text document" in response.json()["detail"]
    original = client.get(f"/api/documents/{ZAOZHUANG}/file")
    assert original.status_code == 200
    assert "公务接待费" in original.content.decode("utf-8")
    assert f"{ZAOZHUANG}.txt" in original.headers["content-disposition"]

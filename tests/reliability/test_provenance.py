"""An upload records that the admin token added it, through which door and when; never the token.

Shown in `/api/documents` (`provenance`) and on the Documents tab (来源 / 加入时间),
beside the shipped documents, which are the indexer's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from indexing.pipeline import open_stores
from web import handlers
from web.labels import labels

from .conftest import ADMIN_TOKEN, GAOPING, ZAOZHUANG, App, bearer, corpus_file


def recent(stamp: str) -> bool:
    added = datetime.fromisoformat(stamp)
    return datetime.now(UTC) - timedelta(minutes=10) < added <= datetime.now(UTC)


def test_an_api_upload_records_the_admin_token_and_the_time_not_the_token(admin: App):
    content = corpus_file(admin.settings, GAOPING).read_bytes() + "\n经API上传\n".encode()
    response = admin.client.post(
        "/api/documents", files={"file": ("高平.txt", content, "text/plain")}, headers=bearer()
    )
    assert response.status_code == 201, response.text
    doc_id = response.json()["results"][0]["doc_id"]
    try:
        listed = {d["doc_id"]: d for d in admin.client.get("/api/documents").json()}
        origin = listed[doc_id]["provenance"]
        assert (origin["kind"], origin["added_by"]) == ("uploaded", "admin token (API)")
        assert recent(origin["added_at"])
        shipped = listed[ZAOZHUANG]["provenance"]
        assert (shipped["kind"], shipped["added_by"]) == ("shipped", "indexer")
        # The token itself is nowhere: not in the listing, not in the SQL store.
        assert ADMIN_TOKEN not in admin.client.get("/api/documents").text
        assert ADMIN_TOKEN.encode() not in admin.settings.sqlite_path.read_bytes()
    finally:
        assert admin.client.delete(f"/api/documents/{doc_id}", headers=bearer()).status_code == 200


def test_a_page_upload_records_the_page_and_shows_on_the_documents_tab(admin: App, tmp_path: Path):
    path = tmp_path / "高平.txt"
    path.write_bytes(corpus_file(admin.settings, GAOPING).read_bytes() + "\n经页面上传\n".encode())
    message = handlers.upload([str(path)], ADMIN_TOKEN, "中文", admin.settings, lambda *a, **k: 0)
    assert labels("zh")["indexed"] in message
    store = open_stores(admin.settings).figures
    [doc] = [d for d in store.documents() if d.doc_id.startswith("upload-")]
    try:
        assert doc.provenance.added_by == "admin token (page)"
        frame = handlers.documents_frame(admin.settings, labels("zh"))
        rows = frame.set_index("编号")
        assert rows.loc[doc.doc_id, "来源"] == "上传（管理令牌）"
        assert rows.loc[doc.doc_id, "加入时间"] == doc.provenance.added_at.replace(
            "T", " "
        ).replace("Z", " UTC")
        assert rows.loc[ZAOZHUANG, "来源"] == "随附语料（索引程序）"
        english = handlers.documents_frame(admin.settings, labels("en")).set_index("id")
        assert english.loc[doc.doc_id, "added by"] == "uploaded (admin token)"
    finally:
        assert handlers.remove_document(doc.doc_id, ADMIN_TOKEN, "中文", admin.settings)

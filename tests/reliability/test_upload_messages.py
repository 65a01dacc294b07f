"""A refused upload says why in the page's language; a title with no tables is refused.

A file naming a department but holding no tables and no figures used to be
accepted ("已加入索引") and answered nothing; the Chinese page showed every
refusal in English. Now the words of each refusal are data
(indexing/errors.yaml): the API keeps the English message and adds its
`reason`, the page says it in its own language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.errors import describe
from indexing.pipeline import open_stores
from web import handlers
from web.labels import labels
from web.uploads import uploads_dir

from .conftest import ADMIN_TOKEN, ZAOZHUANG, App, bearer, corpus_file

QUESTION = "枣庄市人民政府办公室2024年公务接待费是多少？"
TITLE_ONLY = "枣庄市人民政府办公室2024年度部门决算\n\n第一部分 部门概况\n一、部门职责\n负责市政府日常政务运转。\n"


def state(app: App) -> tuple:
    store = open_stores(app.settings).figures
    folder = uploads_dir(app.settings)
    files = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    return [d.doc_id for d in store.documents()], store.generation(), store.counts(), files


def test_a_file_naming_a_department_with_no_tables_nor_figures_is_refused_and_nothing_lost(
    admin: App,
):
    before = state(admin)
    response = admin.client.post(
        "/api/documents",
        files={"file": ("枣庄决算.txt", TITLE_ONLY.encode(), "text/plain")},
        headers=bearer(),
    )
    assert response.status_code == 422, response.text
    [result] = response.json()["results"]
    assert result["status"] == "failed"
    assert result["reason"] == "nothing_to_answer"
    assert result["message"] == (
        "枣庄决算.txt: it names 枣庄市人民政府办公室 but holds no 决算 tables and no figures, "
        "so no question could be answered from it; add the whole disclosure "
        "(公开01表 … and its 情况说明)"
    )
    assert state(admin) == before
    answer = admin.client.post("/api/ask", json={"question": QUESTION}).json()["answer"]
    assert "32.73" in answer


FAILING = {
    "shopping.txt": ("苹果 3 个\n牛奶 2 瓶\n".encode(), "not_a_disclosure"),
    "枣庄决算.txt": (TITLE_ONLY.encode(), "nothing_to_answer"),
    "empty.txt": (b"", "empty_file"),
    "report.pdf": (b"this is not a PDF", "pdf_no_header"),
    "cut.pdf": (b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n", "pdf_truncated"),
}


@pytest.mark.parametrize("name", sorted(FAILING))
def test_the_chinese_page_says_why_an_upload_failed_in_chinese(
    admin: App, tmp_path: Path, name: str
):
    content, reason = FAILING[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = state(admin)

    shown = handlers.upload([str(path)], ADMIN_TOKEN, "中文", admin.settings, lambda *a, **k: 0)

    zh = labels("zh")
    details = {"department": "枣庄市人民政府办公室"} if reason == "nothing_to_answer" else {}
    assert shown == f"- `{name}`: {zh['failed']} — {describe(reason, 'zh', name, **details)}"
    assert not any(word in shown for word in ("the ", "file", "PDF has", "disclosure?"))
    assert state(admin) == before


def test_the_english_page_says_it_in_english(admin: App, tmp_path: Path):
    path = tmp_path / "shopping.txt"
    path.write_bytes(FAILING["shopping.txt"][0])
    shown = handlers.upload([str(path)], ADMIN_TOKEN, "English", admin.settings, lambda *a, **k: 0)
    assert shown == (
        "- `shopping.txt`: could not be indexed — shopping.txt: no 决算 tables or headings "
        "found; is this a final-account disclosure?"
    )


def test_a_corpus_document_still_uploads_as_a_new_one(admin: App, tmp_path: Path):
    """The new refusal takes only what has nothing to answer from: a whole disclosure is added."""
    path = tmp_path / "枣庄.txt"
    path.write_bytes(corpus_file(admin.settings, ZAOZHUANG).read_bytes() + "\n再传一份\n".encode())
    shown = handlers.upload([str(path)], ADMIN_TOKEN, "中文", admin.settings, lambda *a, **k: 0)
    assert shown == f"- `枣庄.txt`: {labels('zh')['indexed']}"
    added = [
        d for d in open_stores(admin.settings).figures.documents() if d.doc_id.startswith("upload-")
    ]
    assert len(added) == 1
    assert handlers.remove_document(added[0].doc_id, ADMIN_TOKEN, "中文", admin.settings)

"""Uploads that cannot be indexed are refused with a reason and change nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from config import Settings
from indexing.pipeline import open_stores
from web.labels import labels
from web.uploads import add_uploads, results_markdown, uploads_dir

LAB = labels("en")


def test_text_that_is_not_a_disclosure_is_refused_and_the_index_is_unchanged(
    app_settings: Settings, tmp_path: Path
):
    store = open_stores(app_settings).figures
    before = (len(store.documents()), store.generation())
    note = tmp_path / "shopping.txt"
    note.write_text("苹果 3 个\n牛奶 2 瓶\n", encoding="utf-8")
    [result] = add_uploads([note], app_settings, LAB)
    assert result.status == "failed"
    assert "is this a final-account disclosure?" in result.message
    assert (len(store.documents()), store.generation()) == before
    assert not (uploads_dir(app_settings) / "shopping.txt").exists()


def test_file_over_the_upload_limit_is_refused_before_indexing(
    app_settings: Settings, tmp_path: Path
):
    small_limit = replace(app_settings, max_upload_mb=1)
    big = tmp_path / "big.txt"
    big.write_bytes(b"0" * (1024 * 1024 + 1))
    [result] = add_uploads([big], small_limit, LAB)
    assert result == result.__class__("big.txt", "failed", LAB["too_large"].format(limit=1))


def test_unsupported_file_type_is_refused(app_settings: Settings, tmp_path: Path):
    sheet = tmp_path / "table.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    [result] = add_uploads([sheet], app_settings, LAB)
    assert (result.status, result.message) == ("failed", LAB["not_supported"])


def test_already_indexed_corpus_file_is_reported_unchanged(app_settings: Settings):
    source = app_settings.data_dir / "001_f4ec1982bbb312b3.txt"
    [result] = add_uploads([source], app_settings, LAB)
    assert result.status == "unchanged"
    assert results_markdown([result], LAB, "en") == (
        "- `001_f4ec1982bbb312b3.txt`: " + LAB["unchanged"]
    )

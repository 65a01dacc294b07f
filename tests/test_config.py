"""Where the documents and the index are, wherever the process starts."""

from __future__ import annotations

from pathlib import Path

import pytest

import config
from config import ROOT, settings


@pytest.fixture
def unset_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("JUESUAN_DATA_DIR", raising=False)
    monkeypatch.delenv("JUESUAN_INDEX_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_checkout_defaults_to_its_data_and_index_from_any_directory(unset_paths: Path) -> None:
    s = settings()
    assert (s.data_dir, s.index_dir) == (ROOT / "data", ROOT / ".index")


def test_relative_paths_in_a_checkout_are_taken_from_the_checkout(
    unset_paths: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUESUAN_INDEX_DIR", "other-index")
    assert settings().index_dir == ROOT / "other-index"


def test_an_installed_package_indexes_its_shipped_corpus_into_the_user_data_folder(
    unset_paths: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "CHECKOUT", False)
    monkeypatch.setenv("XDG_DATA_HOME", str(unset_paths / "share"))
    s = settings()
    assert s.data_dir == ROOT / "juesuan" / "corpus"
    assert s.index_dir == unset_paths / "share" / "juesuan" / "index"


def test_relative_paths_of_an_installed_package_are_taken_from_the_current_directory(
    unset_paths: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "CHECKOUT", False)
    monkeypatch.setenv("JUESUAN_INDEX_DIR", "idx")
    monkeypatch.setenv("JUESUAN_DATA_DIR", "~/docs")
    s = settings()
    assert s.index_dir == unset_paths / "idx"
    assert s.data_dir == Path.home() / "docs"

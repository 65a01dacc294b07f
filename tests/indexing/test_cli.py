"""`python -m indexing` as a user runs it: a separate process, configured by env vars."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from config import ROOT, Settings
from indexing.pipeline import open_stores


def _run(index_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"JUESUAN_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "indexing", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_list_prints_one_line_per_indexed_document(built_index: Settings) -> None:
    result = _run(built_index.index_dir, "--list")
    assert result.returncode == 0, result.stderr
    store = open_stores(built_index).figures
    expected = [
        f"{d.doc_id}\t{d.department}\t{d.year}\t{d.kind}\t"
        f"{len(store.figures(doc_ids=[d.doc_id]))} figures\t{d.source}"
        for d in store.documents()
    ]
    assert result.stdout.splitlines() == expected
    assert [line.split("\t")[1] for line in expected] == [
        "冠县人民政府办公室",
        "枣庄市人民政府办公室",
        "高平市人民政府办公室",
        "阳城县政务服务中心",
        "阳谷县人民政府办公室（汇总）",
        "上海市普陀区财政局",
    ]


def test_remove_of_an_unknown_document_exits_1_with_a_message(tmp_path: Path) -> None:
    result = _run(tmp_path / "index", "--remove", "no_such_doc")
    assert result.returncode == 1
    assert result.stderr.strip() == "not indexed: no_such_doc"


def test_indexing_only_bad_files_exits_1_and_names_them(tmp_path: Path) -> None:
    bad = tmp_path / "hello.txt"
    bad.write_text("hello world\n", encoding="utf-8")
    result = _run(tmp_path / "index", str(bad))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "documents: 0 indexed, 0 unchanged, 1 failed"
    assert result.stdout.splitlines()[-1] == (
        "FAILED hello.txt: hello.txt: no 决算 tables or headings found; "
        "is this a final-account disclosure?"
    )

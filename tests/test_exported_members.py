"""The public API is `juesuan.__all__`: changing it is a decision, made here (as httpx does)."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import juesuan
from config import ROOT

PUBLIC_API = [
    "Answer",
    "ask",
    "Check",
    "Chunk",
    "Citation",
    "create_app",
    "Document",
    "EncryptedPDF",
    "ensure_index",
    "Figure",
    "FigureRef",
    "Filters",
    "index_paths",
    "IndexingError",
    "IndexReport",
    "Line",
    "Locator",
    "NotADisclosure",
    "open_stores",
    "parse_document",
    "ParsedDocument",
    "Query",
    "QuestionError",
    "remove_document",
    "ScannedPDF",
    "Section",
    "Settings",
    "settings",
    "Stores",
    "Table",
    "TableRow",
    "TooLarge",
    "Turn",
    "UnreadableDocument",
]


def test_all_is_the_pinned_public_api() -> None:
    assert juesuan.__all__ == PUBLIC_API


def test_all_is_sorted_case_insensitively() -> None:
    assert juesuan.__all__ == sorted(juesuan.__all__, key=str.casefold)


def test_every_public_member_is_exported() -> None:
    # Submodules (juesuan.cli) become attributes once imported; they are not the API.
    public = [
        name
        for name in dir(juesuan)
        if not name.startswith("_") and not isinstance(getattr(juesuan, name), ModuleType)
    ]
    assert public == sorted(juesuan.__all__)


def test_every_exported_name_is_the_pipeline_definition_of_that_name() -> None:
    for name in juesuan.__all__:
        value = getattr(juesuan, name)
        assert value.__name__ == name
        assert value.__module__.split(".")[0] in ("config", "indexing", "retrieval", "web")


def test_star_import_gives_exactly_the_public_api() -> None:
    namespace: dict[str, object] = {}
    exec("from juesuan import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(PUBLIC_API)


def test_importing_the_package_loads_no_model_store_or_web_library() -> None:
    code = (
        "import sys, juesuan, juesuan.cli; "
        "print(sorted({'chromadb', 'gradio', 'torch', 'llama_index'} & {m.split('.')[0] for m in sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"

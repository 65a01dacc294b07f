"""决算问答 as a library: index final-account disclosures, ask questions with citations.

    import juesuan
    juesuan.index_paths([Path("决算.pdf")])           # into the stores of juesuan.settings()
    answer = juesuan.ask("阳谷县政府办2024年基本支出是多少？")
    print(answer.text, [c.quote for c in answer.citations])

The names are defined in the pipeline's own packages (config, indexing,
retrieval, web) and re-exported here; each is imported when first used, so
that `import juesuan` (and the `juesuan` command's start) stays cheap.
"""

from importlib import import_module as _import_module

__version__ = "0.1.0"

__all__ = [
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

# Where each public name is defined.
_SOURCES = {
    "config": ("Settings", "settings"),
    "indexing.errors": (
        "EncryptedPDF",
        "IndexingError",
        "NotADisclosure",
        "ScannedPDF",
        "TooLarge",
        "UnreadableDocument",
    ),
    "indexing.pipeline": (
        "IndexReport",
        "Stores",
        "ensure_index",
        "index_paths",
        "open_stores",
        "parse_document",
        "remove_document",
    ),
    "indexing.records": (
        "Check",
        "Chunk",
        "Document",
        "Figure",
        "Line",
        "Locator",
        "ParsedDocument",
        "Section",
        "Table",
        "TableRow",
    ),
    "retrieval.answer": ("QuestionError", "ask"),
    "retrieval.records": ("Answer", "Citation", "FigureRef", "Filters", "Query", "Turn"),
    "web.server": ("create_app",),
}
_MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'juesuan' has no attribute {name!r}")
    value = getattr(_import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

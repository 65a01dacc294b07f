"""All configuration in one place: environment variables, each with a default.

| variable | default | meaning |
|---|---|---|
| JUESUAN_DATA_DIR | data | the corpus indexed by default (installed package: the copy it ships) |
| JUESUAN_INDEX_DIR | .index | where the embedded stores live (chroma/, figures.sqlite and lexical/); installed package: ~/.local/share/juesuan/index |
| JUESUAN_DATABASE_URL | (unset) | a PostgreSQL server for the figure store (postgresql://user:password@host:5432/db), shared by every app worker; unset: SQLite in the index folder |
| JUESUAN_CHROMA_HOST | (unset) | use a Chroma server (HttpClient) instead of the embedded store |
| JUESUAN_CHROMA_PORT | 8000 | port of that server |
| JUESUAN_COLLECTION | juesuan | chromadb collection name |
| JUESUAN_EMBED_MODEL | use-multilingual | use-multilingual, all-minilm, or any sentence-transformers model name/path |
| JUESUAN_DENSE_WEIGHT | 0 | weight of dense search in rank fusion (lexical is 1.0); at 0 dense search only fills in when lexical search finds too little |
| JUESUAN_TOP_K | 8 | passages retrieved per question |
| JUESUAN_LLM | off | off, openai (any OpenAI-compatible endpoint) or ollama |
| JUESUAN_LLM_BASE_URL | http://127.0.0.1:11434 | endpoint of that LLM |
| JUESUAN_LLM_MODEL | qwen2.5:7b | model name at that endpoint |
| JUESUAN_LLM_API_KEY | (unset) | API key for an OpenAI-compatible endpoint |
| JUESUAN_HOST | 127.0.0.1 | where the web app listens |
| JUESUAN_PORT | 7860 | port of the web app |
| JUESUAN_KEEP_ALIVE | 65 | seconds the web app keeps an idle HTTP connection open; longer than clients and proxies keep theirs (httpx 5 s, nginx 75 s upstream …), so none reuses one the server is closing |
| JUESUAN_ALLOWED_ORIGINS | (unset) | comma-separated origins allowed to call the API and frame /embed |
| JUESUAN_MAX_QUESTION_CHARS | 2000 | longest question accepted |
| JUESUAN_MAX_HISTORY_TURNS | 10 | earlier exchanges kept for a follow-up (page, API and `ask` alike); older ones are dropped |
| JUESUAN_MAX_UPLOAD_MB | 30 | largest document accepted for upload |
| JUESUAN_ADMIN_TOKEN | (unset) | token for uploading, re-indexing and removing documents (API: `Authorization: Bearer …`); unset: those are off |
| JUESUAN_RATE_PER_MINUTE | 60 | questions one client (IP address) may ask a minute, after its burst; 0: no limit |
| JUESUAN_RATE_BURST | 20 | questions one client may ask at once before the per-minute rate applies |
| JUESUAN_ANSWER_WORKERS | 2 | questions answered at the same time |
| JUESUAN_ANSWER_QUEUE | 200 | questions that may wait for a worker; one more is refused (429) |
| JUESUAN_ANSWER_WAIT | 10 | seconds a question may wait for a worker before it is refused (429) |
| JUESUAN_PARSE_MEMORY_MB | 1024 | memory (address space) an upload's parser may use, in its own process |
| JUESUAN_PARSE_CPU_SECONDS | 60 | CPU time an upload's parser may use |
| JUESUAN_PARSE_MAX_PAGES | 500 | most pages an uploaded PDF may have |
| JUESUAN_PARSE_MAX_CHARS | 1000000 | most characters an uploaded document may have |
| JUESUAN_PARSE_MAX_PAGE_OBJECTS | 20000 | most text and drawing objects one page of an uploaded PDF may have |

Relative paths are taken from the checkout (the folder of this file) when
run from the source tree, and from the current directory for an installed
package, which has no checkout: its default corpus is the copy shipped in the
package (`juesuan/corpus/`) and its index lives in the user's data folder.
The `juesuan` commands' flags (`--index-dir`, `--port` …) override these.

The process also switches off telemetry and hub look-ups before any library
that would phone home is imported (see `offline()`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# A source checkout (an editable install too) has pyproject.toml beside this file.
CHECKOUT = (ROOT / "pyproject.toml").is_file()


def offline() -> None:
    """No telemetry, no model hub: this runs on machines without internet."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _user_data() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def _path(name: str, default: str, installed: Path) -> Path:
    """The path in `name`; unset: `default` in the checkout, `installed` elsewhere."""
    value = os.environ.get(name)
    if value is None:
        return ROOT / default if CHECKOUT else installed
    path = Path(value).expanduser()
    return path if path.is_absolute() else (ROOT if CHECKOUT else Path.cwd()) / path


@dataclass(frozen=True)
class Settings:
    """A snapshot of the configuration; `settings()` reads the environment."""

    data_dir: Path = field(
        default_factory=lambda: _path("JUESUAN_DATA_DIR", "data", ROOT / "juesuan" / "corpus")
    )
    index_dir: Path = field(
        default_factory=lambda: _path(
            "JUESUAN_INDEX_DIR", ".index", _user_data() / "juesuan" / "index"
        )
    )
    database_url: str = field(
        default_factory=lambda: _env("JUESUAN_DATABASE_URL", ""), repr=False
    )  # may hold a password
    chroma_host: str = field(default_factory=lambda: _env("JUESUAN_CHROMA_HOST", ""))
    chroma_port: int = field(default_factory=lambda: int(_env("JUESUAN_CHROMA_PORT", "8000")))
    collection: str = field(default_factory=lambda: _env("JUESUAN_COLLECTION", "juesuan"))
    embed_model: str = field(
        default_factory=lambda: _env("JUESUAN_EMBED_MODEL", "use-multilingual")
    )
    dense_weight: float = field(default_factory=lambda: float(_env("JUESUAN_DENSE_WEIGHT", "0")))
    top_k: int = field(default_factory=lambda: int(_env("JUESUAN_TOP_K", "8")))
    llm: str = field(default_factory=lambda: _env("JUESUAN_LLM", "off"))
    llm_base_url: str = field(
        default_factory=lambda: _env("JUESUAN_LLM_BASE_URL", "http://127.0.0.1:11434")
    )
    llm_model: str = field(default_factory=lambda: _env("JUESUAN_LLM_MODEL", "qwen2.5:7b"))
    llm_api_key: str = field(default_factory=lambda: _env("JUESUAN_LLM_API_KEY", ""))
    host: str = field(default_factory=lambda: _env("JUESUAN_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(_env("JUESUAN_PORT", "7860")))
    # uvicorn's default, 5 s, equals httpx's pool expiry: at 200 clients a reused
    # connection met the server's close (ReadError, 3 of 600 requests).
    keep_alive_seconds: int = field(default_factory=lambda: int(_env("JUESUAN_KEEP_ALIVE", "65")))
    allowed_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            o.strip() for o in _env("JUESUAN_ALLOWED_ORIGINS", "").split(",") if o.strip()
        )
    )
    max_question_chars: int = field(
        default_factory=lambda: int(_env("JUESUAN_MAX_QUESTION_CHARS", "2000"))
    )
    max_history_turns: int = field(
        default_factory=lambda: int(_env("JUESUAN_MAX_HISTORY_TURNS", "10"))
    )
    max_upload_mb: int = field(default_factory=lambda: int(_env("JUESUAN_MAX_UPLOAD_MB", "30")))
    admin_token: str = field(default_factory=lambda: _env("JUESUAN_ADMIN_TOKEN", ""), repr=False)
    # Bounded work per question (web/limits.py): a rate per client and a queue.
    rate_per_minute: float = field(
        default_factory=lambda: float(_env("JUESUAN_RATE_PER_MINUTE", "60"))
    )
    rate_burst: int = field(default_factory=lambda: int(_env("JUESUAN_RATE_BURST", "20")))
    answer_workers: int = field(default_factory=lambda: int(_env("JUESUAN_ANSWER_WORKERS", "2")))
    answer_queue: int = field(default_factory=lambda: int(_env("JUESUAN_ANSWER_QUEUE", "200")))
    answer_wait: float = field(default_factory=lambda: float(_env("JUESUAN_ANSWER_WAIT", "10")))
    # Limits on parsing an upload (indexing/sandbox.py, indexing/caps.py).
    parse_memory_mb: int = field(
        default_factory=lambda: int(_env("JUESUAN_PARSE_MEMORY_MB", "1024"))
    )
    parse_cpu_seconds: int = field(
        default_factory=lambda: int(_env("JUESUAN_PARSE_CPU_SECONDS", "60"))
    )
    parse_max_pages: int = field(
        default_factory=lambda: int(_env("JUESUAN_PARSE_MAX_PAGES", "500"))
    )
    parse_max_chars: int = field(
        default_factory=lambda: int(_env("JUESUAN_PARSE_MAX_CHARS", "1000000"))
    )
    parse_max_page_objects: int = field(
        default_factory=lambda: int(_env("JUESUAN_PARSE_MAX_PAGE_OBJECTS", "20000"))
    )

    @property
    def sqlite_path(self) -> Path:
        return self.index_dir / "figures.sqlite"

    @property
    def database(self) -> Path | str:
        """Where the figure store is: the PostgreSQL URL, or the SQLite file by default."""
        return self.database_url or self.sqlite_path

    @property
    def chroma_path(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def lexical_path(self) -> Path:
        """Each document's term counts for BM25 (`indexing/lexical.py`), one file a version."""
        return self.index_dir / "lexical"


def settings() -> Settings:
    """Read the configuration from the environment now."""
    return Settings()

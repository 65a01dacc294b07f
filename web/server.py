"""The web application: JSON API, /embed and the gradio page on one FastAPI app.

Stores and models are loaded once, at start-up (the lifespan indexes the
corpus if needed and answers one question to warm the caches), and shared by
every request; `web.limits` bounds how many answers run and wait at once, for
the API and the page alike.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import gradio as gr
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware

from config import Settings
from config import settings as current_settings
from indexing.pipeline import open_stores
from retrieval import ask as answer_question
from web import admin, api, embed, framing
from web.labels import examples
from web.limits import Busy, Limits, busy_response
from web.ui import CSS, HEAD, build_ui
from web.uploads import reindex, remove_orphans

log = logging.getLogger(__name__)
# Local fonts only: the default theme fetches Google Fonts, which an offline
# newsroom machine cannot reach (the page would wait for them).
THEME = gr.themes.Default(
    font=["system-ui", "PingFang SC", "Noto Sans CJK SC", "sans-serif"],
    font_mono=["ui-monospace", "monospace"],
)


def warm_up(settings: Settings) -> None:
    """Repair, index what changed and answer once, so the first user does not wait.

    Files and vectors a killed upload left are removed first; then the corpus
    and the uploads are indexed where they changed or lost vectors."""
    started = time.perf_counter()
    remove_orphans(settings)
    report = reindex(settings)
    log.info("index ready: %s", report.summary().replace("\n", "; "))
    answer_question(examples()[0], settings=settings)
    # The encoder loads on first use; a question that needs dense search must not
    # pay for it (and 40 at once must not each load it).
    open_stores(settings).chunks.embedder.embed(["决算"])
    log.info("warmed up in %.1f s", time.perf_counter() - started)


def server_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves the app: address, and how long idle connections stay open.

    The keep-alive must outlast the clients' own (httpx keeps an idle connection
    5 s, uvicorn's default too): otherwise a client sends on a connection the
    server is closing, and gets a ReadError instead of an answer.
    """
    return {
        "host": settings.host,
        "port": settings.port,
        "timeout_keep_alive": settings.keep_alive_seconds,
    }


def create_app(settings: Settings | None = None) -> FastAPI:
    """The whole app for one configuration (tests pass their own index dir)."""
    s = settings or current_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warm_up(s)
        yield

    app = FastAPI(
        title="Juesuan Q&A API",
        description="Questions about Chinese departmental final-account disclosures "
        "(部门决算公开), answered with numbered citations to the source tables and text.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = s
    app.state.limits = limits = Limits(s)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(s.allowed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
    )
    upload_limit = s.max_upload_mb * 1024 * 1024 + api.MAX_BODY_BYTES  # the file and its form
    app.add_middleware(api.BodyLimit, larger={"/api/documents": upload_limit})
    app.add_middleware(admin.UploadGate, settings=s)
    app.add_middleware(framing.NoFraming)
    app.add_exception_handler(RequestValidationError, api.validation_error)
    app.add_exception_handler(Busy, busy_response)
    app.include_router(api.router)
    app.include_router(admin.router)
    app.include_router(embed.router)
    demo = build_ui(s, limits).queue(default_concurrency_limit=2, max_size=64)
    return gr.mount_gradio_app(
        app,
        demo,
        path="/",
        theme=THEME,
        css=CSS,
        head=HEAD,
        ssr_mode=False,
        max_file_size=f"{s.max_upload_mb}mb",
        footer_links=["api"],
        server_name=s.host,
        server_port=s.port,
    )

"""The /embed page: a small chat for an <iframe> on another site.

Plain HTML and a script calling /api/ask, so the frame loads fast and needs
no websocket. Its Content-Security-Policy names the sites allowed to frame it
(`frame-ancestors`) and allows scripts from this server only, so even a
markup-injection bug could not run foreign code.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from config import Settings

STATIC = Path(__file__).with_name("static")
ASSETS = {"embed.js": "text/javascript", "embed.css": "text/css"}
router = APIRouter(tags=["embed"])


def content_security_policy(settings: Settings) -> str:
    """CSP for /embed: framed by this site and the configured origins only."""
    ancestors = " ".join(("'self'", *settings.allowed_origins))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'; frame-ancestors {ancestors}"
    )


@router.get("/embed", response_class=HTMLResponse, include_in_schema=False)
def embed_page(request: Request) -> HTMLResponse:
    html = (STATIC / "embed.html").read_text(encoding="utf-8")
    csp = content_security_policy(request.app.state.settings)
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})


@router.get("/embed/{name}", include_in_schema=False)
def embed_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(404, f"no embed asset {name!r}")
    return FileResponse(STATIC / name, media_type=ASSETS[name])

"""Who may change the index: the holder of JUESUAN_ADMIN_TOKEN.

Reading and asking stay open to everyone; uploading, re-indexing and removing
documents need the token (the API: `Authorization: Bearer <token>`; the page:
its token field). Without a configured token those actions are off.
"""

from __future__ import annotations

import hmac
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Receive, Scope, Send

from config import Settings
from retrieval.validate import printable
from web.labels import labels
from web.uploads import BY_TOKEN, add_uploads, reindex, remove


class AdminRefused(Exception):
    """An admin action without the right token; `status` for the API, `reason` a label key."""

    def __init__(self, message: str, reason: str, status: int) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


def admin_enabled(settings: Settings) -> bool:
    return bool(settings.admin_token)


def check_admin(settings: Settings, token: str | None) -> None:
    """Return when `token` is the admin token; raise AdminRefused saying why not."""
    if not admin_enabled(settings):
        raise AdminRefused(
            "uploading, re-indexing and removing documents are off on this server: "
            "start it with JUESUAN_ADMIN_TOKEN set to allow them",
            "uploads_off",
            403,
        )
    if not token:
        raise AdminRefused(
            "this action needs the admin token: send 'Authorization: Bearer <token>'",
            "admin_token_missing",
            401,
        )
    given = token.strip().encode("utf-8", "replace")
    if not hmac.compare_digest(given, settings.admin_token.encode("utf-8", "replace")):
        raise AdminRefused("wrong admin token", "admin_token_wrong", 403)


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header, "" without one."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


# ---- the API routes that change the index ---------------------------------

router = APIRouter(prefix="/api", tags=["admin"])
MAX_FILES = 10
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                    "required": ["file"],
                }
            }
        },
    }
}


def require_admin(request: Request) -> None:
    """A route dependency: 401 without a token, 403 with a wrong one or when admin is off."""
    try:
        check_admin(request.app.state.settings, bearer_token(request.headers.get("authorization")))
    except AdminRefused as exc:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        raise HTTPException(exc.status, str(exc), headers=headers) from exc


@router.post("/documents", dependencies=[Depends(require_admin)], openapi_extra=_UPLOAD_BODY)
async def upload_documents(request: Request) -> JSONResponse:
    """Add PDF or text documents (multipart field `file`); an upload never replaces one.

    201 when one was indexed, 200 when all were already indexed, 422 when none could be.
    """
    settings = request.app.state.settings
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
    files = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
    if not files:
        raise HTTPException(422, "send the documents as multipart form field 'file'")
    with tempfile.TemporaryDirectory(prefix="juesuan-upload-") as tmp:
        paths = []
        for number, upload in enumerate(files):
            name = Path(printable(upload.filename or "")).name.strip() or "upload"
            path = Path(tmp) / str(number) / name
            path.parent.mkdir()
            path.write_bytes(await upload.read())
            paths.append(path)
        results = await run_in_threadpool(
            add_uploads, paths, settings, labels("en"), added_by=f"{BY_TOKEN} (API)"
        )
    statuses = {r.status for r in results}
    code = 201 if "indexed" in statuses else 422 if statuses == {"failed"} else 200
    return JSONResponse({"results": [asdict(r) for r in results]}, status_code=code)


@router.delete("/documents/{doc_id}", dependencies=[Depends(require_admin)])
def remove_document(doc_id: str, request: Request) -> dict[str, Any]:
    """Drop a document from the index (and its file, if it was uploaded)."""
    if not remove(doc_id, request.app.state.settings):
        raise HTTPException(404, f"no indexed document with id {doc_id!r}: see /api/documents")
    return {"removed": doc_id}


@router.post("/reindex", dependencies=[Depends(require_admin)])
def reindex_documents(request: Request) -> dict[str, Any]:
    """Index the corpus folder and the uploads again (unchanged files are skipped)."""
    report = reindex(request.app.state.settings)
    return {"indexed": report.indexed, "unchanged": report.unchanged, "failed": report.failed}


class UploadGate:
    """With admin actions off, gradio's own upload route takes no files either."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.open = admin_enabled(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.open or scope["type"] != "http" or not scope["path"].endswith("/upload"):
            await self.app(scope, receive, send)
            return
        response = JSONResponse({"detail": "uploads are off on this server"}, status_code=403)
        await response(scope, receive, send)

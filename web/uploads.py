"""Adding uploaded documents to the index without risking what is there.

An upload is checked (type, size) and copied under `<index_dir>/uploads/`, so
the index keeps a source to cite, under a name that starts with its content
hash (`indexing.metadata.upload_file_name`): its doc id can never be a
shipped document's or another upload's, so an upload adds and never
replaces. Content already indexed (under any name) is reported unchanged. A
file that cannot be indexed is removed again; `index_paths` writes nothing
for it, so the index is exactly as before. An upload is parsed in a sandbox
(`indexing.sandbox`: its own process, with limits on memory, CPU time, pages
and characters), never in the server. Who may call these is decided at the
edge (`web.admin`); each upload records that it was the admin token's, and
through which door (`indexing.records.Provenance`), never the token.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from config import Settings
from indexing.caps import ParseLimits
from indexing.errors import describe
from indexing.loaders import SUFFIXES, file_sha256
from indexing.lock import write_lock
from indexing.metadata import doc_id_for, upload_file_name
from indexing.pipeline import IndexReport, Parser, index_paths, open_stores, remove_document
from indexing.records import SourceKind
from indexing.sandbox import parse_in_sandbox

log = logging.getLogger(__name__)
ACCEPTED = tuple(s for s in SUFFIXES if s != ".md")
BY_TOKEN = "admin token"  # who uploads: the token's holder (the API and the page add their door)


@dataclass(frozen=True, slots=True)
class UploadResult:
    """What happened to one uploaded file: status is indexed/unchanged/failed.

    A failure's `message` is in English (the API's); `reason`, a key of
    indexing/errors.yaml, and its `details` let the page say it in its language.
    """

    name: str
    status: str
    message: str = ""
    doc_id: str = ""  # the document it is indexed as
    reason: str = ""
    details: dict[str, str] = field(default_factory=dict)

    def say(self, lang: str) -> str:
        """Why it failed, in `lang` (the message as it is when it has no reason)."""
        return (
            describe(self.reason, lang, self.name, **self.details) if self.reason else self.message
        )


def uploads_dir(settings: Settings) -> Path:
    return settings.index_dir / "uploads"


def sandboxed(settings: Settings) -> Parser:
    """The parser for uploads: `parse_document` in a child process under the parse limits."""
    return partial(parse_in_sandbox, limits=ParseLimits.of(settings))


def _reject(path: Path, settings: Settings, lab: dict[str, str]) -> str:
    """Why a file is refused before indexing, or "" when it may go on."""
    if path.suffix.lower() not in ACCEPTED:
        return lab["not_supported"]
    if path.stat().st_size > settings.max_upload_mb * 1024 * 1024:
        return lab["too_large"].format(limit=settings.max_upload_mb)
    return ""


def add_uploads(
    files: Sequence[Path],
    settings: Settings,
    lab: dict[str, str],
    progress: Callable[[str, int, int], None] | None = None,
    added_by: str = BY_TOKEN,
) -> list[UploadResult]:
    """Index uploaded files one by one; each gets a result, none breaks the others.

    `added_by` is recorded with each new document ("admin token (API)")."""
    target_dir = uploads_dir(settings)
    target_dir.mkdir(parents=True, exist_ok=True)
    results: list[UploadResult] = []
    for done, path in enumerate(files):
        if progress:
            progress(path.name, done, len(files))
        reason = _reject(path, settings, lab)
        if reason:
            results.append(UploadResult(path.name, "failed", reason))
            continue
        results.append(_index_one(path, target_dir, settings, added_by))
    if progress:
        progress("", len(files), len(files))
    return results


def _index_one(path: Path, target_dir: Path, settings: Settings, added_by: str) -> UploadResult:
    sha = file_sha256(path)
    # Held across the duplicate check and the indexing, so they are one step.
    with write_lock(settings.index_dir):
        known = next(
            (d.doc_id for d in open_stores(settings).figures.documents() if d.sha256 == sha), ""
        )
        if known:
            log.info("upload %s is already indexed as %s", path.name, known)
            return UploadResult(path.name, "unchanged", doc_id=known)
        target = target_dir / upload_file_name(sha, path.name)
        shutil.copyfile(path, target)
        report = index_paths(
            [target],
            settings,
            parse=sandboxed(settings),
            kind=SourceKind.UPLOADED,
            added_by=added_by,
        )
    if report.failed:
        target.unlink(missing_ok=True)
        message = next(iter(report.failed.values())).replace(target.name, path.name)
        log.info("upload %s refused: %s", path.name, message)
        error = report.errors.get(target.name)
        if error is None or not error.reason:
            return UploadResult(path.name, "failed", message)
        details = {k: str(v) for k, v in error.details.items()}
        return UploadResult(path.name, "failed", message, reason=error.reason, details=details)
    status = "indexed" if report.indexed else "unchanged"
    log.info("upload %s %s as %s", path.name, status, doc_id_for(target.name))
    return UploadResult(path.name, status, doc_id=doc_id_for(target.name))


def remove(doc_id: str, settings: Settings) -> bool:
    """Drop a document from the index, and its uploaded file if it was an upload."""
    with write_lock(settings.index_dir):
        found = remove_document(doc_id, settings)
        folder = uploads_dir(settings)
        for path in folder.iterdir() if folder.is_dir() else ():
            if doc_id_for(path.name) == doc_id:
                path.unlink()
    log.info("removed %s: %s", doc_id, "done" if found else "was not indexed")
    return found


def reindex(settings: Settings) -> IndexReport:
    """Index the corpus folder and every upload again; unchanged files cost a hash each.

    Uploads are parsed in the sandbox, the corpus in this process."""
    with write_lock(settings.index_dir):
        report = index_paths([settings.data_dir], settings)
        if uploads_dir(settings).is_dir():
            more = index_paths(
                [uploads_dir(settings)],
                settings,
                parse=sandboxed(settings),
                kind=SourceKind.UPLOADED,
                added_by=BY_TOKEN,
            )
            report.indexed += more.indexed
            report.unchanged += more.unchanged
            report.failed |= more.failed
            report.extraction |= more.extraction
    return report


def remove_orphans(settings: Settings) -> list[str]:
    """Delete uploaded files the index does not hold; their names.

    An upload is copied in, then indexed, under the write lock: a server
    killed in between leaves a file no document owns, which a re-index would
    otherwise index unasked. Under the lock, every file not indexed (with
    this content) is such an orphan.
    """
    folder = uploads_dir(settings)
    if not folder.is_dir():
        return []
    removed = []
    with write_lock(settings.index_dir):
        store = open_stores(settings).figures
        indexed = {(d.doc_id, d.sha256) for d in store.documents()}
        for path in sorted(folder.iterdir()):
            if path.is_file() and (doc_id_for(path.name), file_sha256(path)) not in indexed:
                path.unlink()
                removed.append(path.name)
    if removed:
        log.info("removed %d uploaded files a killed upload left: %s", len(removed), removed)
    return removed


def results_markdown(results: Sequence[UploadResult], lab: dict[str, str], lang: str) -> str:
    """The upload message: one line per file, failures with their reason, in `lang`.

    The reason and the file name are user-controlled; gradio's Markdown
    sanitises HTML, and backticks keep names from being read as markup.
    """
    lines = []
    for r in results:
        name = r.name.replace("`", "'")
        line = f"- `{name}`: {lab[r.status]}"
        message = r.say(lang)
        if message:
            line += f" — {message.replace('<', '‹').replace('>', '›')}"
        lines.append(line)
    return "\n".join(lines)

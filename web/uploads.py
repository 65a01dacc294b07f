"""Adding uploaded documents to the index without risking what is there.

An upload is checked (type, size), copied under `<index_dir>/uploads/` so the
index keeps a source to cite, and indexed with `index_paths`. A file that cannot
be indexed is removed again; `index_paths` writes nothing for it, so the index
is exactly as before.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from config import Settings
from indexing.loaders import SUFFIXES
from indexing.pipeline import index_paths

log = logging.getLogger(__name__)
ACCEPTED = tuple(s for s in SUFFIXES if s != ".md")


@dataclass(frozen=True, slots=True)
class UploadResult:
    """What happened to one uploaded file: status is indexed/unchanged/failed."""

    name: str
    status: str
    message: str = ""


def uploads_dir(settings: Settings) -> Path:
    return settings.index_dir / "uploads"


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
) -> list[UploadResult]:
    """Index uploaded files one by one; each gets a result, none breaks the others."""
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
        results.append(_index_one(path, target_dir, settings))
    if progress:
        progress("", len(files), len(files))
    return results


def _index_one(path: Path, target_dir: Path, settings: Settings) -> UploadResult:
    target = target_dir / path.name
    existed = target.exists()
    backup = target.read_bytes() if existed else None
    shutil.copyfile(path, target)
    report = index_paths([target], settings)
    if report.failed:
        # Put back what was there: the index still refers to the previous copy.
        if backup is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(backup)
        message = next(iter(report.failed.values()))
        log.info("upload %s refused: %s", path.name, message)
        return UploadResult(path.name, "failed", message)
    status = "indexed" if report.indexed else "unchanged"
    log.info("upload %s %s", path.name, status)
    return UploadResult(path.name, status)


def results_markdown(results: Sequence[UploadResult], lab: dict[str, str]) -> str:
    """The upload message: one line per file, failures with their reason.

    The reason and the file name are user-controlled; gradio's Markdown
    sanitises HTML, and backticks keep names from being read as markup.
    """
    lines = []
    for r in results:
        name = r.name.replace("`", "'")
        line = f"- `{name}`: {lab[r.status]}"
        if r.message:
            line += f" — {r.message.replace('<', '‹').replace('>', '›')}"
        lines.append(line)
    return "\n".join(lines)

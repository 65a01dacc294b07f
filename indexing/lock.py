"""One writer at a time: an inter-process lock on the index folder.

Two processes writing the embedded stores at once (two `python -m indexing`
runs, or one beside the web app's upload) each persist their own view of the
vector index over the other's, and vectors are lost. Every write therefore
holds an exclusive `flock` on `<index_dir>/write.lock`; readers never take
it. The lock is released by the kernel when its holder dies (kill -9 too),
so it can never be left stale. It is re-entrant within a thread, so an upload
can hold it around the indexing it calls.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexing.errors import IndexingError

log = logging.getLogger(__name__)
LOCK_NAME = "write.lock"
_held = threading.local()  # lock paths this thread holds, with their depth


class IndexBusy(IndexingError):
    """Another process kept the index locked for longer than we could wait."""


@contextmanager
def write_lock(index_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the index folder's write lock; wait for it (at most `timeout` seconds)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    path = str((index_dir / LOCK_NAME).resolve())
    depth: dict[str, int] = _held.__dict__.setdefault("depth", {})
    if depth.get(path):
        depth[path] += 1
        try:
            yield
        finally:
            depth[path] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, index_dir, timeout)
        depth[path] = 1
        try:
            yield
        finally:
            depth[path] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, index_dir: Path, timeout: float | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        log.info("another process is writing to %s: waiting for it to finish", index_dir)
    if timeout is None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise IndexBusy(
                    f"another process has been writing to the index in {index_dir} for over "
                    f"{timeout:.0f} s; try again when it has finished"
                ) from None
            time.sleep(0.1)

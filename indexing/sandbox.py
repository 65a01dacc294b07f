"""Parse an untrusted file in a child process, under limits the kernel enforces.

Uploads used to be parsed inside the server: a 1 MB PDF inflating to 1 GB
took its memory from 0.8 to 2.8 GB, and a 0.8 MB one with 300k text
operations took 93 s of its CPU. `parse_in_sandbox` runs `parse_document` in
a fresh `python -m indexing.sandbox` instead, which sets RLIMIT_AS (memory)
and RLIMIT_CPU (CPU time) before it imports a parser, then checks the file's
pages, characters and objects (`indexing.caps`) before parsing it. Only
records come back, through an unpickler that builds nothing but
`indexing.records` types. When a limit stops the child, the refusal names it.
"""

from __future__ import annotations

import io
import json
import logging
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from config import ROOT
from indexing import errors
from indexing.caps import ParseLimits
from indexing.errors import IndexingError, OverLimit, UnreadableDocument

if TYPE_CHECKING:
    from indexing.records import ParsedDocument

log = logging.getLogger(__name__)
MEMORY_EXIT = 75  # the child ran out of its address space (MemoryError)
# Threads of numeric libraries each reserve address space; the parser needs none.
CHILD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
}
CRASHES = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL}


def parse_in_sandbox(path: Path, sha256: str | None, limits: ParseLimits) -> ParsedDocument:
    """`parse_document(path, sha256)` in a child process under `limits`.

    Raises what parse_document raises (IndexingError with its message), or
    OverLimit naming the limit the child met.
    """
    with tempfile.TemporaryDirectory(prefix="juesuan-parse-") as tmp:
        result, stderr = Path(tmp) / "result.pickle", Path(tmp) / "stderr.txt"
        command = [
            sys.executable,
            "-m",
            "indexing.sandbox",
            str(path.resolve()),
            sha256 or "",
            str(result),
            json.dumps(asdict(limits)),
        ]
        with stderr.open("wb") as err:
            child = subprocess.Popen(
                command,
                cwd=ROOT,
                env=os.environ | CHILD_ENV,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
            code, cpu, peak_mb, timed_out = _wait(child, wall_seconds(limits))
        if code == 0 and result.is_file():
            return _result(result.read_bytes(), path)
        tail = stderr.read_text(errors="replace")[-2000:]
    log.info(
        "parsing %s stopped: exit %s, %.1f s CPU, %.0f MB\n%s", path.name, code, cpu, peak_mb, tail
    )
    raise _stopped(path, limits, code, cpu, peak_mb, timed_out)


def wall_seconds(limits: ParseLimits) -> float:
    """How long a child may take in all: its CPU time, and time to wait for the disk."""
    return limits.cpu_seconds * 2 + 30


def _wait(child: subprocess.Popen, timeout: float) -> tuple[int, float, float, bool]:
    """(exit code, CPU seconds, peak RSS in MB, killed for time) of the child, once it ends."""
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        child.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        timer.cancel()
    child.returncode = code = os.waitstatus_to_exitcode(status)
    return code, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, timed_out.is_set()


def _stopped(
    path: Path, limits: ParseLimits, code: int, cpu: float, peak_mb: float, timed_out: bool
) -> IndexingError:
    """Why the child stopped, naming the limit it met when it met one."""
    name = path.name
    if timed_out:
        return OverLimit.of("over_time", name, seconds=f"{wall_seconds(limits):.0f}")
    if code == -signal.SIGXCPU or (code == -signal.SIGKILL and cpu >= limits.cpu_seconds):
        return OverLimit.of("over_cpu", name, seconds=f"{limits.cpu_seconds:,}")
    if code == MEMORY_EXIT or (-code in CRASHES and peak_mb >= limits.memory_mb / 2):
        return OverLimit.of("over_memory", name, limit=f"{limits.memory_mb:,}")
    how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
    return UnreadableDocument.of("parser_stopped", name, how=how)


class _RecordsOnly(pickle.Unpickler):
    """Builds only the record types of `indexing.records`, whatever the bytes ask for."""

    def find_class(self, module: str, name: str) -> type:
        if module == "indexing.records":
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"the parser returned {module}.{name}, not a record")


def _result(data: bytes, path: Path) -> ParsedDocument:
    from indexing.records import ParsedDocument

    try:
        kind, *payload = _RecordsOnly(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, ValueError, EOFError, TypeError) as exc:
        raise UnreadableDocument.of("parser_result", path.name, error=str(exc)) from exc
    if kind == "ok" and isinstance(payload[0], ParsedDocument):
        return payload[0]
    error = getattr(errors, str(payload[0]), None) if kind == "error" else None
    if isinstance(error, type) and issubclass(error, IndexingError):
        message, reason, name, details = payload[1:5]
        raise error(str(message), str(reason), str(name), **dict(details))
    raise UnreadableDocument.of("parser_no_document", path.name)


# ---- the child -----------------------------------------------------------------


def _limit(limits: ParseLimits) -> None:
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # SIGXCPU at the soft limit ends the process (its default action, even inside C
    # code); SIGKILL at the hard limit if anything ignored it.
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    """`python -m indexing.sandbox FILE SHA256 RESULT LIMITS_JSON`: parse FILE into RESULT."""
    path, sha256, result, limits_json = argv
    limits = ParseLimits(**json.loads(limits_json))
    _limit(limits)
    try:
        from indexing.caps import check_caps
        from indexing.pipeline import parse_document

        check_caps(Path(path), limits)
        outcome: tuple = ("ok", parse_document(Path(path), sha256 or None))
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        os._exit(MEMORY_EXIT)  # no clean-up: it could need memory too
    except IndexingError as exc:
        details = {str(k): str(v) for k, v in exc.details.items()}
        data = pickle.dumps(("error", type(exc).__name__, str(exc), exc.reason, exc.name, details))
    Path(result).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

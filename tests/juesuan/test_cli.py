"""The `juesuan` command as a user runs it: flags over the environment, any directory."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from config import ROOT, Settings
from juesuan.cli import build_parser, configured, main, serve_parser

# The console script that `pip install` made beside this interpreter.
JUESUAN = Path(sys.executable).parent / "juesuan"
ENV = os.environ | {
    "HF_HUB_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "JUESUAN_CHROMA_HOST": "",
    "JUESUAN_LLM": "off",
}


def _juesuan() -> list[str]:
    if not JUESUAN.exists():
        pytest.fail(f"{JUESUAN} is missing: install the package (make setup, or pip install -e .)")
    return [str(JUESUAN)]


def test_flags_override_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JUESUAN_PORT", "1234")
    monkeypatch.setenv("JUESUAN_HOST", "0.0.0.0")
    monkeypatch.setenv("JUESUAN_INDEX_DIR", "/somewhere/else")
    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(["serve", "--port", "8080", "--index-dir", "idx"])
    s = configured(args)
    assert (s.port, s.host, s.index_dir) == (8080, "0.0.0.0", tmp_path / "idx")


def test_without_flags_the_environment_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_INDEX_DIR", "/somewhere/else")
    s = configured(build_parser().parse_args(["ask", "公务接待费"]))
    assert s.index_dir == Path("/somewhere/else")


def test_python_app_py_takes_the_flags_of_juesuan_serve() -> None:
    def flags(parser: object) -> list[list[str]]:
        return [a.option_strings for a in parser._actions]  # type: ignore[attr-defined]

    (commands,) = [a for a in build_parser()._actions if a.dest == "command"]
    assert flags(serve_parser("python app.py")) == flags(commands.choices["serve"])


def test_a_port_that_is_not_a_tcp_port_is_refused_with_a_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "99999"])
    assert exit_.value.code == 2
    assert "argument --port: not a TCP port (1-65535): '99999'" in capsys.readouterr().err


def test_ask_works_from_a_directory_other_than_the_checkout(
    built_index: Settings, tmp_path: Path
) -> None:
    result = subprocess.run(
        [*_juesuan(), "ask", "枣庄市政府办2024年公务接待费是多少？"]
        + ["--index-dir", str(built_index.index_dir)],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "32.73 万元" in lines[0]
    assert any(line.startswith("[1] 枣庄市人民政府办公室 · ") for line in lines)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(port: int, process: subprocess.Popen[bytes], log: Path) -> dict[str, object]:
    """/api/health once the server listens (it binds after indexing and warming up)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as r:
                return json.loads(r.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    pytest.fail(f"nothing answered on port {port} within 300 s:\n{log.read_text()}")


@pytest.mark.parametrize("command", ["juesuan serve", "python app.py"])
def test_serve_listens_on_the_port_given_and_answers_health(command: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "000_14fd902755dfec5d.txt", data)
    port = _free_port()
    program = [*_juesuan(), "serve"] if command == "juesuan serve" else [sys.executable, "app.py"]
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*program, "--host", "127.0.0.1", "--port", str(port)]
            + ["--index-dir", str(tmp_path / "index"), "--data-dir", str(data)],
            cwd=ROOT if command == "python app.py" else tmp_path,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            health = _health(port, process, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    assert health["status"] == "ok"
    assert health["documents"] == 1
    assert (tmp_path / "index" / "figures.sqlite").is_file()

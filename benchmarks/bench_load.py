"""The app under a crowd and under a flood (issue 11), over HTTP against a real server.

- crowd: 200 clients, each from its own address (127.0.x.y), ask 3 questions
  each, all at once. Target: 0 errors. Prints latency p50/p95 and answers/s.
- flood: 40 long random questions (400 rare CJK characters) sent at once by
  one client, while another probes `/api/health` and asks normal questions.
  Targets: health within 1 s, a normal question within 5 s.
- spread flood: the same 40 questions from 40 addresses, which the per-client
  rate cannot stop; only the answer queue bounds them.

    python benchmarks/bench_load.py                       # serves the configured index itself
    python benchmarks/bench_load.py --url http://127.0.0.1:7860/   # a server already running

A server of our own is started with `python app.py` (default settings, or
JUESUAN_* from the environment) and its memory is reported too. Client
addresses are only distinct against a loopback server (Linux routes all of
127/8 to it); elsewhere every client is one, and the per-client rate applies.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "dev.jsonl"
NORMAL = "枣庄市人民政府办公室2024年公务接待费是多少？"
HEALTH_TARGET_S = 1.0
QUESTION_TARGET_S = 5.0
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}


# ---- a server of our own ---------------------------------------------------


@dataclass
class Server:
    """An app process: its URL and its memory (from /proc)."""

    url: str
    process: subprocess.Popen
    log: Path

    def memory_mb(self, field_name: str = "VmRSS") -> float:
        """Resident memory now (VmRSS) or at its peak (VmHWM), in MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no {field_name} for process {self.process.pid}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(env: dict[str, str] | None = None, timeout: float = 300) -> Iterator[Server]:
    """`python app.py` on a free port with these JUESUAN_* settings; stopped after."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="juesuan-app-", suffix=".log")[1])
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=os.environ | OFFLINE | (env or {}),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}/", process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited ({process.returncode}):\n{log.read_text()}")
            try:
                if httpx.get(server.url + "api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start in {timeout:.0f} s:\n{log.read_text()}")
            time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


# ---- clients ------------------------------------------------------------------


def address(n: int) -> str:
    """The n-th client's own loopback address: 127.0.0.2, 127.0.0.3, … 127.0.1.2, …"""
    return f"127.0.{n // 250}.{n % 250 + 2}"


def client_at(url: str, n: int, timeout: float = 60) -> httpx.AsyncClient:
    """An HTTP client that connects from the n-th address (when the server is loopback)."""
    host = httpx.URL(url).host
    loopback = host in ("localhost", "::1") or host.startswith("127.")
    transport = httpx.AsyncHTTPTransport(local_address=address(n) if loopback else None)
    return httpx.AsyncClient(base_url=url, transport=transport, timeout=timeout)


def normal_questions(limit: int = 60) -> list[str]:
    """Questions people ask: the dev gold questions that need no earlier turn."""
    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    return [i["question"] for i in items if not i.get("history")][:limit] or [NORMAL]


def long_question(n: int, length: int = 400) -> str:
    rng = random.Random(n)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(length))


@dataclass
class Timed:
    """Requests of one kind: their latencies (s) and what each got."""

    seconds: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)  # status code or exception name

    @property
    def errors(self) -> int:
        return sum(n for k, n in self.outcomes.items() if k != 200)

    def p(self, q: float) -> float:
        """Nearest-rank percentile of the latencies."""
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered), max(1, round(q / 100 * len(ordered)))) - 1]


async def timed(timing: Timed, call) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await call
    except httpx.HTTPError as exc:
        timing.outcomes[type(exc).__name__] += 1
        return None
    timing.seconds.append(time.perf_counter() - started)
    timing.outcomes[response.status_code] += 1
    return response


# ---- the scenarios -----------------------------------------------------------


@dataclass
class Crowd:
    clients: int
    questions: int
    seconds: float
    asked: Timed

    @property
    def answers_per_second(self) -> float:
        return self.asked.outcomes[200] / self.seconds


async def crowd(url: str, clients: int = 200, questions: int = 3) -> Crowd:
    """`clients` clients at once, each asking `questions` questions one after another."""
    pool = normal_questions()
    asked = Timed()

    async def one(n: int) -> None:
        async with client_at(url, n) as client:
            for i in range(questions):
                question = pool[(n * questions + i) % len(pool)]
                await timed(asked, client.post("api/ask", json={"question": question}))

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(clients)))
    return Crowd(clients, questions, time.perf_counter() - started, asked)


@dataclass
class Flood:
    size: int
    spread: bool
    seconds: float
    flood: Timed
    health: Timed
    normal: Timed


async def flood(url: str, size: int = 40, length: int = 400, spread: bool = False) -> Flood:
    """`size` long questions at once (one client, or `spread` over as many), and meanwhile
    health probes every 0.2 s and normal questions one after another from two others."""
    result = Flood(size, spread, 0.0, Timed(), Timed(), Timed())
    attackers = [client_at(url, 1000 + (i if spread else 0)) for i in range(size)]
    prober, asker = client_at(url, 2000), client_at(url, 2001)
    done = asyncio.Event()

    async def probe() -> None:
        while not done.is_set():
            await timed(result.health, prober.get("api/health"))
            await asyncio.sleep(0.2)

    async def ask_normally() -> None:
        while not done.is_set():
            await timed(result.normal, asker.post("api/ask", json={"question": NORMAL}))
            await asyncio.sleep(0.2)

    async def attack() -> None:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                timed(result.flood, c.post("api/ask", json={"question": long_question(i, length)}))
                for i, c in enumerate(attackers)
            )
        )
        result.seconds = time.perf_counter() - started
        done.set()

    try:
        flooding = asyncio.create_task(attack())
        await asyncio.sleep(0.05)  # the flood arrives first
        await asyncio.gather(flooding, probe(), ask_normally())
    finally:
        for c in [*attackers, prober, asker]:
            await c.aclose()
    return result


# ---- the report ----------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report_crowd(c: Crowd) -> bool:
    a = c.asked
    ok = a.errors == 0
    print(f"crowd: {c.clients} clients x {c.questions} questions = {len(a.seconds)} answered")
    print(f"  errors:      {a.errors}  {dict(a.outcomes)}  target 0  {verdict(ok)}")
    print(
        f"  latency:     p50 {a.p(50) * 1000:.0f} ms  p95 {a.p(95) * 1000:.0f} ms  max {max(a.seconds) * 1000:.0f} ms"
    )
    print(f"  throughput:  {c.answers_per_second:.1f} answers/s over {c.seconds:.1f} s")
    return ok


def report_flood(f: Flood) -> bool:
    health_ok = bool(f.health.seconds) and max(f.health.seconds) < HEALTH_TARGET_S
    normal_ok = (
        bool(f.normal.seconds)
        and f.normal.errors == 0
        and max(f.normal.seconds) < QUESTION_TARGET_S
    )
    who = f"{f.size} clients" if f.spread else "one client"
    print(f"flood: {f.size} long questions from {who}, {f.seconds:.1f} s")
    print(f"  flood got:   {dict(f.flood.outcomes)}")
    print(
        f"  /api/health: {len(f.health.seconds)} probes, max {max(f.health.seconds, default=0) * 1000:.0f} ms  "
        f"target < {HEALTH_TARGET_S:.0f} s  {verdict(health_ok)}"
    )
    print(
        f"  normal:      {len(f.normal.seconds)} questions {dict(f.normal.outcomes)}, "
        f"max {max(f.normal.seconds, default=0):.2f} s  target < {QUESTION_TARGET_S:.0f} s  {verdict(normal_ok)}"
    )
    return health_ok and normal_ok


async def run_all(url: str, clients: int, questions: int, size: int) -> bool:
    ok = report_crowd(await crowd(url, clients, questions))
    ok &= report_flood(await flood(url, size))
    ok &= report_flood(await flood(url, size, spread=True))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--flood", type=int, default=40, help="long questions in a flood")
    args = parser.parse_args(argv)
    if args.url:
        url = args.url if args.url.endswith("/") else args.url + "/"
        return 0 if asyncio.run(run_all(url, args.clients, args.questions, args.flood)) else 1
    with served() as server:
        started_mb = server.memory_mb()
        ok = asyncio.run(run_all(server.url, args.clients, args.questions, args.flood))
        now, peak = server.memory_mb(), server.memory_mb("VmHWM")
        print(
            f"server memory: {started_mb:.0f} MB at start, {now:.0f} MB after, peak {peak:.0f} MB"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

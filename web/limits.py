"""Bounded work per question: a rate per client and a bounded answer queue.

A question costs CPU that the server cannot share out by itself: 40 long
questions from one script used to hold every worker thread, so normal
questions and `/api/health` waited behind them. Every question (the API's and
the page's) therefore passes `Limits.answer` first:

- the client's rate: a token bucket per client address (`rate_burst`
  questions at once, then `rate_per_minute`), so one client cannot fill the
  queue;
- the answer queue: `answer_workers` questions are answered at once, at most
  `answer_queue` wait, each for at most `answer_wait` seconds.

Beyond either a question is refused at once with `Busy` (HTTP 429 with
`Retry-After`), which costs nothing. Everything else, `/api/health` first,
never waits here. The queue lives on the server's event loop: waiting costs
no thread, so waiting questions cannot starve the routes that need one.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request
from fastapi.responses import JSONResponse

from config import Settings

MAX_CLIENTS = 10_000  # buckets kept; the least recently seen are forgotten (they were full)


class Busy(Exception):
    """A question refused for now; `reason` is a label key, `retry_after` whole seconds."""

    def __init__(self, message: str, reason: str, retry_after: int) -> None:
        super().__init__(message)
        self.reason = reason
        self.retry_after = retry_after


class RateLimiter:
    """A token bucket per client: `burst` questions at once, refilled at `per_minute`."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.per_second = per_minute / 60
        self.burst = max(1, burst)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.per_second > 0

    def take(self, client: str, now: float | None = None) -> float:
        """Spend one question of `client`'s; 0 when allowed, else seconds until it would be."""
        if not self.enabled:
            return 0.0
        now = time.monotonic() if now is None else now
        tokens, seen = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - seen) * self.per_second)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.per_second
        self._buckets[client] = (tokens, now)
        while len(self._buckets) > MAX_CLIENTS:
            self._buckets.popitem(last=False)
        return wait


class AnswerQueue:
    """At most `workers` answers at once; at most `size` questions waiting `wait` seconds."""

    def __init__(self, workers: int, size: int, wait: float) -> None:
        self.workers = max(1, workers)
        self.size = max(0, size)
        self.wait = wait
        self.running = 0
        self.waiting = 0
        self.seconds_per_answer = 0.05  # running mean, for Retry-After
        self._free: asyncio.Semaphore | None = None  # made on the serving loop

    def _retry_after(self) -> int:
        ahead = (self.waiting + self.running) / self.workers
        return max(1, math.ceil(ahead * self.seconds_per_answer))

    def _busy(self, why: str) -> Busy:
        seconds = self._retry_after()
        return Busy(
            f"the server is busy: {why}; try again in {seconds} s", "busy", retry_after=seconds
        )

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one worker's place while answering; raise Busy when none frees up in time."""
        if self._free is None:
            self._free = asyncio.Semaphore(self.workers)
        if not self._free.locked():  # a worker is free and no one waits: no task, no wait
            await self._free.acquire()
        elif self.waiting >= self.size:
            raise self._busy(f"{self.waiting} questions are already waiting (the limit)")
        else:
            self.waiting += 1
            try:
                await asyncio.wait_for(self._free.acquire(), timeout=self.wait)
            except TimeoutError:
                raise self._busy(f"no answer could start within {self.wait:g} s") from None
            finally:
                self.waiting -= 1
        self.running += 1
        started = time.perf_counter()
        try:
            yield
        finally:
            self.running -= 1
            self._free.release()
            took = time.perf_counter() - started
            self.seconds_per_answer = 0.9 * self.seconds_per_answer + 0.1 * took


class Limits:
    """The rate limiter and the answer queue of one app (`app.state.limits`)."""

    def __init__(self, settings: Settings) -> None:
        self.rate = RateLimiter(settings.rate_per_minute, settings.rate_burst)
        self.queue = AnswerQueue(
            settings.answer_workers, settings.answer_queue, settings.answer_wait
        )

    @asynccontextmanager
    async def answer(self, client: str) -> AsyncIterator[None]:
        """Within `client`'s rate and in the queue's turn; raise Busy otherwise."""
        wait = self.rate.take(client)
        if wait:
            seconds = max(1, math.ceil(wait))
            raise Busy(
                f"too many questions from {client}: at most {self.rate.burst} at once and "
                f"{self.rate.per_second * 60:g} a minute; try again in {seconds} s",
                "rate_limited",
                retry_after=seconds,
            )
        async with self.queue.slot():
            yield


def client_address(request: Request) -> str:
    """Who is asking: the peer's address (behind a proxy, uvicorn's --forwarded-allow-ips)."""
    return request.client.host if request.client else "unknown"


async def busy_response(request: Request, exc: Busy) -> JSONResponse:
    """429 with the reason and `Retry-After` (the FastAPI handler for Busy)."""
    return JSONResponse(
        {"detail": str(exc)}, status_code=429, headers={"Retry-After": str(exc.retry_after)}
    )

"""Drive the chat page in headless Chromium and save docs/screenshot.png.

    python scripts/screenshot.py [--out docs/screenshot.png] [--question "..."]

Starts the app on a free localhost port (indexing data/ into JUESUAN_INDEX_DIR
if needed), asks the question, opens the first citation and takes the picture.
The browser test runs the same steps (`tests/app/test_browser.py`).

Needs Debian's chromium (`apt-get install -y chromium`) and `pip install
playwright`; never `playwright install`, which downloads another browser.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "how much was 公务接待费 in Zaozhuang"
# Scroll the chat so the picture shows the question and the answer, not the folded sources.
SCROLL_TO_QUESTION = """e => {
  for (let p = e.parentElement; p; p = p.parentElement) {
    if (p.scrollHeight > p.clientHeight + 10) { p.scrollTop = 0; return; }
  }
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(settings: object, timeout: float = 300) -> Iterator[str]:
    """The app served by uvicorn in a thread; yields its URL, stops it after."""
    import uvicorn

    from web.server import create_app, server_options

    port = free_port()
    options = server_options(settings) | {"host": "127.0.0.1", "port": port}
    config = uvicorn.Config(create_app(settings), **options, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the app did not start on port {port}")
        time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@dataclass
class BrowserRun:
    """What the page showed: for the test to check, for the script to report."""

    answer: str
    citation_open: bool
    source_text: str
    marked: list[str]


def ask_in_browser(url: str, question: str, screenshot: Path) -> BrowserRun:
    """Ask on the page, click the first [n] in the answer, save a screenshot."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, wait_until="domcontentloaded")
            expect(page.locator("#question textarea")).to_be_visible(timeout=60_000)
            page.locator("#question textarea").fill(question)
            page.locator("#question textarea").press("Enter")
            link = page.locator("#chatbot a.cite").first
            expect(link).to_be_visible(timeout=120_000)
            link.click()
            target = (link.get_attribute("href") or "").removeprefix("#msg-")
            source = page.locator(f"#src-{target}")
            expect(source).to_have_attribute("open", "", timeout=10_000)
            run = BrowserRun(
                answer=page.locator("#chatbot .answer").last.inner_text(),
                citation_open=source.get_attribute("open") is not None,
                source_text=source.inner_text(),
                marked=source.locator("mark").all_inner_texts(),
            )
            page.locator("#chatbot .answer").last.evaluate(SCROLL_TO_QUESTION)
            page.wait_for_timeout(300)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            return run
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--question", default=QUESTION)
    args = parser.parse_args()
    from config import settings

    with running_app(settings()) as url:
        run = ask_in_browser(url, args.question, args.out)
    print(run.answer)
    print(f"citation open: {run.citation_open}; highlighted: {run.marked}")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()

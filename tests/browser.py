"""Take a screenshot of the search page: `python -m tests.browser OUT.png --index DIR`.

Starts `python -m morgue.web.server` on a free loopback port, drives Debian's chromium
(/usr/bin/chromium; never downloads a browser) through Playwright, types a query, submits
it and saves the page. The browser tests use the same helpers.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]
_STOP = {"about", "after", "their", "there", "which", "while", "would", "could", "these", "those", "other"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index: str | os.PathLike[str], port: int, log_path: str | os.PathLike[str] | None = None,
                 timeout: float = 20.0) -> tuple[subprocess.Popen, str]:
    """Run `python -m morgue.web.server` over `index` on 127.0.0.1:port; return it once /healthz answers."""
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen(
        [sys.executable, "-m", "morgue.web.server", "--index", str(index), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    if log_path:
        log.close()  # the child has its own copy
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as res:
                if res.status == 200:
                    return proc, url
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(proc)
            raise RuntimeError(f"the server did not answer on {url} within {timeout:.0f}s")
        time.sleep(0.1)


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def launch(playwright):
    """Debian's chromium, headless, with nothing phoning home."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing (apt-get install chromium); no browser is downloaded")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def default_query(index: str | os.PathLike[str]) -> str:
    """The commonest longish headline word among the newest articles: a query that shows results."""
    from morgue.search import Archive

    hits = Archive(index).search("", sort="newest", page_size=50, facets=False).hits
    words = Counter(
        w for h in hits for w in re.findall(r"[^\W\d_]{5,}", h.headline.lower()) if w not in _STOP
    )
    return words.most_common(1)[0][0] if words else ""


def take(out: str | os.PathLike[str], index: str | os.PathLike[str], query: str | None = None,
         width: int = 1280, height: int = 900, full_page: bool = False) -> Path:
    from playwright.sync_api import sync_playwright

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    query = default_query(index) if query is None else query
    proc, url = start_server(index, free_port())
    try:
        with sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(url + "/")
                page.fill("#q", query)
                with page.expect_navigation():
                    page.press("#q", "Enter")
                page.screenshot(path=str(out), full_page=full_page)
            finally:
                browser.close()
    finally:
        stop_server(proc)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.browser", description=__doc__.splitlines()[0])
    parser.add_argument("out", help="PNG file to write")
    parser.add_argument("--index", required=True, help="index directory")
    parser.add_argument("--query", default=None, help="query to show (default: a common headline word)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not just the window")
    args = parser.parse_args(argv)
    from morgue.errors import MorgueError

    try:
        path = take(args.out, args.index, args.query, args.width, args.height, args.full_page)
    except (RuntimeError, MorgueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

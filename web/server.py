"""Serving the app with waitress, one log line per request.

`morgue serve` calls `serve()`; `python -m morgue.web.server --index DIR [--port N]` does the same
without the CLI (the browser tests and `web.screenshot` use it).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from urllib.parse import quote

log = logging.getLogger("morgue.web.access")
#: Worker threads of the WSGI server, for `morgue serve` and `python -m morgue.web.server` alike.
DEFAULT_THREADS = 8


def _printable(text: str, limit: int = 2000) -> str:
    """Keep a log line on one line: control characters escaped, length bounded."""
    text = text.encode("unicode_escape", "backslashreplace").decode("ascii") if not text.isprintable() else text
    return text if len(text) <= limit else text[:limit] + "…"


def access_log(app, logger: logging.Logger = log):
    """WSGI middleware: log `client "METHOD /path?query" status bytes duration` for each request."""

    def logged(environ, start_response):
        started = time.perf_counter()
        seen: dict[str, str] = {}

        def start(status, headers, exc_info=None):
            seen["status"] = status.split(" ", 1)[0]
            for name, value in headers:
                if name.lower() == "content-length":
                    seen["length"] = value
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        try:
            return app(environ, start)
        finally:
            target = environ.get("REQUEST_URI") or (
                quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
                + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
            )
            logger.info(
                '%s "%s %s" %s %s %.1fms',
                environ.get("REMOTE_ADDR", "-"),
                _printable(environ.get("REQUEST_METHOD", "-"), 20),
                _printable(target),
                seen.get("status", "-"),
                seen.get("length", "-"),
                (time.perf_counter() - started) * 1000,
            )

    return logged


def _configure_logging() -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    for name in ("morgue.web", "waitress"):
        logging.getLogger(name).setLevel(logging.INFO)


def serve(archive, host: str = "127.0.0.1", port: int = 8080, threads: int = DEFAULT_THREADS, cors: bool = False) -> None:
    """Serve `archive` on host:port with waitress until interrupted. Read-only."""
    import waitress

    from morgue.web.app import make_app

    _configure_logging()
    app = access_log(make_app(archive, cors=cors))
    waitress.serve(app, host=host, port=port, threads=threads, ident="morgue", clear_untrusted_proxy_headers=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m morgue.web.server", description="Serve a Morgue index over HTTP.")
    parser.add_argument("--index", required=True, help="index directory")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default loopback only; 0.0.0.0 exposes it to the network)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                        help=f"worker threads (default {DEFAULT_THREADS})")
    parser.add_argument("--cors", action="store_true", help="let pages on other sites call /api/*")
    parser.add_argument("--cache-size", type=int, default=256,
                        help="searches whose results are kept until the index changes (0: none)")
    args = parser.parse_args(argv)

    from morgue.errors import MorgueError
    from morgue.search import Archive

    try:
        archive = Archive(args.index, cache_size=args.cache_size)
    except MorgueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    serve(archive, args.host, args.port, args.threads, args.cors)
    return 0


if __name__ == "__main__":
    sys.exit(main())

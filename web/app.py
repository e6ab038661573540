"""The Bottle app: HTML pages (`web.pages`) and the JSON API (`web.api`) over a `search.Archive`.

The routes are plain functions that receive the archive from `ArchivePlugin` (Bottle's plugin
API, as bottle-sqlite gives routes a `db`), so the app is assembled here and nowhere else.
The app is read-only (GET and HEAD only) and never imports Whoosh.

Every response, errors included, carries the security headers in `SECURITY_HEADERS`. Errors
are translated in one place: `MorgueErrors` turns each `MorgueError` a route raises into an
`ApiError` with the error's status, message and parameter, and `MorgueApp` renders every
4xx/5xx as `{"error": {"status", "message", "parameter"}}` under /api, the search form with
the message on the search page, and a friendly HTML page elsewhere. No stack trace ever
reaches a client (it goes to the server's log).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

import bottle
from bottle import HTTPError, request, response

from morgue.errors import MorgueError
from morgue.search.request import MAX_QUERY_LENGTH
from morgue.web import api, pages
from morgue.web.cache import Cached, ResponseCache
from morgue.web.render import render

log = logging.getLogger("morgue.web")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]
_SECURITY_NAMES = {name.lower() for name, _ in SECURITY_HEADERS}
CORS_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type"),
    ("Access-Control-Max-Age", "86400"),
]
STATUS_TITLES = {
    400: "That request could not be understood",
    404: "Page not found",
    405: "Method not allowed",
    409: "The archive is being changed",
    422: "That page could not be read",
    500: "Something went wrong",
    503: "The archive is busy",
}
#: Pages that show a refused search in the search form rather than on an error page.
SEARCH_PAGES = ("/", "/search")


class ApiError(HTTPError):
    """An HTTP error with the message (and parameter) to show the client."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(status, message)
        self.message = message
        self.parameter = parameter

    @classmethod
    def of(cls, error: MorgueError) -> "ApiError":
        """The HTTP form of an error Morgue reports to users: its status, message and parameter."""
        message = error.message or type(error).__name__
        return cls(error.status, message[:1].upper() + message[1:], error.parameter)


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


# -- plugins (https://bottlepy.org/docs/dev/plugindev.html) ----------------------------------


class MorgueErrors:
    """Turn every `MorgueError` a route raises into an `ApiError`: the one translation."""

    name = "morgue_errors"
    api = 2

    def apply(self, callback: Callable[..., Any], route: bottle.Route) -> Callable[..., Any]:
        @functools.wraps(callback)
        def translated(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except MorgueError as error:
                raise ApiError.of(error) from None

        return translated


class ArchivePlugin:
    """Pass the app's archive (`MorgueApp.archive`) to every route with an `archive` parameter."""

    name = "archive"
    api = 2
    keyword = "archive"

    def apply(self, callback: Callable[..., Any], route: bottle.Route) -> Callable[..., Any]:
        if self.keyword not in route.get_callback_args():
            return callback
        app = route.app

        @functools.wraps(callback)
        def with_archive(*args: Any, **kwargs: Any) -> Any:
            kwargs[self.keyword] = app.archive
            return callback(*args, **kwargs)

        return with_archive


class ResponseCachePlugin:
    """Send a repeated search's response again while the index is unchanged (web/cache.py).

    Applies to the routes registered with `cache=True`; sized by the archive's own result
    cache setting (`morgue serve --cache-size`).
    """

    name = "response_cache"
    api = 2

    def __init__(self, size: int) -> None:
        self.responses = ResponseCache(size)

    def apply(self, callback: Callable[..., Any], route: bottle.Route) -> Callable[..., Any]:
        if not route.config.get("cache") or self.responses.size <= 0:
            return callback
        app, responses = route.app, self.responses

        @functools.wraps(callback)
        def cached(*args: Any, **kwargs: Any) -> Any:
            key = (request.path, request.query_string, app.archive.generation())
            hit = responses.get(key)
            if hit is not None:
                response.content_type = hit.content_type
                response.set_header("X-Cache", "hit")
                return hit.body
            body = callback(*args, **kwargs)
            if (response.status_code == 200 and isinstance(body, str)
                    and "Content-Disposition" not in response.headers):
                # Bottle fills in its HTML default only when the response is sent.
                responses.put(key, Cached(body, response.content_type or "text/html; charset=UTF-8"))
            response.set_header("X-Cache", "miss")
            return body

        return cached


# -- the app ----------------------------------------------------------------------------------


class MorgueApp(bottle.Bottle):
    """A Bottle app that adds security headers to every response and renders its own errors."""

    def __init__(self, archive, *, cors: bool = False):
        super().__init__()
        self.archive = archive
        self.cors = cors

    def wsgi(self, environ, start_response):
        api = _is_api(environ.get("PATH_INFO") or "")

        def start(status, headers, exc_info=None):
            headers = [(k, v) for k, v in headers if k.lower() not in _SECURITY_NAMES]
            headers += SECURITY_HEADERS
            if self.cors and api:
                headers += CORS_HEADERS
            # Bottle only passes exc_info before anything is sent; the trace is logged, not re-raised.
            return start_response(status, headers)

        return super().wsgi(environ, start)

    def default_error_handler(self, res: HTTPError):
        try:
            return _render_error(res)
        except Exception:  # never let the error page itself leak a trace
            log.exception("error while rendering an error page")
            response.status = 500
            response.content_type = "text/plain; charset=utf-8"
            return "Internal Server Error\n"


def _error_message(res: HTTPError, api: bool) -> tuple[int, str, str | None]:
    status = res.status_code
    if isinstance(res, ApiError):
        return status, res.message, res.parameter
    if status == 404:
        return status, ("No such endpoint." if api else "There is no page at this address."), None
    if status == 405:
        return status, "Only GET and HEAD requests are accepted; the archive is read-only.", None
    if status >= 500:
        return status, "The server could not complete this request. The error has been logged.", None
    return status, STATUS_TITLES.get(status, "The request failed."), None


def _render_error(res: HTTPError):
    api = _is_api(request.path)
    status, message, parameter = _error_message(res, api)
    response.status = status
    if api:
        response.content_type = "application/json"
        return json.dumps({"error": {"status": status, "message": message, "parameter": parameter}})
    response.content_type = "text/html; charset=utf-8"
    if request.path in SEARCH_PAGES and isinstance(res, ApiError) and status < 500:
        raw = {k: (request.query.getunicode(k) or "")[:limit]
               for k, limit in (("q", MAX_QUERY_LENGTH), ("from", 40), ("to", 40))}  # fmt: skip
        return render("search", title="Search", q=raw["q"], sp=None, results=None,
                      raw_from=raw["from"], raw_to=raw["to"], error=message,
                      error_parameter=parameter)  # fmt: skip
    title = STATUS_TITLES.get(status, f"Error {status}")
    return render("error", title=title, status=status, message=message, q="")


def make_app(archive, *, cors: bool = False) -> bottle.Bottle:
    """The WSGI app serving `archive` (a `search.Archive`). `cors` lets other sites call /api/*."""
    app = MorgueApp(archive, cors=cors)
    size = getattr(archive, "cache_size", 0)  # the archive's own setting (morgue serve --cache-size)
    app.install(MorgueErrors())
    app.install(ResponseCachePlugin(size if isinstance(size, int) else 0))
    app.install(ArchivePlugin())

    app.route("/", "GET", pages.search_page, cache=True)
    app.route("/search", "GET", pages.search_page, cache=True)
    app.route("/articles/<article_id>", "GET", pages.article_page)
    app.route("/facets/<name>", "GET", pages.facet_page, cache=True)
    app.route("/docs/api", "GET", pages.api_docs_page)
    app.route("/opensearch.xml", "GET", pages.opensearch)
    app.route("/healthz", "GET", api.healthz)
    app.route("/static/<filename:path>", "GET", pages.static)

    app.route("/api/search", "GET", api.search, cache=True)
    app.route("/api/articles/<article_id>", "GET", api.article)
    app.route("/api/articles/<article_id>/similar", "GET", api.similar)
    app.route("/api/stats", "GET", api.stats)
    app.route("/api/openapi.json", "GET", api.openapi_document)
    if cors:
        # Preflights for the API's own addresses only: a catch-all OPTIONS route made Bottle
        # answer a GET to an unknown /api/ address with 405 instead of 404.
        for path in ("/api/search", "/api/articles/<article_id>", "/api/articles/<article_id>/similar",
                     "/api/stats", "/api/openapi.json"):
            app.route(path, "OPTIONS", api.preflight)
    return app


__all__ = ["make_app", "MorgueApp", "ApiError", "ArchivePlugin", "MorgueErrors",
           "ResponseCachePlugin", "SECURITY_HEADERS", "CONTENT_SECURITY_POLICY"]

"""The Bottle app: HTML pages and the JSON API over a `search.Archive`.

Routes stay thin: read and bound the parameters (`web.params`), call the archive, render.
The app is read-only (GET and HEAD only) and never imports Whoosh.

Every response, errors included, carries the security headers in `SECURITY_HEADERS`; every
4xx/5xx is `{"error": {"status", "message", "parameter"}}` under /api and a friendly HTML
page elsewhere, and no stack trace ever reaches a client (it goes to the server's log).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import os
from datetime import date
from html import escape
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import bottle
from bottle import HTTPError, HTTPResponse, request, response

from morgue.errors import MorgueError
from morgue.web import openapi
from morgue.web.cache import Cached, ResponseCache
from morgue.web.params import (
    FACET_PARAMS,
    FORMATS,
    MAX_QUERY,
    MAX_SIMILAR,
    BadParameter,
    Params,
    SearchParams,
    parse_int,
)

HERE = os.path.dirname(os.path.abspath(__file__))
VIEWS = os.path.join(HERE, "views")
# One list for every render: Bottle caches compiled templates by the lookup list's id(), so a
# new list per call would compile (and keep) every template again on every request.
TEMPLATE_LOOKUP = [VIEWS]
STATIC = os.path.join(HERE, "static")
MAX_ID_LENGTH = 200

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

FACET_LABELS = {"section": "Section", "source": "Source", "byline": "Byline"}
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest", "oldest": "Oldest"}
STATUS_TITLES = {
    400: "That request could not be understood",
    404: "Page not found",
    405: "Method not allowed",
    500: "Something went wrong",
    503: "The archive is busy",
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip


class ApiError(HTTPError):
    """An HTTP error with the message (and parameter) to show the client."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(status, message)
        self.message = message
        self.parameter = parameter


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


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
    cause = getattr(res, "exception", None)
    if isinstance(cause, MorgueError):  # e.g. Unavailable (503): a shard's worker is gone
        return cause.status, str(cause), cause.parameter
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
    title = STATUS_TITLES.get(status, f"Error {status}")
    return render("error", title=title, status=status, message=message, q="")


# -- helpers used by the templates -----------------------------------------------------------


def fmt_date(value: str | None) -> str:
    """"2022-01-13T09:14:00+04:00" -> "13 January 2022"; "2022-01" -> "January 2022"."""
    if not value:
        return ""
    text = value[:10]
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
        if len(text) == 7:
            return f"{MONTHS[int(text[5:7]) - 1]} {text[:4]}"
    except (ValueError, IndexError):
        pass
    return value


def fmt_number(n: int) -> str:
    return f"{n:,}"


def url(path: str, query: str = "") -> str:
    """An absolute path inside the app (respects a mount prefix), with an optional query string."""
    base = (request.script_name or "/").rstrip("/")
    return base + path + (("?" + query) if query else "")


def article_url(article_id: str, q: str = "") -> str:
    return url("/articles/" + quote(article_id, safe=""), ("q=" + quote(q, safe="")) if q else "")


def search_url(params: SearchParams) -> str:
    return url("/search", params.query_string())


def histogram_svg(results, params: SearchParams) -> str:
    """The date histogram as an inline SVG; each bar links to the search narrowed to its dates.

    Built here rather than in a template because it is arithmetic; every string is escaped.
    """
    buckets = list(results.histogram or [])
    if not buckets:
        return ""
    width, height, top, bottom = 300, 80, 4, 2
    chart = height - top - bottom
    peak = max(b.count for b in buckets) or 1
    step = width / len(buckets)
    bar = min(max(step * 0.8, 1.0), 40.0)
    noun = "month" if results.interval == "month" else "year"
    parts = [
        f'<svg class="histogram" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="Matching articles by {noun}; choose a bar to narrow the dates" '
        'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="axis" x1="0" y1="{height - bottom + 0.5}" x2="{width}" y2="{height - bottom + 0.5}"/>',
    ]
    for i, b in enumerate(buckets):
        x = i * step + (step - bar) / 2
        h = 0 if b.count == 0 else max(chart * b.count / peak, 2)
        label = f"{b.key}: {b.count:,} article{'s' if b.count != 1 else ''}"
        rect = (
            f'<rect class="hitbox" x="{x:.2f}" y="{top}" width="{bar:.2f}" height="{chart}"/>'
            f'<rect class="bar" x="{x:.2f}" y="{height - bottom - h:.2f}" width="{bar:.2f}" height="{h:.2f}"/>'
        )
        if b.count:
            href = search_url(params.with_(date_from=b.start, date_to=b.end))
            parts.append(
                f'<a href="{escape(href)}" aria-label="{escape(label)}">'
                f"<title>{escape(label)}</title>{rect}</a>"
            )
        else:
            parts.append(f"<g><title>{escape(label)}</title>{rect}</g>")
    parts.append("</svg>")
    first, last = buckets[0].key, buckets[-1].key
    parts.append(f'<p class="ticks" aria-hidden="true"><span>{escape(first)}</span>')
    parts.append(f"<span>{escape(last)}</span></p>" if last != first else "</p>")
    return "".join(parts)


def page_window(page: int, pages: int, radius: int = 2) -> list[int | None]:
    """Page numbers to show, with None for a gap: [1, None, 4, 5, 6, None, 20]."""
    pages = max(pages, 1)
    shown = {1, pages} | set(range(max(1, page - radius), min(pages, page + radius) + 1))
    out: list[int | None] = []
    prev = 0
    for n in sorted(shown):
        if n - prev > 1:
            out.append(None)
        out.append(n)
        prev = n
    return out


def render(name: str, **kw: Any) -> str:
    kw.setdefault("title", "")
    kw.setdefault("q", "")
    kw.update(
        url=url,
        article_url=article_url,
        search_url=search_url,
        fmt_date=fmt_date,
        fmt_number=fmt_number,
        max_query=MAX_QUERY,
        escape=escape,
    )
    return bottle.template(name, template_lookup=TEMPLATE_LOOKUP, **kw)


# -- the app ---------------------------------------------------------------------------------


def _params() -> Params:
    try:
        return Params.from_bottle(request.query)
    except BadParameter as e:
        raise ApiError(400, e.message, e.parameter) from None


def _search_params() -> SearchParams:
    try:
        return SearchParams.parse(_params())
    except BadParameter as e:
        raise ApiError(400, e.message, e.parameter) from None


_ARCHIVE_PARAM_NAMES = {"date_from": "from", "date_to": "to", "sections": "section",
                        "sources": "source", "bylines": "byline"}  # fmt: skip


def _run_search(archive, sp: SearchParams):
    from morgue.errors import InvalidParameter  # the search layer's own validation

    from morgue.search.querylang import QueryError  # parse errors that escape the query language

    try:
        return archive.search(sp.q, **sp.archive_kwargs())
    except QueryError as e:
        # querylang.parse promises never to raise, but its plain-words fallback can
        # (`NOT AND NOT d`): a 400 naming the query, not a 500.
        message = str(e) or "the query could not be read"
        raise ApiError(400, f"{message[0].upper()}{message[1:]}; rephrase it.", "q") from None
    except OverflowError:  # a date bound past 9999-12-31 (`date:9999`, `to=9999`)
        raise ApiError(400, "A date is out of range: use years from 1 to 9998.", None) from None
    except InvalidParameter as e:
        parameter = _ARCHIVE_PARAM_NAMES.get(e.parameter, e.parameter)
        message = e.message or str(e)
        if parameter and parameter not in message:
            message = f"'{parameter}' {message}"
        raise ApiError(400, message.rstrip(".") + ".", parameter) from None


def _article_id(article_id: str) -> str:
    if not article_id or len(article_id) > MAX_ID_LENGTH:
        raise ApiError(404, "No article has this id.", "id")
    return article_id


def _get_article(archive, article_id: str, highlight: str | None):
    from morgue.errors import ArticleNotFound
    from morgue.search.querylang import QueryError

    try:
        try:
            return archive.get(_article_id(article_id), highlight=highlight or None)
        except QueryError:  # a query the parser cannot read: show the article unhighlighted
            return archive.get(_article_id(article_id), highlight=None)
    except ArticleNotFound:
        raise ApiError(404, "No article has this id.", "id") from None


def _similar(archive, article_id: str, limit: int):
    from morgue.errors import ArticleNotFound

    try:
        return archive.more_like_this(_article_id(article_id), limit=limit)
    except ArticleNotFound:
        raise ApiError(404, "No article has this id.", "id") from None


MAX_COPY_LABELS = 20  # articles fetched per page to name the copies of wire stories


def _copy_labels(archive, hits) -> dict[str, str]:
    """"Valley Courier, 8 November 2022" for each collapsed copy on the page (a few at most)."""
    labels: dict[str, str] = {}
    wanted = [cid for h in hits for cid in (h.copy_ids or [])][:MAX_COPY_LABELS]
    for cid in wanted:
        try:
            art = archive.get(cid)
        except Exception:  # a label is a nicety; the link works without it
            continue
        labels[cid] = ", ".join(x for x in (art.source, fmt_date(art.published)) if x)
    return labels


def _json(data: Any, status: int = 200) -> str:
    response.status = status
    response.content_type = "application/json"
    return json.dumps(data, ensure_ascii=False)


CSV_COLUMNS = ["id", "headline", "published", "source", "section", "byline", "url", "score",
               "copies", "snippet"]  # fmt: skip


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):  # no formulas when opened in a spreadsheet
        text = "'" + text
    return text


def _export(results, fmt: str) -> str:
    if fmt == "ndjson":
        response.content_type = "application/x-ndjson; charset=utf-8"
        response.set_header("Content-Disposition", 'attachment; filename="morgue-search.ndjson"')
        return "".join(json.dumps(h.to_dict(), ensure_ascii=False) + "\n" for h in results.hits)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for h in results.hits:
        row = [h.id, h.headline, h.published, h.source, h.section, "; ".join(h.byline or []), h.url,
               round(h.score, 4), h.copies, h.snippet_text]  # fmt: skip
        writer.writerow([_csv_cell(v) for v in row])
    response.content_type = "text/csv; charset=utf-8"
    response.set_header("Content-Disposition", 'attachment; filename="morgue-search.csv"')
    return out.getvalue()


def make_app(archive, *, cors: bool = False) -> bottle.Bottle:
    """The WSGI app serving `archive` (a `search.Archive`). `cors` lets other sites call /api/*."""
    app = MorgueApp(archive, cors=cors)
    size = getattr(archive, "cache_size", 0)  # the archive's own setting (morgue serve --cache-size)
    responses = ResponseCache(size if isinstance(size, int) else 0)

    def cached(route: Callable[..., Any]) -> Callable[..., Any]:
        """Send a repeated search's response again while the index is unchanged (web/cache.py)."""

        @functools.wraps(route)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if responses.size <= 0:
                return route(*args, **kwargs)
            key = (request.path, request.query_string, archive.generation())
            hit = responses.get(key)
            if hit is not None:
                response.content_type = hit.content_type
                response.set_header("X-Cache", "hit")
                return hit.body
            body = route(*args, **kwargs)
            if (response.status_code == 200 and isinstance(body, str)
                    and "Content-Disposition" not in response.headers):
                # Bottle fills in its HTML default only when the response is sent.
                responses.put(key, Cached(body, response.content_type or "text/html; charset=UTF-8"))
            response.set_header("X-Cache", "miss")
            return body

        return wrapper

    # -- pages --------------------------------------------------------------------------

    @app.get("/")
    @app.get("/search")
    @cached
    def search_page():
        try:
            sp = SearchParams.parse(_params())
        except (BadParameter, ApiError) as e:
            response.status = 400
            raw = {k: (request.query.getunicode(k) or "")[:limit]
                   for k, limit in (("q", MAX_QUERY), ("from", 40), ("to", 40))}  # fmt: skip
            return render("search", title="Search", q=raw["q"], sp=None, results=None,
                          raw_from=raw["from"], raw_to=raw["to"],
                          error=e.message, error_parameter=e.parameter)  # fmt: skip
        try:
            results = _run_search(archive, sp)
        except ApiError as e:
            response.status = e.status_code
            return render("search", title="Search", q=sp.q, sp=sp, results=None,
                          facet_params=FACET_PARAMS,
                          error=e.message, error_parameter=e.parameter)  # fmt: skip
        title = f"{sp.q} – Search" if sp.q else "Search"
        copies = _copy_labels(archive, results.hits)
        return render(
            "search",
            title=title,
            q=sp.q,
            sp=sp,
            results=results,
            error=None,
            error_parameter=None,
            histogram=histogram_svg(results, sp),
            pages=page_window(results.page, min(results.pages, 1000)),
            facet_labels=FACET_LABELS,
            facet_params=FACET_PARAMS,
            sort_labels=SORT_LABELS,
            copies=copies,
            is_home=request.path == "/" and not request.query_string,
        )

    @app.get("/articles/<article_id>")
    def article_page(article_id):
        params = _params()
        q = (params.get("q") or "").strip()[:MAX_QUERY]
        article = _get_article(archive, article_id, q)
        try:
            similar = _similar(archive, article_id, 5)
        except Exception:  # "more like this" is a garnish: never lose the article over it
            log.exception("more_like_this failed for %r", article_id)
            similar = []
        return render("article", title=article.headline or "Article", q=q, article=article,
                      similar=similar, back=url("/search", "q=" + quote(q, safe="")) if q else "")  # fmt: skip

    @app.get("/opensearch.xml")
    def opensearch():
        parts = request.urlparts
        origin = f"{parts.scheme}://{parts.netloc}"
        response.content_type = "application/opensearchdescription+xml; charset=utf-8"
        return bottle.template("opensearch", template_lookup=TEMPLATE_LOOKUP, origin=origin,
                               base=(request.script_name or "/").rstrip("/"))  # fmt: skip

    @app.get("/healthz")
    def healthz():
        return _json({"status": "ok"})

    @app.get("/static/<filename:path>")
    def static(filename):
        root = os.path.realpath(STATIC)
        path = os.path.realpath(os.path.join(root, filename))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            raise ApiError(404, "There is no file at this address.")
        res = bottle.static_file(os.path.relpath(path, root), root=root)
        if isinstance(res, HTTPError):
            raise ApiError(404, "There is no file at this address.")
        res.set_header("Cache-Control", "public, max-age=3600")
        return res

    # -- JSON API -----------------------------------------------------------------------

    @app.get("/api/search")
    @cached
    def api_search():
        params = _params()
        fmt = (params.get("format") or "json").strip().lower()
        if fmt not in FORMATS:
            raise ApiError(400, "'format' must be one of: json, csv, ndjson.", "format")
        sp = _search_params()
        results = _run_search(archive, sp)
        if fmt == "json":
            return _json(results.to_dict())
        return _export(results, fmt)

    @app.get("/api/articles/<article_id>")
    def api_article(article_id):
        q = (_params().get("q") or "").strip()
        if len(q) > MAX_QUERY:
            raise ApiError(400, f"The query must be at most {MAX_QUERY} characters.", "q")
        return _json(_get_article(archive, article_id, q).to_dict())

    @app.get("/api/articles/<article_id>/similar")
    def api_similar(article_id):
        try:
            limit = parse_int(_params(), "limit", 5, 1, MAX_SIMILAR)
        except BadParameter as e:
            raise ApiError(400, e.message, e.parameter) from None
        hits = _similar(archive, article_id, limit)
        return _json({"id": article_id, "hits": [h.to_dict() for h in hits]})

    @app.get("/api/stats")
    def api_stats():
        return _json(archive.stats().to_dict())

    @app.get("/api/openapi.json")
    def api_openapi():
        return _json(openapi.spec())

    if cors:

        @app.route("/api/<path:path>", method="OPTIONS")
        def api_preflight(path):
            return HTTPResponse(status=204)

    return app


__all__ = ["make_app", "MorgueApp", "ApiError", "SECURITY_HEADERS", "CONTENT_SECURITY_POLICY"]

"""The HTML pages: the search page, an article, the OpenSearch description, static files.

Plain functions; `web.app` routes them and its `ArchivePlugin` passes the `archive`. A
`MorgueError` raised here (a refused parameter, an unknown article) is rendered by the app.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import quote

import bottle
from bottle import HTTPError, request

from morgue.errors import ArticleNotFound
from morgue.search.request import DEFAULT_SIMILAR, MAX_QUERY_LENGTH
from morgue.web.params import Params, SearchParams
from morgue.web.render import (
    FACET_LABELS, SORT_LABELS, TEMPLATE_LOOKUP, fmt_date, histogram_svg, page_window, render, url)
from morgue.search.request import FACET_PARAMS

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.join(HERE, "static")
#: Longer ids are not looked up at all (real ones have 16 characters).
MAX_ID_LENGTH = 200
#: Articles fetched per page to name the copies of wire stories.
MAX_COPY_LABELS = 20

log = logging.getLogger("morgue.web")


def query_params() -> Params:
    """This request's query string, decoded (InvalidParameter if it is not UTF-8)."""
    return Params.from_bottle(request.query)


def article_id_of(article_id: str) -> str:
    """The id from the URL, refused as unknown without a lookup when it cannot be one."""
    if not article_id or len(article_id) > MAX_ID_LENGTH:
        raise ArticleNotFound("No article has this id.")
    return article_id


def search_page(archive):
    params, shortened = query_params().shortened()
    sp = SearchParams.parse(params)
    results = archive.search(sp.q, **sp.archive_kwargs())
    title = f"{sp.q} – Search" if sp.q else "Search"
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
        facet_params=tuple(FACET_PARAMS),
        sort_labels=SORT_LABELS,
        copies=_copy_labels(archive, results.hits),
        export_url=url("/api/search", sp.export_query_string("csv")),
        shortened=shortened,
        is_home=request.path == "/" and not request.query_string,
    )


def article_page(article_id, archive):
    q = (query_params().get("q") or "").strip()[:MAX_QUERY_LENGTH]
    article = archive.get(article_id_of(article_id), highlight=q or None)
    try:
        similar = archive.more_like_this(article_id, limit=DEFAULT_SIMILAR)
    except Exception:  # "more like this" is a garnish: never lose the article over it
        log.exception("more_like_this failed for %r", article_id)
        similar = []
    return render("article", title=article.headline or "Article", q=q, article=article,
                  similar=similar, back=url("/search", "q=" + quote(q, safe="")) if q else "")  # fmt: skip


def opensearch():
    parts = request.urlparts
    origin = f"{parts.scheme}://{parts.netloc}"
    bottle.response.content_type = "application/opensearchdescription+xml; charset=utf-8"
    return bottle.template("opensearch", template_lookup=TEMPLATE_LOOKUP, origin=origin,
                           base=(request.script_name or "/").rstrip("/"))  # fmt: skip


def static(filename):
    root = os.path.realpath(STATIC)
    path = os.path.realpath(os.path.join(root, filename))
    if not path.startswith(root + os.sep) or not os.path.isfile(path):
        raise HTTPError(404)
    res = bottle.static_file(os.path.relpath(path, root), root=root)
    if isinstance(res, HTTPError):
        raise HTTPError(404)
    res.set_header("Cache-Control", "public, max-age=3600")
    return res


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

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

from pathlib import Path

from markdown_it import MarkdownIt

from morgue.errors import ArticleNotFound, InvalidParameter
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
#: Values a facet's own page lists (every section of any real archive).
MAX_FACET_PAGE = 10_000
#: The API's reference for people, rendered at /docs/api (the repository's docs/api.md).
API_DOC = Path(HERE).resolve().parent / "docs" / "api.md"

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
    is_home = request.path == "/" and not request.query_string
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
        is_home=is_home,
        # The home page names both counts: stories (copies of a wire story counted once, as
        # every results count is) and the stored pages /api/stats counts.
        stored=archive.stats().articles if is_home else None,
    )


def facet_page(name, archive):
    """Every value of one facet for a search (the results page lists the 20 most frequent)."""
    if name not in FACET_PARAMS:
        raise HTTPError(404)
    sp = SearchParams.parse(query_params())
    results = archive.search(sp.q, **{**sp.archive_kwargs(), "page": 1, "page_size": 1,
                                      "facets": True, "facet_size": MAX_FACET_PAGE})
    label = FACET_LABELS[name]
    return render("facet", title=f"{label} – Search", q=sp.q, sp=sp, facet=name, label=label,
                  values=results.facets.get(name) or [], total=results.total)


def api_docs_page():
    """docs/api.md as a page: the JSON API explained to people, linking the OpenAPI document."""
    try:
        text = API_DOC.read_text(encoding="utf-8")
    except OSError:
        raise HTTPError(404) from None
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return render("doc", title="JSON API", body=body)


def article_page(article_id, archive):
    params = query_params()
    q = (params.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    try:  # the search this article was opened from: "Back to results" returns to it
        sp: SearchParams | None = SearchParams.parse(params)
    except InvalidParameter:
        sp = None
    article = archive.get(article_id_of(article_id), highlight=q or None)
    try:
        similar = archive.more_like_this(article_id, limit=DEFAULT_SIMILAR)
    except Exception:  # "more like this" is a garnish: never lose the article over it
        log.exception("more_like_this failed for %r", article_id)
        similar = []
    if sp is not None and (sp.q or sp.has_filters or sp.page > 1 or sp.explicit_sort):
        back = url("/search", sp.query_string())
    else:
        back = url("/search", "q=" + quote(q, safe="")) if q else ""
    return render("article", title=article.headline or "Article", q=q, article=article,
                  similar=similar, back=back)


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

"""The JSON API: `/api/search` (also as CSV or NDJSON), articles, similar articles, stats.

Plain functions; `web.app` routes them and its `ArchivePlugin` passes the `archive`. What a
parameter may be is the search contract's (`morgue.search.request`); a `MorgueError`
raised here becomes the API's one error shape in `web.app`.
"""

from __future__ import annotations

import json
from typing import Any

from bottle import HTTPResponse, response

from morgue.search.export import FORMATS, MEDIA_TYPES, lines
from morgue.search.request import DEFAULT_SIMILAR, MAX_SIMILAR, check_query, int_from_text, invalid
from morgue.web import openapi
from morgue.web.pages import article_id_of, query_params
from morgue.web.params import SearchParams


def _json(data: Any, status: int = 200) -> str:
    response.status = status
    response.content_type = "application/json"
    return json.dumps(data, ensure_ascii=False)


def _format(params) -> str:
    fmt = (params.get("format") or "json").strip().lower()
    if fmt not in FORMATS:
        raise invalid("format", f"must be one of: {', '.join(FORMATS)} (got '{fmt[:40]}').")
    return fmt


def search(archive):
    params = query_params()
    fmt = _format(params)
    sp = SearchParams.parse(params)
    results = archive.search(sp.q, **sp.archive_kwargs())
    if fmt == "json":
        return _json(results.to_dict())
    response.content_type = MEDIA_TYPES[fmt]
    response.set_header("Content-Disposition", f'attachment; filename="morgue-search.{fmt}"')
    return "".join(lines(results.hits, fmt))


def article(article_id, archive):
    q = check_query((query_params().get("q") or "").strip())
    return _json(archive.get(article_id_of(article_id), highlight=q or None).to_dict())


def similar(article_id, archive):
    limit = int_from_text("limit", query_params().get("limit"), DEFAULT_SIMILAR, 1, MAX_SIMILAR)
    hits = archive.more_like_this(article_id_of(article_id), limit=limit)
    return _json({"id": article_id, "hits": [h.to_dict() for h in hits]})


def stats(archive):
    return _json(archive.stats().to_dict())


def healthz():
    return _json({"status": "ok"})


def openapi_document():
    return _json(openapi.spec())


def preflight(path):
    return HTTPResponse(status=204)

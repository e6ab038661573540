"""The JSON API: `/api/search` (also as CSV or NDJSON), articles, similar articles, stats.

Plain functions; `web.app` routes them and its `ArchivePlugin` passes the `archive`. What a
parameter may be is the search contract's (`morgue.search.request`); a `MorgueError`
raised here becomes the API's one error shape in `web.app`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from bottle import HTTPResponse, response

from morgue.search.export import FORMATS, MEDIA_TYPES, lines
from morgue.search.request import (
    DEFAULT_SIMILAR, MAX_SIMILAR, bool_from_text, check_query, int_from_text, invalid)
from morgue.web import openapi
from morgue.web.pages import article_id_of, query_params
from morgue.web.params import SearchParams

#: Bytes gathered into one chunk of a streamed export (one write, one HTTP chunk).
CHUNK_SIZE = 32 * 1024


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
    every = bool_from_text("all", params.get("all"), False)
    sp = SearchParams.parse(params)
    if every:
        stream = archive.iter_hits(sp.q, **sp.export_kwargs())
        _download(fmt)
        response.set_header("X-Total-Count", str(stream.total))
        return streamed(stream, fmt)
    results = archive.search(sp.q, **sp.archive_kwargs())
    if fmt == "json":
        return _json(results.to_dict())
    _download(fmt)
    return "".join(lines(results.hits, fmt))


def _download(fmt: str) -> None:
    response.content_type = MEDIA_TYPES[fmt]
    response.set_header("Content-Disposition", f'attachment; filename="morgue-search.{fmt}"')


def streamed(stream, fmt: str, chunk_size: int | None = None) -> Iterator[bytes]:
    """Every hit of `stream` written as `fmt`, in chunks of about `chunk_size` bytes.

    The header (or first line) goes out at once; closing this generator (waitress does when
    the client goes away) closes the stream and so stops the work and frees its reader.
    """
    chunk_size = chunk_size or CHUNK_SIZE
    try:
        pending: list[bytes] = []
        size = 0
        for n, line in enumerate(lines(stream, fmt)):
            data = line.encode("utf-8")
            pending.append(data)
            size += len(data)
            if n == 0 or size >= chunk_size:
                yield b"".join(pending)
                pending, size = [], 0
        if pending:
            yield b"".join(pending)
    finally:
        stream.close()


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


def preflight(**_: str) -> HTTPResponse:
    return HTTPResponse(status=204)

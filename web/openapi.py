"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Kept as Python so it ships with the package and takes its limits from the search contract
(`morgue.search.request`).
The schemas mirror the `to_dict()` of the types in `search/results.py`; the test suite
validates live responses against them.
"""

from __future__ import annotations

import copy
from typing import Any

from morgue import __version__
from morgue.search.request import (
    DEFAULT_PAGE_SIZE, DEFAULT_SIMILAR, MAX_FACET_LENGTH, MAX_FACET_VALUES, MAX_PAGE, MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH as MAX_QUERY, MAX_SIMILAR, SORTS, FACET_PARAMS)
from morgue.search.cursor import MAX_CURSOR_LENGTH
from morgue.search.export import FORMATS
from morgue.web.pages import MAX_ID_LENGTH

#: The search contract's date grammar (YYYY, YYYY-M(M), YYYY-M(M)-D(D)) as a pattern.
DATE_PATTERN = r"^[0-9]{4}(-(0?[1-9]|1[0-2])(-(0?[1-9]|[12][0-9]|3[01]))?)?$"


def _nullable(type_: str, **extra: Any) -> dict[str, Any]:
    return {"type": [type_, "null"], **extra}


def _obj(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
        **extra,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_STR_LIST = {"type": "array", "items": {"type": "string"}}

SCHEMAS: dict[str, Any] = {
    "Hit": _obj(
        {
            "id": {"type": "string", "description": "Article id, for /api/articles/{id}."},
            "url": _nullable("string", description="The page's canonical URL, when it names one."),
            "headline": {"type": "string"},
            "published": _nullable("string", description="ISO 8601, as precise as the page."),
            "section": _nullable("string"),
            "source": _nullable("string"),
            "byline": _STR_LIST,
            "score": {"type": "number"},
            "headline_html": {
                "type": "string",
                "description": "The headline, HTML-escaped, matched terms in <mark>.",
            },
            "snippet_html": {"type": "string", "description": "Fragments of the part that matched "
                             "(`snippet_field`), escaped, matches in <mark>."},
            "snippet_text": {"type": "string"},
            "snippet_field": {"type": "string", "enum": ["body", "standfirst", "captions"],
                              "description": "Where the snippet is from: the body when it "
                              "matched, else the standfirst, else a caption."},
            "caption_html": _nullable("string", description="Set when the match is only in a caption."),
            "copies": {
                "type": "integer",
                "minimum": 0,
                "description": "Other copies of the same wire story collapsed into this hit.",
            },
            "copy_ids": _STR_LIST,
            "terms": {**_STR_LIST, "description": "Matched words, for highlighting elsewhere."},
        }
    ),
    "FacetValue": _obj({"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0}}),
    "DateBucket": _obj(
        {
            "key": {"type": "string", "description": '"2022" (by year) or "2022-01" (by month).'},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "count": {"type": "integer", "minimum": 0},
        }
    ),
    "SearchResults": _obj(
        {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 0},
            "sort": {"type": "string", "enum": list(SORTS)},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": {
                "type": "object",
                "description": 'Keys "section", "source", "byline" (empty when facets=false).',
                "additionalProperties": {"type": "array", "items": _ref("FacetValue")},
            },
            "histogram": {"type": "array", "items": _ref("DateBucket")},
            "interval": {"type": "string", "enum": ["year", "month"]},
            "suggestion": _nullable("string", description="A did-you-mean query."),
            "notice": _nullable("string", description="E.g. the query fell back to plain words."),
            "partial": {"type": "boolean", "description": "The time limit cut the search short."},
            "took_ms": {"type": "number", "minimum": 0},
            "filters": {
                "type": "object",
                "description": "The filters applied (dates as YYYY-MM-DD bounds, after reading the query).",
                "properties": {
                    "date_from": _nullable("string", format="date"),
                    "date_to": _nullable("string", format="date"),
                    "sections": _STR_LIST,
                    "sources": _STR_LIST,
                    "bylines": _STR_LIST,
                },
            },
            "next": _nullable("string", description="A cursor: pass it back as `cursor` for the "
                              "page after this one. Null on the last page or a partial result."),
        }
    ),
    "StoredArticle": _obj(
        {
            "id": {"type": "string"},
            "url": _nullable("string"),
            "headline": {"type": "string"},
            "standfirst": {"type": "string"},
            "body": {"type": "string", "description": "Paragraphs separated by blank lines."},
            "captions": {
                "type": "array",
                "items": _obj(
                    {"text": _nullable("string"), "credit": _nullable("string")}, required=["text"]
                ),
            },
            "byline": _STR_LIST,
            "section": _nullable("string"),
            "tags": _STR_LIST,
            "published": _nullable("string"),
            "modified": _nullable("string"),
            "lang": _nullable("string"),
            "source": _nullable("string"),
            "path": _nullable("string"),
            "indexed_at": _nullable("string"),
            "headline_html": {"type": "string"},
            "standfirst_html": {"type": "string"},
            "paragraphs_html": _STR_LIST,
            "captions_html": _STR_LIST,
        }
    ),
    "Similar": _obj({"id": {"type": "string"}, "hits": {"type": "array", "items": _ref("Hit")}}),
    "ArchiveStats": _obj(
        {
            "articles": {"type": "integer", "minimum": 0},
            "earliest": _nullable("string"),
            "latest": _nullable("string"),
            "undated": {"type": "integer", "minimum": 0},
            "sources": {"type": "array", "items": _ref("FacetValue")},
            "sections": {"type": "array", "items": _ref("FacetValue")},
            "years": {"type": "array", "items": _ref("FacetValue")},
            "size_bytes": {"type": "integer", "minimum": 0},
            "segments": {"type": "integer", "minimum": 0},
            "last_indexed": _nullable("string"),
            "path": {"type": "string"},
            # Whoosh indexes the archive is split into (`morgue index --shards`); 1: one index
            "shards": {"type": "integer", "minimum": 1},
        }
    ),
    "Health": _obj({"status": {"type": "string", "enum": ["ok"]}}),
    "Error": _obj(
        {
            "error": _obj(
                {
                    "status": {"type": "integer", "minimum": 400, "maximum": 599},
                    "message": {"type": "string", "description": "What went wrong and what is allowed."},
                    "parameter": _nullable("string", description="The query parameter at fault, if any."),
                }
            )
        }
    ),
}


def _param(name: str, schema: dict[str, Any], description: str, *, explode: bool | None = None,
           location: str = "query", required: bool = False) -> dict[str, Any]:
    p = {"name": name, "in": location, "required": required, "description": description, "schema": schema}
    if explode is not None:
        p["style"], p["explode"] = "form", explode
    return p


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


_FACET_PARAMS = [
    _param(
        name,
        {"type": "array", "items": {"type": "string", "maxLength": MAX_FACET_LENGTH},
         "maxItems": MAX_FACET_VALUES},
        f"Keep only articles with this {name}; repeat the parameter for OR "
        f"(`{name}=a&{name}=b`). Different facets combine with AND.",
        explode=True,
    )
    for name in FACET_PARAMS
]

_SEARCH_PARAMS = [
    _param("q", {"type": "string", "maxLength": MAX_QUERY, "default": ""},
           "The query (see docs/query-language.md for the syntax). Empty lists every article."),
    _param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number."),
    _param("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
           "Hits per page."),
    _param("sort", {"type": "string", "enum": list(SORTS)},
           "Order of the hits; default relevance with a query, newest without."),
    _param("from", {"type": "string", "pattern": DATE_PATTERN},
           "Earliest publication date: YYYY, YYYY-MM or YYYY-MM-DD (inclusive; 2018-6 is June 2018)."),
    _param("to", {"type": "string", "pattern": DATE_PATTERN},
           "Latest publication date: YYYY, YYYY-MM or YYYY-MM-DD (inclusive: 2022 means to 2022-12-31)."),
    *_FACET_PARAMS,
    _param("facets", {"type": "boolean", "default": True},
           "Count facets and the date histogram (false is faster)."),
    _param("format", {"type": "string", "enum": list(FORMATS), "default": "json"},
           "json: the SearchResults object; csv or ndjson: the page's hits as a download."),
    _param("all", {"type": "boolean", "default": False},
           "Stream every matching hit (chunked), not one page: CSV rows, NDJSON lines, or with "
           "format=json an array of hits."),
    _param("cursor", {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
           "A page's `next`: the page after it (in place of `page`). Valid while the index is "
           "unchanged; an expired or foreign cursor is a 400 naming `cursor`."),
]  # fmt: skip

_ID = _param("id", {"type": "string", "maxLength": MAX_ID_LENGTH}, "Article id (the `id` of a hit).",
             location="path", required=True)  # fmt: skip

_BAD = _error("A parameter is malformed or out of range; `parameter` names it.")
_NOT_FOUND = _error("No article has this id.")
_SERVER = _error("Unexpected server error (details are in the server's log, never in the response).")
_DEFAULT = _error("Any other error (405 for a method other than GET/HEAD...), in the same shape.")

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Morgue archive API",
        "version": __version__,
        "description": "Read-only JSON API of a Morgue news-article archive. Every error, whatever "
        "its status, has the shape of the `Error` schema. Explained for people at `/docs/api` (the project's docs/api.md).",
    },
    "servers": [{"url": "/"}],
    "paths": {
        "/api/search": {
            "get": {
                "operationId": "search",
                "summary": "Search the archive",
                "parameters": _SEARCH_PARAMS,
                "responses": {
                    "200": {
                        "description": "A page of hits, with facets and the date histogram; with "
                                       "all=true every hit (format=json: an array of hits).",
                        "content": {
                            "application/json": {"schema": {"oneOf": [
                                _ref("SearchResults"),
                                {"type": "array", "items": _ref("Hit")}]}},
                            "text/csv": {"schema": {"type": "string"}},
                            "application/x-ndjson": {"schema": {"type": "string"}},
                        },
                    },
                    "400": _BAD,
                    "500": _SERVER,
                    "default": _DEFAULT,
                },
            }
        },
        "/api/articles/{id}": {
            "get": {
                "operationId": "getArticle",
                "summary": "One stored article",
                "parameters": [
                    _ID,
                    _param("q", {"type": "string", "maxLength": MAX_QUERY},
                           "Highlight this query's terms in the *_html fields."),  # fmt: skip
                ],
                "responses": {
                    "200": _json("The article.", "StoredArticle"),
                    "400": _BAD,
                    "404": _NOT_FOUND,
                    "500": _SERVER,
                    "default": _DEFAULT,
                },
            }
        },
        "/api/articles/{id}/similar": {
            "get": {
                "operationId": "similarArticles",
                "summary": "Articles like this one",
                "parameters": [
                    _ID,
                    _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_SIMILAR, "default": DEFAULT_SIMILAR},
                           "How many hits."),  # fmt: skip
                ],
                "responses": {
                    "200": _json("The most similar articles, best first.", "Similar"),
                    "400": _BAD,
                    "404": _NOT_FOUND,
                    "500": _SERVER,
                    "default": _DEFAULT,
                },
            }
        },
        "/api/stats": {
            "get": {
                "operationId": "stats",
                "summary": "What the archive holds",
                "responses": {"200": _json("Counts and date range.", "ArchiveStats"), "500": _SERVER,
                              "default": _DEFAULT},
            }
        },
        "/api/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1 document.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }  # fmt: skip
        },
        "/healthz": {
            "get": {
                "operationId": "health",
                "summary": "Liveness check",
                "responses": {"200": _json("The server is up.", "Health")},
            }
        },
    },
    "components": {"schemas": SCHEMAS},
}


def spec() -> dict[str, Any]:
    """A fresh copy of the document (callers may not mutate the shared one)."""
    return copy.deepcopy(SPEC)

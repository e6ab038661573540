"""Result types of the public API.

Plain dataclasses: what `Archive` returns, what `morgue search --json` prints and what
the HTTP API sends (`to_dict()` is that JSON). Strings ending in `_html` are safe to put
in a page as they are: everything in them is HTML-escaped except the `<mark>` tags
around matched terms.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def plain(value: Any) -> Any:
    """`value` as JSON-ready dicts, lists and scalars (`dataclasses.asdict` without its
    deep copies, which cost more than the search itself for a cached result)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return [v if type(v) in _SCALARS else plain(v) for v in value]
    if kind is dict:
        return {k: v if type(v) in _SCALARS else plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in _names(kind)}
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})


@dataclass
class Hit:
    """One search result."""

    id: str
    url: str | None
    headline: str
    published: str | None  # ISO 8601, the page's precision
    section: str | None
    source: str | None
    byline: list[str]
    score: float
    headline_html: str  # whole headline, escaped, matches in <mark>
    snippet_html: str  # one or two fragments around the best matches (of `snippet_field`)
    snippet_text: str  # the same fragments as plain text (the CLI bolds matches itself)
    snippet_field: str = "body"  # where the snippet is from: body, standfirst or captions
    caption_html: str | None = None  # set when the match is only in a caption
    copies: int = 0  # other copies of the same wire story collapsed into this hit
    copy_ids: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # matched words, for highlighting elsewhere

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass
class FacetValue:
    value: str
    count: int


@dataclass
class DateBucket:
    """One bar of the date histogram: `key` is "2022" (by year) or "2022-01" (by month)."""

    key: str
    start: str  # first day, YYYY-MM-DD
    end: str  # last day, YYYY-MM-DD
    count: int


@dataclass
class SearchResults:
    """A page of hits plus what describes the whole matching set."""

    query: str
    total: int
    page: int
    page_size: int
    pages: int
    sort: str
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]  # "section", "source", "byline"
    histogram: list[DateBucket]
    interval: str  # "year" or "month"
    suggestion: str | None  # did-you-mean query, or None
    notice: str | None  # e.g. the query fell back to plain words
    partial: bool  # the time limit cut the search short
    took_ms: float
    filters: dict[str, Any]  # the filters applied: date_from, date_to, sections, sources, bylines
    next: str | None = None  # a cursor for the page after this one (None on the last page)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass
class StoredArticle:
    """An article as stored in the index, with display-ready HTML fields."""

    id: str
    url: str | None
    headline: str
    standfirst: str
    body: str
    captions: list[dict[str, str | None]]
    byline: list[str]
    section: str | None
    tags: list[str]
    published: str | None
    modified: str | None
    lang: str | None
    source: str | None
    path: str | None
    indexed_at: str | None
    headline_html: str = ""
    standfirst_html: str = ""
    paragraphs_html: list[str] = field(default_factory=list)
    captions_html: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass
class ArchiveStats:
    articles: int
    earliest: str | None
    latest: str | None
    undated: int
    sources: list[FacetValue]
    sections: list[FacetValue]
    years: list[FacetValue]
    size_bytes: int
    segments: int
    last_indexed: str | None
    path: str
    shards: int = 1  # Whoosh indexes the archive is split into (`morgue index --shards`)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

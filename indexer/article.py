"""The `Article` record: what the cleaner extracts from one page and what the index stores.

Dates are kept as ISO 8601 strings exactly as precise as the page allows:
``2004-03-03`` (date only), ``2022-01-13T09:14:00`` (time, zone unknown) or
``2022-01-13T09:14:00+04:00`` (time and zone). Keeping the page's own precision
lets `morgue extract --json` show what the page really says; the index turns
them into datetimes.

Each date records where it was read (`DATE_SOURCES`), and ``captured`` says when the page was
saved when that is known (a WARC record's date, an HTTP ``Date``/``Last-Modified`` header,
``--captured``): no date of an article is later than its capture.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


#: Where a date of an `Article` was read, from the most to the least trustworthy: machine
#: metadata ("json-ld", "meta" tags, schema.org "microdata", a "time-element"'s ``datetime``),
#: a date written in the "url", a full date in the visible "text", or a "relative" expression
#: ("3 hours ago", "yesterday") resolved against the capture time.
DATE_SOURCES = ("json-ld", "meta", "microdata", "time-element", "url", "text", "relative")


@dataclass
class Caption:
    """A photo caption, with the credit ("AP", "Reuters/John Smith") split off."""

    text: str
    credit: str | None = None


@dataclass
class Article:
    """One cleaned news article."""

    headline: str = ""
    standfirst: str = ""
    body: str = ""  # paragraphs joined by blank lines
    captions: list[Caption] = field(default_factory=list)
    byline: list[str] = field(default_factory=list)
    url: str | None = None  # canonical URL when the page names one
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    lang: str | None = None
    source: str | None = None  # site or agency name
    path: str | None = None  # where the page was read from
    published_from: str | None = None  # one of DATE_SOURCES
    modified_from: str | None = None  # one of DATE_SOURCES
    captured: str | None = None  # when the page was saved (ISO 8601), if known
    kind: str = "article"  # what the page is: indexer/pagekind.py KINDS
    kind_reason: str = ""  # why a page is not an article (empty for an article)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the shape of `morgue extract --json`)."""
        return asdict(self)

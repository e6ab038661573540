"""The `Article` record: what the cleaner extracts from one page and what the index stores.

Dates are kept as ISO 8601 strings exactly as precise as the page allows:
``2004-03-03`` (date only), ``2022-01-13T09:14:00`` (time, zone unknown) or
``2022-01-13T09:14:00+04:00`` (time and zone). Keeping the page's own precision
lets `morgue extract --json` show what the page really says; the index turns
them into datetimes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
    kind: str = "article"  # what the page is: indexer/pagekind.py KINDS
    kind_reason: str = ""  # why a page is not an article (empty for an article)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the shape of `morgue extract --json`)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        """Inverse of `to_dict`; unknown keys are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["captions"] = [
            c if isinstance(c, Caption) else Caption(c.get("text", ""), c.get("credit"))
            for c in known.get("captions") or []
        ]
        return cls(**known)

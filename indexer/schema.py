"""The Whoosh schema: the one place that knows how an article is laid out in the index.

Text fields are stemmed (English by default); language-specific copies of the text go to
``text_<lang>`` fields for the languages listed in `LANG_ANALYZERS`, so that a French
article is also findable by French stems. Facet values live in columns (`*_col`), which
Whoosh reads per document far faster than stored fields.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from whoosh import columns, fields
from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer, StemmingAnalyzer

#: Separator for multi-valued column values (bylines, tags).
MULTI_SEP = "\x1f"

#: Weight of each searchable field relative to the body (applied at query time).
FIELD_BOOSTS = {"text": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)

#: How many times each part of an article is written into the combined `text` field.
#: Repeating the headline weights it the way BM25F field weights do: its words count
#: more, but still saturate with the body's, so a headline that repeats the first
#: sentence does not count twice over.
TEXT_REPEATS = {"headline": 2, "standfirst": 1, "body": 1, "captions": 1}

#: Languages with their own stemmer; other languages are searched with the English analyser.
LANG_ANALYZERS = ("fr", "de", "es", "it", "pt", "nl")

#: `ts_newest` of an undated article: below every date, so newest-first puts it last;
#: the oldest-first sort looks for this value to put it last too.
UNDATED_NEWEST = -(2**62)


def _text() -> fields.TEXT:
    return fields.TEXT(
        analyzer=StemmingAnalyzer(minsize=1),
        stored=True,
        phrase=True,
        spelling=False,
    )


def _date_column() -> fields.DATETIME:
    """A date kept as a sortable column, without postings.

    Date filters and sorts read the `ts_newest` column; postings for the other dates found
    nothing and cost an eighth of the writer's time (a 64-bit date is 16 terms).
    """
    field = fields.DATETIME(sortable=True)
    field.indexed = False
    return field


def _plain() -> fields.TEXT:
    """Names and labels: words lower-cased, not stemmed, no stop words, phrases allowed."""
    return fields.TEXT(analyzer=StandardAnalyzer(stoplist=None, minsize=1), stored=True, phrase=True)


def build_schema() -> fields.Schema:
    """The schema new indexes are created with."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        url=fields.ID(stored=True),
        key=fields.ID(stored=True),  # what identifies the article: canonical URL, else path
        # `text` (headline, standfirst, body, captions together) is what plain words
        # search; the parts are indexed on their own for `headline:`, `caption:` ...
        text=fields.TEXT(analyzer=StemmingAnalyzer(minsize=2), stored=False, phrase=True),
        headline=_text(),
        standfirst=_text(),
        body=fields.STORED(),
        captions=_text(),  # caption text; the credits are in `credits`
        captions_json=fields.STORED(),
        credits=fields.TEXT(analyzer=StandardAnalyzer(stoplist=None, minsize=1), phrase=True),  # `credit:`
        # people-facing fields searched with `author:`, `section:`, `source:`, `tag:` ...
        byline=_plain(),
        section=_plain(),
        source=_plain(),
        tags=_plain(),
        # ... and their exact values, lower-cased, for facet filters
        byline_exact=fields.KEYWORD(commas=True, lowercase=True),
        section_exact=fields.KEYWORD(commas=True, lowercase=True),
        source_exact=fields.KEYWORD(commas=True, lowercase=True),
        lang=fields.ID(stored=True),
        published=_date_column(),
        modified=_date_column(),
        published_text=fields.STORED(),
        modified_text=fields.STORED(),
        # columns for sorting, facets and duplicate collapsing
        ts_newest=fields.NUMERIC(bits=64, sortable=True, signed=True),  # filters and sorts
        section_col=fields.COLUMN(columns.VarBytesColumn()),
        source_col=fields.COLUMN(columns.VarBytesColumn()),
        byline_col=fields.COLUMN(columns.VarBytesColumn()),
        headline_key=fields.COLUMN(columns.VarBytesColumn()),
        body_sig=fields.COLUMN(columns.VarBytesColumn()),
        path=fields.STORED(),
        content_hash=fields.STORED(),
        indexed_at=fields.STORED(),
    )
    for lang in LANG_ANALYZERS:
        schema.add(f"text_{lang}", fields.TEXT(analyzer=LanguageAnalyzer(lang), phrase=True))
    return schema


def article_id(key: str) -> str:
    """Stable id of an article: 16 hex digits of the SHA-1 of its identifying key."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def parse_iso(value: str | None) -> datetime | None:
    """An article date string (any precision) as a UTC datetime for sorting and ranges."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


def timestamp(dt: datetime) -> int:
    """Seconds since 1970 of a naive-UTC datetime (dates before 1970 are negative)."""
    return int((dt - datetime(1970, 1, 1)).total_seconds())

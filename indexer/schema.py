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
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LanguageAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StandardAnalyzer,
    StemmingAnalyzer,
    StripFilter,
)
from whoosh.support.charset import accent_map

#: The layout of Morgue's index directory (fields, analysers, encodings). An index records the
#: version it was written in (`indexer.store`); one of another version is refused with
#: `IndexFormatError` and a command to rebuild it, never read into wrong results. Raise it
#: with any change that makes an older index answer differently.
#: 1: indexes written before versions were recorded.
#: 2: every text field, filter field and the did-you-mean vocabulary fold diacritics.
FORMAT_VERSION = 2

#: Diacritics folded to their base letters (Whoosh's accent map, Unicode's decompositions),
#: plus the letters that decompose to two (ß, æ, œ) spelled as Elasticsearch's
#: `asciifolding` spells them. `café` and `cafe`, `Zürich` and `Zurich` index alike.
FOLD = dict(accent_map)
FOLD.update({ord(k): v for k, v in {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                                     "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
                                     "Đ": "D", "þ": "th", "Þ": "TH"}.items()})


def fold(text: str) -> str:
    """`text` lower-cased with its diacritics folded, as the index writes words and names."""
    return text.lower().translate(FOLD)


#: Separator for multi-valued column values (bylines, tags).
MULTI_SEP = "\x1f"

#: Weight of each field a plain query searches, relative to the article's text (applied at
#: query time). Bylines are searched so that a reporter's name finds their articles; their
#: weight was measured with `python -m bench.relevance` (docs/benchmarks.md).
FIELD_BOOSTS = {"text": 1.0, "byline_words": 1.0}
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


def _stemming(minsize: int) -> Analyzer:
    """English words: lower-cased, diacritics folded (before the Porter stemmer, which
    knows only ASCII), stop words out, stemmed."""
    analyzer = StemmingAnalyzer(minsize=minsize)
    analyzer.items.insert(2, CharsetFilter(FOLD))
    return analyzer


def _language(lang: str) -> Analyzer:
    """A language's own stemmer, then folding: stemmers of languages with accents expect them."""
    return LanguageAnalyzer(lang) | CharsetFilter(FOLD)


def _exact() -> fields.KEYWORD:
    """Comma-separated facet values, each lower-cased and folded whole (filters match these)."""
    field = fields.KEYWORD(commas=True, lowercase=True)
    field.analyzer = (RegexTokenizer(r"[^,]+") | StripFilter() | LowercaseFilter()
                      | CharsetFilter(FOLD))
    return field


def _text() -> fields.TEXT:
    return fields.TEXT(
        analyzer=_stemming(1),
        stored=True,
        phrase=True,
        spelling=False,
    )


def _date_column() -> fields.DATETIME:
    """A date kept as a sortable column, without postings.

    Date filters and sorts read the `ts_newest` column; postings for the other dates found
    nothing and were a large share of the writer's time (a 64-bit date is 16 terms).
    """
    field = fields.DATETIME(sortable=True)
    field.indexed = False
    return field


def _plain() -> fields.TEXT:
    """Names and labels: words lower-cased, not stemmed, no stop words, phrases allowed."""
    return fields.TEXT(analyzer=StandardAnalyzer(stoplist=None, minsize=1) | CharsetFilter(FOLD),
                       stored=True, phrase=True)


def build_schema() -> fields.Schema:
    """The schema new indexes are created with."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        url=fields.ID(stored=True),
        key=fields.ID(stored=True),  # what identifies the article: canonical URL, else path
        # `text` (headline, standfirst, body, captions together) is what plain words
        # search; the parts are indexed on their own for `headline:`, `caption:` ...
        text=fields.TEXT(analyzer=_stemming(2), stored=False, phrase=True),
        headline=_text(),
        standfirst=_text(),
        body=fields.STORED(),
        captions=_text(),  # caption text; the credits are in `credits`
        captions_json=fields.STORED(),
        credits=fields.TEXT(analyzer=StandardAnalyzer(stoplist=None, minsize=1), phrase=True),  # `credit:`
        # people-facing fields searched with `author:`, `section:`, `source:`, `tag:` ...
        byline=_plain(),
        # the byline's words as plain queries search them: stop words out, like `text`
        # (`author:` searches `byline`, every word kept)
        byline_words=fields.TEXT(analyzer=StandardAnalyzer(minsize=2) | CharsetFilter(FOLD),
                                 phrase=True),
        section=_plain(),
        source=_plain(),
        tags=_plain(),
        # ... and their exact values, lower-cased, for facet filters
        byline_exact=_exact(),
        section_exact=_exact(),
        source_exact=_exact(),
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
        schema.add(f"text_{lang}", fields.TEXT(analyzer=_language(lang), phrase=True))
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

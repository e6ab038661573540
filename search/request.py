"""The search contract: what a search request may hold, its limits and its messages, once.

`Archive.search` (typed keyword arguments), `morgue search` and `GET /api/search` (text, as a
command line or a query string delivers it) all build a `SearchRequest` through the same
validators, so a value is accepted or refused alike everywhere, with the same message.
The front ends only translate their own syntax: the CLI's `--limit` is `page_size`, the
URL's `from` is `date_from`. Errors are `InvalidParameter`s named after the contract's
parameters (`q`, `page`, `page_size`, `sort`, `from`, `to`, `section`, `source`, `byline`,
`facets`, `limit`, `cursor`); `.detail` is the message without the name, for front ends
that name the parameter their own way.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from morgue.errors import InvalidParameter
from morgue.search.dates import parse_bound

#: The longest query text accepted, in characters: room for a pasted question of 1,024
#: words and more (a long question is bounded by the query time limit, not refused).
MAX_QUERY_LENGTH = 10_000
MAX_PAGE = 1000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10
#: Values one facet parameter may list (section=a&section=b...), and the length of each.
MAX_FACET_VALUES = 20
MAX_FACET_LENGTH = 200
#: Articles "more like this" may return, and how many by default.
MAX_SIMILAR = 50
DEFAULT_SIMILAR = 5
SORTS = ("relevance", "newest", "oldest")
#: The facet parameters, and the `SearchRequest` field each one fills.
FACET_PARAMS = {"section": "sections", "source": "sources", "byline": "bylines"}
DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_WHOLE = re.compile(r"[0-9]{1,7}")


def invalid(parameter: str, detail: str) -> InvalidParameter:
    """The one shape of every message: "'page' must be ... (got 0)."."""
    return InvalidParameter(parameter, f"'{parameter}' {detail}", detail=detail)


def _shown(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: text in quotes and cut short, anything else as written."""
    if isinstance(value, str):
        return "'" + (value if len(value) <= limit else value[:limit] + "…") + "'"
    return repr(value)


# -- validators of typed values (what Archive.search receives) --------------------------------


def check_int(parameter: str, value: Any, low: int, high: int) -> int:
    """`value` if it is a whole number from `low` to `high` (bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid(parameter, f"must be a whole number from {low} to {high} (got {_shown(value)}).")
    return value


def check_query(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise invalid("q", f"must be text (got {_shown(value)}).")
    if len(value) > MAX_QUERY_LENGTH:
        raise invalid("q", f"must be at most {MAX_QUERY_LENGTH} characters (got {len(value)}).")
    if "\x00" in value:
        raise invalid("q", "must not contain NUL characters.")
    return value


def check_sort(value: Any) -> str:
    if value not in SORTS:
        raise invalid("sort", f"must be one of: {', '.join(SORTS)} (got {_shown(value)}).")
    return value


def check_date(parameter: str, value: Any, *, end: bool) -> datetime | None:
    """The first (or with `end` the last) instant of a date written YYYY, YYYY-M(M) or
    YYYY-M(M)-D(D); None for no date."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        value = value.isoformat()[:10]
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return parse_bound(value, end=end)
    except ValueError:
        raise invalid(parameter, f"must be a date written {DATE_FORMS} (got {_shown(value)}).") from None


def check_dates(date_from: Any, date_to: Any) -> tuple[datetime | None, datetime | None]:
    """Both bounds, refusing a `to` that ends before `from` begins."""
    lo = check_date("from", date_from, end=False)
    hi = check_date("to", date_to, end=True)
    if lo is not None and hi is not None and hi < lo:
        raise invalid("to", f"({date_to}) must not be before 'from' ({date_from}).")
    return lo, hi


def check_facet(parameter: str, values: Any) -> tuple[str, ...]:
    """The distinct non-blank values of one facet filter, in the order given."""
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise invalid(parameter, f"must be a list of text values (got {_shown(values)}).")
    kept: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise invalid(parameter, f"values must be text (got {_shown(value)}).")
        value = value.strip()
        if not value:
            continue
        if len(value) > MAX_FACET_LENGTH:
            raise invalid(parameter, f"values must be at most {MAX_FACET_LENGTH} characters each "
                                     f"(got {len(value)}).")
        if value not in kept:
            kept.append(value)
    if len(kept) > MAX_FACET_VALUES:
        raise invalid(parameter, f"may be given at most {MAX_FACET_VALUES} times (got {len(kept)}).")
    return tuple(kept)


def check_cursor(value: Any) -> str | None:
    """A cursor's text (what it says is read by the archive, which knows its generations)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise invalid("cursor", f"must be the text of a page's 'next' (got {_shown(value)}).")
    return value.strip()


def check_bool(parameter: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise invalid(parameter, f"must be true or false (also 1/0, yes/no) (got {_shown(value)}).")
    return value


def _date_text(value: Any) -> str | None:
    if isinstance(value, date):
        return value.isoformat()[:10]
    return value.strip() if value else None


# -- readers of text values (what a command line or a query string delivers) ------------------


def int_from_text(parameter: str, text: str | None, default: int, low: int, high: int) -> int:
    """A whole number written as text (blank: `default`), then checked as a typed value."""
    if text is None or not text.strip():
        return default
    text = text.strip()
    return check_int(parameter, int(text) if _WHOLE.fullmatch(text) else text, low, high)


def bool_from_text(parameter: str, text: str | None, default: bool) -> bool:
    if text is None or not text.strip():
        return default
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return check_bool(parameter, text.strip())


@dataclass(frozen=True)
class SearchRequest:
    """One validated search: build it with `SearchRequest.of(...)` or `from_text(...)`."""

    query: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    sort: str = "relevance"
    date_from: str | None = None
    date_to: str | None = None
    sections: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    bylines: tuple[str, ...] = ()
    facets: bool = True
    collapse_duplicates: bool = True
    cursor: str | None = None  # a page's `next`: continue after that page (in place of `page`)

    @classmethod
    def of(cls, query: Any = "", *, page: Any = 1, page_size: Any = DEFAULT_PAGE_SIZE,
           sort: Any = "relevance", date_from: Any = None, date_to: Any = None,
           sections: Any = (), sources: Any = (), bylines: Any = (), facets: Any = True,
           collapse_duplicates: Any = True, cursor: Any = None) -> "SearchRequest":
        """Validate typed values (Archive.search's keyword arguments); InvalidParameter if any is not allowed."""
        query = check_query(query)
        page = check_int("page", page, 1, MAX_PAGE)
        page_size = check_int("page_size", page_size, 1, MAX_PAGE_SIZE)
        sort = check_sort(sort)
        check_dates(date_from, date_to)
        return cls(
            query=query, page=page, page_size=page_size, sort=sort,
            date_from=_date_text(date_from), date_to=_date_text(date_to),
            sections=check_facet("section", sections), sources=check_facet("source", sources),
            bylines=check_facet("byline", bylines), facets=check_bool("facets", facets),
            collapse_duplicates=check_bool("collapse_duplicates", collapse_duplicates),
            cursor=check_cursor(cursor),
        )

    @classmethod
    def from_text(cls, values: Mapping[str, Sequence[str]]) -> "SearchRequest":
        """Read the contract's parameters as text, each a list of the values given.

        Keys are the parameter names (`q`, `page`, `page_size`, `sort`, `from`, `to`,
        `section`, `source`, `byline`, `facets`, `cursor`); missing or blank means the default. A blank
        `sort` follows the query: relevance with words, newest without.
        """

        def one(name: str) -> str | None:
            given = values.get(name) or []
            return given[0].strip() if given else None

        query = (one("q") or "")
        sort = (one("sort") or "").lower() or ("relevance" if query else "newest")
        return cls.of(
            query,
            page=int_from_text("page", one("page"), 1, 1, MAX_PAGE),
            page_size=int_from_text("page_size", one("page_size"), DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
            sort=sort,
            date_from=one("from") or None,
            date_to=one("to") or None,
            facets=bool_from_text("facets", one("facets"), True),
            cursor=one("cursor") or None,
            **{field: tuple(values.get(name) or ()) for name, field in FACET_PARAMS.items()},
        )

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The first and last instants the date filters allow (None: unbounded)."""
        return check_dates(self.date_from, self.date_to)

    def fingerprint(self) -> str:
        """What identifies the hits of this search and their order (not the page): a cursor
        made for one search is refused by another."""
        key = [self.query.strip(), self.sort, self.date_from, self.date_to, self.sections,
               self.sources, self.bylines, self.collapse_duplicates]
        return hashlib.sha1(json.dumps(key).encode()).hexdigest()[:12]

    def archive_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `Archive.search` that repeat this request."""
        return dict(page=self.page, page_size=self.page_size, sort=self.sort,
                    date_from=self.date_from, date_to=self.date_to, sections=self.sections,
                    sources=self.sources, bylines=self.bylines, facets=self.facets,
                    collapse_duplicates=self.collapse_duplicates, cursor=self.cursor)


__all__ = ["SearchRequest", "MAX_QUERY_LENGTH", "MAX_PAGE", "MAX_PAGE_SIZE", "DEFAULT_PAGE_SIZE",
           "MAX_FACET_VALUES", "MAX_FACET_LENGTH", "MAX_SIMILAR", "DEFAULT_SIMILAR", "SORTS",
           "FACET_PARAMS", "check_int", "int_from_text", "invalid"]

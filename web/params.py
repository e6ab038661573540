"""Reading and bounding the query parameters shared by the search page and `GET /api/search`.

Everything a user can type arrives here first. Each check raises `BadParameter` naming the
parameter and saying what is allowed; the app turns that into a 400 (JSON under /api, a
friendly page otherwise).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

MAX_QUERY = 10_000  # = morgue.search.archive.MAX_QUERY_LENGTH, one limit for every front door
MAX_PAGE = 1000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10
MAX_FACET_VALUES = 20  # values per facet parameter (section=a&section=b...)
MAX_FACET_LENGTH = 200
MAX_SIMILAR = 50
SORTS = ("relevance", "newest", "oldest")
FORMATS = ("json", "csv", "ndjson")
FACET_PARAMS = ("section", "source", "byline")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class BadParameter(Exception):
    """A query parameter that cannot be used; `message` says what is allowed."""

    def __init__(self, parameter: str | None, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class Params:
    """The decoded query string: every value as text, repeated keys kept in order."""

    def __init__(self, items: list[tuple[str, str]]):
        self._items = items

    @classmethod
    def from_bottle(cls, forms) -> "Params":
        """Decode a Bottle `FormsDict` (whose values are latin-1 decoded bytes) as UTF-8."""
        items = []
        for key, value in forms.allitems():
            try:
                key = key.encode("latin1").decode("utf-8")
                value = value.encode("latin1").decode("utf-8")
            except UnicodeError:
                raise BadParameter(None, "Query parameters must be UTF-8 text.") from None
            items.append((key, value))
        return cls(items)

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self._items:
            if key == name:
                return value
        return default

    def getall(self, name: str) -> list[str]:
        return [value for key, value in self._items if key == name]


def shorten_query(params: Params) -> tuple[Params, str | None]:
    """The search page's parameters with a query over `MAX_QUERY` characters cut at a word
    boundary, and a notice saying so (None when nothing was cut). The JSON API refuses such
    a query instead; a page with a pasted text searches the part that fits and says so."""
    q = params.get("q") or ""
    if len(q.strip()) <= MAX_QUERY:
        return params, None
    cut = q.strip()[:MAX_QUERY]
    space = cut.rfind(" ")
    if space > MAX_QUERY // 2:
        cut = cut[:space]
    items = [(k, cut if k == "q" else v) for k, v in params._items]
    notice = (f"Your query was {len(q.strip()):,} characters long; the first {len(cut):,} "
              f"were searched (queries can be up to {MAX_QUERY:,} characters).")
    return Params(items), notice


def parse_int(params: Params, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return default
    raw = raw.strip()
    if not re.fullmatch(r"[0-9]{1,7}", raw):
        raise BadParameter(name, f"'{name}' must be a whole number from {low} to {high}.")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(name, f"'{name}' must be a whole number from {low} to {high}.")
    return value


def parse_bool(params: Params, name: str, default: bool) -> bool:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return default
    raw = raw.strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise BadParameter(name, f"'{name}' must be true or false (also 1/0, yes/no).")


def date_range(value: str) -> tuple[date, date]:
    """First and last day covered by "2022", "2022-01" or "2022-01-31"; ValueError if invalid."""
    match = _DATE_RE.match(value)
    if not match:
        raise ValueError(value)
    year = int(match.group(1))
    if year < 1:
        raise ValueError(value)
    if match.group(2) is None:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(match.group(2))
    if match.group(3) is None:
        if not 1 <= month <= 12:
            raise ValueError(value)
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(year, month, int(match.group(3)))
    return day, day


def parse_date(params: Params, name: str) -> str | None:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    try:
        date_range(raw)
    except ValueError:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise BadParameter(
            name, f"'{name}' must be a date written YYYY, YYYY-MM or YYYY-MM-DD (got '{shown}')."
        ) from None
    return raw


def parse_facet(params: Params, name: str) -> tuple[str, ...]:
    values = []
    for raw in params.getall(name):
        value = raw.strip()
        if not value:
            continue
        if len(value) > MAX_FACET_LENGTH:
            raise BadParameter(name, f"Each '{name}' value must be at most {MAX_FACET_LENGTH} characters.")
        if value not in values:
            values.append(value)
    if len(values) > MAX_FACET_VALUES:
        raise BadParameter(name, f"At most {MAX_FACET_VALUES} '{name}' values may be given.")
    return tuple(values)


@dataclass(frozen=True)
class SearchParams:
    """The validated parameters of a search, and how to write them back into a URL."""

    q: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    sort: str = "newest"
    date_from: str | None = None
    date_to: str | None = None
    sections: tuple[str, ...] = field(default=())
    sources: tuple[str, ...] = field(default=())
    bylines: tuple[str, ...] = field(default=())
    facets: bool = True
    explicit_sort: bool = False  # the URL named a sort (else it follows the query)

    @classmethod
    def parse(cls, params: Params) -> "SearchParams":
        q = (params.get("q") or "").strip()
        if len(q) > MAX_QUERY:
            raise BadParameter("q", f"The query must be at most {MAX_QUERY} characters (got {len(q)}).")
        if "\x00" in q:
            raise BadParameter("q", "The query must not contain NUL characters.")
        raw_sort = (params.get("sort") or "").strip().lower()
        if raw_sort and raw_sort not in SORTS:
            raise BadParameter("sort", "'sort' must be one of: relevance, newest, oldest.")
        sort = raw_sort or ("relevance" if q else "newest")
        date_from = parse_date(params, "from")
        date_to = parse_date(params, "to")
        if date_from and date_to and date_range(date_from)[0] > date_range(date_to)[1]:
            raise BadParameter("to", f"'to' ({date_to}) must not be before 'from' ({date_from}).")
        return cls(
            q=q,
            page=parse_int(params, "page", 1, 1, MAX_PAGE),
            page_size=parse_int(params, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
            sort=sort,
            date_from=date_from,
            date_to=date_to,
            sections=parse_facet(params, "section"),
            sources=parse_facet(params, "source"),
            bylines=parse_facet(params, "byline"),
            facets=parse_bool(params, "facets", True),
            explicit_sort=bool(raw_sort),
        )

    # -- calling the archive -------------------------------------------------------------

    def archive_kwargs(self) -> dict:
        return dict(
            page=self.page,
            page_size=self.page_size,
            sort=self.sort,
            date_from=self.date_from,
            date_to=self.date_to,
            sections=self.sections,
            sources=self.sources,
            bylines=self.bylines,
            facets=self.facets,
        )

    # -- writing URLs back ----------------------------------------------------------------

    @property
    def has_filters(self) -> bool:
        return bool(self.date_from or self.date_to or self.sections or self.sources or self.bylines)

    def facet_values(self, facet: str) -> tuple[str, ...]:
        return {"section": self.sections, "source": self.sources, "byline": self.bylines}[facet]

    def items(self) -> list[tuple[str, str]]:
        """The query-string pairs that reproduce this search (defaults left out)."""
        items: list[tuple[str, str]] = []
        if self.q:
            items.append(("q", self.q))
        if self.explicit_sort:
            items.append(("sort", self.sort))
        if self.date_from:
            items.append(("from", self.date_from))
        if self.date_to:
            items.append(("to", self.date_to))
        for name in FACET_PARAMS:
            items.extend((name, value) for value in self.facet_values(name))
        if self.page_size != DEFAULT_PAGE_SIZE:
            items.append(("page_size", str(self.page_size)))
        if self.page != 1:
            items.append(("page", str(self.page)))
        return items

    def query_string(self) -> str:
        return urlencode(self.items())

    def with_(self, **changes) -> "SearchParams":
        """A copy with changes; any change other than the page goes back to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        if "sort" in changes:
            changes["explicit_sort"] = True
        return replace(self, **changes)

    def toggled(self, facet: str, value: str) -> "SearchParams":
        """Add `value` to a facet filter, or remove it when already there."""
        attr = {"section": "sections", "source": "sources", "byline": "bylines"}[facet]
        current = getattr(self, attr)
        if value in current:
            new = tuple(v for v in current if v != value)
        else:
            new = current + (value,)
        return self.with_(**{attr: new})

    def cleared(self) -> "SearchParams":
        return self.with_(date_from=None, date_to=None, sections=(), sources=(), bylines=())

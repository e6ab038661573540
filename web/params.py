"""The query string of the search page and `GET /api/search`, translated into the search contract.

What a value may be, and the message when it may not, is `morgue.search.request`'s business;
this module only decodes the URL (UTF-8, repeated keys) and writes searches back into URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from morgue.errors import InvalidParameter
from morgue.search.request import DEFAULT_PAGE_SIZE, FACET_PARAMS, MAX_QUERY_LENGTH, SearchRequest


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
                raise InvalidParameter(None, "Query parameters must be UTF-8 text.") from None
            items.append((key, value))
        return cls(items)

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self._items:
            if key == name:
                return value
        return default

    def getall(self, name: str) -> list[str]:
        return [value for key, value in self._items if key == name]

    def shortened(self) -> tuple["Params", str | None]:
        """For the search page: a query over `MAX_QUERY_LENGTH` characters cut at a word
        boundary, and a notice saying so (None when nothing was cut). The JSON API refuses
        such a query instead; a page given a pasted text searches what fits and says so."""
        q = (self.get("q") or "").strip()
        if len(q) <= MAX_QUERY_LENGTH:
            return self, None
        cut = q[:MAX_QUERY_LENGTH]
        space = cut.rfind(" ")
        if space > MAX_QUERY_LENGTH // 2:
            cut = cut[:space]
        notice = (f"Your query was {len(q):,} characters long; the first {len(cut):,} were "
                  f"searched (a query can be up to {MAX_QUERY_LENGTH:,} characters).")
        return Params([(k, cut if k == "q" else v) for k, v in self._items]), notice

    def as_lists(self) -> dict[str, list[str]]:
        """Every value of every name, as `SearchRequest.from_text` reads them."""
        out: dict[str, list[str]] = {}
        for key, value in self._items:
            out.setdefault(key, []).append(value)
        return out


@dataclass(frozen=True)
class SearchParams:
    """A validated search as the URL states it, and how to write it back into a URL."""

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
    cursor: str | None = None  # the API's `cursor` (never written back into page links)

    @classmethod
    def parse(cls, params: Params) -> "SearchParams":
        """Read the URL through the search contract (InvalidParameter names what is wrong)."""
        request = SearchRequest.from_text(params.as_lists())
        return cls(
            q=request.query.strip(), page=request.page, page_size=request.page_size,
            sort=request.sort, date_from=request.date_from, date_to=request.date_to,
            sections=request.sections, sources=request.sources, bylines=request.bylines,
            facets=request.facets, explicit_sort=bool((params.get("sort") or "").strip()),
            cursor=request.cursor,
        )  # fmt: skip

    def request(self) -> SearchRequest:
        return SearchRequest.of(self.q, **self.archive_kwargs())

    def archive_kwargs(self) -> dict:
        """The keyword arguments of `Archive.search` for this search."""
        return dict(page=self.page, page_size=self.page_size, sort=self.sort,
                    date_from=self.date_from, date_to=self.date_to, sections=self.sections,
                    sources=self.sources, bylines=self.bylines, facets=self.facets,
                    cursor=self.cursor)  # fmt: skip

    def export_kwargs(self) -> dict:
        """The keyword arguments of `Archive.iter_hits` for every hit of this search."""
        return dict(sort=self.sort, date_from=self.date_from, date_to=self.date_to,
                    sections=self.sections, sources=self.sources, bylines=self.bylines)

    def export_query_string(self, fmt: str = "csv") -> str:
        """The /api/search query string that downloads every hit of this search as `fmt`."""
        kept = [(k, v) for k, v in self.items() if k not in ("page", "page_size")]
        if not self.explicit_sort:  # the page's sort follows the query; the download keeps it
            kept.append(("sort", self.sort))
        return urlencode(kept + [("format", fmt), ("all", "true")])

    # -- writing URLs back ----------------------------------------------------------------

    @property
    def has_filters(self) -> bool:
        return bool(self.date_from or self.date_to or self.sections or self.sources or self.bylines)

    def facet_values(self, facet: str) -> tuple[str, ...]:
        return getattr(self, FACET_PARAMS[facet])

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
        current = self.facet_values(facet)
        if value in current:
            new = tuple(v for v in current if v != value)
        else:
            new = current + (value,)
        return self.with_(**{FACET_PARAMS[facet]: new})

    def cleared(self) -> "SearchParams":
        return self.with_(date_from=None, date_to=None, sections=(), sources=(), bylines=())

"""What the HTML pages are made with: the template renderer and the helpers templates call.

`render(name, **values)` fills a template in `web/views/` with these helpers at hand; the
date histogram is drawn here as SVG because it is arithmetic, not markup.
"""

from __future__ import annotations

import os
from datetime import date
from html import escape
from typing import Any
from urllib.parse import quote

import bottle
from bottle import request

from morgue.search.request import MAX_QUERY_LENGTH
from morgue.web.params import SearchParams

HERE = os.path.dirname(os.path.abspath(__file__))
VIEWS = os.path.join(HERE, "views")
# One list for every render: Bottle caches compiled templates by the lookup list's id(), so a
# new list per call would compile (and keep) every template again on every request.
TEMPLATE_LOOKUP = [VIEWS]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
FACET_LABELS = {"section": "Section", "source": "Source", "byline": "Byline"}
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest", "oldest": "Oldest"}


def fmt_date(value: str | None) -> str:
    """"2022-01-13T09:14:00+04:00" -> "13 January 2022"; "2022-01" -> "January 2022"."""
    if not value:
        return ""
    text = value[:10]
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
        if len(text) == 7:
            return f"{MONTHS[int(text[5:7]) - 1]} {text[:4]}"
    except (ValueError, IndexError):
        pass
    return value


def fmt_number(n: int) -> str:
    return f"{n:,}"


def url(path: str, query: str = "") -> str:
    """An absolute path inside the app (respects a mount prefix), with an optional query string."""
    base = (request.script_name or "/").rstrip("/")
    return base + path + (("?" + query) if query else "")


def article_url(article_id: str, search: "str | SearchParams" = "") -> str:
    """An article's page; given the search it was found by (`SearchParams`), the link carries
    that search (words, filters, sort, page) so that "Back to results" returns to it."""
    path = "/articles/" + quote(article_id, safe="")
    if isinstance(search, SearchParams):
        return url(path, search.query_string())
    return url(path, ("q=" + quote(search, safe="")) if search else "")


def facet_url(name: str, params: SearchParams) -> str:
    """The page listing every value of facet `name` for this search."""
    return url("/facets/" + quote(name, safe=""), params.query_string())


def search_url(params: SearchParams) -> str:
    return url("/search", params.query_string())


def histogram_svg(results, params: SearchParams) -> str:
    """The date histogram as an inline SVG; each bar links to the search narrowed to its dates.

    Built here rather than in a template because it is arithmetic; every string is escaped.
    """
    buckets = list(results.histogram or [])
    if not buckets:
        return ""
    width, height, top, bottom = 300, 80, 4, 2
    chart = height - top - bottom
    peak = max(b.count for b in buckets) or 1
    step = width / len(buckets)
    bar = min(max(step * 0.8, 1.0), 40.0)
    noun = "month" if results.interval == "month" else "year"
    parts = [
        f'<svg class="histogram" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="Matching articles by {noun}; choose a bar to narrow the dates" '
        'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="axis" x1="0" y1="{height - bottom + 0.5}" x2="{width}" y2="{height - bottom + 0.5}"/>',
    ]
    for i, b in enumerate(buckets):
        x = i * step + (step - bar) / 2
        h = 0 if b.count == 0 else max(chart * b.count / peak, 2)
        label = f"{b.key}: {b.count:,} article{'s' if b.count != 1 else ''}"
        rect = (
            f'<rect class="hitbox" x="{x:.2f}" y="{top}" width="{bar:.2f}" height="{chart}"/>'
            f'<rect class="bar" x="{x:.2f}" y="{height - bottom - h:.2f}" width="{bar:.2f}" height="{h:.2f}"/>'
        )
        if b.count:
            href = search_url(params.with_(date_from=b.start, date_to=b.end))
            parts.append(
                f'<a href="{escape(href)}" aria-label="{escape(label)}">'
                f"<title>{escape(label)}</title>{rect}</a>"
            )
        else:
            parts.append(f"<g><title>{escape(label)}</title>{rect}</g>")
    parts.append("</svg>")
    first, last = buckets[0].key, buckets[-1].key
    parts.append(f'<p class="ticks" aria-hidden="true"><span>{escape(first)}</span>')
    parts.append(f"<span>{escape(last)}</span></p>" if last != first else "</p>")
    return "".join(parts)


def page_window(page: int, pages: int, radius: int = 2) -> list[int | None]:
    """Page numbers to show, with None for a gap: [1, None, 4, 5, 6, None, 20]."""
    pages = max(pages, 1)
    shown = {1, pages} | set(range(max(1, page - radius), min(pages, page + radius) + 1))
    out: list[int | None] = []
    prev = 0
    for n in sorted(shown):
        if n - prev > 1:
            out.append(None)
        out.append(n)
        prev = n
    return out


def render(name: str, **kw: Any) -> str:
    kw.setdefault("title", "")
    kw.setdefault("q", "")
    kw.setdefault("shortened", None)
    kw.setdefault("stored", None)
    kw.update(
        url=url,
        article_url=article_url,
        facet_url=facet_url,
        search_url=search_url,
        fmt_date=fmt_date,
        fmt_number=fmt_number,
        max_query=MAX_QUERY_LENGTH,
        escape=escape,
    )
    return bottle.template(name, template_lookup=TEMPLATE_LOOKUP, **kw)

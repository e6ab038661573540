"""Hits as CSV or NDJSON: one layout for `morgue search --csv/--ndjson` and `/api/search?format=`.

Written as generators over hits, so a whole result set streams a line at a time in constant
memory (`morgue search --all`, `/api/search?all=true`) as easily as one page is written.
The CSV columns are the `Hit` JSON fields a spreadsheet can hold, in the JSON's order; the
NDJSON lines are `Hit.to_dict()`, the hits of the JSON API.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from morgue.search.results import Hit

#: What an export can be written as (json: the API's page; csv and ndjson: one line a hit).
FORMATS = ("json", "csv", "ndjson")
CSV_COLUMNS = ("id", "url", "headline", "published", "section", "source", "byline", "score",
               "copies", "snippet_text")  # fmt: skip
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson; charset=utf-8",
               "json": "application/json; charset=utf-8"}
#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as CSV text that a spreadsheet shows as written, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    return text


def csv_row(hit: Hit) -> list[str]:
    """One hit's cells, in `CSV_COLUMNS` order (several bylines joined by "; ")."""
    values = (hit.id, hit.url, hit.headline, hit.published, hit.section, hit.source,
              "; ".join(hit.byline or []), round(hit.score, 4), hit.copies, hit.snippet_text)
    return [csv_cell(v) for v in values]


def csv_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """The header line, then one CSV line per hit (RFC 4180: CRLF line ends, quoted as needed)."""
    out = io.StringIO()
    writer = csv.writer(out)

    def line(cells: Iterable[Any]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow(cells)
        return out.getvalue()

    yield line(CSV_COLUMNS)
    for hit in hits:
        yield line(csv_row(hit))


def ndjson_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """One JSON object (the API's hit) per line."""
    for hit in hits:
        yield json.dumps(hit.to_dict(), ensure_ascii=False) + "\n"


def json_array_lines(hits: Iterable[Hit]) -> Iterator[str]:
    """A JSON array of the API's hits, one per line: a whole result set as one JSON document."""
    yield "["
    sep = "\n"
    for hit in hits:
        yield sep + json.dumps(hit.to_dict(), ensure_ascii=False)
        sep = ",\n"
    yield "\n]\n"


def lines(hits: Iterable[Hit], fmt: str) -> Iterator[str]:
    """`hits` written as `fmt`: "csv", "ndjson", or "json" (an array of hits)."""
    if fmt == "csv":
        return csv_lines(hits)
    if fmt == "ndjson":
        return ndjson_lines(hits)
    if fmt == "json":
        return json_array_lines(hits)
    raise ValueError(f"no line format {fmt!r}")


__all__ = ["FORMATS", "CSV_COLUMNS", "MEDIA_TYPES", "csv_cell", "csv_row", "csv_lines",
           "ndjson_lines", "json_array_lines", "lines"]

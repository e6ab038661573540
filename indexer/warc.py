"""Reading the HTML responses out of WARC archives (via warcio)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from morgue.errors import MorgueError
from morgue.indexer.dates import parse_captured


#: How a WARC file begins: gzip's magic number, or an uncompressed record's version line.
_WARC_STARTS = (b"\x1f\x8b", b"WARC/")


@dataclass
class WarcPage:
    uri: str
    date: datetime | None  # capture time (see `_capture_time`)
    content_type: str | None
    data: bytes
    offset: int

    def label(self, path: str) -> str:
        """How reports name the record: "crawl.warc.gz#1234" (the record's byte offset)."""
        return f"{path}#{self.offset}"

    def extract_arguments(self, captured: datetime | None = None) -> dict[str, Any]:
        """The keyword arguments `extract` gets beside the record's bytes, the same for
        `morgue index` and `morgue extract`: the record's URL, its capture time (the record's
        own, see `_capture_time`; else `captured`, a `--captured` date; never the file's
        mtime) and its HTTP Content-Type."""
        return {"url": self.uri or None, "captured": self.date or captured,
                "content_type": self.content_type}


def iter_warc_pages(path: str) -> Iterator[WarcPage]:
    """Yield every HTML `response` record of a `.warc` or `.warc.gz` file.

    Raises `MorgueError` when the file is not a readable WARC archive.
    """
    try:
        with open(path, "rb") as stream:
            if not stream.read(5).startswith(_WARC_STARTS):
                # warcio reads any text as a record without HTTP headers: say what the file is not
                raise ArchiveLoadFailed("it does not start with a WARC record or a gzip member")
            stream.seek(0)
            records = ArchiveIterator(stream)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = record.http_headers.get_header("Content-Type") or ""
                if "html" not in ctype.lower():
                    continue
                status = record.http_headers.get_statuscode() or ""
                if not status.startswith("2"):
                    continue
                data = record.content_stream().read()
                yield WarcPage(
                    uri=record.rec_headers.get_header("WARC-Target-URI") or "",
                    date=_capture_time(record),
                    content_type=ctype,
                    data=data,
                    offset=records.get_record_offset(),
                )
    except ArchiveLoadFailed as exc:
        raise MorgueError(f"{path}: not a readable WARC archive ({exc})") from exc


def _capture_time(record) -> datetime | None:
    """When the page was captured: the record's WARC-Date, else the HTTP response's ``Date``,
    else its ``Last-Modified`` (the page existed by then); None when none is readable."""
    for value in (record.rec_headers.get_header("WARC-Date"),
                  record.http_headers.get_header("Date"),
                  record.http_headers.get_header("Last-Modified")):
        if value:
            try:
                return parse_captured(value)
            except ValueError:
                continue
    return None

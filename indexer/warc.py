"""Reading the HTML responses out of WARC archives (via warcio)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from morgue.errors import MorgueError


@dataclass
class WarcPage:
    uri: str
    date: datetime | None
    content_type: str | None
    data: bytes
    offset: int


def iter_warc_pages(path: str) -> Iterator[WarcPage]:
    """Yield every HTML `response` record of a `.warc` or `.warc.gz` file.

    Raises `MorgueError` when the file is not a readable WARC archive.
    """
    try:
        with open(path, "rb") as stream:
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
                    date=_warc_date(record.rec_headers.get_header("WARC-Date")),
                    content_type=ctype,
                    data=data,
                    offset=records.get_record_offset(),
                )
    except ArchiveLoadFailed as exc:
        raise MorgueError(f"{path}: not a readable WARC archive ({exc})") from exc


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None

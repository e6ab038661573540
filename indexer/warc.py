"""Reading the HTML responses out of WARC archives (via warcio)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from morgue.errors import MorgueError


#: How a WARC file begins: gzip's magic number, or an uncompressed record's version line.
_WARC_STARTS = (b"\x1f\x8b", b"WARC/")


@dataclass
class WarcPage:
    uri: str
    date: datetime | None
    content_type: str | None
    data: bytes
    offset: int

    def label(self, path: str) -> str:
        """How reports name the record: "crawl.warc.gz#1234" (the record's byte offset)."""
        return f"{path}#{self.offset}"

    def extract_arguments(self, file_mtime: float) -> dict[str, Any]:
        """The keyword arguments `extract` gets beside the record's bytes, the same for
        `morgue index` and `morgue extract`: the record's URL, its capture time (WARC-Date;
        the file's mtime when the record has none) and its HTTP Content-Type."""
        captured = self.date or datetime.fromtimestamp(file_mtime, timezone.utc)
        return {"url": self.uri or None, "file_date": captured, "content_type": self.content_type}


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

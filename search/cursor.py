"""Cursors: opaque tokens that continue a search after a page (Elasticsearch's search_after).

A cursor names the search it belongs to (a fingerprint of its query, sort and filters), the
index generation it was made on (a digest of the segments a reader saw), how many stories
were sent before it, and the last one sent (document number and sort key). It is valid for
as long as the index is unchanged: on that generation the order of the hits is fixed, so the
next page starts right after the story the cursor names. Not signed: a cursor carries
nothing a client could not ask for with `page`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from morgue.errors import InvalidParameter
from morgue.search.request import invalid

#: Longest cursor text read (real ones are about 120 characters).
MAX_CURSOR_LENGTH = 512
_VERSION = 1


@dataclass(frozen=True)
class Cursor:
    generation: str  # digest of the index generation the order was computed on
    search: str  # SearchRequest.fingerprint() of the search it continues
    position: int  # stories sent before the next page
    docnum: int  # the last story sent...
    key: float  # ...and its sort key (score or timestamp), checked with it


def digest(generation: tuple) -> str:
    """A short stable digest of an index generation token."""
    return hashlib.sha1(repr(generation).encode()).hexdigest()[:16]


def encode_cursor(cursor: Cursor) -> str:
    data = [_VERSION, cursor.generation, cursor.search, cursor.position, cursor.docnum, cursor.key]
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> Cursor:
    """The cursor `text` encodes; InvalidParameter naming `cursor` for anything else."""
    try:
        if len(text) > MAX_CURSOR_LENGTH:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        version, generation, search, position, docnum, key = json.loads(raw)
        if (version != _VERSION or not isinstance(generation, str) or not isinstance(search, str)
                or not isinstance(position, int) or not isinstance(docnum, int)
                or not isinstance(key, (int, float)) or position < 1 or docnum < 0):
            raise ValueError("not a cursor")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise invalid("cursor", "is not a cursor this archive made; pass back the 'next' "
                                "of a page unchanged.") from None
    return Cursor(generation, search, position, docnum, float(key))


def expired() -> InvalidParameter:
    return invalid("cursor", "has expired: the index has changed since it was made; start again "
                             "from the first page.")


def foreign() -> InvalidParameter:
    return invalid("cursor", "belongs to another search (its query, sort or filters differ); "
                             "start again from the first page.")

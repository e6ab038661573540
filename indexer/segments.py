"""Whoosh's segment writer, with two costs of its segment flush taken out.

- Field lengths: Whoosh asks for the length of a field in a document once per posting,
  and for a field with no lengths column (ids, keywords, dates) each ask checks the disk
  for the column file again. At about 130 postings an article that was a tenth of the
  writer's time. `ArticleWriter` decodes each field's lengths once, into a list.
- Compression: Whoosh zlib-compresses every block of postings. It meant to skip small
  ones but does not (a bug in `W3PostingsWriter._write_block`), and most terms are rare
  words with a block of two or three postings, where zlib saves nothing: compressing only
  blocks of `MIN_COMPRESSED_BLOCK` postings or more cut the writer's time by a tenth for
  an index 6% larger (2,000 bench pages).
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter, W3Segment, _lenfield
from whoosh.writing import SegmentWriter

#: Blocks with fewer postings than this are written uncompressed.
MIN_COMPRESSED_BLOCK = 16


class _SegmentLengths:
    """`doc_field_length` of a segment's per-document reader, from lists decoded once."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._count = reader.doc_count_all()
        self._fields: dict[str, list[int] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        try:
            lengths = self._fields[fieldname]
        except KeyError:
            lengths = self._fields[fieldname] = self._decode(fieldname)
        return default if lengths is None else lengths[docnum]

    def _decode(self, fieldname: str) -> list[int] | None:
        if not self._reader.has_column(_lenfield(fieldname)):
            return None
        length = self._reader.doc_field_length
        return [length(d, fieldname) for d in range(self._count)]


class ArticleWriter(SegmentWriter):
    """A `SegmentWriter` that reads field lengths once per field and compresses big blocks."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs.setdefault("codec", ArticleCodec())
        super().__init__(ix, **kwargs)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _SegmentLengths(reader) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


class _PostingsWriter(W3PostingsWriter):
    """Compresses a block of postings only when it holds enough of them to be worth it."""

    @property
    def _compression(self) -> int:
        return self._level if len(self._ids) >= MIN_COMPRESSED_BLOCK else 0

    @_compression.setter
    def _compression(self, level: int) -> None:
        self._level = level


class ArticleCodec(W3Codec):
    """Whoosh's W3 codec, writing posting blocks with `_PostingsWriter`.

    Segments record a plain `W3Codec`, so an index written with this codec reads with
    Whoosh's alone (each block says whether it is compressed).
    """

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)

    def new_segment(self, storage: Any, indexname: str) -> W3Segment:
        return W3Segment(W3Codec(blocklimit=self._blocklimit, compression=self._compression,
                                 inlinelimit=self._inlinelimit), indexname)

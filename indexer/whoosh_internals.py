"""Every place Morgue reaches inside Whoosh-Reloaded past its public API, in one module.

Whoosh 2.7's API is frozen, and Morgue depends on a few of its private parts to stay fast:

- **Zero-copy reading** (`LazyBufferFile`): Whoosh keeps each segment in one compound file,
  maps it into memory and hands every part of it out as a `BufferFile`, which wraps its part
  in `io.BytesIO`; BytesIO copies a memoryview, so opening a reader copied the postings and
  terms of every segment into the heap, in the writer and in every searching process.
  `LazyBufferFile` reads its part through a stream over the mapping, so only the bytes asked
  for are copied and the mapped pages stay shared with the page cache.
- **The segment writer** (`ArticleWriter`, `ArticleCodec`): Whoosh asks for a field's length
  in a document once per posting (and, for a field with no lengths column, checks the disk
  for that column each time); `ArticleWriter` decodes each field's lengths once. Whoosh also
  zlib-compresses every block of postings; it meant to skip small ones but does not (a bug
  in `W3PostingsWriter._write_block`), and most terms are rare words whose block of two or
  three postings zlib cannot shrink, so only blocks of `MIN_COMPRESSED_BLOCK` postings or
  more are compressed.
- **Reading posting lists a block at a time** (`read_postings`, `read_positions`) and the
  field-lengths column (`field_lengths`) for the search layer's evaluator over whole arrays.
- **Segments** (`segments_key`, `segment_count`, `segment_readers`): what identifies a
  reader's segments, for caches keyed by index generation and for `morgue check`.

`install()` puts the zero-copy reader in place and checks that the installed Whoosh is the
pinned `WHOOSH_VERSION`; `indexer.store` calls it before opening any index.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from itertools import chain
from pickle import loads
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3LeafMatcher, W3PostingsWriter, W3Segment, _lenfield
from whoosh.filedb import compound, structfile
from whoosh.formats import Positions
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from morgue.errors import MorgueError

#: The Whoosh-Reloaded release this module was written against (pinned in pyproject.toml).
WHOOSH_VERSION = "2.7.5"

#: Blocks with fewer postings than this are written uncompressed.
MIN_COMPRESSED_BLOCK = 16

#: How much `ViewStream.peek` returns; `pickle.load` reads on past it when it needs more.
PEEK_BYTES = 512

_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_installed = False


# -- start-up -------------------------------------------------------------------------------


def check_version(installed: str | None = None) -> None:
    """Raise `MorgueError` unless the installed Whoosh-Reloaded is `WHOOSH_VERSION`."""
    if installed is None:
        try:
            installed = importlib.metadata.version("Whoosh-Reloaded")
        except importlib.metadata.PackageNotFoundError:
            import whoosh

            installed = whoosh.versionstring()
    if installed != WHOOSH_VERSION:
        raise MorgueError(
            f"Morgue needs Whoosh-Reloaded {WHOOSH_VERSION}, but {installed} is installed "
            f"(it reads parts of Whoosh that change between releases); "
            f"fix it with `pip install Whoosh-Reloaded=={WHOOSH_VERSION}`"
        )


def install() -> None:
    """Check the Whoosh version and make compound files hand out `LazyBufferFile`s.

    Idempotent; call it before opening an index (`indexer.store` does).
    """
    global _installed
    if _installed:
        return
    check_version()
    compound.BufferFile = LazyBufferFile
    _installed = True


# -- zero-copy reading ------------------------------------------------------------------------


class ViewStream:
    """A read-only, seekable binary stream over a buffer that copies only what is read."""

    __slots__ = ("_view", "_pos")

    def __init__(self, buf: Any) -> None:
        self._view = memoryview(buf)
        self._pos = 0

    def read(self, n: int | None = -1) -> bytes:
        start, size = self._pos, len(self._view)
        end = size if n is None or n < 0 else min(start + n, size)
        self._pos = max(start, end)
        return self._view[start:end].tobytes()

    def peek(self, n: int = 0) -> bytes:
        # pickle.load peeks ahead, then reads only what it used: one call per pickle
        # instead of one per opcode (a block header of postings is a few dozen bytes).
        return self._view[self._pos : self._pos + PEEK_BYTES].tobytes()

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self, limit: int = -1) -> bytes:
        end = len(self._view) if limit < 0 else min(self._pos + limit, len(self._view))
        i = self._pos
        while i < end and self._view[i] != 10:
            i += 1
        return self.read(min(i + 1, end) - self._pos)

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence == 1:
            pos += self._pos
        elif whence == 2:
            pos += len(self._view)
        if pos < 0:
            raise ValueError(f"negative seek position {pos}")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        try:
            self._view.release()
        except BufferError:  # a slice of it is still in use; it goes with its last user
            pass


class LazyBufferFile(structfile.BufferFile):
    """A `BufferFile` whose stream reads the buffer in place instead of copying it."""

    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self._stream: ViewStream | None = None
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    @property
    def file(self) -> ViewStream:  # type: ignore[override]
        if self._stream is None:
            self._stream = ViewStream(self._buf)
        return self._stream

    def subset(self, position: int, length: int, name: str | None = None) -> "LazyBufferFile":
        return LazyBufferFile(self.get(position, length), name=name or self._name)

    def close(self) -> None:
        if self.is_closed:
            raise Exception("This file is already closed")  # as Whoosh's StructFile
        if self.onclose:
            self.onclose(self)
        if self._stream is not None:
            self._stream.close()
        self.is_closed = True


# -- the segment writer -----------------------------------------------------------------------


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


# -- reading posting lists and columns --------------------------------------------------------


def leaves(reader: Any) -> list[tuple[Any, int]]:
    """The (segment reader, first global document number) pairs of a reader."""
    return reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]


def read_postings(reader: Any, field: str, btext: bytes, docs: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Global document numbers (ascending, int32) and weights (float32) of one term.

    With `docs` (ascending global numbers), only the postings of those documents, reading
    only the blocks that hold one of them (block headers say each block's last document).
    """
    ids_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    for leaf, offset in leaves(reader):
        if docs is not None:
            lo, hi = np.searchsorted(docs, [offset, offset + leaf.doc_count_all()])
            if lo == hi:
                continue
            local = docs[lo:hi] - offset
        if (field, btext) not in leaf:
            continue
        m = leaf.postings(field, btext)
        if isinstance(m, W3LeafMatcher):
            # Whole blocks at a time (Whoosh 2.7's block reader).
            k = 0
            while m.is_active():
                if docs is None:
                    m._read_ids()
                    m._read_weights()
                    ids_parts.append(np.asarray(m._ids, dtype=np.int32) + np.int32(offset))
                    weight_parts.append(np.asarray(m._weights, dtype=np.float32))
                elif k >= len(local):
                    break
                elif m._maxid >= local[k]:
                    j = int(np.searchsorted(local, m._maxid, side="right"))
                    m._read_ids()
                    ids = np.asarray(m._ids, dtype=np.int32)
                    hit = np.isin(ids, local[k:j], assume_unique=True)
                    if hit.any():
                        m._read_weights()
                        ids_parts.append(ids[hit] + np.int32(offset))
                        weight_parts.append(np.asarray(m._weights, dtype=np.float32)[hit])
                    k = j
                m._next_block()
        else:  # postings stored inline with the term: a handful at most
            wanted = None if docs is None else set(local.tolist())
            ids, weights = [], []
            while m.is_active():
                if wanted is None or m.id() in wanted:
                    ids.append(m.id() + offset)
                    weights.append(m.weight())
                m.next()
            ids_parts.append(np.asarray(ids, dtype=np.int32))
            weight_parts.append(np.asarray(weights, dtype=np.float32))
    if not ids_parts:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids_parts), np.concatenate(weight_parts)


def has_plain_positions(fieldobj: Any) -> bool:
    """Whether a field's postings carry word positions in the encoding `read_positions` reads."""
    return type(getattr(fieldobj, "format", None)) is Positions


def read_positions(reader: Any, field: str, btext: bytes, docs: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Where one term occurs in `docs` (ascending global numbers): (document, position) arrays.

    Only the blocks holding one of `docs` are read (block headers say each block's last
    document), and only those documents' positions are decoded. The field's format must be
    Whoosh's `Positions` (`has_plain_positions`): each value is a count and a pickled list of
    position deltas.
    """
    doc_parts: list[np.ndarray] = []
    delta_lists: list[list[int]] = []
    for leaf, offset in leaves(reader):
        lo, hi = np.searchsorted(docs, [offset, offset + leaf.doc_count_all()])
        if lo == hi or (field, btext) not in leaf:
            continue
        local = docs[lo:hi] - offset
        m = leaf.postings(field, btext)
        if isinstance(m, W3LeafMatcher):
            k = 0
            while m.is_active() and k < len(local):
                if m._maxid >= local[k]:
                    j = int(np.searchsorted(local, m._maxid, side="right"))
                    m._read_ids()
                    ids = np.asarray(m._ids, dtype=np.int64)
                    hit = np.flatnonzero(np.isin(ids, local[k:j], assume_unique=True))
                    if len(hit):
                        m._read_values()
                        values = m._values
                        doc_parts.append(ids[hit] + offset)
                        delta_lists.extend(_deltas(values[i]) for i in hit.tolist())
                    k = j
                m._next_block()
        else:  # postings stored inline with the term: a handful at most
            wanted = set(local.tolist())
            while m.is_active():
                if m.id() in wanted:
                    doc_parts.append(np.array([m.id() + offset], dtype=np.int64))
                    delta_lists.append(_deltas(m.value()))
                m.next()
    if not delta_lists:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    counts = np.fromiter((len(d) for d in delta_lists), dtype=np.int64, count=len(delta_lists))
    flat = np.fromiter(chain.from_iterable(delta_lists), dtype=np.int64, count=int(counts.sum()))
    running = np.cumsum(flat)
    ends = np.cumsum(counts)
    before = np.concatenate(([0], running[ends[:-1] - 1]))  # each posting's sum so far
    return np.repeat(np.concatenate(doc_parts), counts), running - np.repeat(before, counts)


def _deltas(value: bytes) -> list[int]:
    # Positions.encode: a 4-byte count, then the pickled list of deltas between positions.
    body = value[4:]
    return loads(body if body.endswith(b".") else body + b".")


def field_lengths(reader: Any, field: str) -> np.ndarray:
    """Each document's length in `field`, quantised as Whoosh stores and scores it."""
    parts = []
    for leaf, _offset in leaves(reader):
        n = leaf.doc_count_all()
        column = None
        perdoc = getattr(leaf, "_perdoc", None)
        if perdoc is not None and hasattr(perdoc, "_cached_reader"):
            column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
        if column is not None:
            codes = np.fromiter(column, dtype=np.uint8, count=n)
            parts.append(_LENGTHS[codes])
        elif perdoc is not None:  # the field is absent from this segment
            parts.append(np.zeros(n, dtype=np.float64))
        else:
            parts.append(np.array([leaf.doc_field_length(d, field, 0) or 0 for d in range(n)],
                                  dtype=np.float64))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)


# -- segments ---------------------------------------------------------------------------------


def segments_key(reader: Any) -> tuple:
    """What identifies the segments a reader sees (ids, offsets, counts): a cache key.

    Not the reader's generation: a refreshed searcher may keep a segment reader that still
    reports the generation it was opened at.
    """
    out = []
    for leaf, offset in leaves(reader):
        segment = getattr(leaf, "_segment", None)
        seg_id = segment.segment_id() if segment is not None else id(leaf)
        out.append((seg_id, offset, leaf.doc_count_all(), leaf.doc_count()))
    return tuple(out)


def segments(ix: Any) -> list[Any]:
    """The segments of an index's latest generation (Whoosh `Segment` objects)."""
    return list(ix._segments())


def segment_count(ix: Any) -> int:
    """How many segments the index's latest generation has."""
    return len(ix._segments())


def segment_readers(ix: Any) -> Iterator[tuple[str, Any]]:
    """Each segment's id with a reader of that segment alone, or the exception opening it.

    Reading the segment list itself may raise; the caller reports that.
    """
    from whoosh.reading import SegmentReader

    for seg in ix._segments():
        try:
            yield seg.segment_id(), SegmentReader(ix.storage, ix.schema, seg)
        except Exception as exc:  # reported by the caller, per segment
            yield seg.segment_id(), exc


__all__ = [
    "WHOOSH_VERSION", "MIN_COMPRESSED_BLOCK", "check_version", "install", "ViewStream",
    "LazyBufferFile", "ArticleWriter", "ArticleCodec", "leaves", "read_postings",
    "has_plain_positions", "read_positions",
    "field_lengths", "segments_key", "segments", "segment_count", "segment_readers",
]

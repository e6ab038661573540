"""Opening an index without copying it into memory.

Whoosh keeps each segment in one compound file, maps it into memory and hands every part
of it out as a `BufferFile`. `BufferFile` wraps its part in `io.BytesIO`, and BytesIO
copies a memoryview: opening a reader copied the postings and terms of every segment
into the process's heap (at 100,000 articles, 630 MB besides the mapped file itself),
in the writer and in every searching process alike. This `BufferFile` reads its part
through a stream over the mapping itself, so only the bytes asked for are copied and the
mapped pages stay shared with the page cache.
"""

from __future__ import annotations

from typing import Any

from whoosh.filedb import compound, structfile


#: How much `ViewStream.peek` returns; `pickle.load` reads on past it when it needs more.
PEEK_BYTES = 512


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


def install() -> None:
    """Make Whoosh's compound files hand out `LazyBufferFile`s (idempotent)."""
    compound.BufferFile = LazyBufferFile

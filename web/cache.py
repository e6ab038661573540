"""A small cache of whole responses for the search routes, keyed by the index generation.

A repeated search (the same path and query string while the index is unchanged) is sent
from here without searching, rendering or serialising again, as a caching reverse proxy
would do in front of the app. Indexing anything new changes the generation and so every
key; nothing needs clearing.
"""

from __future__ import annotations

from dataclasses import dataclass

from morgue.search.lru import LRU


@dataclass(frozen=True)
class Cached:
    body: str
    content_type: str


class ResponseCache(LRU[tuple, Cached]):
    """The last `size` responses, least recently used first out; thread-safe."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size

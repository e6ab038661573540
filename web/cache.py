"""A small cache of whole responses for the search routes, keyed by the index generation.

A repeated search (the same path and query string while the index is unchanged) is sent
from here without searching, rendering or serialising again, as a caching reverse proxy
would do in front of the app. Indexing anything new changes the generation and so every
key; nothing needs clearing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Cached:
    body: str
    content_type: str


class ResponseCache:
    """The last `size` responses, least recently used first out; thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, Cached] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Cached | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple, value: Cached) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

"""`LRU`: the one least-recently-used cache Morgue keeps things in.

It backs `Archive`'s result cache, the posting arrays of an index generation (bounded by
postings held, through a weigher) and the web app's response cache. Thread-safe: every
operation takes one lock, held only for dictionary work, never while a value is computed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(_value: object) -> int:
    return 1


class LRU(Generic[K, V]):
    """At most `capacity` worth of values, least recently used first out.

    `weigh(value)` says what a value counts against the capacity (1 each by default).
    The newest value is always kept, even when it alone weighs more than the capacity;
    a capacity of 0 or less keeps nothing.
    """

    def __init__(self, capacity: int, weigh: Callable[[V], int] | None = None) -> None:
        self.capacity = capacity
        self._weigh = weigh or _one
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value for `key` (now the most recently used), or None."""
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return hit[0]

    def put(self, key: K, value: V) -> None:
        """Keep `value` under `key`, dropping the least recently used past the capacity."""
        if self.capacity <= 0:
            return
        weight = self._weigh(value)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._items[key] = (value, weight)
            self._weight += weight
            while self._weight > self.capacity and len(self._items) > 1:
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._weight -= dropped

    @property
    def weight(self) -> int:
        """What the values held weigh together."""
        return self._weight

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items


__all__ = ["LRU"]

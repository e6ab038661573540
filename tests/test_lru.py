"""The one LRU cache: bounded by count or by weight, least recently used out first."""

from __future__ import annotations

import threading

from morgue.search.lru import LRU


def test_the_least_recently_used_goes_first():
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2


def test_a_weigher_bounds_what_is_held_but_keeps_the_newest():
    cache: LRU[str, list[int]] = LRU(5, weigh=len)
    cache.put("a", [1, 2, 3])
    cache.put("b", [1, 2])
    assert cache.weight == 5 and len(cache) == 2
    cache.put("c", [1])
    assert "a" not in cache and cache.weight == 3
    cache.put("big", list(range(10)))  # heavier than the capacity: kept alone
    assert len(cache) == 1 and cache.get("big") is not None and cache.weight == 10
    cache.put("big", [0])  # replacing a value re-weighs it
    assert cache.weight == 1


def test_capacity_zero_keeps_nothing():
    cache: LRU[str, int] = LRU(0)
    cache.put("a", 1)
    assert cache.get("a") is None and len(cache) == 0


def test_threads_never_leave_it_over_capacity():
    cache: LRU[int, int] = LRU(50)

    def work(base: int) -> None:
        for i in range(2000):
            cache.put(base + i % 97, i)
            cache.get(base + (i * 7) % 97)

    threads = [threading.Thread(target=work, args=(k * 1000,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 50 and cache.weight == 50

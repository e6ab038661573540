"""Per-document values held in memory for one index generation.

Facets, the date histogram, date sorting and duplicate collapsing touch every matching
document; reading Whoosh columns one document at a time is the slow path, so each
generation's columns are read once into arrays (a few MB per 100k articles) and shared by
every query until the index changes. Keyword values are stored as small integer codes so
that counting them over a match set is one `numpy.bincount`.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

from typing import Any

import numpy as np

from morgue.indexer.schema import MULTI_SEP, UNDATED_NEWEST


@dataclass
class Coded:
    """A keyword column as integer codes into `values` (code 0 is the empty value)."""

    codes: np.ndarray  # one code per document (or per `docs` entry when multi-valued)
    values: list[str]
    docs: np.ndarray | None = None  # for a multi-valued column: the document of each code

    @classmethod
    def single(cls, column: list[str]) -> "Coded":
        index: dict[str, int] = {"": 0}
        codes = np.fromiter((index.setdefault(v, len(index)) for v in column), dtype=np.int32,
                            count=len(column))
        return cls(codes, list(index))

    @classmethod
    def multi(cls, column: list[tuple[str, ...]]) -> "Coded":
        index: dict[str, int] = {"": 0}
        docs: list[int] = []
        codes: list[int] = []
        for d, values in enumerate(column):
            for v in values:
                docs.append(d)
                codes.append(index.setdefault(v, len(index)))
        return cls(np.asarray(codes, dtype=np.int32), list(index), np.asarray(docs, dtype=np.int64))

    def count(self, docs: np.ndarray, doc_count: int) -> dict[str, int]:
        """How many of `docs` (ascending document numbers) have each value."""
        if self.docs is None:
            codes = self.codes[docs]
        else:
            mask = np.zeros(doc_count, dtype=bool)
            mask[docs] = True
            codes = self.codes[mask[self.docs]]
        counts = np.bincount(codes, minlength=len(self.values))
        return {self.values[c]: int(counts[c]) for c in np.flatnonzero(counts) if c}


@dataclass
class DocTable:
    doc_count: int
    section: Coded
    source: Coded
    bylines: Coded
    ts: np.ndarray  # int64 seconds since 1970, UNDATED_NEWEST when undated
    month: np.ndarray  # year * 12 + month - 1, or -1 when undated (for the date histogram)
    headline_key: list[str]
    body_sig: list[bytes]
    shared: np.ndarray  # bool: another article has the same headline key

    @classmethod
    def load(cls, reader) -> "DocTable":
        n = reader.doc_count_all()

        def column(name: str) -> list:
            if not reader.has_column(name):
                return [b""] * n
            return list(reader.column_reader(name))

        if reader.has_column("ts_newest"):
            ts = np.fromiter(reader.column_reader("ts_newest"), dtype=np.int64, count=n)
        else:
            ts = np.full(n, UNDATED_NEWEST, dtype=np.int64)
        headline_key = [v.decode() for v in column("headline_key")]
        first: dict[str, int] = {}
        shared = np.zeros(n, dtype=bool)
        for d, key in enumerate(headline_key):
            seen = first.setdefault(key, d)
            if seen != d:
                shared[seen] = shared[d] = True
        return cls(
            doc_count=n,
            section=Coded.single([v.decode() for v in column("section_col")]),
            source=Coded.single([v.decode() for v in column("source_col")]),
            bylines=Coded.multi([tuple(v.decode().split(MULTI_SEP)) if v else ()
                                 for v in column("byline_col")]),
            ts=ts,
            month=_months(ts),
            headline_key=headline_key,
            body_sig=column("body_sig"),
            shared=shared,
        )


def _months(ts: np.ndarray) -> np.ndarray:
    dated = ts != UNDATED_NEWEST
    days = np.where(dated, ts, 0).astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    # datetime64[M] counts months since 1970-01.
    return np.where(dated, days + 1970 * 12, -1)


def same_story(a: bytes, b: bytes, *, min_shared: int = 5) -> bool:
    """Whether two body sketches (see `indexer.documents.body_signature`) are near-identical."""
    if not a or not b:
        return a == b
    sa = {a[i : i + 4] for i in range(0, len(a), 4)}
    sb = {b[i : i + 4] for i in range(0, len(b), 4)}
    return len(sa & sb) >= min(min_shared, len(sa), len(sb))


def clusters(docnums: np.ndarray, table: DocTable) -> dict[int, int]:
    """Map each document that has copies among `docnums` to its cluster's first member.

    Copies share a headline (as lower-case words) and a near-identical body. Documents
    without copies are left out of the map.
    """
    keys = table.headline_key
    # Most articles have a headline of their own: only those that share one are looked at.
    return clusters_of([(d, keys[d], table.body_sig[d]) for d in docnums[table.shared[docnums]].tolist()])


def clusters_of(items: list[tuple[Hashable, str, bytes]]) -> dict[Any, Any]:
    """`clusters` over (document, headline key, body sketch) triples.

    The documents may be anything hashable: a sharded archive clusters (shard, docnum) pairs.
    """
    by_headline: dict[str, list[tuple[Any, bytes]]] = {}
    for d, key, sig in items:
        by_headline.setdefault(key, []).append((d, sig))
    leader: dict[Any, Any] = {}
    for group in by_headline.values():
        if len(group) < 2:
            continue
        # Seeds are taken in the order of the body sketches, not of the documents: "same
        # story" is not transitive, and clusters must not depend on the order pages were
        # indexed in, nor on how an archive is split into shards. Equal sketches are copies
        # of each other and of the same others, so their order does not matter.
        group.sort(key=lambda item: item[1])
        seeds: list[tuple[Any, bytes]] = []
        for d, sig in group:
            for s, seed_sig in seeds:
                if same_story(seed_sig, sig):
                    leader[d] = s
                    leader.setdefault(s, s)
                    break
            else:
                seeds.append((d, sig))
    return leader


def from_ts(ts: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(seconds=int(ts))

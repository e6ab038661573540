"""Per-document values held in memory for one index generation.

Facets, the date histogram, date sorting and duplicate collapsing touch every matching
document; reading Whoosh columns one document at a time is the slow path, so each
generation's columns are read once into lists (a few MB per 100k articles) and shared by
every query until the index changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from indexer.schema import MULTI_SEP, UNDATED_NEWEST


@dataclass
class DocTable:
    section: list[str]
    source: list[str]
    bylines: list[tuple[str, ...]]
    ts: list[int]  # seconds since 1970, UNDATED_NEWEST when undated
    headline_key: list[str]
    body_sig: list[bytes]
    month: list[int]  # year * 12 + month - 1, or -1 when undated (for the date histogram)
    shared_headlines: frozenset[str]  # headline keys that more than one article has

    @classmethod
    def load(cls, reader) -> "DocTable":
        def column(name: str) -> list:
            if not reader.has_column(name):
                return [b""] * reader.doc_count_all()
            return list(reader.column_reader(name))

        ts = list(reader.column_reader("ts_newest")) if reader.has_column("ts_newest") else []
        headline_key = [v.decode() for v in column("headline_key")]
        seen: set[str] = set()
        shared: set[str] = set()
        for key in headline_key:
            if key in seen:
                shared.add(key)
            seen.add(key)
        return cls(
            section=[v.decode() for v in column("section_col")],
            source=[v.decode() for v in column("source_col")],
            bylines=[tuple(v.decode().split(MULTI_SEP)) if v else () for v in column("byline_col")],
            ts=ts,
            headline_key=headline_key,
            body_sig=column("body_sig"),
            month=[_month(t) for t in ts],
            shared_headlines=frozenset(shared),
        )


def _month(ts: int) -> int:
    if ts == UNDATED_NEWEST:
        return -1
    day = datetime(1970, 1, 1) + timedelta(seconds=ts)
    return day.year * 12 + day.month - 1


def same_story(a: bytes, b: bytes, *, min_shared: int = 5) -> bool:
    """Whether two body sketches (see `indexer.documents.body_signature`) are near-identical."""
    if not a or not b:
        return a == b
    sa = {a[i : i + 4] for i in range(0, len(a), 4)}
    sb = {b[i : i + 4] for i in range(0, len(b), 4)}
    return len(sa & sb) >= min(min_shared, len(sa), len(sb))


def clusters(docnums: list[int], table: DocTable) -> dict[int, int]:
    """Map each document that has copies among `docnums` to its cluster's first member.

    Copies share a headline (as lower-case words) and a near-identical body. Documents
    without copies are left out of the map.
    """
    by_headline: dict[str, list[int]] = {}
    shared, keys = table.shared_headlines, table.headline_key
    for d in docnums:
        key = keys[d]
        if key in shared:  # most articles have a headline of their own: skip them fast
            by_headline.setdefault(key, []).append(d)
    leader: dict[int, int] = {}
    for group in by_headline.values():
        if len(group) < 2:
            continue
        seeds: list[int] = []
        for d in sorted(group):
            for s in seeds:
                if same_story(table.body_sig[s], table.body_sig[d]):
                    leader[d] = s
                    leader.setdefault(s, s)
                    break
            else:
                seeds.append(d)
    return leader

"""Per-document values held in memory for one index generation.

Facets, the date histogram, date sorting and duplicate collapsing touch every matching
document; reading Whoosh columns one document at a time is the slow path, so each
generation's columns are read once into lists (a few MB per 100k articles) and shared by
every query until the index changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.schema import MULTI_SEP, UNDATED_NEWEST


@dataclass
class DocTable:
    section: list[str]
    source: list[str]
    bylines: list[tuple[str, ...]]
    ts: list[int]  # seconds since 1970, UNDATED_NEWEST when undated
    headline_key: list[str]
    body_sig: list[bytes]

    @classmethod
    def load(cls, reader) -> "DocTable":
        def column(name: str) -> list:
            if not reader.has_column(name):
                return [b""] * reader.doc_count_all()
            return list(reader.column_reader(name))

        return cls(
            section=[v.decode() for v in column("section_col")],
            source=[v.decode() for v in column("source_col")],
            bylines=[tuple(v.decode().split(MULTI_SEP)) if v else () for v in column("byline_col")],
            ts=list(reader.column_reader("ts_newest")) if reader.has_column("ts_newest") else [],
            headline_key=[v.decode() for v in column("headline_key")],
            body_sig=column("body_sig"),
        )

    def dated(self, docnum: int) -> bool:
        return self.ts[docnum] != UNDATED_NEWEST


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
    for d in docnums:
        key = table.headline_key[d]
        if key:
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

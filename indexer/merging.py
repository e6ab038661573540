"""When `morgue index` merges segments: a tiered policy whose total cost stays linear.

Each commit of a batch writes a segment. Searching reads every segment, so their number
must stay bounded; merging rewrites every posting of the merged segments in Python, so how
often an article is merged again decides what indexing costs per article.

The policy (Lucene's tiered and log merge policies, simplified): a segment's *tier* is the
order of magnitude of its size, ⌊log_F(documents)⌋ with F = `MERGE_FACTOR`. When a tier
holds F segments, they are merged into one segment of the next tier. Segments of
`MAX_MERGED_DOCS` documents or more are left alone. So an article is merged at most once per
tier between a batch's and `MAX_MERGED_DOCS` (a constant: the total cost grows linearly with
the archive), each tier keeps fewer than F segments, and the segments left alone are few
and large. Segments whose documents are all deleted are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

#: Segments of one tier merged together (and the ratio between tiers).
MERGE_FACTOR = 10

#: Segments this big are never merged again by indexing (`morgue optimize` still does).
MAX_MERGED_DOCS = 100_000


def tier(documents: int, factor: int = MERGE_FACTOR) -> int:
    """The tier of a segment of `documents` documents: its size's order of magnitude."""
    return int(math.log(max(1, documents), factor) + 1e-9)


def choose_merges(sizes: Sequence[int], factor: int = MERGE_FACTOR,
                  max_docs: int = MAX_MERGED_DOCS) -> set[int]:
    """Which segments (indexes into `sizes`, their documents) to merge into one, if any.

    The lowest tier holding `factor` segments is merged: its `factor` smallest segments.
    """
    tiers: dict[int, list[int]] = {}
    for i, size in enumerate(sizes):
        if 0 < size < max_docs:
            tiers.setdefault(tier(size, factor), []).append(i)
    for level in sorted(tiers):
        members = tiers[level]
        if len(members) >= factor:
            return set(sorted(members, key=lambda i: sizes[i])[:factor])
    return set()


class TieredMerge:
    """A Whoosh merge policy (`writer.commit(mergetype=...)`) applying `choose_merges`."""

    def __init__(self, factor: int = MERGE_FACTOR, max_docs: int = MAX_MERGED_DOCS) -> None:
        self.factor = factor
        self.max_docs = max_docs

    def __call__(self, writer: Any, segments: list[Any]) -> list[Any]:
        from whoosh.reading import SegmentReader

        live = [s for s in segments if s.doc_count() > 0]  # all-deleted segments go
        chosen = choose_merges([s.doc_count_all() for s in live], self.factor, self.max_docs)
        for i in sorted(chosen):
            reader = SegmentReader(writer.storage, writer.schema, live[i])
            writer.add_reader(reader)
            reader.close()
        return [s for i, s in enumerate(live) if i not in chosen]


__all__ = ["MERGE_FACTOR", "MAX_MERGED_DOCS", "tier", "choose_merges", "TieredMerge"]

"""Deleting articles and merging segments, under the same write lock as indexing."""

from __future__ import annotations

from pathlib import Path

from morgue.indexer.lock import WriteLock
from morgue.indexer.manifest import Manifest
from morgue.indexer.whoosh_internals import ArticleWriter, segment_count
from morgue.indexer.store import open_existing


def delete_articles(index_dir: str | Path, ids: list[str], *, lock_timeout: float = 10.0
                    ) -> tuple[int, list[str]]:
    """Delete articles by id. Returns (how many were deleted, the ids not found)."""
    ix = open_existing(index_dir)
    with WriteLock(index_dir, lock_timeout):
        writer = ArticleWriter(ix)
        removed, missing = 0, []
        with ix.searcher() as searcher:
            for article_id in dict.fromkeys(ids):
                if searcher.document_number(id=article_id) is None:
                    missing.append(article_id)
                    continue
                removed += writer.delete_by_term("id", article_id)
        writer.commit()
        manifest = Manifest(index_dir)
        try:
            manifest.forget_articles([i for i in ids if i not in missing])
        finally:
            manifest.close()
    return removed, missing


def optimize_index(index_dir: str | Path, *, lock_timeout: float = 10.0) -> tuple[int, int]:
    """Merge all segments into one. Returns the segment counts before and after."""
    ix = open_existing(index_dir)
    with WriteLock(index_dir, lock_timeout):
        before = segment_count(ix)
        ArticleWriter(ix).commit(optimize=True)
        ix = open_existing(index_dir)
        after = segment_count(ix)
    return before, after

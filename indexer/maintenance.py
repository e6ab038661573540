"""Deleting articles and merging segments, under the same write lock as indexing."""

from __future__ import annotations

import re
from pathlib import Path

from morgue.indexer.lock import WriteLock
from morgue.indexer.manifest import Manifest
from morgue.indexer.shards import is_sharded, shard_dirs, shard_of
from morgue.indexer.whoosh_internals import ArticleWriter, segment_count
from morgue.indexer.store import open_existing

_ID = re.compile(r"^[0-9a-f]{16}$")


def delete_articles(index_dir: str | Path, ids: list[str], *, lock_timeout: float = 10.0
                    ) -> tuple[int, list[str]]:
    """Delete articles by id. Returns (how many were deleted, the ids not found).

    In a sharded archive each id is looked for in the one shard it routes to.
    """
    dirs = shard_dirs(index_dir)
    indexes = [open_existing(d) for d in dirs]
    with WriteLock(index_dir, lock_timeout):
        removed, missing = 0, []
        wanted: dict[int, list[str]] = {}
        for article_id in dict.fromkeys(ids):
            number = shard_of(article_id, len(dirs)) if is_sharded(index_dir) and _ID.match(article_id) else 0
            wanted.setdefault(number, []).append(article_id)
        for number, shard_ids in wanted.items():
            ix = indexes[number]
            writer = ArticleWriter(ix)
            with ix.searcher() as searcher:
                for article_id in shard_ids:
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
    """Merge all segments into one (per shard). Returns the segment counts before and after."""
    dirs = shard_dirs(index_dir)
    with WriteLock(index_dir, lock_timeout):
        before = after = 0
        for d in dirs:
            ix = open_existing(d)
            before += segment_count(ix)
            ArticleWriter(ix).commit(optimize=True)
            after += segment_count(open_existing(d))
    return before, after

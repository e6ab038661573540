"""Sharded archives: one directory holding N Whoosh indexes and one manifest.

Layout of a sharded archive::

    ARCHIVE/
      morgue-shards.json        {"format": 1, "shards": N, "routing": "article-id"}
      morgue-manifest.sqlite    one manifest for every shard (files, articles, vocabulary)
      morgue-write.lock         the one write lock
      shard-000/ ... shard-N-1/ one Whoosh index each

An article lives in exactly one shard, chosen from its id (the SHA-1 of its identity key:
the canonical URL, else the file path), so a new version or a duplicate of an article is
routed to the shard that holds the old copy and replaces it there, as in a single index.
The number of shards is fixed when the archive is created.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from morgue.errors import IndexFormatError, InvalidParameter, MorgueError
from morgue.indexer.store import exists as single_index_exists
from morgue.indexer.store import open_existing, open_or_create
from morgue.indexer.whoosh_internals import ArticleWriter

SHARD_MAP = "morgue-shards.json"
FORMAT = 1
MAX_SHARDS = 1024


def is_sharded(root: str | os.PathLike[str]) -> bool:
    """Whether `root` holds a sharded archive (its shard map exists)."""
    return (Path(root) / SHARD_MAP).is_file()


def shard_name(number: int) -> str:
    return f"shard-{number:03d}"


def shard_of(article_id: str, shards: int) -> int:
    """The shard an article lives in: its id (16 hex digits of a SHA-1) modulo the count."""
    return int(article_id, 16) % shards


def shard_count(root: str | os.PathLike[str]) -> int:
    """How many shards the archive at `root` has (1 for a single index)."""
    if not is_sharded(root):
        return 1
    return read_map(root)["shards"]


def read_map(root: str | os.PathLike[str]) -> dict[str, Any]:
    """The shard map of the archive at `root`; `IndexFormatError` names a damaged one."""
    path = Path(root) / SHARD_MAP
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        shards = data["shards"]
        if data.get("format") != FORMAT or not isinstance(shards, int) or not 1 <= shards <= MAX_SHARDS:
            raise ValueError(f"unsupported format {data.get('format')!r} or shard count {shards!r}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexFormatError(f"{path}: not a readable Morgue shard map ({exc})") from None
    return data


def shard_dirs(root: str | os.PathLike[str]) -> list[Path]:
    """The Whoosh index directories of the archive at `root`, in shard order.

    A single (unsharded) index is its own one shard.
    """
    root = Path(root)
    if not is_sharded(root):
        return [root]
    return [root / shard_name(i) for i in range(read_map(root)["shards"])]


def prepare(root: str | os.PathLike[str], shards: int | None, *, rebuild: bool = False
            ) -> list[Path] | None:
    """Get `root` ready for indexing: the shard directories, or None for a single index.

    `shards` None keeps whatever layout is there (a new archive is a single index). A
    count different from an existing archive's is refused: articles would move between
    shards, and the archive must be re-indexed into a new directory for that.
    `rebuild` (`morgue index --force`) replaces shards of another index format with empty
    ones, as `store.open_or_create` does for a single index.
    """
    root = Path(root)
    if shards is not None and not 1 <= shards <= MAX_SHARDS:
        raise InvalidParameter("shards", f"must be a whole number from 1 to {MAX_SHARDS}, not {shards!r}")
    if is_sharded(root):
        have = read_map(root)["shards"]
        if shards is not None and shards != have:
            raise MorgueError(
                f"{root} has {have} shards, not {shards}: the shard count is fixed when an archive "
                "is created (index into a new directory to change it)")
        dirs = shard_dirs(root)
        for d in dirs:
            open_or_create(d, rebuild=rebuild)
        return dirs
    if shards is None:
        return None
    if single_index_exists(root):
        raise MorgueError(
            f"{root} holds a single (unsharded) index: --shards applies to new archives only "
            "(index into a new directory to shard)")
    root.mkdir(parents=True, exist_ok=True)
    dirs = [root / shard_name(i) for i in range(shards)]
    for d in dirs:
        open_or_create(d)
    tmp = root / f"{SHARD_MAP}.tmp"
    tmp.write_text(json.dumps({"format": FORMAT, "shards": shards, "routing": "article-id"}) + "\n",
                   encoding="utf-8")
    os.replace(tmp, root / SHARD_MAP)  # the map appears last: a half-made archive is not one
    return dirs


def open_shards(root: str | os.PathLike[str]) -> list[Any]:
    """Every shard's Whoosh index, in shard order (`IndexNotFound` for a missing shard)."""
    return [open_existing(d) for d in shard_dirs(root)]


class ShardRouter:
    """A Whoosh writer per shard behind one writer's `add_document`/`update_document`.

    Each shard's writer is opened the first time an article is routed to it, so a batch
    touches (and commits a segment to) only the shards it has articles for.
    """

    def __init__(self, indexes: list[Any], limitmb: int = 32) -> None:
        self.indexes = indexes
        self.limitmb = max(8, limitmb // max(1, len(indexes)))
        self.writers: dict[int, Any] = {}

    def _writer(self, doc: dict[str, Any]) -> Any:
        number = shard_of(doc["id"], len(self.indexes))
        writer = self.writers.get(number)
        if writer is None:
            writer = self.writers[number] = ArticleWriter(self.indexes[number], limitmb=self.limitmb)
        return writer

    def add_document(self, **doc: Any) -> None:
        self._writer(doc).add_document(**doc)

    def update_document(self, **doc: Any) -> None:
        self._writer(doc).update_document(**doc)

    def commit(self, **kwargs: Any) -> None:
        """Commit every open shard writer, each with `kwargs` (e.g. the merge policy)."""
        for writer in self.writers.values():
            writer.commit(**kwargs)
        self.writers = {}

    def cancel(self) -> None:
        for writer in self.writers.values():
            try:
                writer.cancel()
            except Exception:
                pass
        self.writers = {}


def index_ids(indexes: list[Any]) -> set[str]:
    """Every article id in the shards' term lists (the writer's check against the manifest)."""
    out: set[str] = set()
    for ix in indexes:
        with ix.reader() as reader:
            if reader.doc_count_all():
                out.update(t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("id"))
    return out


__all__ = ["SHARD_MAP", "ShardRouter", "is_sharded", "open_shards", "prepare", "read_map",
           "shard_count", "shard_dirs", "shard_name", "shard_of"]

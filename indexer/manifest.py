"""The manifest: a small SQLite file beside the Whoosh index that remembers what was indexed.

It makes re-runs fast (a file whose size, mtime or content hash is unchanged is skipped
without being parsed) and lets the writer decide between added, updated and duplicate
without reading the index. It is written only after the Whoosh commit of the same batch,
so after a crash it may lag the index, never lead it: the next run redoes the lagging
files, and the index's unique ids keep that from adding copies.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "morgue-manifest.sqlite"


@dataclass(slots=True)
class FileRecord:
    path: str
    size: int
    mtime: float
    hash: str
    article_id: str | None


@dataclass(slots=True)
class ArticleRecord:
    id: str
    key: str
    path: str
    hash: str
    modified: str | None


class Manifest:
    """What was indexed from which file."""

    def __init__(self, index_dir: str | Path) -> None:
        self.path = Path(index_dir) / MANIFEST_NAME
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS files (
                path TEXT PRIMARY KEY, size INTEGER, mtime REAL, hash TEXT, article_id TEXT);
            CREATE TABLE IF NOT EXISTS articles (
                id TEXT PRIMARY KEY, key TEXT, path TEXT, hash TEXT, modified TEXT);
            CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
            CREATE TABLE IF NOT EXISTS vocabulary (word TEXT PRIMARY KEY, articles INTEGER);
            """
        )

    def file(self, path: str) -> FileRecord | None:
        row = self.db.execute(
            "SELECT path, size, mtime, hash, article_id FROM files WHERE path = ?", (path,)
        ).fetchone()
        return FileRecord(*row) if row else None

    def article(self, article_id: str) -> ArticleRecord | None:
        # One lookup per article rather than the whole table in memory, which grows with the
        # archive (docs/benchmarks.md, "Figures behind design choices").
        row = self.db.execute(
            "SELECT id, key, path, hash, modified FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return ArticleRecord(*row) if row else None

    def article_ids(self) -> set[str]:
        """Ids of every article the manifest records."""
        return {row[0] for row in self.db.execute("SELECT id FROM articles")}

    def record(self, files: list[FileRecord], articles: list[ArticleRecord],
               words: dict[str, int] | None = None) -> None:
        """Store one committed batch (and how many of its articles use each word)."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                [(f.path, f.size, f.mtime, f.hash, f.article_id) for f in files],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
                [(a.id, a.key, a.path, a.hash, a.modified) for a in articles],
            )
            if words:
                self.db.executemany(
                    "INSERT INTO vocabulary VALUES (?, ?) "
                    "ON CONFLICT(word) DO UPDATE SET articles = articles + excluded.articles",
                    words.items(),
                )

    def forget_articles(self, ids: list[str]) -> None:
        with self.db:
            self.db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])
            self.db.executemany("DELETE FROM files WHERE article_id = ?", [(i,) for i in ids])

    def clear(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM vocabulary")
            self.db.execute("DELETE FROM files")
            self.db.execute("DELETE FROM articles")

    def close(self) -> None:
        self.db.close()


def read_vocabulary(index_dir: str | Path) -> dict[str, int]:
    """word -> number of articles using it, read-only (for did-you-mean); {} without a manifest."""
    path = Path(index_dir) / MANIFEST_NAME
    if not path.exists():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return dict(db.execute("SELECT word, articles FROM vocabulary"))
    except sqlite3.OperationalError:  # a manifest from before the vocabulary table
        return {}
    finally:
        db.close()

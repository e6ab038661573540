"""`morgue check`: verify an index and say what is wrong with it.

`check_index(index_dir)` reads everything it can and never writes (it only probes the locks,
releasing them at once). It checks, in order:

1. the Whoosh index opens (its TOC file is present and readable);
2. every segment opens and its files are readable: document counts, the ``id`` term list,
   every live document's stored fields;
3. no article id is stored twice among live documents;
4. the manifest (SQLite) opens, passes ``PRAGMA quick_check``, and agrees with the index:
   every article it lists is in the index, every file it lists points to an indexed article.
   Index articles the manifest does not list are only *notes*: after a crash the manifest
   may lag the index by one batch (by design, see `indexer.manifest`); the next
   `morgue index` run records them;
5. the lock state: whether a `morgue index` (or Whoosh writer) is running right now.

Problems make ``ok`` false; notes do not.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from morgue.errors import MorgueError
from morgue.indexer.lock import LOCK_NAME
from morgue.indexer.manifest import MANIFEST_NAME
from morgue.indexer import whoosh_internals
from morgue.indexer.shards import is_sharded, shard_dirs, shard_of
from morgue.indexer.store import INDEX_NAME, check_format

#: At most this many ids are named in one problem line (the count is always given).
_SHOW = 5


@dataclass
class CheckReport:
    """What `check_index` found."""

    index_dir: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    articles: int = 0  # live documents
    deleted: int = 0  # deleted documents still in segments (until the next merge)
    segments: int = 0
    manifest_articles: int = 0
    manifest_files: int = 0
    locked_by: str | None = None  # pid of a running writer, or "whoosh" for a bare Whoosh lock

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index_dir,
            "ok": self.ok,
            "problems": list(self.problems),
            "notes": list(self.notes),
            "articles": self.articles,
            "deleted": self.deleted,
            "segments": self.segments,
            "manifest_articles": self.manifest_articles,
            "manifest_files": self.manifest_files,
            "locked_by": self.locked_by,
        }

    def summary(self) -> str:
        """One line for the CLI: ``ok: 94 articles in 6 segments`` or ``2 problems: ...``."""
        head = f"{self.articles} articles in {self.segments} segments"
        if self.ok:
            return f"ok: {head}" + (f" ({'; '.join(self.notes)})" if self.notes else "")
        n = len(self.problems)
        return f"{n} problem{'s' if n != 1 else ''}: " + "; ".join(self.problems)


def _few(ids: list[str]) -> str:
    shown = ", ".join(sorted(ids)[:_SHOW])
    return shown + (f" and {len(ids) - _SHOW} more" if len(ids) > _SHOW else "")


def _probe_lock(path: Path) -> bool:
    """Whether someone holds an flock on `path` (we take and drop it at once if free)."""
    if not path.exists():
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _check_whoosh(index_dir: Path, report: CheckReport, index_ids: Counter[str], label: str) -> bool:
    """Steps 1 and 2 for one Whoosh index directory; False when it cannot be read at all."""
    from whoosh import index as whoosh_index

    # 1. the index opens
    try:
        if not whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME):
            report.problems.append(f"{label}{index_dir}: no Morgue index here (no {INDEX_NAME} table of contents)")
            return False
        whoosh_internals.install()
        check_format(index_dir)
        ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    except MorgueError as exc:
        report.problems.append(f"{label}{exc}")
        return False
    except Exception as exc:  # EmptyIndexError, unpickling errors, OSError...
        report.problems.append(f"{label}the index does not open: {type(exc).__name__}: {exc}")
        return False

    # 2. every segment, 3. duplicate ids
    try:
        report.segments += whoosh_internals.segment_count(ix)
    except Exception as exc:
        report.problems.append(f"{label}the segment list cannot be read: {type(exc).__name__}: {exc}")
        return False

    for seg_id, reader in whoosh_internals.segment_readers(ix):
        name = f"{label}segment {seg_id}"
        if isinstance(reader, Exception):
            report.problems.append(f"{name} does not open: {type(reader).__name__}: {reader}")
            continue
        try:
            live = reader.doc_count()
            report.articles += live
            report.deleted += reader.doc_count_all() - live
            for _term in reader.lexicon("id"):  # the id term list reads to its end
                pass
            stored = 0
            for docnum in reader.all_doc_ids():
                fields = reader.stored_fields(docnum)
                doc_id = fields.get("id")
                if not doc_id:
                    report.problems.append(f"{name}: document {docnum} has no stored id")
                    continue
                index_ids[doc_id] += 1
                stored += 1
            if stored != live:
                report.problems.append(f"{name}: {live} live documents but {stored} readable stored ones")
        except Exception as exc:
            report.problems.append(f"{name} is unreadable: {type(exc).__name__}: {exc}")
        finally:
            try:
                reader.close()
            except Exception:
                pass
    return True


def _routes_elsewhere(article_id: str, number: int, shards: int) -> bool:
    try:
        return shard_of(article_id, shards) != number
    except ValueError:
        return True


def check_index(index_dir: str | os.PathLike[str]) -> CheckReport:
    """Verify the index in `index_dir` (a single index or a sharded archive, whose shards
    are each checked, and each article for being in the shard its id routes to); see the
    module docstring for what is checked."""
    index_dir = Path(index_dir)
    report = CheckReport(str(index_dir))
    if not index_dir.is_dir():
        report.problems.append(f"{index_dir}: no such directory")
        return report

    # 5. lock state first: a running writer explains a manifest that lags the index.
    lock = index_dir / LOCK_NAME
    if _probe_lock(lock):
        try:
            holder = lock.read_text(errors="replace").strip() or "?"
        except OSError:
            holder = "?"
        report.locked_by = holder
        report.notes.append(f"a writer (pid {holder}) is indexing right now: figures may change")
    elif _probe_lock(index_dir / f"{INDEX_NAME}_WRITELOCK"):
        report.locked_by = "whoosh"
        report.notes.append("a Whoosh writer holds the index lock right now")

    # 1.-2. each Whoosh index (one, or one per shard) opens and reads
    index_ids: Counter[str] = Counter()
    sharded = is_sharded(index_dir)
    try:
        dirs = shard_dirs(index_dir)
    except MorgueError as exc:
        report.problems.append(str(exc))
        return report
    for number, directory in enumerate(dirs):
        shard_ids: Counter[str] = Counter()
        if not _check_whoosh(directory, report, shard_ids, f"{directory.name}: " if sharded else ""):
            return report
        misplaced = [i for i in shard_ids if sharded and _routes_elsewhere(i, number, len(dirs))]
        if misplaced:
            report.problems.append(
                f"{directory.name}: {len(misplaced)} articles belong to another shard: {_few(misplaced)}")
        index_ids.update(shard_ids)
    # 3. duplicate ids (across shards too)
    dupes = [i for i, n in index_ids.items() if n > 1]
    if dupes:
        report.problems.append(f"{len(dupes)} article ids are stored more than once: {_few(dupes)}")

    # 4. the manifest
    mpath = index_dir / MANIFEST_NAME
    if not mpath.exists():
        if index_ids:
            report.notes.append("no manifest: the next `morgue index` re-reads every file")
        return report
    try:
        db = sqlite3.connect(f"file:{mpath}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        report.problems.append(f"the manifest does not open: {exc}")
        return report
    try:
        verdict = db.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            report.problems.append(f"the manifest is damaged: {verdict}")
            return report
        m_articles = {row[0] for row in db.execute("SELECT id FROM articles")}
        m_files = db.execute("SELECT path, article_id FROM files").fetchall()
    except sqlite3.Error as exc:
        report.problems.append(f"the manifest cannot be read: {exc}")
        return report
    finally:
        db.close()
    report.manifest_articles = len(m_articles)
    report.manifest_files = len(m_files)
    live = set(index_ids)
    missing = sorted(m_articles - live)
    if missing:
        report.problems.append(
            f"{len(missing)} articles in the manifest are missing from the index: {_few(missing)} "
            "(re-index with --force to repair)")
    dangling = sorted({aid for _path, aid in m_files if aid and aid not in live and aid not in m_articles})
    if dangling:
        report.problems.append(
            f"{len(dangling)} files in the manifest point to articles that are not indexed: {_few(dangling)}")
    lagging = sorted(live - m_articles)
    if lagging:
        report.notes.append(
            f"{len(lagging)} indexed articles are not yet in the manifest (an interrupted run; "
            "the next `morgue index` records them)")
    return report


__all__ = ["CheckReport", "check_index"]

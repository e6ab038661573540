"""`morgue index`: clean pages in worker processes, write them from one process in batches.

The work is streamed: paths go to a pool of workers a bounded number at a time, and the
single writer commits every `batch_size` articles, so memory stays flat however many pages
there are, and a crash loses at most the batch in progress.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh.writing import NO_MERGE

from morgue.indexer.article import Article
from morgue.indexer.documents import VOCABULARY_KEY, identity_key, to_document
from morgue.errors import ExtractionError, MorgueError
from morgue.indexer.files import expand_paths, is_warc
from morgue.indexer.pagekind import INDEXED_KINDS
from morgue.indexer.lock import WriteLock
from morgue.indexer.manifest import ArticleRecord, FileRecord, Manifest
from morgue.indexer.merging import TieredMerge
from morgue.indexer.shards import ShardRouter, index_ids, prepare
from morgue.indexer.whoosh_internals import ArticleWriter
from morgue.indexer.store import open_existing, open_or_create



@dataclass
class Failure:
    path: str
    reason: str


@dataclass
class IndexReport:
    """What one `morgue index` run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: list[Failure] = field(default_factory=list)
    skipped: list[Failure] = field(default_factory=list)  # pages that are not articles, and why
    files: int = 0
    seconds: float = 0.0
    undated: int = 0  # articles added or updated with no usable publication date

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "failed": [{"path": f.path, "error": f.reason} for f in self.failed],
            "skipped": [{"path": f.path, "reason": f.reason} for f in self.skipped],
            "files": self.files,
            "seconds": round(self.seconds, 3),
            "undated": self.undated,
        }


@dataclass(slots=True)  # one per file to index, all planned up front
class _Job:
    path: str
    known_hash: str | None
    captured: datetime | None = None  # the capture time the user gave (--captured)
    all_pages: bool = False  # index pages that are not articles too


@dataclass
class _Result:
    """What a worker sends back for one page (a WARC file sends one per HTML record)."""

    path: str  # file path, or "file.warc#offset" for a WARC record
    size: int = 0
    mtime: float = 0.0
    hash: str = ""
    status: str = "article"  # "article", "unchanged", "skipped" (not an article) or "failed"
    doc: dict[str, Any] | None = None
    modified: str | None = None
    reason: str = ""
    undated: bool = False


def _clean_page(path: str, data: bytes, *, mtime: float, url: str | None = None,
                captured: datetime | None = None, content_type: str | None = None,
                all_pages: bool = False) -> _Result:
    from morgue.indexer.extract import extract  # imported in the worker

    digest = hashlib.sha1(data).hexdigest()
    result = _Result(path=path, size=len(data), mtime=mtime, hash=digest)
    try:
        article: Article = extract(
            data,
            path=path,
            url=url,
            captured=captured,  # never the file's mtime: copying a folder changes it
            content_type=content_type,
        )
    except ExtractionError as exc:
        result.status, result.reason = "failed", str(exc)
        return result
    except Exception as exc:  # a bug in the cleaner must not stop the batch
        result.status, result.reason = "failed", f"unexpected {type(exc).__name__}: {exc}"
        return result
    article.path = path
    if not (article.headline or article.body):
        result.status, result.reason = "failed", "no article text found in the page"
        return result
    if not all_pages and article.kind not in INDEXED_KINDS:
        result.status, result.reason = "skipped", f"not an article ({article.kind}): {article.kind_reason}"
        return result
    key = identity_key(article, path)
    result.doc = to_document(article, key=key, content_hash=digest)
    result.modified = article.modified or article.published
    result.undated = article.published is None
    return result


def _worker_pool(jobs: int) -> Any:
    """A pool of `jobs` cleaning processes that do not share the writer's memory.

    Workers are forked from a small server process that has loaded the cleaner
    (`forkserver`), not from the writer. A worker forked from the writer shares its heap
    until it writes to a page, and it soon does (Python's allocator and collector write
    to the pages they scan): on large runs every worker, recycled after 2,000 tasks to
    bound leaks, came to hold its own copy of the writer's growing heap.
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["morgue.indexer.writer", "morgue.indexer.extract"])
    else:
        ctx = multiprocessing.get_context("spawn")
    return ctx.Pool(jobs, maxtasksperchild=2000)


def _work(job: _Job) -> list[_Result]:
    """Worker: read one file, skip it if its hash is known, else clean it."""
    try:
        stat = os.stat(job.path)
        if is_warc(job.path):
            return _work_warc(job.path, stat.st_mtime, job.captured, job.all_pages)
        with open(job.path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return [_Result(path=job.path, status="failed", reason=exc.strerror or str(exc))]
    digest = hashlib.sha1(data).hexdigest()
    if job.known_hash == digest:
        return [_Result(path=job.path, size=stat.st_size, mtime=stat.st_mtime, hash=digest,
                        status="unchanged")]
    result = _clean_page(job.path, data, mtime=stat.st_mtime, captured=job.captured,
                         all_pages=job.all_pages)
    result.size = stat.st_size
    return [result]


def _work_warc(path: str, mtime: float, captured: datetime | None,
               all_pages: bool = False) -> list[_Result]:
    from morgue.indexer.warc import iter_warc_pages

    results = []
    try:
        for page in iter_warc_pages(path):
            results.append(_clean_page(page.label(path), page.data, mtime=mtime,
                                       all_pages=all_pages, **page.extract_arguments(captured)))
    except MorgueError as exc:
        results.append(_Result(path=path, status="failed", reason=str(exc)))
    return results


class _Batch:
    """Articles written since the last commit, and what the manifest must learn of them."""

    def __init__(self) -> None:
        self.files: list[FileRecord] = []
        self.articles: dict[str, ArticleRecord] = {}
        self.words: Counter[str] = Counter()
        self.docs = 0


def index_paths(
    paths: Iterable[str],
    index_dir: str | Path,
    *,
    jobs: int | None = None,
    force: bool = False,
    lock_timeout: float = 10.0,
    batch_size: int | None = None,
    progress: Callable[[str, str], None] | None = None,
    captured: datetime | None = None,
    all_pages: bool = False,
    shards: int | None = None,
) -> IndexReport:
    """Index the pages named by `paths` (files, directories, globs) into `index_dir`.

    Returns what was added, updated, skipped and why files failed. Raises `IndexLocked`
    when another process holds the write lock past `lock_timeout`, `MorgueError` for a
    path that names nothing. `progress(path, status)` is called once per file. Articles
    are committed every `batch_size` (default: $MORGUE_BATCH_SIZE, else 1000).
    `captured` is when the pages were saved, if known (a WARC record's own date wins): it
    resolves relative dates ("3 hours ago"); without it such pages are indexed undated.
    With `jobs` > 1 the cleaning processes start from a forkserver, as with any
    multiprocessing pool that is not forked: a script that calls this at import time
    must guard the call with `if __name__ == "__main__":`.
    Pages that are not articles (listings, error pages: `morgue.indexer.pagekind`) are
    skipped and listed in `IndexReport.skipped`, unless `all_pages` is true.
    `shards` N creates a sharded archive of N Whoosh indexes (see `indexer.shards`); an
    existing sharded archive is written as one whatever `shards` is left at.
    """
    import time

    started = time.monotonic()
    files = list(expand_paths(paths))  # paths only: articles are streamed
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    report = IndexReport(files=len(files))
    jobs = max(1, jobs or os.cpu_count() or 1)
    batch_size = batch_size or int(os.environ.get("MORGUE_BATCH_SIZE", "1000"))

    with WriteLock(index_dir, lock_timeout):
        shard_paths = prepare(index_dir, shards, rebuild=force)
        ix = (open_or_create(index_dir, rebuild=force) if shard_paths is None
              else [open_existing(d) for d in shard_paths])
        manifest = Manifest(index_dir)
        if force:
            manifest.clear()
        try:
            # Planned up front: the manifest's SQLite connection belongs to this thread.
            todo = iter(list(_plan(files, manifest, force, report, progress, captured, all_pages)))
            _run(todo, ix, manifest, jobs, batch_size, report, progress)
        finally:
            manifest.close()
    report.seconds = time.monotonic() - started
    return report


def _plan(files: list[str], manifest: Manifest, force: bool, report: IndexReport,
          progress: Callable[[str, str], None] | None, captured: datetime | None = None,
          all_pages: bool = False) -> Iterator[_Job]:
    """Skip files whose size and mtime match the manifest; hand the rest to workers."""
    for path in files:
        known = None if force else manifest.file(path)
        if known is not None:
            try:
                stat = os.stat(path)
            except OSError:
                stat = None
            if stat and stat.st_size == known.size and stat.st_mtime == known.mtime:
                report.unchanged += 1
                if progress:
                    progress(path, "unchanged")
                continue
        yield _Job(path, known.hash if known else None, captured, all_pages)


def _bounded(jobs: Iterator[_Job], slots: threading.BoundedSemaphore) -> Iterator[_Job]:
    for job in jobs:
        slots.acquire()
        yield job


def _run(todo: Iterator[_Job], ix: Any, manifest: Manifest, jobs: int, batch_size: int,
         report: IndexReport, progress: Callable[[str, str], None] | None) -> None:
    slots = threading.BoundedSemaphore(jobs * 16)
    state = _Writing(ix, manifest)
    pool = None
    try:
        if jobs == 1:
            results: Iterator[list[_Result]] = (_work(job) for job in _bounded(todo, slots))
        else:
            pool = _worker_pool(jobs)
            results = pool.imap_unordered(_work, _bounded(todo, slots), chunksize=4)
        for result_list in results:
            slots.release()
            for result in result_list:
                if result.doc is not None and result.doc["id"] in state.batch.articles:
                    state.commit()  # Whoosh cannot replace a document added by the same writer
                status = _apply(result, state.writer, manifest, state.batch, report,
                                state.unrecorded)
                if progress:
                    progress(result.path, status)
            if state.batch.docs >= batch_size:
                state.commit()
        state.commit(final=True)
    except (OSError, sqlite3.Error) as exc:
        state.abandon()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise MorgueError(
            f"cannot write to the index at {manifest.path.parent}: {reason}; "
            "it keeps every batch committed before this one"
        ) from exc
    except BaseException:
        # Ctrl-C or a bug: keep what this batch finished, like a completed batch.
        state.commit_or_abandon()
        raise
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


class _Writing:
    """The open Whoosh writer and the batch it holds; commits keep index and manifest in step."""

    def __init__(self, ix: Any, manifest: Manifest) -> None:
        self.ix, self.manifest = ix, manifest
        self.sharded = isinstance(ix, list)  # a sharded archive's indexes (`indexer.shards`)
        # Ids in the index that the manifest lacks (a run killed between the index commit
        # and the manifest's): only these, and ids the manifest has, can already be in the
        # index, so every other new article is added without Whoosh's delete-by-id lookup,
        # which reads the term table of every segment for every article.
        in_index = index_ids(ix if self.sharded else [ix])
        self.unrecorded = in_index - manifest.article_ids() if in_index else set()
        self.batch = _Batch()
        self.writer: Any = self._new_writer()

    def commit(self, final: bool = False) -> None:
        # Each batch becomes a segment (one per shard it has articles for); a commit that
        # wrote articles may merge segments of one size tier (indexer.merging), one that
        # wrote none never does, so a re-run over unchanged files leaves the index as it was.
        self.writer.commit(mergetype=TieredMerge() if self.batch.docs else NO_MERGE)
        self.writer = None
        self.manifest.record(self.batch.files, list(self.batch.articles.values()), self.batch.words)
        self.batch = _Batch()
        if not final:
            self.writer = self._new_writer()

    def _new_writer(self) -> Any:
        return ShardRouter(self.ix, limitmb=32) if self.sharded else ArticleWriter(self.ix, limitmb=32)

    def abandon(self) -> None:
        if self.writer is not None:
            try:
                self.writer.cancel()
            except Exception:
                pass
            self.writer = None

    def commit_or_abandon(self) -> None:
        if self.writer is None:
            return
        try:
            self.commit(final=True)
        except Exception:
            self.abandon()


def _apply(result: _Result, writer: Any, manifest: Manifest, batch: _Batch,
           report: IndexReport, unrecorded: set[str]) -> str:
    """Decide what one cleaned page means for the index, and write it. Returns its status."""
    if result.status == "failed":
        report.failed.append(Failure(result.path, result.reason))
        return "failed"
    if result.status == "skipped":
        report.skipped.append(Failure(result.path, result.reason))
        return "skipped"
    if result.status == "unchanged":
        old = manifest.file(result.path)
        batch.files.append(FileRecord(result.path, result.size, result.mtime, result.hash,
                                      old.article_id if old else None))
        report.unchanged += 1
        return "unchanged"
    doc = result.doc
    assert doc is not None
    aid = doc["id"]
    existing = manifest.article(aid)
    file_record = FileRecord(result.path, result.size, result.mtime, result.hash, aid)
    if existing is None:
        status = "added"
    elif existing.hash == result.hash:
        status = "unchanged" if existing.path == result.path else "duplicate"
    elif existing.path == result.path or _newer(result.modified, existing.modified):
        status = "updated"
    else:
        status = "duplicate"
    batch.files.append(file_record)
    words = doc.pop(VOCABULARY_KEY, [])
    if status in ("added", "updated"):
        report.undated += result.undated
        batch.words.update(words)
        if existing is None and aid not in unrecorded:
            writer.add_document(**doc)  # not in the index: nothing to replace
        else:
            writer.update_document(**doc)
        batch.docs += 1
        batch.articles[aid] = ArticleRecord(aid, doc["key"], result.path, result.hash,
                                            result.modified)
    counter = {"added": "added", "updated": "updated", "unchanged": "unchanged",
               "duplicate": "duplicates"}[status]
    setattr(report, counter, getattr(report, counter) + 1)
    return status


def _newer(candidate: str | None, current: str | None) -> bool:
    """Whether a page dated `candidate` should replace one dated `current` (ISO strings)."""
    from morgue.indexer.schema import parse_iso

    new, old = parse_iso(candidate), parse_iso(current)
    if new is None:
        return False
    return old is None or new > old


def write_errors(report: IndexReport, path: str) -> None:
    """Write each failed file as a JSON line `{"path", "error"}` and each page skipped as not
    an article as `{"path", "skipped"}` (for `--errors FILE`)."""
    with open(path, "w", encoding="utf-8") as fh:
        for failure in report.failed:
            fh.write(json.dumps({"path": failure.path, "error": failure.reason}) + "\n")
        for skip in report.skipped:
            fh.write(json.dumps({"path": skip.path, "skipped": skip.reason}) + "\n")


__all__ = ["IndexReport", "Failure", "index_paths", "write_errors"]

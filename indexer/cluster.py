"""`morgue index --scheduler`: cleaning pages and writing shards on a Dask cluster.

The process that runs `morgue index` is the coordinator: it holds the archive's write
lock and its manifest, plans which files need reading (as `index_paths` does), and decides
for every cleaned page whether it is new, an update or a duplicate. The work runs on the
cluster's workers, which read the pages and write the shards on a path they all share:

- cleaning: tasks of `CHUNK` files each, a bounded number in flight (Dask spreads them);
- writing: one task per shard per batch, holding that shard's Whoosh writer, and a shard's
  next batch is not submitted before its previous one is committed, so each shard has one
  writer at a time. The manifest records a batch after every shard has committed it.

Dask reruns the tasks of a worker that dies. Cleaning is pure; a write task replaces
(rather than adds) every article already in its shard, so a rerun of a write that had
committed before its worker died leaves one copy. If Dask gives up (`KilledWorker`) or
the scheduler goes away, the run stops with an error; batches already recorded stay, and
running `morgue index` again finishes the rest.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from morgue.errors import MorgueError, Unavailable
from morgue.indexer.files import expand_paths
from morgue.indexer.lock import WriteLock
from morgue.indexer.manifest import Manifest
from morgue.indexer.shards import prepare, shard_of
from morgue.indexer.writer import (
    IndexReport,
    _apply,
    _Batch,
    _Job,
    _plan,
    _Result,
    _work,
)

#: Files per cleaning task: enough to amortise a task's scheduling, small enough to spread.
CHUNK = 16
#: Seconds to wait for the scheduler before saying it cannot be reached.
CONNECT_TIMEOUT = 5.0


def connect(scheduler: str, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A Dask client of the scheduler at `scheduler`.

    `Unavailable` names the address when it cannot be reached within `timeout` seconds;
    `MorgueError` says what to install when Dask is missing.
    """
    try:
        from distributed import Client
    except ImportError:
        raise MorgueError("--scheduler needs Dask: pip install 'morgue[cluster]'") from None
    try:
        return Client(scheduler, timeout=timeout, set_as_default=False, direct_to_workers=True)
    except (OSError, TimeoutError, ValueError) as exc:
        raise Unavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def clean_files(jobs: list[_Job]) -> list[_Result]:
    """Worker task: read and clean a chunk of files (`indexer.writer._work` for each)."""
    out: list[_Result] = []
    for job in jobs:
        out += _work(job)
    return out


def write_shard(directory: str, docs: list[dict[str, Any]]) -> int:
    """Worker task: write `docs` into the shard at `directory` and commit; returns how many.

    The commit merges segments by the single index's tiered policy (`indexer.merging`).

    An article already in the shard is replaced, never added twice (a task rerun after its
    worker died may find its own articles committed).
    """
    from morgue.indexer.merging import TieredMerge
    from morgue.indexer.store import open_existing
    from morgue.indexer.whoosh_internals import ArticleWriter

    ix = open_existing(directory)
    with ix.reader() as reader:
        present = {d["id"] for d in docs if ("id", d["id"]) in reader}
    writer = ArticleWriter(ix, limitmb=64, timeout=120.0, delay=0.25)
    try:
        for doc in docs:
            if doc["id"] in present:
                writer.update_document(**doc)
            else:
                writer.add_document(**doc)
        writer.commit(mergetype=TieredMerge())
    except BaseException:
        writer.cancel()
        raise
    return len(docs)


class _Buffer:
    """A writer that keeps each shard's documents for the batch's write tasks."""

    def __init__(self, shards: int) -> None:
        self.shards = shards
        self.docs: dict[int, list[dict[str, Any]]] = {}

    def add_document(self, **doc: Any) -> None:
        self.docs.setdefault(shard_of(doc["id"], self.shards), []).append(doc)

    update_document = add_document


def index_on_cluster(
    paths: Iterable[str],
    index_dir: str | Path,
    scheduler: str,
    *,
    shards: int | None = None,
    force: bool = False,
    lock_timeout: float = 10.0,
    batch_size: int | None = None,
    progress: Callable[[str, str], None] | None = None,
    client: Any = None,
    captured: datetime | None = None,
    all_pages: bool = False,
) -> IndexReport:
    """`index_paths` with the cleaning and the shard writing on the Dask cluster at `scheduler`.

    `index_dir` must be on storage the workers share, at the same path; so must the pages.
    A single (unsharded) index is written as one shard. `client`: an open Dask client to
    use instead of connecting to `scheduler`. `captured` and `all_pages` as for `index_paths`.
    """
    started = time.monotonic()
    files = [os.path.abspath(p) for p in expand_paths(paths)]
    index_dir = Path(index_dir).resolve()
    index_dir.mkdir(parents=True, exist_ok=True)
    report = IndexReport(files=len(files))
    batch_size = batch_size or int(os.environ.get("MORGUE_BATCH_SIZE", "1000"))
    own_client = client is None
    if client is None:
        client = connect(scheduler)
    try:
        with WriteLock(index_dir, lock_timeout):
            shard_paths = prepare(index_dir, shards, rebuild=force)
            if shard_paths is None:  # a single index: one shard, itself
                from morgue.indexer.store import open_or_create

                open_or_create(index_dir, rebuild=force)
                shard_paths = [index_dir]
            manifest = Manifest(index_dir)
            if force:
                manifest.clear()
            try:
                todo = list(_plan(files, manifest, force, report, progress, captured, all_pages))
                with client.as_current():  # Dask's helpers (as_completed) use this client
                    _Run(client, [str(p) for p in shard_paths], manifest, batch_size, report,
                         progress, scheduler).run(todo)
            finally:
                manifest.close()
    finally:
        if own_client:
            client.close()
    report.seconds = time.monotonic() - started
    return report


class _Run:
    def __init__(self, client: Any, dirs: list[str], manifest: Manifest, batch_size: int,
                 report: IndexReport, progress: Callable[[str, str], None] | None, scheduler: str) -> None:
        self.client, self.dirs, self.manifest = client, dirs, manifest
        self.batch_size, self.report, self.progress = batch_size, report, progress
        self.scheduler = scheduler
        self.batch = _Batch()
        self.buffer = _Buffer(len(dirs))
        # (write futures, batch) submitted and not yet recorded in the manifest
        self.writing: tuple[list[Any], _Batch] | None = None
        self.written = 0

    def run(self, todo: list[_Job]) -> None:
        from distributed import as_completed

        workers = max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))
        window = workers * 4
        chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
        try:
            pending = as_completed()
            queued = iter(chunks)
            for chunk in queued:
                pending.add(self.client.submit(clean_files, chunk, pure=False))
                if pending.count() >= window:
                    break
            for future in pending:
                results = future.result()
                future.release()
                nxt = next(queued, None)
                if nxt is not None:
                    pending.add(self.client.submit(clean_files, nxt, pure=False))
                for result in results:
                    if result.doc is not None and result.doc["id"] in self.batch.articles:
                        self.flush()  # a second version of an article in one batch
                    status = _apply(result, self.buffer, self.manifest, self.batch, self.report, set())
                    if self.progress:
                        self.progress(result.path, status)
                if self.batch.docs >= self.batch_size:
                    self.flush()
            self.flush(final=True)
            self.wait()
        except MorgueError:
            raise
        except Exception as exc:
            name = type(exc).__name__
            raise MorgueError(
                f"indexing on the Dask cluster at {self.scheduler} stopped: {name}: {exc}; the "
                "batches committed before are kept: run `morgue index` again to finish") from None

    def flush(self, final: bool = False) -> None:
        """Submit this batch's shard writes once the previous batch is committed."""
        self.wait()
        if not self.batch.files and not self.batch.articles:
            return
        self.written += self.batch.docs
        futures = [self.client.submit(write_shard, self.dirs[i], docs, pure=False)
                   for i, docs in sorted(self.buffer.docs.items())]
        self.writing = (futures, self.batch)
        self.batch = _Batch()
        self.buffer = _Buffer(len(self.dirs))

    def wait(self) -> None:
        """Wait for the submitted shard writes, then record their batch in the manifest."""
        if self.writing is None:
            return
        futures, batch = self.writing
        self.writing = None
        self.client.gather(futures)
        for f in futures:
            f.release()
        self.manifest.record(batch.files, list(batch.articles.values()), batch.words)


__all__ = ["connect", "index_on_cluster"]

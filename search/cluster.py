"""Searching on a Dask cluster: each shard held open by an actor on a worker.

`ClusterShards` is `search.shards.LocalShards` with the shards elsewhere: one Dask actor
(`client.submit(ShardSearcher, path, actor=True)`) per shard keeps that shard's Whoosh
index, posting caches and document table open on a worker, and every phase of a query is
one call to each actor, made to all of them at once and then waited for. Dask does the
placement, transport and serialisation.

Actors are not resilient in Dask: an actor whose worker dies is gone. A call that finds
its actor gone raises `Unavailable` (HTTP 503 in the web app) naming the shards, and those
shards are opened again, on the workers that remain, before the next call uses them.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

from morgue.errors import MorgueError, Unavailable
from morgue.indexer.cluster import connect

#: Seconds a shard may take to open on a worker.
OPEN_TIMEOUT = 60.0
#: Seconds beyond the search time limit a call may take before its worker counts as lost.
CALL_SLACK = 10.0


def _lost(exc: BaseException) -> bool:
    """Whether an actor call failed because its worker (or the link to it) is gone."""
    if isinstance(exc, MorgueError):
        return False
    if isinstance(exc, (OSError, TimeoutError)):
        return True
    if isinstance(exc, RuntimeError) and "lost" in str(exc).lower():
        return True
    name = type(exc).__name__
    return name in ("CommClosedError", "KilledWorker", "CancelledError", "FutureCancelledError")


class ClusterShards:
    """The shards of an archive, each opened by a Dask actor on one of the cluster's workers."""

    def __init__(self, dirs: list[Path], scheduler: str, time_limit: float) -> None:
        self.dirs = [str(Path(d).resolve()) for d in dirs]
        self.scheduler = scheduler
        self.time_limit = time_limit
        self.client = connect(scheduler)
        self.shared_token: Any = None
        self._actors: dict[int, tuple[Any, Any]] = {}
        self._lock = threading.Lock()
        try:
            self._open(list(range(len(self.dirs))))
        except BaseException:
            self.client.close()
            raise

    def __len__(self) -> int:
        return len(self.dirs)

    def _open(self, numbers: list[int]) -> None:
        """Open these shards as actors, spread over the workers the scheduler has now."""
        from morgue.search.shards import ShardSearcher

        workers = sorted(self.client.scheduler_info(n_workers=-1)["workers"])
        if not workers:
            raise Unavailable(f"the Dask scheduler at {self.scheduler} has no workers")
        held = [self._actors[i][0] for i in self._actors]
        load = {w: 0 for w in workers}
        for future in held:
            for w in self.client.who_has([future]).get(future.key, ()):
                if w in load:
                    load[w] += 1
        futures = {}
        for i in numbers:
            target = min(workers, key=lambda w: (load[w], workers.index(w)))
            load[target] += 1
            futures[i] = self.client.submit(
                ShardSearcher, self.dirs[i], self.time_limit, actor=True, workers=[target],
                allow_other_workers=True, key=f"morgue-shard-{i}-{uuid.uuid4().hex[:12]}")
        for i, future in futures.items():
            try:
                with self.client.as_current():  # the actor's handle binds to this client
                    actor = future.result(timeout=OPEN_TIMEOUT)
            except MorgueError:
                raise
            except Exception as exc:
                raise Unavailable(f"shard {self.dirs[i]} could not be opened on the cluster at "
                                  f"{self.scheduler}: {type(exc).__name__}: {exc}") from None
            self._actors[i] = (future, actor)

    def _actor(self, i: int) -> Any:
        with self._lock:
            if i not in self._actors:
                self._open([i])
                self.shared_token = None  # the new actor has not been told the shared keys
            return self._actors[i][1]

    def call(self, method: str, args: dict[int, tuple]) -> dict[int, Any]:
        """Call `method` on the shards numbered in `args` at once; wait for every answer."""
        pending: dict[int, Any] = {}
        lost: list[int] = []
        for i, a in args.items():
            try:
                pending[i] = getattr(self._actor(i), method)(*a)
            except Exception as exc:
                if not _lost(exc):
                    raise
                lost.append(i)
        out: dict[int, Any] = {}
        for i, future in pending.items():
            try:
                out[i] = future.result(timeout=self.time_limit + CALL_SLACK)
            except Exception as exc:
                if not _lost(exc):
                    raise
                lost.append(i)
        if lost:
            self._forget(lost)
            names = ", ".join(Path(self.dirs[i]).name for i in sorted(lost))
            raise Unavailable(f"shards {names} were on a Dask worker that is gone; they are being "
                              "opened on another worker: retry in a moment")
        return out

    def _forget(self, numbers: list[int]) -> None:
        """Drop the actors of lost shards and open them again in the background."""
        with self._lock:
            for i in numbers:
                held = self._actors.pop(i, None)
                if held is not None:
                    try:
                        held[0].release()
                    except Exception:
                        pass
            self.shared_token = None

        def reopen() -> None:
            for i in numbers:
                try:
                    self._actor(i)
                except Exception:
                    pass  # the next call tries again, and says so if it still cannot

        threading.Thread(target=reopen, name="morgue-reopen-shards", daemon=True).start()

    def workers(self) -> dict[int, str]:
        """Which worker holds each shard (for tests and `docs/scaling.md`'s checks)."""
        out = {}
        for i, (future, _actor) in self._actors.items():
            held = self.client.who_has([future]).get(future.key, ())
            if held:
                out[i] = held[0]
        return out

    def close(self) -> None:
        for future, _actor in self._actors.values():
            try:
                future.release()
            except Exception:
                pass
        self._actors = {}
        self.client.close()


__all__ = ["ClusterShards"]

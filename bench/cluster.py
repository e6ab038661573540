"""Sharded archives on Dask: indexing throughput on 1 and 2 workers, and search latency of a
sharded archive (in this process and through the scheduler) beside a single index.

    python -m bench.cluster [--articles 20000] [--index-pages 3000] [--shards 4] [--queries 200]

Data: the latency benchmark's pages (Reuters-21578 and BBC News from ``../shared/data``,
rendered under ``bench/.work/pages/``; synthetic remixes past the real ~19k articles).

* Indexing: ``index_on_cluster`` of the first ``--index-pages`` pages into a fresh archive of
  ``--shards`` shards, on a ``LocalCluster`` of 1 and then 2 worker processes (one thread
  each); the cluster's start is not timed. pages/s, and 2 workers ÷ 1 worker.
* Latency: a single index and a sharded archive of the same ``--articles`` articles (built
  with ``index_paths``, jobs=2, kept under ``bench/.work/cluster/``), each asked the same
  ``--queries`` distinct queries (pairs of words from the articles' headlines, none repeated)
  after 20 warm-up queries, result cache off: the single index, the sharded archive searched
  in this process, and the sharded archive through a 2-worker LocalCluster (one actor per
  shard). p50/p95, the cost Dask adds to a query (p50 through the scheduler minus p50 in
  process), and how many answers (total and top-10 ids) differ from the single index.
* Per shard: disk size and articles, and each worker's memory (RSS) holding its shards.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench._common import WORK, expand_news, load_news, md_table, percentile, render_corpus, write_results


def _size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def _queries(arts: list[dict[str, Any]], n: int, seed: int = 7) -> list[str]:
    """`n` distinct two-word queries from headline words (4+ letters), in a fixed order."""
    words = sorted({w.lower() for a in arts for w in re.findall(r"[A-Za-z]{4,}", a["headline"])})
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        q = " ".join(rng.sample(words, 2))
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def _build(paths: list[Path], target: Path, n: int, shards: int | None) -> float:
    """The index of the first `n` pages at `target` (rebuilt unless it holds exactly them)."""
    from morgue.indexer.writer import index_paths
    from morgue.search import Archive

    if target.exists():
        try:
            if Archive(target, cache_size=0).stats().articles >= n * 0.95:
                return 0.0
        except Exception:
            pass
        shutil.rmtree(target)
    t0 = time.perf_counter()
    index_paths([str(p) for p in paths[:n]], target, jobs=2, shards=shards)
    return time.perf_counter() - t0


def _latency(archive: Any, queries: list[str], warm: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    for q in warm:
        archive.search(q)
    times: list[float] = []
    answers: dict[str, Any] = {}
    for q in queries:
        t0 = time.perf_counter()
        r = archive.search(q)
        times.append((time.perf_counter() - t0) * 1000)
        # order within equal scores is each layout's own tie-break, and so is which copy
        # stands for a story: stories are compared as sets of their copies' ids
        stories = sorted(sorted([h.id, *h.copy_ids]) for h in r.hits)
        answers[q] = (r.total, r.facets, stories, [h.score for h in r.hits])
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
            "mean_ms": sum(times) / len(times), "samples": len(times)}, answers


def _cpu_seconds() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _index_throughput(paths: list[Path], workers: int, shards: int, root: Path) -> dict[str, Any]:
    from distributed import LocalCluster

    from morgue.indexer.cluster import connect, index_on_cluster

    target = root / f"indexing-{workers}w"
    shutil.rmtree(target, ignore_errors=True)
    with LocalCluster(processes=True, n_workers=workers, threads_per_worker=1,
                      dashboard_address=None) as cluster:
        client = connect(cluster.scheduler_address)
        try:
            before = client.run(_cpu_seconds)
            own = _cpu_seconds()
            t0 = time.perf_counter()
            report = index_on_cluster([str(p) for p in paths], target, cluster.scheduler_address,
                                      shards=shards, client=client)
            seconds = time.perf_counter() - t0
            coordinator = _cpu_seconds() - own
            after = client.run(_cpu_seconds)
        finally:
            client.close()
    worker_cpu = sorted(after[w] - before[w] for w in after)
    n = len(paths)
    return {"workers": workers, "pages": n, "seconds": seconds, "pages_per_s": n / seconds,
            "added": report.added, "failed": len(report.failed), "index_bytes": _size(target),
            # CPU seconds each process spent, and the throughput they allow when cores are
            # free: limited by the busiest process, or by the work over 2 cores
            "coordinator_cpu_s": coordinator, "worker_cpu_s": worker_cpu,
            "cpu_bound_pages_per_s": n / max(coordinator, *worker_cpu),
            "two_core_bound_pages_per_s": n / max(coordinator, *worker_cpu, (coordinator + sum(worker_cpu)) / 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--index-pages", type=int, default=3000)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--only", choices=("indexing", "latency"), default=None)
    ap.add_argument("--json", dest="out", default=None)
    args = ap.parse_args(argv)

    import psutil
    from distributed import LocalCluster

    from morgue.indexer.shards import shard_dirs
    from morgue.search import Archive

    root = WORK / "cluster"
    root.mkdir(parents=True, exist_ok=True)
    arts = expand_news(load_news(), max(args.articles, args.index_pages))
    paths = render_corpus(arts, "news-modern", ("modern",))
    print(f"{len(paths)} pages ready", file=sys.stderr)

    indexing: list[dict[str, Any]] = []
    speedup = cpu_speedup = None
    if args.only != "latency":
        for workers in (1, 2):
            row = _index_throughput(paths[: args.index_pages], workers, args.shards, root)
            print(f"indexing, {workers} worker(s): {row['pages_per_s']:.1f} pages/s", file=sys.stderr)
            indexing.append(row)
        speedup = indexing[1]["pages_per_s"] / indexing[0]["pages_per_s"]
        cpu_speedup = indexing[1]["two_core_bound_pages_per_s"] / indexing[0]["two_core_bound_pages_per_s"]
        if args.only == "indexing":
            path = write_results("cluster-indexing", {"indexing": indexing, "speedup_2_over_1": speedup,
                                                      "two_core_bound_speedup": cpu_speedup,
                                                      "load_average": list(os.getloadavg())}, args.out)
            print(md_table(["indexing", "pages", "pages/s", "s", "coordinator CPU s", "worker CPU s",
                            "pages/s bound by CPU on 2 free cores"],
                           [[f"{r['workers']} worker(s)", r["pages"], r["pages_per_s"], r["seconds"],
                             r["coordinator_cpu_s"], ", ".join(f"{c:.1f}" for c in r["worker_cpu_s"]),
                             r["two_core_bound_pages_per_s"]] for r in indexing]))
            print(f"\n2 workers ÷ 1 worker: {speedup:.2f}× wall clock, {cpu_speedup:.2f}× CPU-bound; results: {path}")
            return 0

    single_dir = root / f"single-{args.articles}"
    sharded_dir = root / f"sharded-{args.shards}-{args.articles}"
    build = {"single_s": _build(paths, single_dir, args.articles, None),
             "sharded_s": _build(paths, sharded_dir, args.articles, args.shards)}
    queries = _queries(arts[: args.articles], args.queries + 20)
    warm, timed = queries[:20], queries[20:]

    single = Archive(single_dir, cache_size=0)
    local = Archive(sharded_dir, cache_size=0)
    rows: dict[str, Any] = {}
    rows["single index"], expected = _latency(single, timed, warm)
    rows[f"{args.shards} shards, in process"], got_local = _latency(local, timed, warm)
    with LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        remote = Archive(sharded_dir, cache_size=0, scheduler=cluster.scheduler_address)
        try:
            rows[f"{args.shards} shards, 2 Dask workers"], got_remote = _latency(remote, timed, warm)
            worker_rss = remote.shards.client.run(lambda: psutil.Process().memory_info().rss)
            placement = remote.shards.workers()
        finally:
            remote.close()
    differ_local = sum(1 for q in timed if got_local[q] != expected[q])
    differ_remote = sum(1 for q in timed if got_remote[q] != expected[q])
    p50 = {k: v["p50_ms"] for k, v in rows.items()}
    dask_cost = p50[f"{args.shards} shards, 2 Dask workers"] - p50[f"{args.shards} shards, in process"]
    shards = [{"shard": d.name, "bytes": _size(d)} for d in shard_dirs(sharded_dir)]
    stats = local.stats()
    payload = {
        "articles": stats.articles,
        "shards": args.shards,
        "indexing": indexing,
        "indexing_speedup_2_over_1": speedup,
        "indexing_two_core_bound_speedup": cpu_speedup,
        "build_seconds": build,
        "latency": rows,
        "dask_added_p50_ms": dask_cost,
        "answers_differing_from_single (total, facets, top-10 stories, scores)": {"in_process": differ_local, "cluster": differ_remote,
                                          "queries": len(timed)},
        "shard_sizes": shards,
        "single_index_bytes": _size(single_dir),
        "worker_rss_bytes": worker_rss,
        "shard_placement": placement,
        "load_average": list(os.getloadavg()),
    }
    path = write_results("cluster", payload, args.out)
    print(md_table(["indexing", "pages", "pages/s", "s"],
                   [[f"{r['workers']} worker(s), {args.shards} shards", r["pages"], r["pages_per_s"],
                     r["seconds"]] for r in indexing]))
    if speedup is not None:
        print(f"\n2 workers ÷ 1 worker: {speedup:.2f}× wall clock, {cpu_speedup:.2f}× CPU-bound\n")
    print(md_table(["search", "p50 ms", "p95 ms", "mean ms"],
                   [[k, v["p50_ms"], v["p95_ms"], v["mean_ms"]] for k, v in rows.items()]))
    print(f"\nDask adds {dask_cost:.2f} ms to the p50; answers differing from the single index: "
          f"{differ_local} in process, {differ_remote} on the cluster, of {len(timed)}")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

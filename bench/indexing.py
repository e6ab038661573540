"""Indexing throughput and memory: `morgue index --jobs J` beside trafilatura + SQLite FTS5.

    python -m bench.indexing [--quick] [--pages 20000] [--limit N] [--layouts modern,legacy,blog]
                             [--jobs 1,2] [--repeat N]

Data: Reuters-21578 and BBC News from ``../shared/data/corpora`` (read in place), rendered
into HTML pages spread round-robin over several layouts (modern: JSON-LD/OpenGraph and
boilerplate; legacy: table layout with font tags; blog: CMS post with sidebar and comments)
under ``bench/.work/pages/`` (kept between runs). Same pages, same run, for each number of
worker processes J in ``--jobs`` (default 1 and 2):

* Morgue — ``morgue index --jobs J`` as a subprocess into a fresh index: pages/s end to end,
  peak RSS (sum over the process tree, psutil sampled every 50 ms); then, for the largest J,
  the same command again on the unchanged files (the incremental re-run) and its speed-up.
* Peer — trafilatura ``extract`` (with metadata) in a ``multiprocessing.Pool(J)`` feeding
  one SQLite FTS5 table (porter), committed every 500 rows: pages/s and peak RSS the same
  way (the peer runs in its own subprocess so that the measurement covers only it).

``--repeat N`` runs each fresh build N times: pages/s is the median, with min-max.
``--quick`` uses 2000 pages; ``--limit N`` uses N pages (smoke tests).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._common import (BENCH, LAYOUTS, WORK, expand_news, load_news, md_table,
                           render_corpus, write_results)


def run_measured(cmd: list[str], *, cwd: str | None = None) -> dict[str, Any]:
    """Run `cmd`; wall seconds and peak memory of it and all its children (sampled).

    Two sums over the process tree: RSS, which counts the pages forked workers share with
    their parent once per process, and PSS (proportional set size), which splits each
    shared page between the processes sharing it, so that it adds up to what the tree
    really holds.
    """
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    ps = psutil.Process(proc.pid)
    peak = peak_pss = 0
    while proc.poll() is None:
        total = total_pss = 0
        try:
            procs = [ps] + ps.children(recursive=True)
        except psutil.NoSuchProcess:
            procs = []
        for p in procs:
            try:
                total += p.memory_info().rss
                total_pss += getattr(p.memory_full_info(), "pss", 0)
            except psutil.Error:
                pass
        peak = max(peak, total)
        peak_pss = max(peak_pss, total_pss)
        time.sleep(0.05)
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} failed ({proc.returncode}): {err[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": peak / 2**20, "peak_pss_mb": peak_pss / 2**20,
            "stdout": out, "stderr": err}


# -- peer: trafilatura in a pool of 2 + FTS5, run as `python -m bench.indexing --peer ...` --


def _peer_extract(path: str) -> tuple[str, str, str, str] | None:
    import trafilatura

    with open(path, "rb") as fh:
        data = fh.read()
    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                      as_dict=True) if _bare_has_as_dict() else \
        trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    if doc is None:
        return None
    if not isinstance(doc, dict):
        doc = doc.as_dict() if hasattr(doc, "as_dict") else vars(doc)
    text = doc.get("text") or ""
    if not text:
        return None
    return (path, doc.get("title") or "", text, doc.get("date") or "")


_AS_DICT: bool | None = None


def _bare_has_as_dict() -> bool:
    global _AS_DICT
    if _AS_DICT is None:
        import inspect

        import trafilatura

        _AS_DICT = "as_dict" in inspect.signature(trafilatura.bare_extraction).parameters
    return _AS_DICT


def peer_main(list_file: str, db: str, jobs: int = 2) -> None:
    import multiprocessing

    paths = Path(list_file).read_text().split("\n")
    paths = [p for p in paths if p]
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE a USING fts5(path UNINDEXED, title, body, "
                "date UNINDEXED, tokenize='porter')")
    ok = failed = 0
    rows = []
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for r in pool.imap_unordered(_peer_extract, paths, chunksize=8):
            if r is None:
                failed += 1
                continue
            rows.append(r)
            ok += 1
            if len(rows) >= 500:
                con.executemany("INSERT INTO a VALUES (?, ?, ?, ?)", rows)
                con.commit()
                rows = []
    con.executemany("INSERT INTO a VALUES (?, ?, ?, ?)", rows)
    con.commit()
    print(json.dumps({"ok": ok, "failed": failed}))


# -- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="2000 pages")
    ap.add_argument("--pages", type=int, default=20000)
    ap.add_argument("--limit", type=int, default=None, help="N pages (smoke tests)")
    ap.add_argument("--layouts", default=",".join(LAYOUTS))
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--jobs", default="1,2",
                    help="worker processes to measure, e.g. 1,2 (Morgue --jobs and the peer's Pool)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="fresh-index runs per pipeline and jobs (median and min-max)")
    ap.add_argument("--json", dest="out", default=None)
    ap.add_argument("--peer", nargs="+", metavar="LIST DB [JOBS]", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.peer:
        peer_main(args.peer[0], args.peer[1], int(args.peer[2]) if len(args.peer) > 2 else 2)
        return 0
    jobs_list = [int(j) for j in args.jobs.split(",") if j.strip()]
    rerun_jobs = max(jobs_list)

    n = args.limit or (2000 if args.quick else args.pages)
    layouts = tuple(args.layouts.split(","))
    arts = expand_news(load_news(), n)
    t0 = time.perf_counter()
    paths = render_corpus(arts, "news-" + "-".join(layouts), layouts)
    mb = sum(p.stat().st_size for p in paths) / 2**20
    print(f"{n} pages ({mb:.0f} MB, layouts {', '.join(layouts)}) ready in "
          f"{time.perf_counter() - t0:.1f}s", file=sys.stderr)

    root = WORK / "indexing"
    root.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="run-", dir=root) as t:
        tmp = Path(t)
        list_file = tmp / "pages.txt"
        list_file.write_text("\n".join(str(p) for p in paths))
        morgue = str(Path(sys.executable).with_name("morgue"))
        if not os.path.exists(morgue):
            morgue_cmd = [sys.executable, "-m", "morgue"]
        else:
            morgue_cmd = [morgue]
        # A directory argument, so the command line stays short for 20k pages.
        page_dir = paths[0].parents[1]
        if len(list(page_dir.rglob("*.html"))) != n:
            # The cache holds more pages than asked for: link just these into a folder.
            page_dir = tmp / "pages"
            page_dir.mkdir()
            for p in paths:
                os.symlink(p, page_dir / p.name)
        peer_ok = not args.no_peer
        if args.no_peer:
            skipped["trafilatura + FTS5"] = "--no-peer"
        else:
            try:
                import trafilatura  # noqa: F401
            except ImportError as exc:
                skipped["trafilatura + FTS5"] = f"trafilatura not installed ({exc})"
                peer_ok = False
        for jobs in jobs_list:
            runs: list[dict[str, Any]] = []
            for k in range(args.repeat):
                ix = tmp / f"morgue-j{jobs}-{k}"
                cmd = morgue_cmd + ["index", "--index", str(ix), "--jobs", str(jobs), "--json",
                                    str(page_dir)]
                r = run_measured(cmd, cwd=str(BENCH.parent))
                r["report"] = json.loads(r["stdout"])
                r["index_mb"] = sum(p.stat().st_size for p in ix.iterdir() if p.is_file()) / 2**20
                if jobs == rerun_jobs and k == args.repeat - 1:
                    # the incremental re-run over the unchanged files, on the last fresh index
                    again = run_measured(cmd, cwd=str(BENCH.parent))
                    again["report"] = json.loads(again["stdout"])
                    r["rerun"] = again
                shutil.rmtree(ix, ignore_errors=True)  # keep the disk use of a run bounded
                runs.append(r)
            rows.append(_row("Morgue", f"morgue index --jobs {jobs}", jobs, n, runs))
            rerun = next((r["rerun"] for r in runs if "rerun" in r), None)
            if rerun is not None:
                rows.append({**_row("Morgue", f"morgue index --jobs {jobs} (re-run, unchanged)",
                                    jobs, n, [rerun]), "kind": "rerun",
                             "speedup": runs[-1]["seconds"] / rerun["seconds"]})
            if peer_ok:
                pruns = []
                for k in range(args.repeat):
                    db = tmp / f"peer-j{jobs}-{k}.db"
                    r = run_measured([sys.executable, "-m", "bench.indexing", "--peer",
                                      str(list_file), str(db), str(jobs)], cwd=str(BENCH.parent))
                    r["report"] = json.loads(r["stdout"].strip().splitlines()[-1])
                    r["index_mb"] = db.stat().st_size / 2**20
                    db.unlink()
                    pruns.append(r)
                rows.append(_row("trafilatura + SQLite FTS5",
                                 f"trafilatura (Pool {jobs}) + SQLite FTS5", jobs, n, pruns))
        for r in rows:
            if r["kind"] == "fresh" and r["engine"] == "Morgue":
                peer = next((p for p in rows if p["engine"] != "Morgue" and p["jobs"] == r["jobs"]),
                            None)
                if peer:
                    r["vs_peer"] = r["pages_per_s"] / peer["pages_per_s"]

    print(f"## Indexing {n} pages ({', '.join(layouts)} layouts; worker processes "
          f"{', '.join(map(str, jobs_list))}; {args.repeat} run(s) each)\n")
    print(md_table(["pipeline", "jobs", "pages", "s", "pages/s", "min-max", "peak PSS MB",
                    "peak RSS MB", "index MB", "notes"],
                   [[r["pipeline"], r["jobs"], r["pages"], r["seconds"], r["pages_per_s"],
                     _spread(r), r.get("peak_pss_mb"), r["peak_rss_mb"], r.get("index_mb"),
                     _notes(r)] for r in rows]))
    for k, v in skipped.items():
        print(f"\n{k} skipped: {v}")
    path = write_results("indexing", {"pages": n, "layouts": layouts, "input_mb": mb,
                                      "jobs": jobs_list, "repeat": args.repeat,
                                      "rows": rows, "skipped": skipped}, args.out)
    print(f"\nresults: {path}", file=sys.stderr)
    return 0


def _row(engine: str, pipeline: str, jobs: int, n: int, runs: list[dict[str, Any]]
         ) -> dict[str, Any]:
    """One table row from repeated runs: the median run's figures, every run's pages/s."""
    rates = [n / r["seconds"] for r in runs]
    med = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {"engine": engine, "pipeline": pipeline, "jobs": jobs, "kind": "fresh", "pages": n,
            "seconds": med["seconds"], "pages_per_s": statistics.median(rates),
            "runs_pages_per_s": rates, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "peak_pss_mb": max(r.get("peak_pss_mb", 0) for r in runs),
            "report": med["report"], "index_mb": med.get("index_mb")}


def _spread(r: dict[str, Any]) -> str:
    rates = r.get("runs_pages_per_s") or []
    return f"{min(rates):.1f}-{max(rates):.1f}" if len(rates) > 1 else ""


def _notes(r: dict[str, Any]) -> str:
    rep = r.get("report") or {}
    if "speedup" in r:
        return f"{r['speedup']:.1f}× faster; {rep.get('unchanged')} unchanged"
    if "added" in rep:
        return (f"{rep['added']} added, {rep.get('duplicates')} dup, "
                f"{len(rep.get('failed') or [])} failed")
    if "ok" in rep:
        return f"{rep['ok']} ok, {rep['failed']} failed"
    return ""


if __name__ == "__main__":
    raise SystemExit(main())

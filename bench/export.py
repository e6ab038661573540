"""Exporting every hit of a search as CSV: Morgue over HTTP beside sqlite3's CSV export of FTS5.

Morgue: `python -m morgue.web.server` on the index (its response and result caches off), and
`GET /api/search?...&format=csv&all=true` read as a client would, 64 KiB at a time. Measured:
the server's peak RSS growth during the export (its peak is reset through
/proc/PID/clear_refs just before the request, and read as VmHWM after it) and, sampled every
20 ms, how much of it is anonymous memory (heap) rather than pages of the memory-mapped index
files the export reads (file-backed, dropped when the export's reader closes); the time to
the first byte of the body; and hits per second over the whole export.

The peer: the `sqlite3` command-line shell writing the same rows as CSV (`-csv -header`) from
an FTS5 table holding the same articles, in the same order, with a snippet of the body:
time to its first byte on the pipe, hits per second, and its peak RSS (wait4's ru_maxrss).

The corpus is the benchmark news corpus (Reuters-21578 and BBC from ../shared/data, expanded
by `expand_news`), rendered as HTML pages and indexed with `index_paths` (2 jobs); both are
cached under bench/.work/ between runs.

    python -m bench.export --size 20000
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench._common import WORK, expand_news, load_news, md_table, render_corpus, write_results

#: (label, Morgue query string, the sqlite3 SELECT of the same rows in the same order)
CASES = [
    ("every article, newest first", "sort=newest",
     "SELECT id, url, headline, published, section, source, substr(body, 1, 240) AS snippet "
     "FROM a ORDER BY ts DESC, rowid"),
    ("'said', by relevance", "q=said&sort=relevance",
     "SELECT id, url, headline, published, section, source, "
     "snippet(a, 6, '', '', '…', 30) AS snippet FROM a WHERE a MATCH 'said' ORDER BY rank"),
]
READ = 64 * 1024


def _ts(a: dict[str, Any]) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(a["date"][:19]).timestamp())


def build_morgue(paths: list[Path], directory: Path) -> None:
    from morgue.indexer.writer import index_paths

    if (directory / "built").exists():
        return
    t0 = time.perf_counter()
    report = index_paths([str(p) for p in paths], directory, jobs=2)
    print(f"morgue index: {report.added} articles in {time.perf_counter() - t0:.0f}s", flush=True)
    (directory / "built").write_text(str(report.added))


def build_fts5(arts: list[dict[str, Any]], path: Path) -> None:
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.execute("CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, url UNINDEXED, headline, "
                "published UNINDEXED, section UNINDEXED, source UNINDEXED, body, ts UNINDEXED, "
                "tokenize='porter')")
    con.executemany("INSERT INTO a VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (a["id"], a["url"], a["headline"], a["date"], a.get("section") or "", a["source"],
         "\n\n".join(a["paragraphs"]), _ts(a)) for a in arts])
    con.commit()
    con.close()
    tmp.replace(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _read_all(stream: Any, started: float) -> tuple[float, int, int]:
    """(seconds to the first byte, bytes, lines) of a stream read to its end."""
    first = None
    size = lines = 0
    while True:
        data = stream.read1(READ) if hasattr(stream, "read1") else stream.read(READ)
        if not data:
            break
        if first is None:
            first = time.perf_counter() - started
        size += len(data)
        lines += data.count(b"\n")
    return first or float("nan"), size, lines


def measure_morgue(index: Path, query: str) -> dict[str, Any]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "morgue.web.server", "--index", str(index), "--port", str(port),
         "--cache-size", "0"], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        urllib.request.urlopen(base + "/api/search?q=warmup&facets=false", timeout=60).read()
        before = {f: _status_kb(server.pid, f) for f in ("VmRSS", "RssAnon", "RssFile")}
        peaks = dict(before)
        done = threading.Event()

        def sample() -> None:  # the kernel keeps no peak of anonymous memory alone
            while not done.wait(0.02):
                for f in ("RssAnon", "RssFile"):
                    peaks[f] = max(peaks[f], _status_kb(server.pid, f))

        sampler = threading.Thread(target=sample, daemon=True)
        Path(f"/proc/{server.pid}/clear_refs").write_text("5")  # reset the peak (VmHWM)
        sampler.start()
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base}/api/search?{query}&format=csv&all=true",
                                    timeout=600) as res:
            total = int(res.headers["X-Total-Count"])
            first, size, lines = _read_all(res, started)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        peak = _status_kb(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(10)
    rows = total  # X-Total-Count: a quoted CSV cell may hold line breaks
    return {"hits": total, "lines": lines, "bytes": size, "first_byte_s": round(first, 3),
            "seconds": round(seconds, 2), "hits_per_s": round(rows / seconds),
            "rss_before_mb": round(before["VmRSS"] / 1024, 1),
            "peak_rss_growth_mb": round((peak - before["VmRSS"]) / 1024, 1),
            "peak_anon_growth_mb": round((peaks["RssAnon"] - before["RssAnon"]) / 1024, 1),
            "peak_file_growth_mb": round((peaks["RssFile"] - before["RssFile"]) / 1024, 1)}


def measure_sqlite(db: Path, sql: str) -> dict[str, Any]:
    started = time.perf_counter()
    proc = subprocess.Popen(["sqlite3", "-csv", "-header", str(db), sql], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    first, size, lines = _read_all(proc.stdout, started)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, proc.returncode
    # Counted apart: a quoted CSV cell may hold line breaks, so lines are not rows.
    con = sqlite3.connect(db)
    rows = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    con.close()
    return {"rows": rows, "bytes": size, "first_byte_s": round(first, 3), "seconds": round(seconds, 2),
            "hits_per_s": round(rows / seconds),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=20_000, help="articles in the index")
    parser.add_argument("--work", help="cache of the index and the FTS5 table "
                        "(default bench/.work/export/SIZE)")
    parser.add_argument("--json", "--out", dest="out",
                        help="results JSON (default bench/results/export-DATE.json)")
    args = parser.parse_args(argv)

    arts = expand_news(load_news(), args.size)
    t0 = time.perf_counter()
    paths = render_corpus(arts, "news-modern", ("modern",))
    print(f"{len(paths)} pages ready in {time.perf_counter() - t0:.0f}s", flush=True)
    root = Path(args.work) if args.work else WORK / "export" / str(args.size)
    root.mkdir(parents=True, exist_ok=True)
    build_morgue(paths, root / "morgue")
    build_fts5(arts, root / "fts5.db")

    results = []
    for label, query, sql in CASES:
        morgue = measure_morgue(root / "morgue", query)
        peer = measure_sqlite(root / "fts5.db", sql)
        results.append({"case": label, "morgue": morgue, "sqlite3_fts5": peer})
        print(label, morgue, peer, flush=True)
    rows = [[r["case"], r["morgue"]["hits"], r["morgue"]["first_byte_s"], r["sqlite3_fts5"]["first_byte_s"],
             r["morgue"]["hits_per_s"], r["sqlite3_fts5"]["hits_per_s"],
             round(r["morgue"]["hits_per_s"] / max(r["sqlite3_fts5"]["hits_per_s"], 1), 2),
             r["morgue"]["peak_rss_growth_mb"], r["morgue"]["peak_anon_growth_mb"],
             r["sqlite3_fts5"]["peak_rss_mb"]] for r in results]
    print(md_table(["export", "hits", "Morgue first byte (s)", "sqlite3 first byte (s)",
                    "Morgue hits/s", "sqlite3 rows/s", "ratio", "Morgue peak RSS growth (MB)",
                    "of which heap (MB)", "sqlite3 peak RSS (MB)"], rows))
    path = write_results("export", {"size": args.size, "cases": results}, args.out)
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

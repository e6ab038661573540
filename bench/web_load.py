"""Web throughput: requests/s and latency of `/api/search` and `/search` beside `/healthz`.

    python -m bench.web_load [--quick] [--size N] [--index DIR] [--duration S] [--repeat N]
                             [--threads N] [--connections C] [--json OUT]

The real server (``python -m morgue.web.server --index DIR --port P --threads N``: waitress, the
access log on) runs in a subprocess on 127.0.0.1; ``wrk`` (Debian package ``wrk``) drives it
from the same machine, loopback only, each run bounded in time (``--duration``, default 15 s,
``--quick`` 3 s; ``wrk --timeout`` 10 s). Routes, measured in the same run, interleaved:

* ``/healthz`` — the trivial route: the ceiling of the server stack (waitress + bottle +
  access log) on this machine;
* ``/api/search?q=...`` and ``/search?q=...`` — a fixed query mix cycled by a Lua script:
  30 queries of ``bench.latency``'s mix (single words, two words, phrases, date filters);
  it repeats, so the server answers most of it from its result cache;
* the same two routes on a second server started with ``--cache-size 0``, with every query
  new: 8,000 distinct queries of the same mix, each run (and the warm-up) starting at its own
  slice, so no query is asked twice (what users' never-repeated queries get).

Warm-up: every path once, one request at a time, then each route for 1 s under load; after
every wrk run the server drains what wrk left queued. Then ``--repeat`` runs (default 3, ``--quick`` 1); requests/s
is the median of the runs with min-max; latency percentiles (p50/p95/p99, from wrk's own
histogram) and errors (connect/read/write/timeouts/non-2xx) are from the median run, errors
summed over all runs. Goal: search throughput >= 50% of ``/healthz``, 0 errors.

Index: ``--index DIR``, else the Morgue index cached by ``bench.latency`` under
``bench/.work/latency*/morgue`` — with ``--size N`` the one holding N articles (grown there
with the latency benchmark's code if none does), else the largest available (a 2000-article
one is built when there is none). The JSON and the output say which.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench._common import BENCH, WORK, md_table, write_results

GOAL_RATIO = 0.5

LUA = r"""
local paths = {%(paths)s}
local counter = 0
local tid = 0
local threads = {}

function setup(thread)
  thread:set("tid", tid)
  tid = tid + 1
  table.insert(threads, thread)
end

function init(args)
  counter = %(offset)d + tid * math.floor(#paths / 16)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write("WRKJSON ")
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "bytes": %%d, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}, ' ..
    '"latency_us": {"p50": %%d, "p90": %%d, "p95": %%d, "p99": %%d, "max": %%d, "mean": %%f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


UNCACHED = " (cache off)"


_FALLBACK = ["bridge", "council budget", '"old mill bridge"', "flood date:2020", "storm",
             "harbour ferry", '"river tane"', "election date:2019"]

#: Distinct queries for the cache-off routes: each wrk run (and the warm-up) takes its own
#: slice, so no query is asked twice in a run or across runs.
DISTINCT = 8000


def query_paths() -> dict[str, list[str]]:
    """The request paths per route.

    The default server's routes cycle 30 queries of ``bench.latency``'s mix (single words, two
    words, phrases, date filters), so most are answered from its result cache. Routes ending
    in UNCACHED go to a second server started with ``--cache-size 0`` and get `DISTINCT`
    queries of the same mix, never repeated: every request runs a new search.
    """
    from bench._common import DATA, load_news
    from bench.latency import make_queries

    if (DATA / "corpora").exists():
        drawn = make_queries(load_news(), DISTINCT // 4)
        qs = [f"{q} date:{d}" if d else q for _kind, q, d in drawn]
    else:  # no corpora to draw from (smoke tests without ../shared): the sample's words
        qs = [f"{w} {i}" if i else w for i in range(DISTINCT // len(_FALLBACK)) for w in _FALLBACK]

    def paths(route: str, queries: list[str]) -> list[str]:
        return [f"{route}?" + urlencode({"q": q}) for q in queries]

    return {"/healthz": ["/healthz"], "/api/search": paths("/api/search", qs[:30]),
            "/search": paths("/search", qs[:30]),
            "/api/search" + UNCACHED: paths("/api/search", qs),
            "/search" + UNCACHED: paths("/search", qs)}


def lua_script(paths: list[str], offset: int = 0) -> str:
    return LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "offset": offset}


# -- index --------------------------------------------------------------------------------


def cached_indexes() -> list[tuple[int, Path]]:
    """(articles, dir) of the Morgue indexes that bench.latency left under bench/.work/."""
    out = []
    for state in sorted(WORK.glob("latency*/morgue.json")):
        try:
            n = int(json.loads(state.read_text())["n"])
        except (ValueError, KeyError, OSError):
            continue
        d = state.with_name("morgue")
        if n > 0 and ((d / "morgue-manifest.sqlite").exists() or any(d.glob("*.toc"))):
            out.append((n, d))
    return sorted(out)


def grow_index(n: int, root: Path) -> Path:
    """Grow (or build) the latency benchmark's Morgue index under `root` to n articles."""
    from bench._common import expand_news, load_news, render_corpus
    from bench.latency import MorgueEngine

    arts = expand_news(load_news(), n)
    paths = render_corpus(arts, "news-modern", ("modern",))
    root.mkdir(parents=True, exist_ok=True)
    eng = MorgueEngine(root)
    took = eng.grow(paths, n)
    if took:
        print(f"Morgue index grown to {n} articles in {took:.1f}s ({root})", file=sys.stderr)
    return eng.dir


def pick_index(args: argparse.Namespace) -> tuple[Path, int | None, str]:
    if args.index:
        return Path(args.index), None, "given (--index)"
    have = cached_indexes()
    if args.size:
        for n, d in have:
            if n == args.size:
                return d, n, "cached by bench.latency"
        root = WORK / "latency"
        # Never shrink the latency benchmark's main cache: build elsewhere when it is bigger.
        if have and any(d.parent == root and n > args.size for n, d in have):
            root = WORK / f"latency-{args.size}"
        return grow_index(args.size, root), args.size, f"built for --size in {root.name}"
    if have:
        n, d = have[-1]
        return d, n, "largest cached by bench.latency"
    return grow_index(2000, WORK / "latency-quick"), 2000, "built (no cached index found)"


# -- server and load ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, index: Path, threads: int, log_path: Path, cache_size: int = 256) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "morgue.web.server", "--index", str(index), "--host", "127.0.0.1",
             "--port", str(self.port), "--threads", str(threads),
             "--cache-size", str(cache_size)],
            cwd=str(BENCH.parent), stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 120.0) -> float:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout:.0f}s:\n{self.tail()}")

    def tail(self, n: int = 3000) -> str:
        self.log.flush()
        return self.log_path.read_bytes()[-n:].decode("utf-8", "replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


def drain(base: str, timeout: float = 60.0) -> None:
    """Wait until requests left queued by a finished wrk run are served (a quick /healthz)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        t = time.perf_counter()
        with urllib.request.urlopen(base + "/healthz", timeout=timeout) as r:
            r.read()
        if time.perf_counter() - t < 0.05:
            return


def run_wrk(wrk: str, base: str, script: Path, seconds: float, connections: int,
            wrk_threads: int) -> dict[str, Any]:
    cmd = [wrk, f"-t{wrk_threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
           "--timeout", "10s", "-s", str(script), base + "/"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr[-2000:]}")
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"no summary from wrk:\n{proc.stdout[-2000:]}")
    r = json.loads(line[len("WRKJSON "):])
    secs = r["duration_us"] / 1e6
    lat = r["latency_us"]
    return {"requests": r["requests"], "seconds": secs,
            "rps": r["requests"] / secs if secs else 0.0,
            "p50_ms": lat["p50"] / 1000, "p90_ms": lat["p90"] / 1000,
            "p95_ms": lat["p95"] / 1000, "p99_ms": lat["p99"] / 1000,
            "max_ms": lat["max"] / 1000, "mean_ms": lat["mean"] / 1000,
            "errors": r["errors"], "error_count": sum(r["errors"].values()),
            "mb": r["bytes"] / 2**20}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 s per run, one run per route")
    ap.add_argument("--size", type=int, default=None,
                    help="articles in the index (default: the largest cached one)")
    ap.add_argument("--index", default=None, help="serve this index instead")
    ap.add_argument("--duration", type=float, default=None, help="seconds per run (15; quick 3)")
    ap.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per route (0: none)")
    ap.add_argument("--repeat", type=int, default=None, help="runs per route (3; quick 1)")
    ap.add_argument("--threads", type=int, default=4, help="server threads (waitress)")
    ap.add_argument("--connections", type=int, default=8, help="wrk connections")
    ap.add_argument("--wrk-threads", type=int, default=1)
    ap.add_argument("--json", dest="out", default=None)
    args = ap.parse_args(argv)
    duration = args.duration or (3.0 if args.quick else 15.0)
    repeat = args.repeat or (1 if args.quick else 3)

    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk not found: install it (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    index, size, how = pick_index(args)
    print(f"index: {index} ({size if size is not None else '?'} articles, {how})",
          file=sys.stderr)

    routes = query_paths()
    runs: dict[str, list[dict[str, Any]]] = {r: [] for r in routes}
    with tempfile.TemporaryDirectory(prefix="morgue-web-load-") as t:
        tmp = Path(t)
        scripts: dict[tuple[str, int], Path] = {}
        for i, (route, paths) in enumerate(routes.items()):
            # Run k (0: the warm-up) starts at its own slice of the paths.
            for k in range(repeat + 1):
                offset = k * len(paths) // (repeat + 1) if route.endswith(UNCACHED) else 0
                scripts[route, k] = tmp / f"route{i}-{k}.lua"
                scripts[route, k].write_text(lua_script(paths, offset))
        server = Server(index, args.threads, tmp / "server.log")
        uncached = Server(index, args.threads, tmp / "server-uncached.log", cache_size=0)
        servers = [server, uncached]

        def base(route: str) -> str:
            return (uncached if route.endswith(UNCACHED) else server).base

        try:
            for s in servers:
                ready = s.wait_ready()
                print(f"server up on {s.base} in {ready:.1f}s "
                      f"({args.threads} threads)", file=sys.stderr)
            if args.warmup > 0:
                # Every path once, one at a time (searchers, templates, posting lists, the
                # result cache), then each route under load for --warmup seconds.
                for route, paths in routes.items():
                    for path in paths[-20:] if route.endswith(UNCACHED) else paths:
                        with urllib.request.urlopen(base(route) + path, timeout=120) as r:
                            r.read()
                for route in routes:
                    run_wrk(wrk, base(route), scripts[route, 0], args.warmup, args.connections,
                            args.wrk_threads)
                    drain(base(route))
            for k in range(repeat):
                for route in routes:
                    r = run_wrk(wrk, base(route), scripts[route, k + 1], duration, args.connections,
                                args.wrk_threads)
                    drain(base(route))
                    runs[route].append(r)
                    print(f"[{k + 1}/{repeat}] {route}: {r['rps']:.1f} req/s, "
                          f"p95 {r['p95_ms']:.1f} ms, {r['error_count']} errors",
                          file=sys.stderr)
            for s in servers:
                if s.proc.poll() is not None:
                    raise RuntimeError(f"server died during the run:\n{s.tail()}")
        finally:
            for s in servers:
                s.stop()

    rows: list[dict[str, Any]] = []
    for route, rs in runs.items():
        by_rps = sorted(rs, key=lambda r: r["rps"])
        med = by_rps[len(by_rps) // 2]
        rps = [r["rps"] for r in rs]
        rows.append({"route": route, "queries": len(routes[route]), "runs": rs,
                     "rps": sorted(rps)[len(rps) // 2] if len(rps) % 2 else
                     (sorted(rps)[len(rps) // 2 - 1] + sorted(rps)[len(rps) // 2]) / 2,
                     "rps_min": min(rps), "rps_max": max(rps),
                     "p50_ms": med["p50_ms"], "p95_ms": med["p95_ms"], "p99_ms": med["p99_ms"],
                     "requests": sum(r["requests"] for r in rs),
                     "errors": sum(r["error_count"] for r in rs)})
    health = rows[0]["rps"]
    for r in rows:
        r["vs_healthz"] = r["rps"] / health if health else None
    # The goal is judged on the server as configured by default (result cache on); the
    # cache-off rows say what a mix of never-repeated queries would get.
    goal = all((r["vs_healthz"] or 0) >= GOAL_RATIO for r in rows[1:]
               if not r["route"].endswith(UNCACHED)) and all(r["errors"] == 0 for r in rows)

    label = f"{size:,} articles" if size is not None else str(index)
    print(f"## Web throughput ({label}; waitress {args.threads} threads; wrk {args.connections} "
          f"connections, {repeat} × {duration:g} s per route, loopback)\n")
    print(md_table(["route", "req/s", "min-max", "vs /healthz", "p50 ms", "p95 ms", "p99 ms",
                    "errors"],
                   [[r["route"], r["rps"], f"{r['rps_min']:.1f}-{r['rps_max']:.1f}",
                     f"{r['vs_healthz']:.1%}" if r["vs_healthz"] is not None else "",
                     r["p50_ms"], r["p95_ms"], r["p99_ms"], r["errors"]] for r in rows]))
    print(f"\nGoal (search ≥ {GOAL_RATIO:.0%} of /healthz req/s, 0 errors; default server, "
          f"result cache on): "
          f"{'met' if goal else 'NOT met'}")
    path = write_results("web_load", {
        "index": str(index), "size": size, "index_source": how, "threads": args.threads,
        "connections": args.connections, "wrk_threads": args.wrk_threads,
        "duration_s": duration, "repeat": repeat, "goal_ratio": GOAL_RATIO, "goal_met": goal,
        "rows": rows}, args.out)
    print(f"\nresults: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where one machine stops: build and query one Morgue index of N articles (1,000,000 by default).

    python -m bench.scale [--articles 1000000] [--jobs 2] [--per-kind 100] [--web-seconds 15]

Steps, each timed, on synthetic remixes of the Reuters and BBC corpora past their ~19k real
articles (``bench._common.expand_news``), rendered as pages under ``bench/.work/pages/``:

1. build: ``morgue index --jobs J`` into a fresh ``bench/.work/scale-N/morgue``: seconds,
   pages/s, peak PSS and RSS of the process tree (``bench.indexing.run_measured``), index size;
2. latency: ``Archive.search`` with its defaults, result cache off, each of ``--per-kind``
   distinct queries per kind asked once (``bench.latency.make_queries``), p50/p95 per kind;
3. web: ``bench.web_load`` on the same index, ``/api/search`` with every query new beside
   ``/healthz`` (needs ``wrk``; skipped without it).

Writes ``bench/results/scale-N-DATE.json`` and prints a Markdown section for
``docs/benchmarks.md`` (paste it into ``bench/measured.md``; ``make bench-report`` appends
that file). ``make bench-1m`` runs it at 1,000,000 articles: about a day of indexing on the
2-core machine, and some 3 GB of pages on disk.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench._common import (BENCH, WORK, expand_news, load_news, md_table, render_corpus,
                           write_results)
from bench.indexing import run_measured
from bench.latency import KINDS, MorgueEngine, make_queries, measure


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1_000_000, help="a multiple of 1,000")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--per-kind", type=int, default=100)
    ap.add_argument("--web-seconds", type=float, default=15.0, help="0: skip the web step")
    ap.add_argument("--keep", action="store_true", help="reuse an index already built here")
    ap.add_argument("--json", dest="out", default=None)
    args = ap.parse_args(argv)
    n = args.articles

    real = load_news()
    t0 = time.perf_counter()
    paths = render_corpus(expand_news(real, n), "news-modern", ("modern",))
    print(f"{len(paths)} pages ready in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    root = WORK / f"scale-{n}"
    index = root / "morgue"
    out: dict[str, Any] = {"articles": n, "synthetic": max(0, n - len(real)), "jobs": args.jobs}

    if not (args.keep and (root / "morgue.json").exists()):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        # The page folders hold 1,000 pages each: N is taken in whole thousands.
        folders = sorted({str(p.parent) for p in paths})
        m = run_measured([sys.executable, "-m", "morgue", "index", "--index", str(index),
                          "--jobs", str(args.jobs), "--json", *folders], cwd=str(BENCH.parent))
        (root / "morgue.json").write_text(json.dumps({"n": n}))
        out["build"] = {"seconds": m["seconds"], "pages_per_s": n / m["seconds"],
                        "peak_pss_mb": m.get("peak_pss_mb"), "peak_rss_mb": m.get("peak_rss_mb")}
        print(f"built in {m['seconds']:.0f}s ({n / m['seconds']:.0f} pages/s)", file=sys.stderr)
    out["index_mb"] = _size_mb(index)

    drawn = make_queries(real, args.per_kind + 5)
    warmup = [q for k in KINDS for q in [d for d in drawn if d[0] == k][:5]]
    queries = [q for q in drawn if q not in warmup]
    engine = MorgueEngine(root)
    out["latency"] = measure(engine, queries, warmup)
    out["latency"].pop("totals", None)

    if args.web_seconds > 0 and shutil.which("wrk"):
        web_json = root / "web.json"
        subprocess.run([sys.executable, "-m", "bench.web_load", "--index", str(index),
                        "--duration", str(args.web_seconds), "--repeat", "1",
                        "--json", str(web_json)], cwd=str(BENCH.parent), check=False)
        if web_json.exists():
            out["web"] = json.loads(web_json.read_text()).get("rows")
    else:
        out["web"] = None

    path = write_results(f"scale-{n}", out, args.out)
    lat = out["latency"]
    rows = [[k, v["p50_ms"], v["p95_ms"], v["samples"]] for k, v in lat["kinds"].items()]
    rows.append(["all", lat["p50_ms"], lat["p95_ms"], lat["samples"]])
    build = out.get("build") or {}
    print(f"### {n:,} articles (`python -m bench.scale --articles {n}`)\n")
    print(f"Build: {build.get('seconds', float('nan')):.0f} s, "
          f"{build.get('pages_per_s', float('nan')):.0f} pages/s, peak PSS "
          f"{build.get('peak_pss_mb') or float('nan'):.0f} MB; index {out['index_mb']:.0f} MB.\n")
    print(md_table(["kind", "p50 ms", "p95 ms", "queries"], rows))
    for r in out.get("web") or []:
        print(f"\nWeb: {r['route']}: {r['rps']:.1f} req/s" + (
            f" ({r['vs_healthz']:.1%} of /healthz)" if r.get("vs_healthz") is not None else ""))
    print(f"\nresults: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

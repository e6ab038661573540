"""Search latency: Morgue's `Archive.search` beside SQLite FTS5 and Tantivy, same articles.

    python -m bench.latency [--quick] [--sizes 10000,30000,100000] [--rounds|--repeat 3] [--limit N]

Data: Reuters-21578 and BBC News from ``../shared/data/corpora`` (read in place), rendered
into HTML pages (a modern layout: JSON-LD headline/datePublished, og:site_name "Reuters" /
"BBC", article:section from the BBC category) under ``bench/.work/pages/`` and kept there.
Past the ~19k usable articles, sizes are filled with synthetic remixes (headline and body of
one article plus paragraphs of another, dates shifted); the JSON says how many.

For each size (ascending), the Morgue index (``index_paths``, jobs=2), the FTS5 database and
the Tantivy index under ``bench/.work/latency/`` are grown incrementally to that many
articles, then every engine answers the same 30 queries (12 single words, 8 two-word, 6
phrases, 4 with a date filter), `--rounds` times after one warm-up round:

* Morgue — ``Archive.search(q)``: top 10 with snippets, facets, histogram, totals, duplicate
  collapsing (the defaults the web page uses), with the result cache off (``cache_size=0``)
  so that every timed query is searched; posting lists read into memory stay cached.
* SQLite FTS5 — porter tokenizer; top 10 by ``bm25()`` with ``snippet()``, plus the total
  count and section/source counts (GROUP BY), i.e. what a results page needs.
* Tantivy — ``en_stem`` tokenizer; top 10 with a ``SnippetGenerator`` snippet, and the count.

``--quick`` uses one size of 2000; ``--limit N`` overrides the sizes with N (smoke tests); both
cache under ``bench/.work/latency-quick/`` so that they never shrink the big cache (an index
bigger than asked for is rebuilt from scratch). ``--rounds``/``--repeat``: timed rounds; the
JSON has each round's p50/p95 too, for the spread.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench._common import (WORK, expand_news, load_news, md_table, percentile,
                           render_corpus, write_results)

SINGLE = ["oil", "coffee", "election", "profit", "football", "bank", "strike", "gold",
          "film", "wheat", "merger", "dollar"]
TWO = ["oil prices", "interest rates", "trade deficit", "stock market", "film festival",
       "world cup", "crude output", "mobile phone"]
PHRASES = ['"interest rates"', '"trade deficit"', '"bank of england"', '"net profit"',
           '"prime minister"', '"chief executive"']
DATED = [("economy", "2004"), ("music", "2005"), ("shares", "2004-06"),
         ("government plans", "2005")]
QUERIES: list[tuple[str, str | None]] = (
    [(q, None) for q in SINGLE + TWO + PHRASES] + [(q, d) for q, d in DATED]
)


def _year_range(d: str) -> tuple[int, int]:
    parts = [int(p) for p in d.split("-")]
    if len(parts) == 1:
        lo, hi = datetime(parts[0], 1, 1), datetime(parts[0] + 1, 1, 1)
    else:
        y, m = parts
        lo, hi = datetime(y, m, 1), datetime(y + (m == 12), m % 12 + 1, 1)
    return int(lo.timestamp()), int(hi.timestamp()) - 1


def _ts(a: dict[str, Any]) -> int:
    return int(datetime.fromisoformat(a["date"]).timestamp())


# -- engines ------------------------------------------------------------------------------


class MorgueEngine:
    name = "Morgue"

    def __init__(self, root: Path) -> None:
        self.dir = root / "morgue"
        self.state = root / "morgue.json"
        self.archive = None

    def count(self) -> int:
        return json.loads(self.state.read_text())["n"] if self.state.exists() else 0

    def grow(self, paths: list[Path], n: int) -> float:
        from morgue.indexer.writer import index_paths

        have = self.count()
        if have > n:
            shutil.rmtree(self.dir, ignore_errors=True)
            have = 0
        if have == n:
            return 0.0
        t0 = time.perf_counter()
        report = index_paths([str(p) for p in paths[have:n]], self.dir, jobs=2)
        took = time.perf_counter() - t0
        if report.failed:
            print(f"Morgue: {len(report.failed)} pages failed, e.g. {report.failed[0]}",
                  file=sys.stderr)
        self.state.write_text(json.dumps({"n": n}))
        self.archive = None
        return took

    def query(self, q: str, d: str | None) -> int:
        from morgue.search import Archive

        if self.archive is None:
            # Result cache off: every timed query runs the search (the rounds repeat queries).
            self.archive = Archive(self.dir, time_limit=10.0, cache_size=0)
        text = f"{q} date:{d}" if d else q
        res = self.archive.search(text)
        return res.total


class FTS5Engine:
    name = "SQLite FTS5"

    def __init__(self, root: Path) -> None:
        self.path = root / "fts5.db"
        self.con: sqlite3.Connection | None = None

    def _con(self) -> sqlite3.Connection:
        if self.con is None:
            self.con = sqlite3.connect(self.path)
            self.con.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS a USING fts5(headline, body, "
                "url UNINDEXED, source UNINDEXED, section UNINDEXED, ts UNINDEXED, "
                "tokenize='porter')")
        return self.con

    def count(self) -> int:
        if not self.path.exists():
            return 0
        return self._con().execute("SELECT count(*) FROM a").fetchone()[0]

    def grow(self, arts: list[dict[str, Any]], n: int) -> float:
        have = self.count()
        if have > n:
            self.con = None
            self.path.unlink()
            have = 0
        t0 = time.perf_counter()
        con = self._con()
        con.executemany(
            "INSERT INTO a VALUES (?, ?, ?, ?, ?, ?)",
            [(a["headline"], "\n\n".join(a["paragraphs"]), a["url"], a["source"],
              a.get("section") or "", _ts(a)) for a in arts[have:n]])
        con.commit()
        return time.perf_counter() - t0 if n > have else 0.0

    def query(self, q: str, d: str | None) -> int:
        con = self._con()
        if q.startswith('"'):
            match = q
        else:
            match = " OR ".join(f'"{w}"' for w in q.split())
        where, params = "a MATCH ?", [match]
        if d:
            lo, hi = _year_range(d)
            where += " AND ts BETWEEN ? AND ?"
            params += [lo, hi]
        con.execute(
            f"SELECT url, headline, snippet(a, 1, '<mark>', '</mark>', '…', 24) FROM a "
            f"WHERE {where} ORDER BY bm25(a, 3.0, 1.0) LIMIT 10", params).fetchall()
        total = con.execute(f"SELECT count(*) FROM a WHERE {where}", params).fetchone()[0]
        con.execute(f"SELECT section, count(*) FROM a WHERE {where} GROUP BY section",
                    params).fetchall()
        con.execute(f"SELECT source, count(*) FROM a WHERE {where} GROUP BY source",
                    params).fetchall()
        return total


class TantivyEngine:
    name = "Tantivy"

    def __init__(self, root: Path) -> None:
        import tantivy

        self.t = tantivy
        self.dir = root / "tantivy"
        self.state = root / "tantivy.json"
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("headline", stored=True, tokenizer_name="en_stem")
        sb.add_text_field("body", stored=True, tokenizer_name="en_stem")
        sb.add_text_field("url", stored=True, tokenizer_name="raw")
        sb.add_integer_field("ts", stored=True, indexed=True, fast=True)
        self.schema = sb.build()
        self.index = None
        self.searcher = None

    def count(self) -> int:
        return json.loads(self.state.read_text())["n"] if self.state.exists() else 0

    def _index(self) -> Any:
        if self.index is None:
            self.dir.mkdir(parents=True, exist_ok=True)
            self.index = self.t.Index(self.schema, path=str(self.dir))
        return self.index

    def grow(self, arts: list[dict[str, Any]], n: int) -> float:
        have = self.count()
        if have > n:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.index = None
            have = 0
        if have == n:
            return 0.0
        t0 = time.perf_counter()
        w = self._index().writer(heap_size=128_000_000, num_threads=2)
        for a in arts[have:n]:
            w.add_document(self.t.Document(headline=a["headline"],
                                           body="\n\n".join(a["paragraphs"]),
                                           url=a["url"], ts=_ts(a)))
        w.commit()
        w.wait_merging_threads()
        took = time.perf_counter() - t0
        self.state.write_text(json.dumps({"n": n}))
        self.index.reload()
        self.searcher = None
        return took

    def query(self, q: str, d: str | None) -> int:
        index = self._index()
        if self.searcher is None:
            index.reload()
            self.searcher = index.searcher()
        text = q
        if d:
            lo, hi = _year_range(d)
            text = f"({q}) AND ts:[{lo} TO {hi}]"
        query = index.parse_query(text, ["headline", "body"], field_boosts={"headline": 3.0})
        res = self.searcher.search(query, 10, count=True)
        gen = self.t.SnippetGenerator.create(self.searcher, query, self.schema, "body")
        for _score, addr in res.hits:
            doc = self.searcher.doc(addr)
            gen.snippet_from_doc(doc).to_html()
        return res.count


# -- main ---------------------------------------------------------------------------------


def measure(engine: Any, rounds: int) -> dict[str, Any]:
    for q, d in QUERIES:  # warm-up
        engine.query(q, d)
    times: list[float] = []
    per_round: list[list[float]] = []
    totals: dict[str, int] = {}
    for _ in range(rounds):
        this: list[float] = []
        for q, d in QUERIES:
            t0 = time.perf_counter()
            totals[f"{q} @{d}" if d else q] = engine.query(q, d)
            this.append((time.perf_counter() - t0) * 1000)
        times += this
        per_round.append(this)
    # p50/p95 over all samples; the per-round figures give the spread between rounds.
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
            "max_ms": max(times), "mean_ms": sum(times) / len(times), "samples": len(times),
            "round_p50_ms": [percentile(r, 50) for r in per_round],
            "round_p95_ms": [percentile(r, 95) for r in per_round],
            "totals": totals}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="one size of 2000 articles")
    ap.add_argument("--sizes", default="10000,30000,100000")
    ap.add_argument("--limit", type=int, default=None, help="one size of N articles")
    ap.add_argument("--rounds", "--repeat", type=int, default=3,
                    help="timed rounds over the queries (median and spread over rounds)")
    ap.add_argument("--work", default=None,
                    help="cache dir (default bench/.work/latency; --quick/--limit: latency-quick,"
                         " so that they never shrink the big cache)")
    ap.add_argument("--json", dest="out", default=None)
    args = ap.parse_args(argv)

    sizes = ([args.limit] if args.limit else [2000] if args.quick
             else sorted(int(s) for s in args.sizes.split(",")))
    root = (Path(args.work) if args.work else
            WORK / ("latency-quick" if args.quick or args.limit else "latency"))
    root.mkdir(parents=True, exist_ok=True)
    real = load_news()
    arts = expand_news(real, max(sizes))
    t0 = time.perf_counter()
    paths = render_corpus(arts, "news-modern", ("modern",))
    print(f"{len(paths)} pages ready in {time.perf_counter() - t0:.1f}s "
          f"({max(0, len(arts) - len(real))} synthetic remixes)", file=sys.stderr)

    engines: list[Any] = [MorgueEngine(root), FTS5Engine(root)]
    skipped = {}
    try:
        engines.append(TantivyEngine(root))
    except ImportError as exc:
        skipped["Tantivy"] = f"not installed ({exc})"
    rows: list[dict[str, Any]] = []
    for n in sizes:
        for e in engines:
            src = paths if isinstance(e, MorgueEngine) else arts
            build = e.grow(src, n)
            if build:
                print(f"{e.name}: grown to {n} in {build:.1f}s", file=sys.stderr)
            m = measure(e, args.rounds)
            rows.append({"size": n, "engine": e.name, "grow_s": build,
                         "synthetic": max(0, n - len(real)), **m})
            print(f"{e.name} @ {n}: p50 {m['p50_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms",
                  file=sys.stderr)

    print(f"## Search latency ({len(QUERIES)} queries × {args.rounds} rounds, after warm-up)\n")
    print(md_table(["articles", "engine", "p50 ms", "p95 ms", "max ms", "index/grow s"],
                   [[r["size"], r["engine"], r["p50_ms"], r["p95_ms"], r["max_ms"],
                     r["grow_s"] or "cached"] for r in rows]))
    for k, v in skipped.items():
        print(f"\n{k} skipped: {v}")
    path = write_results("latency", {"sizes": sizes, "queries": [list(q) for q in QUERIES],
                                     "rounds": args.rounds, "rows": rows, "skipped": skipped},
                         args.out)
    print(f"\nresults: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Search latency: Morgue's `Archive.search` beside SQLite FTS5 (and Tantivy), same articles.

    python -m bench.latency [--quick] [--sizes 20000,100000] [--per-kind 60] [--engines ...]

Data: Reuters-21578 and BBC News from ``../shared/data/corpora`` (read in place), rendered
into HTML pages (a modern layout: JSON-LD headline/datePublished, og:site_name "Reuters" /
"BBC", article:section from the BBC category) under ``bench/.work/pages/`` and kept there.
Past the ~19k usable articles, sizes are filled with synthetic remixes (headline and body of
one article plus paragraphs of another, dates shifted); the JSON says how many.

For each size (ascending), the Morgue index (``index_paths``, jobs=2), the FTS5 database and
the Tantivy index under ``bench/.work/latency/`` are grown incrementally to that many
articles. Then every engine answers the same queries, **each asked once** (users' queries
rarely repeat): `--per-kind` queries of each kind, drawn with a fixed seed from the corpus's
own text (`make_queries`) and never repeated within a run, plus a separate warm-up set:

* ``single``: one word; ``two``: two words of one article; ``phrase``: 2-3 consecutive words
  of one article, quoted; ``dated``: one word with a date filter (a year or a month).

Engines:

* Morgue — ``Archive.search(q)``: top 10 with snippets, facets, histogram, totals, duplicate
  collapsing (the defaults the web page uses), with the result cache off (``cache_size=0``).
* SQLite FTS5 — porter tokenizer; top 10 by ``bm25()`` with ``snippet()``, plus the total
  count and section/source counts (GROUP BY), i.e. what a results page needs.
* Tantivy — ``en_stem`` tokenizer; top 10 with a ``SnippetGenerator`` snippet, and the count.

p50/p95 are reported per kind and over all queries. ``--quick`` uses one size of 2000;
``--limit N`` overrides the sizes with N (smoke tests); both cache under
``bench/.work/latency-quick/`` so that they never shrink the big cache (an index bigger than
asked for is rebuilt from scratch).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench._common import (WORK, expand_news, load_news, md_table, percentile,
                           render_corpus, write_results)

KINDS = ("single", "two", "phrase", "dated")
_WORD = re.compile(r"[A-Za-z]+")
# Whoosh's English stop words and very short words make poor one-word queries.
_STOP = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or that the this "
    "to us we when will with yet you your said would also its has had was were been which "
    "their they there than but who what more about after into over all one two new last".split())


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def make_queries(arts: list[dict[str, Any]], per_kind: int, seed: int = 16
                 ) -> list[tuple[str, str, str | None]]:
    """`per_kind` distinct queries of each kind as (kind, text, date filter), drawn from `arts`.

    Words are taken where they occur in the articles, so common words come up about as often
    as they do in the text (as users' words do), and every query is different.
    """
    rng = random.Random(seed)
    seen: set[tuple[str, str | None]] = set()
    out: list[tuple[str, str, str | None]] = []

    def content(words: list[str]) -> list[int]:
        return [i for i, w in enumerate(words) if len(w) >= 3 and w not in _STOP]

    wanted = {k: per_kind for k in KINDS}
    tries = 0
    while any(wanted.values()) and tries < per_kind * 400:
        tries += 1
        kind = rng.choice([k for k in KINDS if wanted[k]])
        a = arts[rng.randrange(len(arts))]
        words = _words(" ".join([a["headline"], *a["paragraphs"]]))
        good = content(words)
        if len(good) < 4:
            continue
        date: str | None = None
        if kind == "single":
            text = words[rng.choice(good)]
        elif kind == "two":
            i, j = rng.sample(good, 2)
            if words[i] == words[j]:
                continue
            text = f"{words[i]} {words[j]}"
        elif kind == "phrase":
            i = rng.choice(good)
            n = rng.choice((2, 2, 3))
            span = words[i:i + n]
            if len(span) < n or span[-1] in _STOP or len(span[-1]) < 3:
                continue
            text = '"' + " ".join(span) + '"'
        else:
            text = words[rng.choice(good)]
            year = a["date"][:4]
            date = year if rng.random() < 0.7 else a["date"][:7]
        if (text, date) in seen:
            continue
        seen.add((text, date))
        wanted[kind] -= 1
        out.append((kind, text, date))
    return out


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


def measure(engine: Any, queries: list[tuple[str, str, str | None]],
            warmup: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    """Each query once, timed; p50/p95 per kind and over all (the warm-up set is not timed)."""
    for _kind, q, d in warmup:
        engine.query(q, d)
    by_kind: dict[str, list[float]] = {k: [] for k in KINDS}
    totals: dict[str, int] = {}
    for kind, q, d in queries:
        t0 = time.perf_counter()
        totals[f"{q} @{d}" if d else q] = engine.query(q, d)
        by_kind[kind].append((time.perf_counter() - t0) * 1000)
    times = [t for ts in by_kind.values() for t in ts]
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
            "max_ms": max(times), "mean_ms": sum(times) / len(times), "samples": len(times),
            "kinds": {k: {"p50_ms": percentile(ts, 50), "p95_ms": percentile(ts, 95),
                          "max_ms": max(ts) if ts else float("nan"), "samples": len(ts)}
                      for k, ts in by_kind.items()},
            "totals": totals}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="one size of 2000 articles")
    ap.add_argument("--sizes", default="20000,100000")
    ap.add_argument("--limit", type=int, default=None, help="one size of N articles")
    ap.add_argument("--per-kind", type=int, default=60,
                    help="distinct queries of each kind, each asked once per engine")
    ap.add_argument("--rounds", "--repeat", type=int, default=None,
                    help="accepted for older callers; every query is now asked once")
    ap.add_argument("--engines", default="morgue,fts5,tantivy",
                    help="comma-separated: morgue, fts5, tantivy")
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
    # Drawn from the real articles (remixes repeat their words); the warm-up set is disjoint.
    drawn = make_queries(real, args.per_kind + 5)
    warmup = [q for k in KINDS for q in [d for d in drawn if d[0] == k][:5]]
    queries = [q for q in drawn if q not in warmup]

    wanted = {e.strip() for e in args.engines.split(",")}
    engines: list[Any] = []
    if "morgue" in wanted:
        engines.append(MorgueEngine(root))
    if "fts5" in wanted:
        engines.append(FTS5Engine(root))
    skipped = {}
    if "tantivy" in wanted:
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
            m = measure(e, queries, warmup)
            rows.append({"size": n, "engine": e.name, "grow_s": build,
                         "synthetic": max(0, n - len(real)), **m})
            kinds = ", ".join(f"{k} {v['p50_ms']:.1f}/{v['p95_ms']:.1f}" for k, v in m["kinds"].items())
            print(f"{e.name} @ {n}: p50 {m['p50_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms "
                  f"(p50/p95 by kind: {kinds})", file=sys.stderr)

    print(f"## Search latency ({len(queries)} distinct queries, each asked once, after a warm-up)\n")
    table = []
    for r in rows:
        table.append([r["size"], r["engine"], "all", r["p50_ms"], r["p95_ms"], r["max_ms"]])
        for k, v in r["kinds"].items():
            table.append([r["size"], r["engine"], k, v["p50_ms"], v["p95_ms"], v["max_ms"]])
    print(md_table(["articles", "engine", "kind", "p50 ms", "p95 ms", "max ms"], table))
    for k, v in skipped.items():
        print(f"\n{k} skipped: {v}")
    path = write_results("latency", {"sizes": sizes, "queries": [list(q) for q in queries],
                                     "distinct": True, "rows": rows, "skipped": skipped},
                         args.out)
    print(f"\nresults: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

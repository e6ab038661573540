"""Ranking quality on the TIME collection: Morgue beside SQLite FTS5 and plain Whoosh BM25F.

    python -m bench.relevance [--quick] [--limit N] [--limit-queries N] [--no-variants] [--json OUT]

Data: ``../shared/data/relevance/time/`` (423 TIME articles from 1963, 83 queries, binary
judgments; read in place). Each article is rendered into a minimal HTML page (headline = its
first sentence, cut to 12 words; body = the whole text; the date; rel=canonical
``https://time.test/doc/<id>``) and indexed with ``indexer.writer.index_paths``. Queries are
lower-cased and run through ``Archive.search(q, page_size=100, facets=False,
collapse_duplicates=False)``; hits map back to doc ids through their URL.

Peers, same documents and queries, same run:

* SQLite FTS5 — ``tokenize='porter'``, ``bm25()`` ranking, query words (lower-cased,
  punctuation stripped) OR-ed.
* Whoosh BM25F — one stemmed ``body`` field, default BM25F (B=0.75, K1=1.2), words OR-ed.

Measures: MAP (top 100), nDCG@10, P@10 over queries with at least one judged-relevant doc.
Unless ``--no-variants``, Morgue is re-run with query-time variants monkeypatched in this
script (B/K1, the AND-group boost of ``search.querylang._parse``, field boosts, fields
searched) and index-time analyser variants (stop words, stemming), to explain the gap.
``--quick`` runs the three engines and a handful of variants only.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from bench._common import md_table, require_data, write_results

URL = "https://time.test/doc/{}"
_URL_ID = re.compile(r"/doc/([^/]+)$")


# -- data ---------------------------------------------------------------------------------


def load(limit_queries: int | None = None, limit_docs: int | None = None
         ) -> tuple[list[dict], list[dict], dict[str, set[str]]]:
    root = require_data("relevance", "time")
    docs = [json.loads(l) for l in (root / "docs.jsonl").open(encoding="utf-8")]
    if limit_docs:
        docs = docs[:limit_docs]
    queries = [json.loads(l) for l in (root / "queries.jsonl").open(encoding="utf-8")]
    kept = {str(d["id"]) for d in docs}
    qrels: dict[str, set[str]] = {}
    for line in (root / "qrels.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if int(r["relevance"]) > 0 and (not limit_docs or str(r["doc_id"]) in kept):
            qrels.setdefault(str(r["query_id"]), set()).add(str(r["doc_id"]))
    queries = [q for q in queries if str(q["id"]) in qrels]
    if limit_queries:
        queries = queries[:limit_queries]
    return docs, queries, qrels


def headline_of(text: str) -> str:
    first = re.split(r"\s[.?!]\s|[.?!]\s", text.strip(), maxsplit=1)[0]
    words = first.split()
    return " ".join(words[:12]).strip(" .")


def render(doc: dict) -> str:
    text = doc["text"].strip()
    e = html.escape
    # Paragraphs of about 6 sentences, so the body looks like an article.
    sentences = re.split(r"(?<=\s\.)\s+|(?<=[^A-Z]\.)\s+", text)
    paras = [" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]
    body = "\n".join(f"<p>{e(p)}</p>" for p in paras if p.strip())
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{e(headline_of(text))}</title>
<link rel="canonical" href="{URL.format(doc['id'])}">
<meta property="article:published_time" content="{doc['date']}">
</head><body><article>
<h1>{e(headline_of(text))}</h1>
<time datetime="{doc['date']}">{doc['date']}</time>
{body}
</article></body></html>
"""


def query_text(q: dict) -> str:
    return q["text"].lower()


def query_words(q: dict) -> list[str]:
    return re.findall(r"[a-z0-9]+", q["text"].lower())


# -- measures -----------------------------------------------------------------------------


def average_precision(ranked: list[str], relevant: set[str]) -> float:
    hits, total = 0, 0.0
    for i, d in enumerate(ranked, 1):
        if d in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 1) for i, d in enumerate(ranked[:k], 1) if d in relevant)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(k, len(relevant)) + 1))
    return dcg / ideal if ideal else 0.0


def precision_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    return sum(1 for d in ranked[:k] if d in relevant) / k


def evaluate(run: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict[str, float]:
    qids = list(run)
    n = len(qids) or 1
    return {
        "MAP": sum(average_precision(run[q], qrels[q]) for q in qids) / n,
        "nDCG@10": sum(ndcg_at(run[q], qrels[q]) for q in qids) / n,
        "P@10": sum(precision_at(run[q], qrels[q]) for q in qids) / n,
        "queries": len(qids),
    }


# -- Morgue -------------------------------------------------------------------------------


def build_morgue(pages: Path, index_dir: Path) -> dict[str, Any]:
    from indexer.writer import index_paths

    report = index_paths([str(pages)], index_dir, jobs=1)
    return report.to_dict()


def run_morgue(index_dir: Path, queries: list[dict], *, weighting: Any = None
               ) -> tuple[dict[str, list[str]], float]:
    from search import Archive

    archive = Archive(index_dir, time_limit=30.0)
    if weighting is not None:
        original = archive._ix.searcher
        archive._ix.searcher = lambda **kw: original(weighting=weighting, **kw)  # type: ignore
    run: dict[str, list[str]] = {}
    started = time.perf_counter()
    for q in queries:
        res = archive.search(query_text(q), page_size=100, facets=False, collapse_duplicates=False)
        ids = []
        for hit in res.hits:
            m = _URL_ID.search(hit.url or "")
            if m:
                ids.append(m.group(1))
        run[str(q["id"])] = ids
    seconds = time.perf_counter() - started
    archive.close()
    return run, seconds


@contextlib.contextmanager
def patched(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


@contextlib.contextmanager
def and_boost(boost: float | None) -> Iterator[None]:
    """Change the boost of the all-words group `_parse` ORs in (None: drop that group)."""
    from whoosh import query as wq

    import search.querylang as ql

    original = ql._parse

    def variant(text, schema, fields, notices):  # type: ignore[no-untyped-def]
        q = original(text, schema, fields, notices)
        if isinstance(q, wq.Or) and len(q.subqueries) == 2 and q.subqueries[0].boost == 2.0:
            all_words, any_word = q.subqueries
            if boost is None:
                return any_word
            return wq.Or([all_words.with_boost(boost), any_word])
        return q

    with patched(ql, "_parse", variant):
        yield


@contextlib.contextmanager
def field_boosts(**boosts: float) -> Iterator[None]:
    from indexer.schema import FIELD_BOOSTS

    old = dict(FIELD_BOOSTS)
    FIELD_BOOSTS.update(boosts)
    try:
        yield
    finally:
        FIELD_BOOSTS.clear()
        FIELD_BOOSTS.update(old)


@contextlib.contextmanager
def text_fields(fields: tuple[str, ...]) -> Iterator[None]:
    import search.querylang as ql

    with patched(ql, "TEXT_FIELDS", fields):
        yield


@contextlib.contextmanager
def analyzer(kind: str) -> Iterator[None]:
    """Index-time analyser of the text fields: 'nostop' (stemmed, no stop words), 'nostem'."""
    from whoosh import fields as wf
    from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer

    import indexer.schema as sch

    def text() -> wf.TEXT:
        a = (StemmingAnalyzer(minsize=1, stoplist=None) if kind == "nostop"
             else StandardAnalyzer(minsize=1))
        return wf.TEXT(analyzer=a, stored=True, phrase=True, chars=True, spelling=False)

    with patched(sch, "_text", text):
        yield


# -- peers --------------------------------------------------------------------------------


def run_fts5(docs: list[dict], queries: list[dict]) -> tuple[dict[str, list[str]], float, float]:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, body, tokenize='porter')")
    t0 = time.perf_counter()
    con.executemany("INSERT INTO d(id, body) VALUES (?, ?)", [(d["id"], d["text"]) for d in docs])
    con.commit()
    build = time.perf_counter() - t0
    run: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    for q in queries:
        words = query_words(q)
        match = " OR ".join(f'"{w}"' for w in words)
        rows = con.execute(
            "SELECT id FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT 100", (match,)
        ).fetchall() if words else []
        run[str(q["id"])] = [r[0] for r in rows]
    return run, build, time.perf_counter() - t0


def run_whoosh(docs: list[dict], queries: list[dict], tmp: Path, *, stop: bool = True
               ) -> tuple[dict[str, list[str]], float, float]:
    from whoosh import fields, index, qparser
    from whoosh.analysis import StemmingAnalyzer

    schema = fields.Schema(id=fields.ID(stored=True),
                           body=fields.TEXT(analyzer=StemmingAnalyzer(
                               **({} if stop else {"stoplist": None}))))
    path = tmp / ("whoosh" if stop else "whoosh-nostop")
    path.mkdir()
    t0 = time.perf_counter()
    ix = index.create_in(str(path), schema)
    w = ix.writer()
    for d in docs:
        w.add_document(id=d["id"], body=d["text"])
    w.commit()
    build = time.perf_counter() - t0
    parser = qparser.QueryParser("body", schema, group=qparser.OrGroup)
    run: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    with ix.searcher() as s:
        for q in queries:
            res = s.search(parser.parse(" ".join(query_words(q))), limit=100)
            run[str(q["id"])] = [h["id"] for h in res]
    return run, build, time.perf_counter() - t0


# -- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="engines plus a few variants only")
    ap.add_argument("--limit-queries", type=int, default=None, help="first N judged queries")
    ap.add_argument("--limit", type=int, default=None,
                    help="first N docs only (queries without a relevant doc among them dropped)")
    ap.add_argument("--no-variants", action="store_true", help="skip the Morgue variants")
    ap.add_argument("--json", dest="out", default=None, help="write results here instead")
    args = ap.parse_args(argv)

    docs, queries, qrels = load(args.limit_queries, args.limit)
    print(f"TIME: {len(docs)} docs, {len(queries)} judged queries", file=sys.stderr)
    from whoosh import scoring

    engines: list[dict[str, Any]] = []
    variants: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="morgue-relevance-") as t:
        tmp = Path(t)
        pages = tmp / "pages"
        pages.mkdir()
        for d in docs:
            (pages / f"{d['id']}.html").write_text(render(d), encoding="utf-8")

        t0 = time.perf_counter()
        report = build_morgue(pages, tmp / "index")
        build = time.perf_counter() - t0
        run, secs = run_morgue(tmp / "index", queries)
        engines.append({"engine": "Morgue (Archive.search)", **evaluate(run, qrels),
                        "index_s": build, "query_ms": 1000 * secs / len(queries),
                        "indexed": report["added"], "failed": len(report["failed"])})
        baseline = engines[0]["MAP"]

        run, build, secs = run_fts5(docs, queries)
        engines.append({"engine": "SQLite FTS5 (porter, bm25, OR)", **evaluate(run, qrels),
                        "index_s": build, "query_ms": 1000 * secs / len(queries)})
        run, build, secs = run_whoosh(docs, queries, tmp)
        engines.append({"engine": "Whoosh BM25F (body only, OR)", **evaluate(run, qrels),
                        "index_s": build, "query_ms": 1000 * secs / len(queries)})
        run, build, secs = run_whoosh(docs, queries, tmp, stop=False)
        engines.append({"engine": "Whoosh BM25F (body only, OR, no stop words)",
                        **evaluate(run, qrels), "index_s": build,
                        "query_ms": 1000 * secs / len(queries)})

        if not args.no_variants:
            ix = tmp / "index"
            query_variants: list[tuple[str, Callable[[], Any], Any]] = [
                ("AND-group boost 1.0 (was 2.0)", lambda: and_boost(1.0), None),
                ("no AND group (OR of words only)", lambda: and_boost(None), None),
                ("headline boost 1.0 (was 3.0)", lambda: field_boosts(headline=1.0), None),
                ("body only (no headline/standfirst/captions)",
                 lambda: text_fields(("body",)), None),
                ("BM25F B=0.4 K1=1.2", contextlib.nullcontext, scoring.BM25F(B=0.4, K1=1.2)),
                ("BM25F B=0.75 K1=2.0", contextlib.nullcontext, scoring.BM25F(B=0.75, K1=2.0)),
            ]
            if not args.quick:
                query_variants += [
                    ("AND-group boost 4.0", lambda: and_boost(4.0), None),
                    ("headline boost 1.5", lambda: field_boosts(headline=1.5), None),
                    ("headline boost 0.5", lambda: field_boosts(headline=0.5), None),
                    ("BM25F B=0.3 K1=1.2", contextlib.nullcontext, scoring.BM25F(B=0.3, K1=1.2)),
                    ("BM25F B=0.9 K1=1.2", contextlib.nullcontext, scoring.BM25F(B=0.9, K1=1.2)),
                    ("BM25F B=0.75 K1=0.8", contextlib.nullcontext, scoring.BM25F(B=0.75, K1=0.8)),
                    ("BM25F B=0.75 K1=3.0", contextlib.nullcontext, scoring.BM25F(B=0.75, K1=3.0)),
                    ("TF-IDF (Whoosh TF_IDF)", contextlib.nullcontext, scoring.TF_IDF()),
                    ("no AND group + headline 1.0",
                     lambda: _both(and_boost(None), field_boosts(headline=1.0)), None),
                    ("no AND group + body only",
                     lambda: _both(and_boost(None), text_fields(("body",))), None),
                ]
            for name, ctx, weighting in query_variants:
                with ctx():
                    run, _ = run_morgue(ix, queries, weighting=weighting)
                variants.append({"variant": name, **evaluate(run, qrels)})
            index_variants = [("index: no stop words", "nostop"),
                              ("index: no stemming", "nostem")]
            for name, kind in index_variants:
                vix = tmp / f"index-{kind}"
                with analyzer(kind):
                    build_morgue(pages, vix)
                run, _ = run_morgue(vix, queries)
                variants.append({"variant": name, **evaluate(run, qrels)})
            if not args.quick:
                vix = tmp / "index-nostop"
                with and_boost(None), text_fields(("body",)):
                    run, _ = run_morgue(vix, queries)
                variants.append({"variant": "index: no stop words + no AND group + body only",
                                 **evaluate(run, qrels)})
            for v in variants:
                v["dMAP"] = v["MAP"] - baseline

    print("## Engines (TIME, %d queries)\n" % len(queries))
    print(md_table(["engine", "MAP", "nDCG@10", "P@10", "index s", "ms/query"],
                   [[e["engine"], e["MAP"], e["nDCG@10"], e["P@10"], e["index_s"], e["query_ms"]]
                    for e in engines]))
    m = engines[0]
    print(f"\nMorgue indexed {m['indexed']} of {len(docs)} pages ({m['failed']} failed).")
    if variants:
        print("\n## Morgue variants (monkeypatched in this script)\n")
        print(md_table(["variant", "MAP", "ΔMAP", "nDCG@10", "P@10"],
                       [["baseline", baseline, 0.0, m["nDCG@10"], m["P@10"]]] +
                       [[v["variant"], v["MAP"], f"{v['dMAP']:+.4f}", v["nDCG@10"], v["P@10"]]
                        for v in variants]))
    path = write_results("relevance", {"docs": len(docs), "queries": len(queries),
                                       "engines": engines, "variants": variants}, args.out)
    print(f"\nresults: {path}", file=sys.stderr)
    return 0


@contextlib.contextmanager
def _both(a: Any, b: Any) -> Iterator[None]:
    with a, b:
        yield


if __name__ == "__main__":
    raise SystemExit(main())

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
    from morgue.indexer.writer import index_paths

    report = index_paths([str(pages)], index_dir, jobs=1)
    return report.to_dict()


def run_morgue(index_dir: Path, queries: list[dict], *, weighting: Any = None
               ) -> tuple[dict[str, list[str]], float]:
    from morgue.search import Archive

    archive = Archive(index_dir, time_limit=30.0)
    if weighting is not None:
        original = archive._ix.searcher
        archive._ix.searcher = lambda **kw: original(**{**kw, "weighting": weighting})  # type: ignore
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
def all_words_boost(boost: float) -> Iterator[None]:
    """Change the weight of the all-words reading of plain queries (0: leave it out)."""
    import morgue.search.querylang as ql

    with patched(ql, "ALL_WORDS_BOOST", boost):
        yield


@contextlib.contextmanager
def headline_repeats(times: int) -> Iterator[None]:
    """Index-time: how often the headline is written into the combined text field."""
    from morgue.indexer.schema import TEXT_REPEATS

    old = TEXT_REPEATS["headline"]
    TEXT_REPEATS["headline"] = times
    try:
        yield
    finally:
        TEXT_REPEATS["headline"] = old


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

    from morgue.search.scoring import NewsBM25, lucene_idf

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
                ("all-words boost 0 (OR of words only)", lambda: all_words_boost(0.0), None),
                ("all-words boost 2.0 (default 1.0)", lambda: all_words_boost(2.0), None),
                ("Whoosh's own BM25F idf", contextlib.nullcontext, scoring.BM25F(B=0.75, K1=1.2)),
                ("BM25 K1=2.0", contextlib.nullcontext, NewsBM25(B=0.75, K1=2.0)),
                ("Lucene/Elasticsearch idf, log(1 + ...)", contextlib.nullcontext,
                 NewsBM25(idf_of=lucene_idf)),
            ]
            if not args.quick:
                query_variants += [
                    ("all-words boost 0.5", lambda: all_words_boost(0.5), None),
                    ("BM25 B=0.4", contextlib.nullcontext, NewsBM25(B=0.4, K1=1.2)),
                    ("BM25 B=0.9", contextlib.nullcontext, NewsBM25(B=0.9, K1=1.2)),
                    ("BM25 K1=0.8", contextlib.nullcontext, NewsBM25(B=0.75, K1=0.8)),
                    ("TF-IDF (Whoosh TF_IDF)", contextlib.nullcontext, scoring.TF_IDF()),
                ]
            for name, ctx, weighting in query_variants:
                with ctx():
                    run, _ = run_morgue(ix, queries, weighting=weighting)
                variants.append({"variant": name, **evaluate(run, qrels)})
            for times in ((1, 3) if not args.quick else (1,)):
                vix = tmp / f"index-headline-{times}"
                with headline_repeats(times):
                    build_morgue(pages, vix)
                run, _ = run_morgue(vix, queries)
                variants.append({"variant": f"index: headline written {times}x (default 2x)",
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


if __name__ == "__main__":
    sys.exit(main())

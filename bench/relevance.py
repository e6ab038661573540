"""Ranking quality: Morgue beside SQLite FTS5 (and plain Whoosh BM25F on TIME), same documents.

    python -m bench.relevance [--sets time,bbc,reuters,bylines] [--quick] [--no-variants]
                              [--variants WORDS] [--known-docs N] [--known-queries N]
                              [--limit N] [--limit-queries N] [--json OUT]

Sets (data read in place from ``../shared/data``; the bundled corpus from ``corpus/``):

* ``time`` — the TIME collection (423 articles from 1963, 83 queries, binary judgments). Each
  article is rendered into a minimal HTML page (headline = its first sentence, cut to 12
  words; body = the whole text; the date; rel=canonical ``https://time.test/doc/<id>``).
* ``bbc``, ``reuters`` — known-item collections made from the BBC News and Reuters-21578
  corpora: each article is indexed WITHOUT its headline and first paragraph (with a neutral
  first-sentence headline, as for TIME); its headline is a short query and its first
  paragraph a long, verbose one, the article itself the one relevant document. This guards
  long questions and checks that nothing is fitted to TIME.
* ``bylines`` — the bundled corpus, one query per reporter (the name lower-cased and folded:
  ``zoe hartmann``), the articles bylined to them relevant. Measures the byline weight.

Queries are lower-cased text run through ``Archive.search(q, page_size=100, facets=False,
collapse_duplicates=False)`` (no query refused); FTS5 (``tokenize='porter'``, ``bm25()``)
gets the same words OR-ed, repeats kept. Measures: MAP (top 100), nDCG@10, P@10; for the
known-item and TIME sets MAP also on two halves by a CRC-32 of the relevant document's id
(for TIME, of the query's id; A: looked at while choosing, B: not). Unless ``--no-variants``, Morgue is re-run with
query-time variants monkeypatched in this script (qtf's k3, byline weight, the all-words
reading, BM25 parameters and idf); ``--variants`` keeps those whose names contain a word.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any, Callable, Iterator

from bench._common import md_table, require_data, write_results

ROOT = Path(__file__).resolve().parents[1]
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


# -- known-item sets: pseudo-queries from news corpora --------------------------------------


def _half(key: str) -> str:
    """"A" or "B" by a hash of the query's document id: variants are read on A, B reported too."""
    return "AB"[zlib.crc32(key.encode()) % 2]


def _paragraphs_bbc(row: dict) -> tuple[str, list[str]]:
    return row["title"], [p for p in row["body_paragraphs"] if p.strip()]


def _paragraphs_reuters(row: dict) -> tuple[str, list[str]]:
    paras = [" ".join(p.split()) for p in re.split(r"\n\s{3,}", row.get("body") or "") if p.strip()]
    return (row.get("title") or "").strip(), paras


def load_known_items(name: str, *, limit_docs: int, limit_queries: int
                     ) -> tuple[list[dict], dict[str, list[dict]], dict[str, set[str]]]:
    """A known-item collection from a news corpus (BBC or Reuters-21578).

    Each article is indexed WITHOUT its headline and first paragraph (the headline shown is
    a neutral first sentence of what is left, as for TIME); its headline is a short query
    and its first paragraph a long, verbose one, the article itself the one relevant
    document. Queries are lower-cased text, asked exactly as typed.
    """
    path, split = {"bbc": ("bbc.jsonl.gz", _paragraphs_bbc),
                   "reuters": ("reuters21578.jsonl.gz", _paragraphs_reuters)}[name]
    docs: list[dict] = []
    headline_qs: list[dict] = []
    lead_qs: list[dict] = []
    with gzip.open(require_data("corpora", path), "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            title, paras = split(row)
            if not title or len(paras) < 3 or len(" ".join(paras).split()) < 150:
                continue
            doc_id = re.sub(r"\W", "-", str(row["id"]))
            docs.append({"id": doc_id, "text": "\n\n".join(paras[1:]),
                         "date": (row.get("date") or "2005-01-01")[:10]})
            headline_qs.append({"id": f"h-{doc_id}", "text": title, "doc": doc_id})
            lead_qs.append({"id": f"l-{doc_id}", "text": paras[0], "doc": doc_id})
            if len(docs) >= limit_docs:
                break
    step = max(1, len(docs) // limit_queries)
    queries = {"headline": headline_qs[::step][:limit_queries],
               "first paragraph": lead_qs[::step][:limit_queries]}
    qrels = {q["id"]: {q["doc"]} for qs in queries.values() for q in qs}
    return docs, queries, qrels


def load_bylines() -> tuple[Path, list[dict]]:
    """The bundled corpus with one query per reporter: the name, lower-cased and folded."""
    from morgue.indexer.schema import fold

    rows = [json.loads(l) for l in (ROOT / "corpus" / "expected.jsonl").open(encoding="utf-8")]
    names = sorted({b for r in rows for b in r.get("byline") or [] if b != "CPA staff"})
    return ROOT / "corpus", [{"id": fold(n), "text": fold(n), "name": n} for n in names]


def run_bylines(index_dir: Path, queries: list[dict]) -> dict[str, float]:
    """MAP of name queries over the articles each reporter wrote (bylines judged by name)."""
    from morgue.search import Archive

    archive = Archive(index_dir, time_limit=30.0, cache_size=0)
    everything = archive.search("", page_size=100, facets=False, collapse_duplicates=False).hits
    run: dict[str, list[str]] = {}
    qrels: dict[str, set[str]] = {}
    for q in queries:
        qrels[q["id"]] = {h.id for h in everything if q["name"] in h.byline}
        res = archive.search(q["text"], page_size=100, facets=False, collapse_duplicates=False)
        run[q["id"]] = [h.id for h in res.hits]
    archive.close()
    return evaluate(run, qrels)


def evaluate_halves(run: dict[str, list[str]], qrels: dict[str, set[str]],
                    doc_of: dict[str, str]) -> dict[str, float]:
    """MAP on all queries and on each half (A: looked at while choosing; B: not)."""
    out = {"MAP": evaluate(run, qrels)["MAP"]}
    for half in "AB":
        part = {q: r for q, r in run.items() if _half(doc_of[q]) == half}
        out[f"MAP {half}"] = evaluate(part, qrels)["MAP"] if part else 0.0
    return out


# -- variants ---------------------------------------------------------------------------------


@contextlib.contextmanager
def qtf_k3(k3: float) -> Iterator[None]:
    """Okapi's k3 for repeated query words (0: each word counts once, as before)."""
    import morgue.search.scoring as sc

    with patched(sc, "K3", k3):
        yield


@contextlib.contextmanager
def byline_boost(boost: float) -> Iterator[None]:
    """Weight of bylines in plain queries (0: bylines not searched by plain words)."""
    import morgue.search.querylang as ql
    from morgue.indexer import schema

    old_boosts, old_fields = dict(schema.FIELD_BOOSTS), ql.TEXT_FIELDS
    if boost:
        schema.FIELD_BOOSTS["byline_words"] = boost
    else:
        schema.FIELD_BOOSTS.pop("byline_words", None)
    ql.TEXT_FIELDS = tuple(schema.FIELD_BOOSTS)
    try:
        yield
    finally:
        schema.FIELD_BOOSTS.clear()
        schema.FIELD_BOOSTS.update(old_boosts)
        ql.TEXT_FIELDS = old_fields


def _variants(quick: bool) -> list[tuple[str, Callable[[], Any], Any]]:
    from whoosh import scoring

    from morgue.search.scoring import NewsBM25, lucene_idf

    out: list[tuple[str, Callable[[], Any], Any]] = [
        ("qtf off: repeated words count once (k3=0)", lambda: qtf_k3(0.0), None),
        ("qtf k3=7 (Okapi's saturating setting; default 1000)", lambda: qtf_k3(7.0), None),
        ("qtf k3=2", lambda: qtf_k3(2.0), None),
        ("bylines not searched by plain words", lambda: byline_boost(0.0), None),
        ("byline weight 0.5", lambda: byline_boost(0.5), None),
        ("byline weight 2.0", lambda: byline_boost(2.0), None),
        ("all-words boost 1.0 (an extra all-words reading; default 0)", lambda: all_words_boost(1.0), None),
    ]
    if not quick:
        out += [
            ("all-words boost 0.5", lambda: all_words_boost(0.5), None),
            ("Whoosh's own BM25F idf", contextlib.nullcontext, scoring.BM25F(B=0.75, K1=1.2)),
            ("Lucene/Elasticsearch idf, log(1 + ...)", contextlib.nullcontext,
             NewsBM25(idf_of=lucene_idf)),
            ("BM25 K1=2.0", contextlib.nullcontext, NewsBM25(B=0.75, K1=2.0)),
            ("BM25 B=0.4", contextlib.nullcontext, NewsBM25(B=0.4, K1=1.2)),
        ]
    return out


# -- main ---------------------------------------------------------------------------------


SETS = ("time", "bbc", "reuters", "bylines")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="engines plus a few variants only")
    ap.add_argument("--sets", default=",".join(SETS), help=f"comma-separated: {', '.join(SETS)}")
    ap.add_argument("--limit-queries", type=int, default=None, help="first N judged TIME queries")
    ap.add_argument("--limit", type=int, default=None,
                    help="first N TIME docs only (queries without a relevant doc among them dropped)")
    ap.add_argument("--known-docs", type=int, default=3000,
                    help="articles per known-item collection (BBC has about 2,200)")
    ap.add_argument("--known-queries", type=int, default=300,
                    help="queries of each kind per known-item collection")
    ap.add_argument("--no-variants", action="store_true", help="skip the Morgue variants")
    ap.add_argument("--variants", default=None,
                    help="only the variants whose name contains one of these comma-separated words")
    ap.add_argument("--json", dest="out", default=None, help="write results here instead")
    args = ap.parse_args(argv)
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = set(sets) - set(SETS)
    if unknown:
        ap.error(f"--sets: unknown {', '.join(sorted(unknown))}; choose from {', '.join(SETS)}")
    variants_wanted = [] if args.no_variants else _variants(args.quick)
    if args.variants:
        keys = [k.strip().lower() for k in args.variants.split(",") if k.strip()]
        variants_wanted = [v for v in variants_wanted if any(k in v[0].lower() for k in keys)]

    engines: list[dict[str, Any]] = []  # one row per (set, queries, engine)
    variants: list[dict[str, Any]] = []  # one row per (variant, set, queries)
    with tempfile.TemporaryDirectory(prefix="morgue-relevance-") as t:
        tmp = Path(t)
        collections: list[tuple[str, list[dict], dict[str, list[dict]], dict[str, set[str]]]] = []
        if "time" in sets:
            docs, queries, qrels = load(args.limit_queries, args.limit)
            collections.append(("TIME", docs, {"TIME queries": queries}, qrels))
        for name in ("bbc", "reuters"):
            if name in sets:
                docs, qsets, qrels = load_known_items(name, limit_docs=args.known_docs,
                                                      limit_queries=args.known_queries)
                collections.append((name.upper() if name == "bbc" else "Reuters", docs, qsets, qrels))

        for label, docs, qsets, qrels in collections:
            print(f"{label}: {len(docs)} docs, "
                  + ", ".join(f"{len(q)} {k}" for k, q in qsets.items()), file=sys.stderr)
            pages = tmp / f"pages-{label}"
            pages.mkdir()
            for d in docs:
                (pages / f"{d['id']}.html").write_text(render(d), encoding="utf-8")
            ix = tmp / f"index-{label}"
            t0 = time.perf_counter()
            report = build_morgue(pages, ix)
            build = time.perf_counter() - t0
            if report["failed"]:
                print(f"  {len(report['failed'])} pages failed to index", file=sys.stderr)
            for qname, queries in qsets.items():
                doc_of = {str(q["id"]): str(q.get("doc", q["id"])) for q in queries}
                run, secs = run_morgue(ix, queries)
                engines.append({**evaluate(run, qrels), "set": label, "queries": qname,
                                "n": len(queries), "engine": "Morgue (Archive.search)",
                                **evaluate_halves(run, qrels, doc_of),
                                "index_s": build, "query_ms": 1000 * secs / len(queries)})
                baseline = engines[-1]
                run, fbuild, fsecs = run_fts5(docs, queries)
                engines.append({**evaluate(run, qrels), "set": label, "queries": qname,
                                "n": len(queries), "engine": "SQLite FTS5 (porter, bm25, OR)",
                                **evaluate_halves(run, qrels, doc_of),
                                "index_s": fbuild, "query_ms": 1000 * fsecs / len(queries)})
                if label == "TIME":
                    for stop in (True, False):
                        run, wbuild, wsecs = run_whoosh(docs, queries, tmp, stop=stop)
                        engines.append({**evaluate(run, qrels), "set": label, "queries": qname,
                                        "n": len(queries),
                                        "engine": "Whoosh BM25F (body only, OR"
                                                  + (")" if stop else ", no stop words)"),
                                        **evaluate_halves(run, qrels, doc_of),
                                        "index_s": wbuild, "query_ms": 1000 * wsecs / len(queries)})
                for vname, ctx, weighting in variants_wanted:
                    with ctx():
                        run, _ = run_morgue(ix, queries, weighting=weighting)
                    row = {**evaluate(run, qrels), "variant": vname, "set": label, "queries": qname,
                           **evaluate_halves(run, qrels, doc_of)}
                    row["dMAP"] = row["MAP"] - baseline["MAP"]
                    variants.append(row)

        if "bylines" in sets:
            root, queries = load_bylines()
            ix = tmp / "index-bylines"
            build_morgue(root, ix)
            result = run_bylines(ix, queries)
            engines.append({**result, "set": "bundled corpus", "queries": "reporters' names",
                            "n": len(queries), "engine": "Morgue (Archive.search)",
                            "MAP A": float("nan"), "MAP B": float("nan"),
                            "index_s": 0.0, "query_ms": 0.0})
            for boost in (0.0, 0.5, 2.0):
                with byline_boost(boost):
                    r = run_bylines(ix, queries)
                variants.append({**r, "variant": f"byline weight {boost}" if boost else
                                 "bylines not searched by plain words", "set": "bundled corpus",
                                 "queries": "reporters' names", "MAP A": float("nan"),
                                 "MAP B": float("nan"), "dMAP": r["MAP"] - result["MAP"]})

    print("## Engines\n")
    print(md_table(["set", "queries", "n", "engine", "MAP", "MAP A", "MAP B", "nDCG@10", "P@10",
                    "ms/query"],
                   [[e["set"], e["queries"], e["n"], e["engine"], e["MAP"], e["MAP A"], e["MAP B"],
                     e["nDCG@10"], e["P@10"], e["query_ms"]] for e in engines]))
    if variants:
        print("\n## Morgue variants (monkeypatched in this script)\n")
        print(md_table(["variant", "set", "queries", "MAP", "ΔMAP", "MAP A", "MAP B"],
                       [[v["variant"], v["set"], v["queries"], v["MAP"], f"{v['dMAP']:+.4f}",
                         v["MAP A"], v["MAP B"]] for v in variants]))
    path = write_results("relevance", {"sets": sets, "engines": engines, "variants": variants},
                         args.out)
    print(f"\nresults: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

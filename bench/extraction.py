"""Extraction quality and speed: Morgue beside trafilatura and readability-lxml, in one run.

    python -m bench.extraction [--limit N] [--repeat N] [--clock cpu] [--json OUT] [--only morgue] [--worst K]

Data: ``../shared/data/extraction/`` (third-party, read in place, never copied; see its
README). Scores:

* L3S-GN1 — body precision / recall / F1 (bag of words: lower-cased ``\\w+`` tokens, multiset
  intersection, averaged over pages), headline exact match on word tokens (equal to one of the
  blocks labelled ``headline``: the labels also hold decks and repeats), and supplemental
  recall of captions (share of the labelled supplemental tokens — captions, credits — found in
  the extracted captions; only Morgue extracts captions).
* trafilatura-eval — share of ``with`` snippets found in the main text, share of ``without``
  snippets absent from it (for Morgue the main text is standfirst + body: it keeps the deck in
  its own field; the L3S body scores use the same text), title exact match on word tokens, publication date (YYYY-MM-DD) exact match.
* Fields no set labels (``bench/field_checks.py``): the share of bylines holding a date, a time
  or a relative time, and the share of sources that are not site names (script text, keyword
  lists, the headline), over all pages of both sets.
* Throughput — pages per second, single process, same pages, same run (gunzip not timed);
  with ``--repeat N``, the median of N timed passes (the JSON keeps every pass).

Every score is also given for the two halves of ``bench/halves.py`` (by a hash of the file
name): extraction rules are changed looking at half A only, so a rule that helps A and not B
learned those pages.

``--limit N`` takes the first N pages of each set (``--limit 5`` is a smoke test).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from bench.field_checks import byline_has_date, source_is_not_site_name
from bench.halves import half

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction"
_TOK = re.compile(r"\w+")


def tokens(s: str) -> list[str]:
    return _TOK.findall((s or "").lower())


def prf(pred: str, truth: str) -> tuple[float, float, float]:
    p, t = Counter(tokens(pred)), Counter(tokens(truth))
    if not t and not p:
        return 1.0, 1.0, 1.0
    common = sum((p & t).values())
    prec = common / sum(p.values()) if p else 0.0
    rec = common / sum(t.values()) if t else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def norm(s: str) -> str:
    """Whitespace-normalised text without invisible characters (soft hyphens, zero-width spaces)."""
    return " ".join(_INVISIBLE.sub("", s or "").split())


# ----------------------------------------------------------------------------- systems


def run_morgue(html: bytes, url: str) -> dict:
    from morgue.errors import ExtractionError
    from morgue.indexer.extract import extract

    try:
        a = extract(html, url=url)
    except ExtractionError:
        return {"body": "", "title": "", "date": None, "captions": ""}
    caps = " ".join(f"{c.text} {c.credit or ''}" for c in a.captions)
    # Morgue keeps the deck apart from the body; the article's main text is both.
    text = f"{a.standfirst}\n\n{a.body}" if a.standfirst else a.body
    return {"body": text, "title": a.headline, "date": a.published, "captions": caps,
            "byline": a.byline, "source": a.source}


def run_trafilatura(html: bytes, url: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return {"body": "", "title": "", "date": None}
    d = doc if isinstance(doc, dict) else doc.as_dict()
    author = d.get("author") or ""
    return {"body": d.get("text") or "", "title": d.get("title") or "", "date": d.get("date"),
            "byline": [x.strip() for x in author.split(";") if x.strip()], "source": d.get("sitename")}


def run_readability(html: bytes, url: str) -> dict:
    import lxml.html
    from readability import Document

    try:
        doc = Document(html, url=url)
        summary = doc.summary(html_partial=True)
        text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
        title = doc.short_title()
    except Exception:
        return {"body": "", "title": "", "date": None}
    return {"body": text, "title": title, "date": None}


SYSTEMS = {"morgue": run_morgue, "trafilatura": run_trafilatura, "readability-lxml": run_readability}


# ----------------------------------------------------------------------------- data


def load(limit: int | None) -> tuple[list[dict], list[dict]]:
    def rows(name: str) -> list[dict]:
        path = DATA / name / "truth.jsonl"
        out = []
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    raw = (DATA / name / r["file"]).read_bytes()
                    r["html"] = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
                    out.append(r)
                    if limit and len(out) >= limit:
                        break
        return out

    return rows("l3s-gn1"), rows("trafilatura-eval")


# ----------------------------------------------------------------------------- scoring


def evaluate(name: str, fn, l3s: list[dict], te: list[dict], repeat: int = 1,
             clock=time.perf_counter) -> tuple[dict, list[dict]]:
    """Metrics over all pages (and under "halves", each half "A" and "B"), and the per-page records."""
    per_page = []
    elapsed = 0.0
    n = 0
    for r in l3s:
        t0 = clock()
        out = fn(r["html"], r["url"])
        elapsed += clock() - t0
        n += 1
        p, rc, f = prf(out["body"], "\n".join(r["body"]))
        # The labelled "headline" blocks are the headline plus, on some pages, its deck or
        # repeats of it: a match is the extracted headline equal to one of them.
        h = any(tokens(x) == tokens(out["title"]) for x in r["headline"]) if r["headline"] else False
        rec = {"set": "l3s", "file": r["file"], "half": half(r["file"]), "f1": f, "p": p, "r": rc,
               "headline_ok": h, "title": out["title"], "truth_title": " ".join(r["headline"])}
        if "captions" in out:
            sup = Counter(tokens(" ".join(r["supplemental"])))
            got = Counter(tokens(out["captions"]))
            rec.update(cap_hits=sum((sup & got).values()), cap_total=sum(sup.values()))
        per_page.append(_with_fields(rec, out))
    for r in te:
        t0 = clock()
        out = fn(r["html"], r["url"])
        elapsed += clock() - t0
        n += 1
        body = norm(out["body"])
        rec = {"set": "te", "file": r["file"], "half": half(r["file"]),
               "with": [norm(s) in body for s in r["with"]],
               "without": [norm(s) not in body for s in r["without"]]}
        if r.get("title"):
            rec.update(title_ok=tokens(r["title"]) == tokens(out["title"]), title=out["title"],
                       truth_title=r["title"])
        if r.get("date"):
            rec.update(date_ok=(out["date"] or "")[:10] == r["date"], date=out["date"], truth_date=r["date"])
        per_page.append(_with_fields(rec, out))
    # Speed: the scored pass above, then `repeat - 1` more timed passes over the same pages.
    rates = [n / elapsed] if elapsed else []
    for _ in range(repeat - 1):
        t0 = clock()
        for r in l3s + te:
            fn(r["html"], r["url"])
        took = clock() - t0
        if took:
            rates.append(n / took)
    metrics = _scores(name, per_page)
    metrics.update(pages_per_second=statistics.median(rates) if rates else None,
                   pages_per_second_runs=rates, pages=n,
                   halves={h: _scores(name, [p for p in per_page if p["half"] == h]) for h in ("A", "B")})
    return metrics, per_page


def _with_fields(rec: dict, out: dict) -> dict:
    """The record with the byline and source checks (systems that give those fields)."""
    if "byline" in out:
        rec.update(byline=out["byline"], byline_dated=[byline_has_date(b) for b in out["byline"]])
    if "source" in out:
        rec.update(source=out["source"], source_bad=bool(out["source"]) and
                   source_is_not_site_name(out["source"], out["title"]))
    return rec


def _share(values: list) -> float | None:
    return sum(values) / len(values) if values else None


def _scores(name: str, pages: list[dict]) -> dict:
    """Aggregate scores of some per-page records."""
    l3s = [p for p in pages if p["set"] == "l3s"]
    te = [p for p in pages if p["set"] == "te"]
    k = len(l3s) or 1
    cap_total = sum(p.get("cap_total", 0) for p in l3s)
    withs = [ok for p in te for ok in p["with"]]
    withouts = [ok for p in te for ok in p["without"]]
    bylines = [d for p in pages for d in p.get("byline_dated", [])]
    sources = [p["source_bad"] for p in pages if p.get("source")]
    return {
        "l3s_body_precision": sum(p["p"] for p in l3s) / k, "l3s_body_recall": sum(p["r"] for p in l3s) / k,
        "l3s_body_f1": sum(p["f1"] for p in l3s) / k,
        "l3s_headline_exact": sum(p["headline_ok"] for p in l3s) / k,
        "l3s_caption_supplemental_recall": (sum(p.get("cap_hits", 0) for p in l3s) / cap_total) if cap_total else None,
        "te_with_found": _share(withs), "te_without_absent": _share(withouts),
        "te_title_exact": _share([p["title_ok"] for p in te if "title_ok" in p]),
        "te_date_exact": _share([p["date_ok"] for p in te if "date_ok" in p]) if name != "readability-lxml" else None,
        "byline_with_date_share": _share(bylines) if any("byline_dated" in p for p in pages) else None,
        "source_not_site_share": _share(sources) if any("source_bad" in p for p in pages) else None,
        "pages": len(pages),
    }


ROWS = [
    ("L3S-GN1 body precision", "l3s_body_precision"),
    ("L3S-GN1 body recall", "l3s_body_recall"),
    ("L3S-GN1 body F1", "l3s_body_f1"),
    ("L3S-GN1 headline exact", "l3s_headline_exact"),
    ("L3S-GN1 supplemental recall (captions)", "l3s_caption_supplemental_recall"),
    ("trafilatura-eval `with` found", "te_with_found"),
    ("trafilatura-eval `without` absent", "te_without_absent"),
    ("trafilatura-eval title exact", "te_title_exact"),
    ("trafilatura-eval date exact", "te_date_exact"),
    ("bylines holding a date/time (share)", "byline_with_date_share"),
    ("sources that are not site names (share)", "source_not_site_share"),
    ("pages/s (one core)", "pages_per_second"),
]


def table(results: dict[str, dict]) -> str:
    """A Markdown table: one column per system and part (all pages, half A, half B)."""
    cols = [(nm, part) for nm in results for part in ("all", "A", "B")]
    heads = [nm if part == "all" else f"{nm} {part}" for nm, part in cols]
    lines = ["| metric | " + " | ".join(heads) + " |", "|---|" + "---|" * len(cols)]
    for label, key in ROWS:
        cells = []
        for nm, part in cols:
            m = results[nm] if part == "all" else results[nm]["halves"][part]
            v = m.get(key)
            if v is None:
                cells.append("—")
            elif key == "pages_per_second":
                runs = m.get("pages_per_second_runs") or []
                spread = f" ({min(runs):.1f}-{max(runs):.1f})" if len(runs) > 1 else ""
                cells.append(f"{v:.1f}{spread}")
            else:
                cells.append(f"{v:.3f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each data set")
    ap.add_argument("--json", dest="json_out", default=None, help="write metrics and per-page results here")
    ap.add_argument("--only", action="append", choices=list(SYSTEMS), help="run only these systems")
    ap.add_argument("--repeat", type=int, default=1,
                    help="timed passes for pages/s (median and min-max; quality is scored once)")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="time pages/s by wall clock, or by this process's CPU time (steadier on a "
                         "machine other work loads)")
    ap.add_argument("--worst", type=int, default=0, help="print the K worst Morgue pages per metric")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"no benchmark data at {DATA} (../shared/data/extraction is not present)", file=sys.stderr)
        return 2
    l3s, te = load(args.limit)
    results, pages = {}, {}
    for name in args.only or list(SYSTEMS):
        fn = SYSTEMS[name]
        try:
            fn(b"<html><body><p>warm up</p></body></html>", "http://example.com/")
        except Exception:
            pass
        clock = time.process_time if args.clock == "cpu" else time.perf_counter
        results[name], pages[name] = evaluate(name, fn, l3s, te, args.repeat, clock)
    print(f"Pages: {len(l3s)} L3S-GN1 + {len(te)} trafilatura-eval (half A / half B: bench/halves.py)\n")
    print(table(results))
    if args.worst and "morgue" in pages:
        pp = pages["morgue"]
        print("\nworst L3S body F1:")
        for r in sorted((p for p in pp if p["set"] == "l3s"), key=lambda p: p["f1"])[: args.worst]:
            print(f"  {r['f1']:.2f} p={r['p']:.2f} r={r['r']:.2f} {r['file']}")
        print("\nL3S headline misses:")
        for r in [p for p in pp if p["set"] == "l3s" and not p["headline_ok"]][: args.worst]:
            print(f"  {r['file']}: {r['title']!r} != {r['truth_title']!r}")
        print("\ntrafilatura-eval title misses:")
        for r in [p for p in pp if p["set"] == "te" and p.get("title_ok") is False][: args.worst]:
            print(f"  {r['file']}: {r['title']!r} != {r['truth_title']!r}")
        print("\ntrafilatura-eval date misses:")
        for r in [p for p in pp if p["set"] == "te" and p.get("date_ok") is False][: args.worst]:
            print(f"  {r['file']}: {r['date']!r} != {r['truth_date']!r}")
        print("\nbylines holding a date/time:")
        for r in [p for p in pp if any(p.get("byline_dated", []))][: args.worst]:
            print(f"  {r['file']}: {r['byline']}")
        print("\nsources that are not site names:")
        for r in [p for p in pp if p.get("source_bad")][: args.worst]:
            print(f"  {r['file']}: {r['source']!r}")
        print("\ntrafilatura-eval with/without misses:")
        for r in [p for p in pp if p["set"] == "te" and (not all(p["with"]) or not all(p["without"]))][: args.worst]:
            print(f"  {r['file']}: with={r['with']} without={r['without']}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"metrics": results, "pages": pages}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Extraction quality and speed: Morgue beside trafilatura and readability-lxml, in one run.

    python -m bench.extraction [--limit N] [--repeat N] [--json OUT] [--only morgue] [--worst K]

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
* Throughput — pages per second, single process, same pages, same run (gunzip not timed);
  with ``--repeat N``, the median of N timed passes (the JSON keeps every pass).

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
    return {"body": text, "title": a.headline, "date": a.published, "captions": caps}


def run_trafilatura(html: bytes, url: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return {"body": "", "title": "", "date": None}
    d = doc if isinstance(doc, dict) else doc.as_dict()
    return {"body": d.get("text") or "", "title": d.get("title") or "", "date": d.get("date")}


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


def evaluate(name: str, fn, l3s: list[dict], te: list[dict], repeat: int = 1) -> tuple[dict, list[dict]]:
    per_page = []
    elapsed = 0.0
    n = 0
    P = R = F = H = 0.0
    cap_hits = cap_total = 0
    for r in l3s:
        t0 = time.perf_counter()
        out = fn(r["html"], r["url"])
        elapsed += time.perf_counter() - t0
        n += 1
        truth_body = "\n".join(r["body"])
        p, rc, f = prf(out["body"], truth_body)
        P, R, F = P + p, R + rc, F + f
        # The labelled "headline" blocks are the headline plus, on some pages, its deck or
        # repeats of it: a match is the extracted headline equal to one of them.
        h = any(tokens(x) == tokens(out["title"]) for x in r["headline"]) if r["headline"] else False
        H += h
        if "captions" in out:
            sup = Counter(tokens(" ".join(r["supplemental"])))
            got = Counter(tokens(out["captions"]))
            cap_hits += sum((sup & got).values())
            cap_total += sum(sup.values())
        per_page.append({"set": "l3s", "file": r["file"], "f1": f, "p": p, "r": rc, "headline_ok": h,
                         "title": out["title"], "truth_title": " ".join(r["headline"])})
    W = WO = 0.0
    wn = won = 0
    T = tn = 0
    Dt = dn = 0
    for r in te:
        t0 = time.perf_counter()
        out = fn(r["html"], r["url"])
        elapsed += time.perf_counter() - t0
        n += 1
        body = norm(out["body"])
        w_ok = [norm(s) in body for s in r["with"]]
        wo_ok = [norm(s) not in body for s in r["without"]]
        W += sum(w_ok)
        wn += len(w_ok)
        WO += sum(wo_ok)
        won += len(wo_ok)
        rec = {"set": "te", "file": r["file"], "with": w_ok, "without": wo_ok}
        if r.get("title"):
            ok = tokens(r["title"]) == tokens(out["title"])
            T += ok
            tn += 1
            rec.update(title_ok=ok, title=out["title"], truth_title=r["title"])
        if r.get("date"):
            ok = (out["date"] or "")[:10] == r["date"]
            Dt += ok
            dn += 1
            rec.update(date_ok=ok, date=out["date"], truth_date=r["date"])
        per_page.append(rec)
    # Speed: the scored pass above, then `repeat - 1` more timed passes over the same pages.
    rates = [n / elapsed] if elapsed else []
    for _ in range(repeat - 1):
        t0 = time.perf_counter()
        for r in l3s + te:
            fn(r["html"], r["url"])
        took = time.perf_counter() - t0
        if took:
            rates.append(n / took)
    k = len(l3s) or 1
    metrics = {
        "l3s_body_precision": P / k, "l3s_body_recall": R / k, "l3s_body_f1": F / k,
        "l3s_headline_exact": H / k,
        "l3s_caption_supplemental_recall": (cap_hits / cap_total) if cap_total else None,
        "te_with_found": W / wn if wn else None, "te_without_absent": WO / won if won else None,
        "te_title_exact": T / tn if tn else None,
        "te_date_exact": (Dt / dn if dn else None) if name != "readability-lxml" else None,
        "pages_per_second": statistics.median(rates) if rates else None,
        "pages_per_second_runs": rates,
        "pages": n,
    }
    return metrics, per_page


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
    ("pages/s (one core)", "pages_per_second"),
]


def table(results: dict[str, dict]) -> str:
    names = list(results)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for label, key in ROWS:
        cells = []
        for nm in names:
            v = results[nm].get(key)
            if v is None:
                cells.append("—")
            elif key == "pages_per_second":
                runs = results[nm].get("pages_per_second_runs") or []
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
        results[name], pages[name] = evaluate(name, fn, l3s, te, args.repeat)
    print(f"Pages: {len(l3s)} L3S-GN1 + {len(te)} trafilatura-eval\n")
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
        print("\ntrafilatura-eval with/without misses:")
        for r in [p for p in pp if p["set"] == "te" and (not all(p["with"]) or not all(p["without"]))][: args.worst]:
            print(f"  {r['file']}: with={r['with']} without={r['without']}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"metrics": results, "pages": pages}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

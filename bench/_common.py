"""Shared helpers for the benchmarks: data location, corpus rendering, result output.

Third-party data is read in place from ``../shared/data`` (never copied into the project).
Rendered HTML pages and indexes are cached under ``bench/.work/`` (gitignored).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import platform
import statistics
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator

BENCH = Path(__file__).resolve().parent
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
WORK = BENCH / ".work"
RESULTS = BENCH / "results"


def require_data(*parts: str) -> Path:
    """The path under ../shared/data, or exit with a clear message when it is absent."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        sys.exit(
            f"benchmark data not found: {path}\n"
            f"(third-party data lives in ../shared/data next to the repository; see its README)"
        )
    return path


def md_table(headers: list[str], rows: list[list[Any]]) -> str:
    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.4g}" if abs(v) < 1000 else f"{v:,.0f}"
        return "" if v is None else str(v)

    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(out)


def write_results(name: str, payload: dict[str, Any], out: str | None = None) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = Path(out) if out else RESULTS / f"{name}-{date.today().isoformat()}.json"
    payload = {
        "benchmark": name,
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        **payload,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- news corpora ------------------------------------------------------------------------


def load_news(limit: int | None = None) -> list[dict[str, Any]]:
    """Reuters-21578 and BBC articles as uniform dicts, interleaved (about 10 Reuters : 1 BBC).

    Keys: id, source, section, headline, date (ISO, BBC dates are synthetic, 2004-2005, as the
    data has none), dateline, paragraphs, url.
    """
    corpora = require_data("corpora")
    reuters: list[dict[str, Any]] = []
    with gzip.open(corpora / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            body = (r.get("body") or "").strip()
            title = (r.get("title") or "").strip()
            if not body or not title or len(body) < 200:
                continue
            paras = [" ".join(p.split()) for p in body.replace("\n    ", "\n\n").split("\n\n")]
            paras = [p for p in paras if p and not p.lower().startswith("reuter")]
            if not paras:
                continue
            reuters.append({
                "id": f"reuters-{r['id']}",
                "source": "Reuters",
                "section": None,
                "headline": title.title() if title.isupper() else title,
                "date": (r.get("date") or "1987-03-01T00:00:00")[:19],
                "dateline": (r.get("dateline") or "").strip(),
                "paragraphs": paras,
                "url": f"https://www.reuters.test/article/{r['id']}",
            })
    bbc: list[dict[str, Any]] = []
    with gzip.open(corpora / "bbc.jsonl.gz", "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            r = json.loads(line)
            n = int(hashlib.sha1(r["id"].encode()).hexdigest()[:6], 16)
            when = datetime(2004, 1, 1) + timedelta(days=n % 700, minutes=n % 1440)
            bbc.append({
                "id": f"bbc-{r['id'].replace('/', '-')}",
                "source": "BBC",
                "section": r["category"].title(),
                "headline": r["title"].strip(),
                "date": when.isoformat(),
                "dateline": "",
                "paragraphs": [p.strip() for p in r["body_paragraphs"] if p.strip()],
                "url": f"https://www.bbc.test/news/{r['category']}/{r['id'].split('/')[-1]}",
            })
    out: list[dict[str, Any]] = []
    bi = 0
    for i, r in enumerate(reuters):
        out.append(r)
        if i % 10 == 9 and bi < len(bbc):
            out.append(bbc[bi])
            bi += 1
    out.extend(bbc[bi:])
    return out[:limit] if limit else out


def expand_news(arts: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """`n` articles: the real ones, then (past the end of the data) synthetic remixes.

    A remix k of article a takes a's headline and paragraphs plus the paragraphs of another
    article, shifted by k*3 years, with its own URL, so it is not a duplicate of either.
    """
    if n <= len(arts):
        return arts[:n]
    out = list(arts)
    total = len(arts)
    i = 0
    while len(out) < n:
        k = i // total + 1
        a = arts[i % total]
        b = arts[(i * 7919 + k) % total]
        year = int(a["date"][:4]) + 3 * k
        out.append({
            **a,
            "id": f"{a['id']}-remix{k}",
            "headline": f"{a['headline']}: {' '.join(b['headline'].split()[:4])}",
            "date": _shift_year(a["date"], year),
            "paragraphs": a["paragraphs"] + b["paragraphs"][:3],
            "url": f"{a['url']}-remix{k}",
        })
        i += 1
    return out


LAYOUTS = ("modern", "legacy", "blog")

_NAV = "".join(f'<li><a href="/{s}">{s.title()}</a></li>' for s in
               ("world", "business", "markets", "politics", "tech", "sport", "opinion"))


def render_page(a: dict[str, Any], layout: str = "modern") -> str:
    """One article as an HTML page in a given layout."""
    e = html.escape
    headline = e(a["headline"])
    site = a["source"]
    paras = a["paragraphs"]
    if a.get("dateline") and paras:
        paras = [f"{a['dateline']} {paras[0]}"] + paras[1:]
    body = "\n".join(f"<p>{e(p)}</p>" for p in paras)
    d = a["date"]
    if layout == "modern":
        ld = json.dumps({
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": a["headline"],
            "datePublished": d + "Z", "publisher": {"@type": "Organization", "name": site},
            **({"articleSection": a["section"]} if a.get("section") else {}),
        })
        section_meta = (f'<meta property="article:section" content="{e(a["section"])}">'
                        if a.get("section") else "")
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} | {site}</title>
<link rel="canonical" href="{e(a['url'])}">
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{headline}">
<meta property="og:type" content="article">
{section_meta}
<script type="application/ld+json">{ld}</script>
</head><body>
<header class="site-header"><a class="logo" href="/">{site}</a><nav><ul>{_NAV}</ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div></header>
<main><article>
<h1>{headline}</h1>
<div class="meta"><time datetime="{d}Z">{d[:10]}</time></div>
<div class="article-body">
{body}
</div>
<div class="share">Share this article: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
</article>
<aside class="related"><h2>More from {site}</h2><ul><li><a href="/a">Markets close higher on trade hopes</a></li><li><a href="/b">Central bank holds rates steady</a></li></ul></aside>
</main>
<footer><p>&copy; {site}. All rights reserved.</p><ul><li><a href="/terms">Terms</a></li><li><a href="/privacy">Privacy</a></li></ul></footer>
</body></html>
"""
    if layout == "legacy":
        return f"""<html><head><title>{site}: {headline}</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="date" content="{d[:10]}">
<link rel="canonical" href="{e(a['url'])}">
</head><body bgcolor="#ffffff">
<table width="100%"><tr><td colspan="2"><img src="/logo.gif" alt="{site}"> <font size="1"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/archive">Archive</a></font></td></tr>
<tr><td width="160" valign="top"><font size="1"><a href="/world">World</a><br><a href="/business">Business</a><br><a href="/sport">Sport</a><br><a href="/weather">Weather</a></font></td>
<td valign="top"><font face="Arial"><b><font size="4">{headline}</font></b><br>
<font size="1">{d[:10]}</font><br><br>
{"<br><br>".join(e(p) for p in paras)}
</font></td></tr>
<tr><td colspan="2"><font size="1">Copyright {site}. <a href="/contact">Contact us</a></font></td></tr></table>
</body></html>
"""
    if layout == "blog":
        sec = e(a.get("section") or "News")
        return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{headline}</title>
<meta property="og:site_name" content="{site}">
<meta name="article:published_time" content="{d}Z">
<link rel="canonical" href="{e(a['url'])}">
</head><body class="single-post">
<div id="top-bar"><a href="/">Home</a> <a href="/subscribe">Subscribe</a> <a href="/login">Log in</a></div>
<div class="container"><div class="content">
<div class="post">
<span class="category">{sec}</span>
<h2 class="entry-title">{headline}</h2>
<p class="posted-on">Posted on <span class="date">{d[:10]}</span></p>
<div class="entry-content">
{body}
</div>
<div class="tags">Tags: <a href="/t/1">{sec}</a></div>
</div>
<div id="comments"><h3>2 comments</h3><div class="comment"><p>Great article, thanks for sharing.</p></div><div class="comment"><p>I disagree with the second point.</p></div></div>
</div>
<div class="sidebar"><h3>Popular</h3><ul><li><a href="/p1">Ten things you missed this week</a></li><li><a href="/p2">Why prices keep rising</a></li><li><a href="/p3">The week in pictures</a></li></ul></div>
</div>
<div id="footer">Powered by a CMS. &copy; {site}</div>
</body></html>
"""
    raise ValueError(layout)


def render_corpus(arts: list[dict[str, Any]], name: str, layouts: Iterable[str] = ("modern",)
                  ) -> list[Path]:
    """Write pages for `arts` under bench/.work/pages/<name>/ (kept between runs).

    Pages are spread over `layouts` round-robin; files already present are not rewritten
    (so their mtimes stay put and Morgue's incremental re-runs see them unchanged).
    """
    layouts = tuple(layouts)
    root = WORK / "pages" / name
    paths: list[Path] = []
    for i, a in enumerate(arts):
        layout = layouts[i % len(layouts)]
        sub = root / f"{i // 1000:04d}"
        path = sub / f"{a['id']}.html"
        if not path.exists():
            sub.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(render_page(a, layout), encoding="utf-8")
            tmp.replace(path)
        paths.append(path)
    return paths


def chunks(seq: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def _shift_year(iso: str, year: int) -> str:
    """`iso` moved to `year` (29 February becomes the 28th in a common year)."""
    rest = iso[4:]
    if rest.startswith("-02-29") and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        rest = "-02-28" + rest[6:]
    return f"{year:04d}{rest}"

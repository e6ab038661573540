"""Caption check: does Morgue extract the captions an article's figures carry, and how many of
the captions it extracts are junk? Reported per half (`bench/halves.py`).

    python -m bench.captions [--limit N] [--show K] [--json OUT]

Data: ``../shared/data/extraction/`` (both sets, read in place). For every page whose
main ``<article>`` element (the one with the most paragraph text; the others are teasers of
other stories) holds a ``<figcaption>`` of four or more words (outside ``<nav>``,
``<footer>``, ``<aside>`` and nested ``<article>`` teasers; the article's ``<header>`` counts), each such figcaption is **found** when one of the
captions Morgue extracts (its text and credit together) holds at least 80% of the
figcaption's word tokens, and the extracted caption is not three times longer than it (a
caption swallowed into a page-long blob is not found).

A caption Morgue extracts (on every page) is **junk** when:

* its text is an ad label ("Advertisement", "Anzeige", "Sponsored"), or one word with no credit;
* its text is only a credit, with the credit left empty ("Photo: iFixit", "(Image: GETTY)",
  "Image via Getty Images", "Getty Images", "AP Photo/Jane Doe");
* its text still ends with a credit ("... / Reuters", "... Jane Doe/AP file", "(AP Photo/...)",
  "| Getty Images", "Credit... Doug Mills/The New York Times", "Photo: ...").

The junk rules are written here independently of Morgue's own credit splitter, so the check
cannot agree with the code by construction.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup

from bench.halves import half

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction"
_TOK = re.compile(r"\w+")
BOILER = ("nav", "footer", "aside")  # an article's own <header> holds its lead photo

_AD = re.compile(r"^\W*(?:advertisement|advertising|anzeige|werbung|publicité|sponsored|ad)\W*$", re.I)
_AGENCY = (r"(?:reuters|ap|afp|epa|getty(?:\s+images)?|ap\s+photo|associated\s+press|shutterstock|alamy|"
           r"istock(?:photo)?|dpa|picture[\s-]alliance|imago|pa(?:\s+wire)?|bloomberg|xinhua|anadolu|"
           r"the\s+new\s+york\s+times|nyt|upi|handout|file)")
_ONLY_CREDIT = re.compile(
    r"^\W*(?:(?:photo(?:graph)?|image|picture|pic|foto|bild|credit)s?\s*(?:by|via|:|/|…|\.\.\.)\s*[^.!?]{1,60}"
    r"|(?:image|photo|picture)s?\s+(?:via|courtesy(?:\s+of)?)\s+[^.!?]{1,60}"
    rf"|{_AGENCY}(?:\s*(?:/|photo/|,)\s*[^.!?]{{0,40}})?|[^.!?]{{1,40}}\s*/\s*{_AGENCY}(?:\s+file)?)\W*$",
    re.I,
)
_TRAILING_CREDIT = re.compile(
    rf"(?:\s/\s*{_AGENCY}(?:\s+file)?|\b{_AGENCY}\s+file|\(\s*(?:ap|afp|reuters|epa|getty)\b[^()]*\)|"
    rf"\|\s*{_AGENCY}|\bcredit\s*(?:\.\.\.|…|:)\s*\S.*|\b(?:photo(?:graph)?|picture|image)\s*:\s*\S[^.!?]{{0,60}}|"
    rf"\(\s*(?:photo|image|picture|foto)\s*:[^()]*\)|\b[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){{0,3}}\s*/\s*{_AGENCY})\W*$",
    re.I,
)


def tokens(s: str) -> list[str]:
    return _TOK.findall((s or "").lower())


def junk_reason(text: str, credit: str | None) -> str | None:
    """Why an extracted caption is junk, or None."""
    t = " ".join((text or "").split())
    if not t:
        return None  # a credit with no caption text is shown as such, not junk
    if _AD.match(t):
        return "ad label"
    if len(t.split()) == 1 and not credit:
        return "one word"
    if not credit and _ONLY_CREDIT.match(t):
        return "credit filed as caption"
    if _TRAILING_CREDIT.search(t):
        return "credit left in text"
    return None


def _main_article(soup):
    """The page's article: of its <article> elements, the one with the most paragraph text
    (the others are teasers of other stories, which may carry figcaptions of their own)."""
    best, best_len = None, 0
    for art in soup.find_all("article"):
        n = sum(len(p.get_text()) for p in art.find_all("p"))
        if n > best_len:
            best, best_len = art, n
    return best


def article_figcaptions(html: bytes) -> list[str]:
    """The ≥4-word figcaptions inside the page's main <article> (not in its nav/aside/...,
    nor in a teaser <article> nested in it)."""
    soup = BeautifulSoup(html, "lxml")
    out: list[str] = []
    art = _main_article(soup)
    if art is None:
        return out
    for fc in art.find_all("figcaption"):
        inside = []  # the figcaption's ancestors up to the <article>
        for p in fc.parents:
            if p is art:
                break
            inside.append(p.name)
        if any(n in BOILER or n == "article" for n in inside):
            continue
        text = " ".join(fc.get_text(" ").split())
        if len(text.split()) >= 4 and text not in out:
            out.append(text)
    return out


def found(fig: str, captions: list) -> bool:
    want = Counter(tokens(fig))
    total = sum(want.values())
    for c in captions:
        got = Counter(tokens(f"{c.text} {c.credit or ''}"))
        if sum((want & got).values()) >= 0.8 * total and sum(got.values()) <= 3 * total + 5:
            return True
    return False


def load(limit: int | None):
    for name in ("l3s-gn1", "trafilatura-eval"):
        with open(DATA / name / "truth.jsonl", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if limit and i >= limit:
                    break
                r = json.loads(line)
                raw = (DATA / name / r["file"]).read_bytes()
                yield name, r, gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def run(limit: int | None = None, show: int = 0, only: str | None = None) -> dict:
    from morgue.errors import ExtractionError
    from morgue.indexer.extract import extract

    stats = {h: Counter() for h in ("A", "B")}
    misses: dict[str, list] = {"A": [], "B": []}
    junk: dict[str, list] = {"A": [], "B": []}
    for name, r, html in load(limit):
        h = half(r["file"])
        if only and h != only:
            continue
        st = stats[h]
        try:
            art = extract(html, url=r["url"])
            caps = art.captions
        except ExtractionError:
            caps = []
        st["pages"] += 1
        for c in caps:
            st["captions"] += 1
            why = junk_reason(c.text, c.credit)
            if why:
                st["junk"] += 1
                junk[h].append((r["file"], why, c.text, c.credit))
            if c.credit:
                st["with_credit"] += 1
        figs = article_figcaptions(html)
        if figs:
            st["pages_with_figcaption"] += 1
            hits = [found(f, caps) for f in figs]
            st["figcaptions"] += len(figs)
            st["figcaptions_found"] += sum(hits)
            st["pages_first_found"] += hits[0]
            for f, ok in zip(figs, hits):
                if not ok:
                    misses[h].append((r["file"], f))
    out = {}
    for h, st in stats.items():
        out[h] = {
            "pages": st["pages"],
            "pages_with_figcaption": st["pages_with_figcaption"],
            "figcaptions": st["figcaptions"],
            "caption_found": st["figcaptions_found"] / st["figcaptions"] if st["figcaptions"] else None,
            "first_caption_found": (st["pages_first_found"] / st["pages_with_figcaption"]
                                    if st["pages_with_figcaption"] else None),
            "captions_extracted": st["captions"],
            "junk": st["junk"],
            "junk_share": st["junk"] / st["captions"] if st["captions"] else None,
            "with_credit": st["with_credit"],
        }
    if show:
        for h in ("A",):  # rules are tuned looking at half A only
            print(f"\nhalf {h} misses:")
            for f, fig in misses[h][:show]:
                print(f"  {f}: {fig[:140]!r}")
            print(f"\nhalf {h} junk:")
            for f, why, text, credit in junk[h][:show]:
                print(f"  {f}: {why}: {text[:100]!r} / {credit!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each data set")
    ap.add_argument("--show", type=int, default=0, help="print K misses and junk captions of half A")
    ap.add_argument("--json", dest="json_out", default=None)
    ap.add_argument("--half", choices=("A", "B"), default=None, help="only this half (while tuning: A)")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"no benchmark data at {DATA} (../shared/data/extraction is not present)", file=sys.stderr)
        return 2
    res = run(args.limit, args.show, args.half)
    print("| half | pages | with figcaption | figcaptions | found | first found | captions | junk | junk share | with credit |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for h, m in res.items():
        f = lambda v: "—" if v is None else f"{v:.3f}"  # noqa: E731
        print(f"| {h} | {m['pages']} | {m['pages_with_figcaption']} | {m['figcaptions']} | {f(m['caption_found'])} | "
              f"{f(m['first_caption_found'])} | {m['captions_extracted']} | {m['junk']} | {f(m['junk_share'])} | "
              f"{m['with_credit']} |")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

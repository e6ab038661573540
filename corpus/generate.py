#!/usr/bin/env python3
"""Render Morgue's sample archive: raw HTML pages plus the answers a cleaner must give.

Reads the story sources in ``corpus/src/<site>.json`` (schema: ``corpus/src/README.md``),
renders every story into the page its site would serve -- with the menus, share bars,
cookie banners, related/most-read boxes, ads and footers such pages carry -- and writes
``corpus/expected.jsonl``: one ``Article`` record (``indexer/article.py``) per page file,
plus ``boilerplate`` (strings shown on the page that a cleaner must leave out of the
body), ``layout`` and ``variant``.

Standard library only and deterministic: every run writes byte-identical files.

    python corpus/generate.py                 # regenerate corpus/<site>/ and expected.jsonl
    python corpus/generate.py --src DIR --root DIR   # render other sources elsewhere
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import shutil
import sys
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nonarticles  # noqa: E402  (corpus/nonarticles.py: the sites' pages that are not articles)

HERE = Path(__file__).resolve().parent

# Layout keys, in the order pages are generated. A stray <name>.json in src/ is ignored.
SITES = ["meridian", "metronow", "riverbend", "courier", "alpin", "cpa", "gulf"]

SITE_NAMES = {
    "meridian": "The Meridian Post",
    "metronow": "Metro Daily Now",
    "riverbend": "Riverbend Dispatch",
    "courier": "The Valley Courier",
    "alpin": "Le Courrier Alpin",
    "cpa": "Continental Press Agency",
    "gulf": "The Gulf Observer",
}

ENCODINGS = {"courier": "cp1252", "alpin": "iso-8859-1"}  # everything else is UTF-8

# How an update (a later version of the same page) is saved, per layout.
UPDATE_STYLE = {
    "meridian": "suffix", "cpa": "suffix", "gulf": "suffix",
    "metronow": "snapshot", "riverbend": "snapshot", "courier": "snapshot", "alpin": "snapshot",
}

N_GZIP = 10            # about this many pages are stored gzip-compressed
N_COURIER_NOCHARSET = 3  # courier pages with no charset declaration at all

# Headlines of house stories that fill related/most-read boxes when a site has few stories.
FILLER = {
    "meridian": [
        "Crossword No 16,204",
        "The week in pictures: storms, summits and a very large pumpkin",
        "Letters: readers on the price of a train ticket",
        "Ask the doctor: is it worth taking vitamin D in winter?",
        "Weather: a mild start before rain spreads from the west",
        "Obituary: the bandleader who played every village hall in the county",
    ],
    "metronow": [
        "Traffic alert: lane closures on Quayside Road all weekend",
        "The city's best fish and chips, ranked by our readers",
        "Weekend weather: sunshine returns after three grey days",
        "Police appeal after e-scooter stolen from launderette",
        "Where to watch the Bonfire Night fireworks this year",
        "Rent watch: what £900 a month gets you in five neighbourhoods",
    ],
    "riverbend": [
        "Library book sale returns to the Grange hall",
        "Photos: Riverbend High homecoming parade",
        "Letter to the editor: fix the potholes on Mill Street",
        "Ferry schedule changes for the winter months",
        "Obituary: Harold J. Penner, 1931-2019",
        "Volunteer fire department pancake breakfast set for Saturday",
    ],
    "courier": [
        "Valley Days festival schedule announced",
        "Area Honor Rolls",
        "Police Log",
        "Courier Carrier of the Month",
        "Church Briefs",
        "School Lunch Menus",
    ],
    "alpin": [
        "Météo : un week-end ensoleillé sur les massifs",
        "Les horaires des marchés de Noël de la région",
        "Carnet : ils se sont dit oui en Savoie",
        "Trail : les résultats de la course des Crêtes",
        "Circulation : travaux de nuit sur la RN90",
        "Avis de décès du jour",
    ],
    "cpa": [
        "CPA daybook: what's on the wire today",
        "Markets at a glance: stocks, bonds, currencies",
        "Correction: earlier story on shipping rates",
        "CPA photo highlights of the week",
        "Sports scoreboard: European football results",
        "Weather extremes around the world",
    ],
    "gulf": [
        "Prayer timings for today",
        "Fuel prices for next month announced",
        "Weather: fog alert for early morning drivers",
        "Gold rate today: prices edge higher in Dubai",
        "Public holidays: the full list for this year",
        "Watch: the week's top stories in 90 seconds",
    ],
}

READER_COMMENTS = [
    ("river_rat_62", "Thanks for covering this. Nobody else around here does."),
    ("Marge T.", "I was there and it was exactly as described. Good reporting."),
    ("concerned taxpayer", "Who is paying for all of this? That is what I want to know."),
    ("DaveInTheValley", "Great piece, shared it with my neighbors."),
    ("Lena K", "Would love a follow-up on this next month."),
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
FR_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


# --------------------------------------------------------------------------- helpers

def e(text: str) -> str:
    """Escape text for HTML content and double-quoted attribute values (apostrophes stay,
    as most CMSes leave them)."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def d(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def norm(iso: str | None) -> str | None:
    """Normalise an ISO 8601 timestamp (``Z`` -> ``+00:00``, seconds shown)."""
    return d(iso).isoformat() if iso else None


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "news"


def crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def jsonld(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2).replace("</", "<\\/")


def en_date(t: datetime) -> str:
    return f"{MONTHS[t.month - 1]} {t.day}, {t.year}"


def en_day_date(t: datetime) -> str:
    return f"{DAYS[t.weekday()]}, {en_date(t)}"


def clock12(t: datetime) -> str:
    return f"{t.hour % 12 or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def uk_date(t: datetime) -> str:
    return f"{DAYS[t.weekday()][:3]} {t.day} {MONTHS[t.month - 1][:3]} {t.year} {t.hour:02d}.{t.minute:02d}"


def fr_date(t: datetime) -> str:
    day = "1er" if t.day == 1 else str(t.day)
    return f"{FR_DAYS[t.weekday()]} {day} {FR_MONTHS[t.month - 1]} {t.year} à {t.hour:02d}h{t.minute:02d}"


def naive_min(t: datetime) -> str:
    """A visible 'date and time, no zone' line, as ISO 8601 without offset."""
    return t.strftime("%Y-%m-%dT%H:%M:00")


def join_names(names: list[str], conj: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conj} " + names[-1]


def join_html(parts: list[str], conj: str = "and") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {conj} " + parts[-1]


def interleave(paras: list[str], captions: list[dict], para_html, fig_html) -> list[tuple[str, str]]:
    """Body blocks ("p" or "fig", html) with the photos placed the way CMSes do: lead photo
    first, the others after every second paragraph."""
    out = []
    if captions:
        out.append(("fig", fig_html(captions[0], 0)))
    rest = list(enumerate(captions))[1:]
    for i, p in enumerate(paras):
        out.append(("p", para_html(p)))
        if rest and (i + 1) % 2 == 0 and i + 1 < len(paras):
            k, c = rest.pop(0)
            out.append(("fig", fig_html(c, k)))
    for k, c in rest:
        out.append(("fig", fig_html(c, k)))
    return out


def place(blocks: list[tuple[str, str]], after_para: int, markup: str) -> None:
    """Insert a non-story block (inline ad, "Read more" box) after paragraph number
    `after_para`, if the story goes on after it."""
    seen = 0
    for i, (kind, _) in enumerate(blocks):
        if kind == "p":
            seen += 1
            if seen == after_para:
                if any(k == "p" for k, _ in blocks[i + 1:]):
                    blocks.insert(i + 1, ("extra", markup))
                return


def joined(blocks: list[tuple[str, str]]) -> str:
    return "\n".join(b for _, b in blocks)


# --------------------------------------------------------------------------- pages

@dataclass
class Page:
    layout: str
    story: dict
    variant: str          # original | duplicate | update | wire_copy
    idx: int              # position of the story in its site's source file
    paras: list[str] = field(default_factory=list)
    modified: str | None = None
    url: str | None = None
    relpath: str = ""     # path under corpus/<layout>/
    related: list[str] = field(default_factory=list)
    mostread: list[str] = field(default_factory=list)
    gz: bool = False
    charset: bool = True
    seq: int = 0          # position among all pages of the layout

    # shortcuts -------------------------------------------------------------
    @property
    def s(self) -> dict:
        return self.story

    @property
    def headline(self) -> str:
        return self.story["headline"]

    @property
    def standfirst(self) -> str:
        return self.story.get("standfirst") or ""

    @property
    def captions(self) -> list[dict]:
        return self.story.get("captions") or []

    @property
    def byline(self) -> list[str]:
        return list(self.story.get("byline") or [])

    @property
    def section(self) -> str:
        return self.story.get("section") or "News"

    @property
    def tags(self) -> list[str]:
        return list(self.story.get("tags") or [])

    @property
    def published(self) -> str:
        return norm(self.story["published"])

    @property
    def lang(self) -> str:
        return self.story.get("lang") or "en"

    @property
    def wire(self) -> bool:
        return self.variant == "wire_copy"

    @property
    def site(self) -> str:
        return SITE_NAMES[self.layout]

    @property
    def slug(self) -> str:
        return self.story["slug"]

    @property
    def pub_dt(self) -> datetime:
        return d(self.published)

    @property
    def mod_dt(self) -> datetime | None:
        return d(self.modified) if self.modified else None

    @property
    def pid(self) -> int:
        """A stable numeric id (post ids, story ids, attachment ids)."""
        return 1000 + crc(self.layout + "/" + self.slug + "/" + self.variant) % 90000

    @property
    def year(self) -> int:
        return (self.mod_dt or self.pub_dt).year

    def img(self, host: str, k: int, size: str = "") -> str:
        t = self.pub_dt
        return f"https://{host}/images/{t:%Y/%m/%d}/{self.slug}-{k + 1}{size}.jpg"


def canonical_location(layout: str, p: Page) -> tuple[str | None, str]:
    """(canonical URL or None, file path under corpus/<layout>/) of a story's page."""
    t = p.pub_dt
    slug = p.slug
    sec = slugify(p.section)
    if layout == "meridian":
        return f"https://www.meridianpost.com/{t:%Y/%m/%d}/{slug}.html", f"{t:%Y/%m/%d}/{slug}.html"
    if layout == "metronow":
        return (f"https://www.metrodailynow.com/{sec}/{t:%Y/%m/%d}/{slug}/",
                f"{sec}/{t:%Y/%m/%d}/{slug}/amp/index.html")
    if layout == "riverbend":
        return f"https://riverbenddispatch.com/{t:%Y/%m/%d}/{slug}/", f"{t:%Y/%m/%d}/{slug}/index.html"
    if layout == "courier":  # http://www.valleycourier.com/story.php?id=N, saved wget-style
        return None, f"story.php@id={courier_id(p)}.html"
    if layout == "alpin":
        return f"https://www.lecourrieralpin.fr/{sec}/{t:%Y/%m/%d}/{slug}", f"{sec}/{t:%Y/%m/%d}/{slug}.html"
    if layout == "cpa":
        return f"https://www.cpawire.com/story/{t:%Y%m%d}-{slug}", f"story/{t:%Y%m%d}-{slug}.html"
    if layout == "gulf":
        gid = 85000000 + crc(slug) % 9000000
        return f"https://gulfobserver.com/{sec}/{slug}-1.{gid}", f"{sec}/{slug}-1.{gid}.html"
    raise ValueError(layout)


def courier_id(p: Page) -> int:
    """The Valley Courier's numeric story id: the one its print URL shows, else one that
    grows with the date like a database sequence."""
    m = re.search(r"[?&]id=(\d+)", p.story.get("duplicate_url") or "")
    if m:
        return int(m.group(1))
    t = p.pub_dt
    return (t.date() - datetime(2004, 1, 1).date()).days + 100 + p.idx


def duplicate_path(dup: str) -> str:
    """Where a page saved under a second URL goes (wget-style: '?' becomes '@')."""
    u = urlsplit(dup)
    path = u.path.strip("/")
    if u.query:
        path = (path or "index") + "@" + u.query
        path += ".html"
    elif not path:
        path = "index.html"
    elif u.path.endswith("/"):
        path += "/index.html"
    elif not re.search(r"\.s?html?$", path):
        path += ".html"
    path = re.sub(r"[^A-Za-z0-9._\-/@=&]", "_", path)
    return path


def update_path(layout: str, p: Page, base: str) -> str:
    if UPDATE_STYLE[layout] == "suffix":
        stem, dot, ext = base.rpartition(".")
        return f"{stem}-v2.{ext}"
    day = d(p.story["update"]["modified"]).strftime("%Y-%m-%d")
    return f"snapshots/{day}/{base}"


# --------------------------------------------------------------------------- layouts
# Each renderer returns (html text, overrides for the expected record, boilerplate
# candidates in order of preference).

MERIDIAN_CSS = """
:root{--ink:#121212;--accent:#c70000;--rule:#dcdcdc}
body{margin:0;font-family:Georgia,'Times New Roman',serif;color:var(--ink);background:#fff}
.site-header{border-bottom:1px solid var(--rule);padding:8px 16px;display:flex;gap:24px;align-items:center}
.site-header .logo{font-size:28px;font-weight:700;text-decoration:none;color:var(--ink)}
.primary-nav ul{list-style:none;display:flex;gap:14px;margin:0;padding:0}
.primary-nav a{font:600 14px/1.2 Helvetica,Arial,sans-serif;color:var(--ink);text-decoration:none}
.consent-banner{position:fixed;bottom:0;left:0;right:0;background:#052962;color:#fff;padding:16px;z-index:99}
.article{max-width:680px;margin:0 auto;padding:0 16px}
.headline{font-size:40px;line-height:1.1;margin:12px 0}
.standfirst{font-size:20px;color:#333}
figure{margin:16px 0}figcaption{font:13px/1.4 Helvetica,Arial,sans-serif;color:#555}
.credit{text-transform:uppercase;font-size:11px}
.ad-slot{background:#f6f6f6;min-height:90px;text-align:center;font:11px Arial,sans-serif;color:#999}
.share-bar a{display:inline-block;margin-right:8px;font:12px Arial,sans-serif}
.box h2{font:700 16px Helvetica,Arial,sans-serif;border-top:3px solid var(--accent)}
footer{background:#052962;color:#fff;padding:24px 16px;margin-top:48px}
footer a{color:#fff}
"""

MERIDIAN_JS_HEAD = """
window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
gtag('js', new Date());
gtag('config', 'G-MRDN2019X', {'anonymize_ip': true});
window.MERIDIAN = {edition: 'uk', pageType: 'article', abTests: {stickyNav: 'variant'}};
"""

MERIDIAN_JS_FOOT = """
(function(){
  var b = document.getElementById('cookie-consent');
  if (document.cookie.indexOf('mp_consent=1') !== -1 && b) { b.parentNode.removeChild(b); }
  document.querySelectorAll('#cookie-consent button').forEach(function(btn){
    btn.addEventListener('click', function(){ document.cookie = 'mp_consent=1; path=/; max-age=31536000'; b.style.display = 'none'; });
  });
})();
"""


def render_meridian(p: Page):
    h, sf, url = p.headline, p.standfirst, p.url
    t, m = p.pub_dt, p.mod_dt
    sec = p.section
    secslug = slugify(sec)
    title = f"{h} | The Meridian Post"
    lead_img = p.img("i.meridianpost.com", 0) if p.captions else "https://i.meridianpost.com/static/meridian-share.png"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": h,
        "description": sf,
        "image": [lead_img],
        "datePublished": p.published,
    }
    if p.modified:
        ld["dateModified"] = p.modified
    ld["author"] = [{"@type": "Person", "name": n, "url": f"https://www.meridianpost.com/profile/{slugify(n)}"}
                    for n in p.byline]
    if p.wire:
        ld["sourceOrganization"] = {"@type": "Organization", "name": "Continental Press Agency"}
    ld["articleSection"] = sec
    ld["keywords"] = p.tags
    ld["isAccessibleForFree"] = True
    ld["publisher"] = {"@type": "Organization", "name": "The Meridian Post",
                       "logo": {"@type": "ImageObject", "url": "https://i.meridianpost.com/static/logo-600x60.png",
                                "width": 600, "height": 60}}

    def fig(c, k):
        credit = f' <span class="credit">{e(c["credit"])}</span>' if c.get("credit") else ""
        return (f'<figure class="element-image" data-index="{k}">\n'
                f'  <img src="{p.img("i.meridianpost.com", k, "-1020")}" srcset="{p.img("i.meridianpost.com", k, "-620")} 620w, {p.img("i.meridianpost.com", k, "-1020")} 1020w" alt="" width="1020" height="612" loading="lazy">\n'
                f'  <figcaption>{e(c["text"])}{credit}</figcaption>\n</figure>')

    paras = p.paras
    blocks = interleave(paras, p.captions, lambda x: f"<p>{e(x)}</p>", fig)
    # an inline "Read more" aside and an ad slot inside the article body, as CMSes insert them
    place(blocks, 1, f'<aside class="inline-related"><span class="inline-related__label">Read more</span> <a href="/related/{crc(p.related[0]) % 99999}">{e(p.related[0])}</a></aside>')
    place(blocks, 3, '<div class="ad-slot ad-inarticle" data-ad-unit="/1234/meridian/article/inline1"><span class="ad-label">Advertisement</span></div>')
    body = joined(blocks)

    authors = [f'<a rel="author" href="/profile/{slugify(n)}">{e(n)}</a>' for n in p.byline]
    byline = ""
    if authors or p.wire:
        agency = (', <span class="byline__agency">CPA</span>' if authors else '<span class="byline__agency">CPA</span>') if p.wire else ""
        byline = f'<p class="byline">{"By " + join_html(authors) if authors else ""}{agency}</p>'
    updated = (f'\n      <p class="updated">Last modified on <time datetime="{p.modified}">{uk_date(m)}</time></p>'
               if m else "")
    tags_html = ""
    if p.tags:
        tags_html = ('<ul class="keywords">' + "".join(f'<li><a href="/tag/{slugify(x)}">{e(x)}</a></li>' for x in p.tags)
                     + "</ul>")
    related = ('<section class="box related"><h2>Related stories</h2><ul>'
               + "".join(f'<li><a href="/related/{crc(x) % 99999}">{e(x)}</a></li>' for x in p.related)
               + "</ul></section>")
    mostread = ('<section class="box most-read"><h2>Most read</h2><ol>'
                + "".join(f'<li><a href="/most-read/{crc(x) % 99999}">{e(x)}</a></li>' for x in p.mostread)
                + "</ol></section>")
    inside = p.seq % 2 == 1
    comments = ('<section class="comments" id="comments"><h2>Comments</h2>'
                '<p>Comments on this story are moderated according to our community standards.</p>'
                '<button class="comments__show" type="button">Show comments</button></section>')
    og_tags = "\n".join(f'<meta property="article:tag" content="{e(x)}">' for x in p.tags)
    og_mod = f'\n<meta property="article:modified_time" content="{p.modified}">' if p.modified else ""
    standfirst_html = f'\n      <p class="standfirst">{e(sf)}</p>' if sf else ""
    desc = sf or paras[0][:150]
    page = f"""<!DOCTYPE html>
<html lang="{p.lang}" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<meta name="description" content="{e(desc)}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(title)}">
<meta property="og:description" content="{e(desc)}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{lead_img}">
<meta property="og:site_name" content="The Meridian Post">
<meta property="article:published_time" content="{p.published}">{og_mod}
<meta property="article:section" content="{e(sec)}">
{og_tags}
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@meridianpost">
<meta name="twitter:title" content="{e(h)}">
<meta name="twitter:image" content="{lead_img}">
<link rel="preconnect" href="https://i.meridianpost.com">
<link rel="stylesheet" href="https://assets.meridianpost.com/css/article.4f2a91.css">
<script type="application/ld+json">
{jsonld(ld)}
</script>
<style>{MERIDIAN_CSS}</style>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-MRDN2019X"></script>
<script>{MERIDIAN_JS_HEAD}</script>
</head>
<body class="article-page section-{secslug}">
<a class="skip-link" href="#main">Skip to main content</a>
<div id="cookie-consent" class="consent-banner" role="dialog" aria-label="Cookie consent">
  <p>We use cookies and similar technologies to personalise content and ads, and to analyse our traffic.</p>
  <button type="button" class="consent-accept">Yes, I'm happy</button>
  <button type="button" class="consent-manage">Manage my cookies</button>
</div>
<header class="site-header">
  <a class="logo" href="https://www.meridianpost.com/">The Meridian Post</a>
  <nav class="primary-nav" aria-label="Sections">
    <ul>
      <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/world">World</a></li>
      <li><a href="/business">Business</a></li><li><a href="/politics">Politics</a></li><li><a href="/science">Science</a></li>
      <li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li><li><a href="/opinion">Opinion</a></li>
      <li><a href="/obituaries">Obituaries</a></li>
    </ul>
  </nav>
  <form class="search-form" action="https://www.meridianpost.com/search" method="get" role="search">
    <label for="q" class="visually-hidden">Search</label>
    <input id="q" name="q" type="search" placeholder="Search The Meridian Post">
    <button type="submit">Search</button>
  </form>
  <a class="support-cta" href="/subscribe">Support independent journalism</a>
</header>
<div class="ad-slot ad-leaderboard" data-ad-unit="/1234/meridian/article/top"><span class="ad-label">Advertisement</span></div>
<main id="main">
  <article class="article" data-article-id="{p.pid}">
    <nav class="breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/{secslug}">{e(sec)}</a></nav>
    <header class="article-header">
      <h1 class="headline">{e(h)}</h1>{standfirst_html}
      {byline}
      <p class="dateline"><time datetime="{p.published}">{uk_date(t)}</time></p>{updated}
    </header>
    <div class="share-bar" aria-label="Share this article">
      <a class="share share--facebook" href="https://www.facebook.com/sharer/sharer.php?u={url}">Share on Facebook</a>
      <a class="share share--x" href="https://x.com/intent/post?url={url}">Share on X</a>
      <a class="share share--whatsapp" href="https://wa.me/?text={url}">Share on WhatsApp</a>
      <a class="share share--email" href="mailto:?subject=From%20The%20Meridian%20Post&amp;body={url}">Share via Email</a>
    </div>
    <div class="article-body" itemprop="articleBody">
{body}
    </div>
    {tags_html}
    {related + chr(10) + mostread if inside else ""}
    {comments}
  </article>
  {"" if inside else '<aside class="rail">' + related + chr(10) + mostread + "</aside>"}
</main>
<section class="newsletter">
  <h2>Sign up to Morning Meridian</h2>
  <p>Get the day&#8217;s top stories delivered to your inbox every weekday morning.</p>
  <form action="/newsletters/subscribe" method="post"><input type="email" name="email" placeholder="Your email address"><button type="submit">Sign up</button></form>
  <p class="small">Privacy notice: newsletters may contain info about charities, online ads, and content funded by outside parties.</p>
</section>
<footer class="site-footer">
  <ul class="footer-links">
    <li><a href="/about">About us</a></li><li><a href="/contact">Contact us</a></li><li><a href="/help/terms">Terms of use</a></li>
    <li><a href="/help/privacy">Privacy policy</a></li><li><a href="/help/cookies">Cookie settings</a></li><li><a href="/advertise">Advertise with us</a></li>
  </ul>
  <p>&copy; {p.year} The Meridian Post Ltd. All rights reserved.</p>
</footer>
<script>{MERIDIAN_JS_FOOT}</script>
</body>
</html>
"""
    bp = [
        "We use cookies and similar technologies to personalise content and ads, and to analyse our traffic.",
        p.related[0],
        p.mostread[0],
        "Share on WhatsApp",
        "Get the day’s top stories delivered to your inbox every weekday morning.",
        "Support independent journalism",
    ]
    return page, {}, bp


AMP_BOILERPLATE = ("<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
                   "-moz-animation:-amp-start 8s steps(1,end) 0s 1 normal both;-ms-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
                   "animation:-amp-start 8s steps(1,end) 0s 1 normal both}@-webkit-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}"
                   "@-moz-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@-ms-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}"
                   "@-o-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}</style>"
                   "<noscript><style amp-boilerplate>body{-webkit-animation:none;-moz-animation:none;-ms-animation:none;animation:none}</style></noscript>")

METRO_CSS = """
body{font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Arial,sans-serif;margin:0;color:#111}
.top-bar{background:#e4002b;color:#fff;display:flex;align-items:center;padding:8px 12px}
.top-bar .logo{color:#fff;font-weight:800;font-size:22px;text-decoration:none;margin-left:12px}
article{padding:0 14px}.kicker a{color:#e4002b;font-weight:700;text-transform:uppercase;font-size:13px}
h1{font-size:28px;line-height:1.15}.dek{font-size:18px;font-weight:400;color:#444}
.byline,.timestamp{font-size:13px;color:#555}figcaption{font-size:12px;color:#666}
.caption-credit{color:#999}.share-row{display:flex;gap:6px;align-items:center;margin:10px 0}
.more-box{border-top:4px solid #111;margin:24px 0}.more-box h3{font-size:16px}
#consent-ui{background:#fff;border-top:1px solid #ccc;padding:14px;font-size:14px}
footer{background:#111;color:#ccc;padding:20px 14px;font-size:12px}footer a{color:#fff}
"""


def render_metronow(p: Page):
    h, sf, url = p.headline, p.standfirst, p.url
    t, m = p.pub_dt, p.mod_dt
    sec = p.section
    secslug = slugify(sec)
    amp_url = url + "amp/"
    lead_img = p.img("media.metrodailynow.com", 0) if p.captions else "https://media.metrodailynow.com/static/mdn-og.png"
    article = {
        "@type": "NewsArticle",
        "@id": url + "#article",
        "isPartOf": {"@id": url},
        "headline": h,
        "description": sf,
        "datePublished": p.published,
    }
    if p.modified:
        article["dateModified"] = p.modified
    article["author"] = [{"@type": "Person", "name": n} for n in p.byline]
    if p.wire:
        article["author"].append({"@type": "Organization", "name": "Continental Press Agency"})
    article.update({
        "articleSection": [sec],
        "keywords": p.tags,
        "image": {"@type": "ImageObject", "url": lead_img, "width": 1200, "height": 675},
        "publisher": {"@id": "https://www.metrodailynow.com/#organization"},
        "mainEntityOfPage": {"@id": url},
        "inLanguage": "en-GB" if p.lang == "en" else p.lang,
    })
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "https://www.metrodailynow.com/#organization", "name": "Metro Daily Now",
             "url": "https://www.metrodailynow.com/",
             "logo": {"@type": "ImageObject", "url": "https://media.metrodailynow.com/static/mdn-logo-600.png"},
             "sameAs": ["https://www.facebook.com/metrodailynow", "https://x.com/metrodailynow"]},
            {"@type": "WebPage", "@id": url, "url": url, "name": f"{h} - Metro Daily Now",
             "isPartOf": {"@id": "https://www.metrodailynow.com/#website"},
             "breadcrumb": {"@id": url + "#breadcrumb"}, "datePublished": p.published},
            article,
            {"@type": "BreadcrumbList", "@id": url + "#breadcrumb", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://www.metrodailynow.com/"},
                {"@type": "ListItem", "position": 2, "name": sec, "item": f"https://www.metrodailynow.com/{secslug}/"},
                {"@type": "ListItem", "position": 3, "name": h}]},
        ],
    }

    def fig(c, k):
        credit = f' <span class="caption-credit">Credit: {e(c["credit"])}</span>' if c.get("credit") else ""
        return (f'<figure class="story-image">\n'
                f'  <amp-img src="{p.img("media.metrodailynow.com", k, "-800x450")}" width="800" height="450" layout="responsive" alt=""></amp-img>\n'
                f'  <figcaption><span class="caption-text">{e(c["text"])}</span>{credit}</figcaption>\n</figure>')

    blocks = interleave(p.paras, p.captions, lambda x: f"<p>{e(x)}</p>", fig)
    place(blocks, 2, '<amp-ad width="300" height="250" type="doubleclick" data-slot="/5678/metronow/amp_inline" '
                        'data-multi-size-validation="false"><div placeholder>Advertisement</div></amp-ad>')
    body = joined(blocks)
    names = [f'<a href="/author/{slugify(n)}/">{e(n)}</a>' for n in p.byline]
    credit = ""
    if p.wire:
        credit = (" | " if names else "") + '<span class="agency">CPA</span>'
    byline = f'<div class="byline">{"By " + join_html(names) if names else ""}{credit}</div>' if (names or p.wire) else ""
    updated = (f' <span class="updated">Updated <time datetime="{p.modified}">{en_date(m)} {clock12(m).lower().replace(" ", "")}</time></span>'
               if m else "")
    dek = f'\n    <h2 class="dek">{e(sf)}</h2>' if sf else ""
    topics = ""
    if p.tags:
        topics = ('<div class="topics"><span>Topics:</span> '
                  + " ".join(f'<a href="/tag/{slugify(x)}/">{e(x)}</a>' for x in p.tags) + "</div>")
    more = ('<section class="more-box"><h3>More from Metro Daily Now</h3><ul>'
            + "".join(f'<li><a href="/{secslug}/more/{crc(x) % 99999}/amp/">{e(x)}</a></li>' for x in p.related)
            + "</ul></section>")
    trending = ('<section class="more-box trending"><h3>Trending Now</h3><ol>'
                + "".join(f'<li><a href="/trending/{crc(x) % 99999}/amp/">{e(x)}</a></li>' for x in p.mostread)
                + "</ol></section>")
    page = f"""<!doctype html>
<html ⚡ lang="{p.lang}">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<script async custom-element="amp-ad" src="https://cdn.ampproject.org/v0/amp-ad-0.1.js"></script>
<script async custom-element="amp-social-share" src="https://cdn.ampproject.org/v0/amp-social-share-0.1.js"></script>
<script async custom-element="amp-analytics" src="https://cdn.ampproject.org/v0/amp-analytics-0.1.js"></script>
<script async custom-element="amp-consent" src="https://cdn.ampproject.org/v0/amp-consent-0.1.js"></script>
<script async custom-element="amp-sidebar" src="https://cdn.ampproject.org/v0/amp-sidebar-0.1.js"></script>
<script async custom-element="amp-form" src="https://cdn.ampproject.org/v0/amp-form-0.1.js"></script>
<title>{e(h)} - Metro Daily Now</title>
<link rel="canonical" href="{url}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<meta name="description" content="{e(sf or p.paras[0][:150])}">
<meta property="og:title" content="{e(h)}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{lead_img}">
<meta property="og:site_name" content="Metro Daily Now">
<script type="application/ld+json">
{jsonld(graph)}
</script>
{AMP_BOILERPLATE}
<style amp-custom>{METRO_CSS}</style>
</head>
<body>
<amp-analytics type="googleanalytics" id="analytics1">
<script type="application/json">{{"vars": {{"account": "UA-4455667-2"}}, "triggers": {{"trackPageview": {{"on": "visible", "request": "pageview"}}}}}}</script>
</amp-analytics>
<amp-consent id="mdn-consent" layout="nodisplay">
  <script type="application/json">{{"consentInstanceId": "mdn", "consentRequired": true, "promptUI": "consent-ui"}}</script>
  <div id="consent-ui">
    <p>Metro Daily Now and our partners use cookies to improve your experience and show you relevant ads.</p>
    <button on="tap:mdn-consent.accept">Accept</button> <button on="tap:mdn-consent.reject">Reject</button>
  </div>
</amp-consent>
<amp-sidebar id="sidebar" layout="nodisplay" side="left">
  <nav>
    <ul>
      <li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/local/">Local</a></li>
      <li><a href="/crime/">Crime</a></li><li><a href="/sports/">Sports</a></li><li><a href="/entertainment/">Entertainment</a></li>
      <li><a href="/property/">Property</a></li><li><a href="/weather/">Weather</a></li><li><a href="/opinion/">Opinion</a></li>
    </ul>
  </nav>
  <form method="GET" action="https://www.metrodailynow.com/search/" target="_top"><input type="search" name="s" placeholder="Search Metro Daily Now"><input type="submit" value="Search"></form>
</amp-sidebar>
<header class="top-bar">
  <button class="menu" on="tap:sidebar.toggle">Menu</button>
  <a class="logo" href="https://www.metrodailynow.com/">Metro Daily Now</a>
</header>
<amp-ad width="320" height="50" type="doubleclick" data-slot="/5678/metronow/amp_top"><div placeholder>Advertisement</div></amp-ad>
<main>
  <article>
    <div class="kicker"><a href="/{secslug}/">{e(sec)}</a></div>
    <h1>{e(h)}</h1>{dek}
    {byline}
    <div class="timestamp">Published <time datetime="{p.published}">{en_date(t)} {clock12(t).lower().replace(" ", "")}</time>{updated}</div>
    <div class="share-row">
      <span class="share-label">Share this article</span>
      <amp-social-share type="facebook" width="32" height="32" data-param-app_id="254325784911610" aria-label="Share on Facebook"></amp-social-share>
      <amp-social-share type="twitter" width="32" height="32" aria-label="Share on X"></amp-social-share>
      <amp-social-share type="whatsapp" width="32" height="32" aria-label="Share on WhatsApp"></amp-social-share>
      <amp-social-share type="email" width="32" height="32" aria-label="Share via email"></amp-social-share>
    </div>
    <div class="article-body">
{body}
    </div>
    {topics}
    {more}
    <p class="view-full"><a href="{url}">View comments on the full site</a></p>
  </article>
  {trending}
  <section class="newsletter">
    <h3>Get the Metro Daily Now newsletter</h3>
    <p>The morning's biggest local stories, in your inbox before your commute.</p>
    <form method="post" action-xhr="https://www.metrodailynow.com/newsletter/amp-subscribe" target="_top"><input type="email" name="email" placeholder="Email address" required><input type="submit" value="Subscribe"></form>
  </section>
</main>
<footer>
  <p><a href="/about/">About Us</a> | <a href="/contact/">Contact</a> | <a href="/privacy/">Privacy Policy</a> | <a href="/terms/">Terms of Service</a> | <a href="/advertise/">Advertise</a> | <a href="{url}">View non-AMP version</a></p>
  <p>&copy; {p.year} Metro Daily Now Media Group. All rights reserved.</p>
</footer>
</body>
</html>
"""
    bp = [
        "Metro Daily Now and our partners use cookies to improve your experience and show you relevant ads.",
        p.related[0],
        p.mostread[0],
        "Share this article",
        "View comments on the full site",
        "The morning's biggest local stories, in your inbox before your commute.",
    ]
    return page, {}, bp


def wp_version(year: int) -> str:
    return {2008: "2.6.2", 2009: "2.8.4", 2010: "3.0.1", 2011: "3.2.1", 2012: "3.4.2", 2013: "3.6",
            2014: "3.9.2", 2015: "4.2.2", 2016: "4.5.3", 2017: "4.8.1", 2018: "4.9.8", 2019: "5.2.2",
            2020: "5.4.2", 2021: "5.7.2", 2022: "6.0.1", 2023: "6.3.1"}.get(year, "6.5.2" if year > 2023 else "2.5")


RIVERBEND_EMOJI = """window._wpemojiSettings = {"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/12.0.0-1\\/72x72\\/","ext":".png","svgUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/12.0.0-1\\/svg\\/","svgExt":".svg","source":{"concatemoji":"https:\\/\\/riverbenddispatch.com\\/wp-includes\\/js\\/wp-emoji-release.min.js"}};
!function(e,a,t){var r,n,o,i,p=a.createElement("canvas"),s=p.getContext&&p.getContext("2d");function c(e,t){var a=String.fromCharCode;s.clearRect(0,0,p.width,p.height),s.fillText(a.apply(this,e),0,0);}}(window,document,window._wpemojiSettings);"""

RIVERBEND_CSS = """img.wp-smiley,img.emoji{display:inline !important;border:none !important;box-shadow:none !important;height:1em !important;width:1em !important;margin:0 .07em !important;vertical-align:-0.1em !important;background:none !important;padding:0 !important}
.wp-caption{max-width:100%}.wp-caption-text{font-size:13px;font-style:italic;color:#555}
.screen-reader-text{clip:rect(1px,1px,1px,1px);position:absolute !important;height:1px;width:1px;overflow:hidden}
#eu-cookie-law{background:#fff;border:1px solid #dedede;color:#2e4467;font-size:12px;padding:6px 6px 6px 15px}"""


def render_riverbend(p: Page):
    h, sf, url = p.headline, p.standfirst, p.url
    t, m = p.pub_dt, p.mod_dt
    sec = p.section
    cat = slugify(sec)
    ver = wp_version(t.year)
    pid = p.pid
    x_label = "X" if t.year >= 2023 else "Twitter"
    up = f"https://riverbenddispatch.com/wp-content/uploads/{t:%Y/%m}"

    def fig(c, k):
        aid = pid + k + 1
        credit = f' ({e(c["credit"])})' if c.get("credit") else ""
        return (f'<div id="attachment_{aid}" style="width: 810px" class="wp-caption aligncenter">'
                f'<img aria-describedby="caption-attachment-{aid}" loading="lazy" class="size-large wp-image-{aid}" '
                f'src="{up}/{p.slug}-{k + 1}-800x533.jpg" alt="" width="800" height="533" '
                f'srcset="{up}/{p.slug}-{k + 1}-800x533.jpg 800w, {up}/{p.slug}-{k + 1}-300x200.jpg 300w" sizes="(max-width: 800px) 100vw, 800px" />'
                f'<p id="caption-attachment-{aid}" class="wp-caption-text">{e(c["text"])}{credit}</p></div>')

    body = joined(interleave(p.paras, p.captions, lambda x: f"<p>{e(x)}</p>", fig))
    authors = [f'<span class="author vcard"><a class="url fn n" href="https://riverbenddispatch.com/author/{slugify(n)}/">{e(n)}</a></span>'
               for n in p.byline]
    byline = f'<span class="byline"> by {join_html(authors)}</span>' if authors else ""
    wire_note = ('\n<p class="syndication-note"><em>This story was distributed by CPA (Continental Press Agency).</em></p>'
                 if p.wire else "")
    updated_time = (f'<time class="updated" datetime="{p.modified}">{en_date(m)}</time>' if m else "")
    tag_classes = " ".join(f"tag-{slugify(x)}" for x in p.tags)
    subtitle = f'\n<h2 class="entry-subtitle">{e(sf)}</h2>' if sf else ""
    related = "".join(
        f'<div class="jp-relatedposts-post jp-relatedposts-post{i}" data-post-id="{crc(x) % 9000 + 100}" data-post-format="false">'
        f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" href="https://riverbenddispatch.com/?p={crc(x) % 9000 + 100}" rel="nofollow">{e(x)}</a></h4>'
        f'<p class="jp-relatedposts-post-context">In &quot;{e(sec)}&quot;</p></div>'
        for i, x in enumerate(p.related))
    tags_links = ""
    if p.tags:
        tags_links = ('<span class="tags-links">Tagged ' + ", ".join(
            f'<a href="https://riverbenddispatch.com/tag/{slugify(x)}/" rel="tag">{e(x)}</a>' for x in p.tags) + "</span>")
    ncom = crc(p.slug) % 3
    comments = ""
    if ncom:
        items = []
        for j in range(ncom):
            who, what = READER_COMMENTS[(crc(p.slug) + j) % len(READER_COMMENTS)]
            items.append(f'<li id="comment-{pid * 10 + j}" class="comment even thread-even depth-1"><article class="comment-body">'
                         f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{e(who)}</b> <span class="says">says:</span></div>'
                         f'<div class="comment-metadata"><a href="{url}#comment-{pid * 10 + j}"><time datetime="{p.published}">{en_date(t)}</time></a></div></footer>'
                         f'<div class="comment-content"><p>{e(what)}</p></div></article></li>')
        title = f"{ncom} thought{'s' if ncom > 1 else ''} on &ldquo;{e(h)}&rdquo;"
        comments = f'<h2 class="comments-title">{title}</h2>\n<ol class="comment-list">\n' + "\n".join(items) + "\n</ol>"
    recent = "".join(f'<li><a href="https://riverbenddispatch.com/?p={crc(x) % 9000 + 100}">{e(x)}</a></li>' for x in p.mostread)
    archives = []
    for k in range(6):
        mth, yr = t.month - k, t.year
        while mth < 1:
            mth += 12
            yr -= 1
        archives.append(f'<li><a href="https://riverbenddispatch.com/{yr}/{mth:02d}/">{MONTHS[mth - 1]} {yr}</a></li>')
    cloud_tags = sorted(set(p.tags) | {"schools", "county board", "weather", "river", "events"})
    cloud = " ".join(f'<a href="https://riverbenddispatch.com/tag/{slugify(x)}/" class="tag-cloud-link" style="font-size: {8 + crc(x) % 14}pt;" aria-label="{e(x)}">{e(x)}</a>'
                     for x in cloud_tags)
    tw_label = (f'\n<meta name="twitter:label1" content="Written by" />\n<meta name="twitter:data1" content="{e(p.byline[0])}" />'
                if p.byline else "")
    og_mod = f'\n<meta property="article:modified_time" content="{p.modified}" />' if p.modified else ""
    desc = sf or p.paras[0][:155]
    og_img = f"{up}/{p.slug}-1.jpg" if p.captions else "https://riverbenddispatch.com/wp-content/uploads/2015/02/cropped-riverbend-icon.png"
    page = f"""<!DOCTYPE html>
<html lang="{'en-US' if p.lang == 'en' else p.lang}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="http://gmpg.org/xfn/11">
<title>{e(h)} &#8211; Riverbend Dispatch</title>

<!-- This site is optimized with the Yoast SEO plugin - https://yoast.com/wordpress/plugins/seo/ -->
<meta name="description" content="{e(desc)}" />
<meta name="robots" content="index, follow" />
<link rel="canonical" href="{url}" />
<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{e(h)} - Riverbend Dispatch" />
<meta property="og:description" content="{e(desc)}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="Riverbend Dispatch" />
<meta property="article:publisher" content="https://www.facebook.com/riverbenddispatch" />
<meta property="article:published_time" content="{p.published}" />{og_mod}
<meta property="og:image" content="{og_img}" />
<meta name="twitter:card" content="summary_large_image" />{tw_label}
<!-- / Yoast SEO plugin. -->

<link rel='dns-prefetch' href='//s.w.org' />
<link rel="alternate" type="application/rss+xml" title="Riverbend Dispatch &raquo; Feed" href="https://riverbenddispatch.com/feed/" />
<link rel="alternate" type="application/rss+xml" title="Riverbend Dispatch &raquo; Comments Feed" href="https://riverbenddispatch.com/comments/feed/" />
<script type="text/javascript">
{RIVERBEND_EMOJI}
</script>
<style type="text/css">
{RIVERBEND_CSS}
</style>
<link rel='stylesheet' id='wp-block-library-css'  href='https://riverbenddispatch.com/wp-includes/css/dist/block-library/style.min.css?ver={ver}' type='text/css' media='all' />
<link rel='stylesheet' id='twentyseventeen-style-css'  href='https://riverbenddispatch.com/wp-content/themes/twentyseventeen/style.css?ver={ver}' type='text/css' media='all' />
<link rel='stylesheet' id='jetpack_css-css'  href='https://riverbenddispatch.com/wp-content/plugins/jetpack/css/jetpack.css?ver=8.6' type='text/css' media='all' />
<script type='text/javascript' src='https://riverbenddispatch.com/wp-includes/js/jquery/jquery.js?ver=1.12.4-wp'></script>
<link rel='https://api.w.org/' href='https://riverbenddispatch.com/wp-json/' />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="https://riverbenddispatch.com/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress {ver}" />
<link rel='shortlink' href='https://riverbenddispatch.com/?p={pid}' />
</head>

<body class="post-template-default single single-post postid-{pid} single-format-standard has-sidebar">
<div id="page" class="site">
	<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
	<header id="masthead" class="site-header" role="banner">
		<div class="site-branding">
			<p class="site-title"><a href="https://riverbenddispatch.com/" rel="home">Riverbend Dispatch</a></p>
			<p class="site-description">News from the river towns since 2009</p>
		</div>
		<nav id="site-navigation" class="main-navigation" role="navigation" aria-label="Top Menu">
			<ul id="top-menu" class="menu">
				<li class="menu-item menu-item-home"><a href="https://riverbenddispatch.com/">Home</a></li>
				<li class="menu-item"><a href="https://riverbenddispatch.com/category/local-news/">Local News</a></li>
				<li class="menu-item"><a href="https://riverbenddispatch.com/category/schools/">Schools</a></li>
				<li class="menu-item"><a href="https://riverbenddispatch.com/category/obituaries/">Obituaries</a></li>
				<li class="menu-item"><a href="https://riverbenddispatch.com/category/letters/">Letters to the Editor</a></li>
				<li class="menu-item"><a href="https://riverbenddispatch.com/events/">Events Calendar</a></li>
				<li class="menu-item"><a href="https://riverbenddispatch.com/about/">About</a></li>
			</ul>
		</nav><!-- #site-navigation -->
	</header><!-- #masthead -->

	<div id="content" class="site-content">
		<div id="primary" class="content-area">
			<main id="main" class="site-main" role="main">

<article id="post-{pid}" class="post-{pid} post type-post status-publish format-standard{' has-post-thumbnail' if p.captions else ''} hentry category-{cat} {tag_classes}">
	<header class="entry-header">
		<div class="entry-meta"><span class="posted-on">Posted on <a href="{url}" rel="bookmark"><time class="entry-date published" datetime="{p.published}">{en_date(t)}</time>{updated_time}</a></span>{byline}</div><!-- .entry-meta -->
		<h1 class="entry-title">{e(h)}</h1>{subtitle}
	</header><!-- .entry-header -->

	<div class="entry-content">
{body}{wire_note}
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>
<li class="share-facebook"><a rel="nofollow noopener noreferrer" data-shared="sharing-facebook-{pid}" class="share-facebook sd-button share-icon" href="{url}?share=facebook" target="_blank" title="Click to share on Facebook"><span>Facebook</span></a></li>
<li class="share-twitter"><a rel="nofollow noopener noreferrer" data-shared="sharing-twitter-{pid}" class="share-twitter sd-button share-icon" href="{url}?share=twitter" target="_blank" title="Click to share on {x_label}"><span>{x_label}</span></a></li>
<li class="share-jetpack-whatsapp"><a rel="nofollow noopener noreferrer" data-shared="" class="share-jetpack-whatsapp sd-button share-icon" href="{url}?share=jetpack-whatsapp" target="_blank" title="Click to share on WhatsApp"><span>WhatsApp</span></a></li>
<li class="share-email"><a rel="nofollow noopener noreferrer" data-shared="" class="share-email sd-button share-icon" href="{url}?share=email" target="_blank" title="Click to email this to a friend"><span>Email</span></a></li>
<li class="share-end"></li></ul></div></div></div>
<div class='sharedaddy sd-block sd-like jetpack-likes-widget-wrapper jetpack-likes-widget-unloaded' id='like-post-wrapper-{pid}' data-src='https://widgets.wp.com/likes/#blog_id=71234567&amp;post_id={pid}' data-name='like-post-frame-71234567-{pid}'><h3 class="sd-title">Like this:</h3><div class='likes-widget-placeholder post-likes-widget-placeholder' style='height: 55px;'><span class='button'><span>Like</span></span> <span class="loading">Loading...</span></div><span class='sd-text-color'></span><a class='sd-link-color'></a></div>
<div id='jp-relatedposts' class='jp-relatedposts' style='display: block;'>
	<h3 class="jp-relatedposts-headline"><em>Related</em></h3>
<div class="jp-relatedposts-items jp-relatedposts-items-minimal jp-relatedposts-grid">{related}</div></div>
	</div><!-- .entry-content -->

	<footer class="entry-footer"><span class="cat-links">Posted in <a href="https://riverbenddispatch.com/category/{cat}/" rel="category tag">{e(sec)}</a></span>{tags_links}</footer><!-- .entry-footer -->
</article><!-- #post-{pid} -->

	<nav class="navigation post-navigation" role="navigation" aria-label="Posts">
		<h2 class="screen-reader-text">Post navigation</h2>
		<div class="nav-links"><div class="nav-previous"><a href="https://riverbenddispatch.com/?p={pid - 1}" rel="prev"><span class="meta-nav">Previous Post</span> {e(p.related[-1])}</a></div></div>
	</nav>

<div id="comments" class="comments-area">
{comments}
	<div id="respond" class="comment-respond">
		<h3 id="reply-title" class="comment-reply-title">Leave a Reply <small><a rel="nofollow" id="cancel-comment-reply-link" href="{url}#respond" style="display:none;">Cancel reply</a></small></h3>
		<form action="https://riverbenddispatch.com/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>
			<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> Required fields are marked <span class="required">*</span></p>
			<p class="comment-form-comment"><label for="comment">Comment</label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required="required"></textarea></p>
			<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" required='required' /></p>
			<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" required='required' /></p>
			<p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" /></p>
			<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> <input type='hidden' name='comment_post_ID' value='{pid}' id='comment_post_ID' /></p>
		</form>
	</div><!-- #respond -->
</div><!-- #comments -->

			</main><!-- #main -->
		</div><!-- #primary -->

<aside id="secondary" class="widget-area" role="complementary" aria-label="Blog Sidebar">
	<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="https://riverbenddispatch.com/"><label for="search-form-1"><span class="screen-reader-text">Search for:</span></label><input type="search" id="search-form-1" class="search-field" placeholder="Search &hellip;" value="" name="s" /><button type="submit" class="search-submit">Search</button></form></section>
	<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>
	<section id="blog_subscription-3" class="widget widget_blog_subscription jetpack_subscription_widget"><h2 class="widget-title">Subscribe to Blog via Email</h2>
		<form action="#" method="post" accept-charset="utf-8" id="subscribe-blog-blog_subscription-3"><div id="subscribe-text"><p>Enter your email address to subscribe to this blog and receive notifications of new posts by email.</p></div>
		<p id="subscribe-email"><input type="email" name="email" required="required" value="" id="subscribe-field-blog_subscription-3" placeholder="Email Address" /></p><p id="subscribe-submit"><button type="submit" name="jetpack_subscriptions_widget">Subscribe</button></p></form></section>
	<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>{"".join(archives)}</ul></section>
	<section id="tag_cloud-2" class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div class="tagcloud">{cloud}</div></section>
	<section id="text-4" class="widget widget_text"><h2 class="widget-title">Advertise with us</h2><div class="textwidget"><p>Reach 40,000 river-town readers every month. Call 555-0142.</p></div></section>
</aside><!-- #secondary -->
	</div><!-- #content -->

	<footer id="colophon" class="site-footer" role="contentinfo">
		<div class="site-info"><span class="copyright">&copy; {p.year} Riverbend Dispatch</span> <a href="https://wordpress.org/" class="imprint">Proudly powered by WordPress</a></div>
	</footer><!-- #colophon -->
</div><!-- #page -->
<div class="widget_eu_cookie_law_widget"><div class="hide-on-button ads-active" data-hide-timeout="30" data-consent-expiration="180" id="eu-cookie-law">
	<form method="post"><input type="submit" value="Close and accept" class="accept" /></form>
	Privacy &amp; Cookies: This site uses cookies. By continuing to use this website, you agree to their use. <br />
	To find out more, including how to control cookies, see here: <a href="https://automattic.com/cookies/" rel="nofollow">Cookie Policy</a>
</div></div>
<script type='text/javascript' src='https://riverbenddispatch.com/wp-content/plugins/jetpack/_inc/build/related-posts/related-posts.min.js?ver=20191011'></script>
<script type='text/javascript' src='https://riverbenddispatch.com/wp-includes/js/wp-embed.min.js?ver={ver}'></script>
<script type='text/javascript' src='https://stats.wp.com/e-{t:%Y%W}.js' async='async' defer='defer'></script>
<script type='text/javascript'>
	_stq = window._stq || [];
	_stq.push([ 'view', {{v:'ext',j:'1:8.6',blog:'71234567',post:'{pid}',tz:'-5',srv:'riverbenddispatch.com'}} ]);
	_stq.push([ 'clickTrackerInit', '71234567', '{pid}' ]);
</script>
</body>
</html>
"""
    bp = [
        "This site uses cookies. By continuing to use this website, you agree to their use.",
        p.related[0],
        p.mostread[0],
        "Enter your email address to subscribe to this blog and receive notifications of new posts by email.",
        "Your email address will not be published.",
        "Proudly powered by WordPress",
    ]
    if p.wire:
        bp.insert(3, "This story was distributed by CPA (Continental Press Agency).")
    return page, {"lang": "en" if p.lang == "en" else p.lang}, bp


COURIER_JS = """<!--
function MM_openBrWindow(theURL,winName,features) { //v2.0
  window.open(theURL,winName,features);
}
function printStory(id) {
  MM_openBrWindow('/print.php?id=' + id,'printwin','scrollbars=yes,resizable=yes,width=600,height=500');
}
//-->"""

COURIER_CSS = """<!--
body { margin: 0px; font-family: Verdana, Arial, Helvetica, sans-serif; }
.navlink { font-size: 11px; color: #003366; text-decoration: none; font-weight: bold; }
.navlink:hover { text-decoration: underline; }
.headline { font-family: Georgia, 'Times New Roman', Times, serif; }
-->"""

COURIER_NAV = ["Home", "Local News", "Area Sports", "Farm & Ranch", "Obituaries", "Opinion", "Business", "Classifieds",
               "Weddings & Engagements", "Weather", "Archives", "Contact Us"]


def render_courier(p: Page):
    h, sf = p.headline, p.standfirst
    t, m = p.pub_dt, p.mod_dt
    sec = p.section
    sid = courier_id(p)
    style = p.seq % 3
    if style == 0:
        posted, pub_exp = f"Posted: {en_day_date(t)}", t.date().isoformat()
    elif style == 1:
        posted, pub_exp = f"{t:%m/%d/%Y}", t.date().isoformat()
    else:
        posted, pub_exp = f"Posted: {t:%m/%d/%Y} {clock12(t)}", naive_min(t)
    upd_line, mod_exp = "", None
    if m:
        if style == 0:
            upd_line, mod_exp = f"Updated: {en_day_date(m)}", m.date().isoformat()
        else:
            upd_line, mod_exp = f"Last updated: {m:%m/%d/%Y} {clock12(m)}", naive_min(m)
    if p.wire:
        by = f"By {join_names(p.byline)}, CPA Writer" if p.byline else "The Continental Press Agency"
    elif p.byline:
        by = f"By {join_names(p.byline)}, Courier Staff Writer{'s' if len(p.byline) > 1 else ''}"
    else:
        by = ""
    photos = ""
    if p.captions:
        rows = []
        for k, c in enumerate(p.captions):
            credit = f'<br><i>{e(c["credit"])}</i>' if c.get("credit") else ""
            rows.append(f'<tr><td><img src="/photos/{t:%Y}/{t:%m%d}/{sid}_{k + 1}.jpg" width="250" height="188" border="0" alt=""></td></tr>\n'
                        f'<tr><td bgcolor="#F2F2F2"><font face="Arial, Helvetica, sans-serif" size="1">{e(c["text"])}{credit}</font></td></tr>')
        photos = ('<table align="right" width="250" border="0" cellspacing="0" cellpadding="3" hspace="8">\n'
                  + "\n".join(rows) + "\n</table>\n")
    if p.seq % 2 == 0:
        text = "<br><br>\n".join(e(x) for x in p.paras)
    else:
        text = "\n".join(f"<p>{e(x)}</p>" for x in p.paras)
    nav = "\n".join(
        f'<tr><td height="20" style="padding-left:8px"><a href="/{slugify(n)}/" class="navlink">{e(n)}</a></td></tr>\n'
        f'<tr><td><img src="/images/spacer.gif" width="1" height="1"></td></tr>' for n in COURIER_NAV)
    more = "\n".join(f'<li><a href="/story.php?id={100 + crc(x) % 2900}"><font size="2">{e(x)}</font></a></li>' for x in p.related)
    emailed = "\n".join(f'<li><a href="/story.php?id={100 + crc(x) % 2900}"><font size="1">{e(x)}</font></a></li>' for x in p.mostread)
    charset = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">\n' if p.charset else ""
    deck = f'<font face="Arial, Helvetica, sans-serif" size="3"><i>{e(sf)}</i></font><br>\n' if sf else ""
    byline_html = f'<font face="Arial, Helvetica, sans-serif" size="2"><b>{e(by)}</b></font><br>\n' if by else ""
    upd_html = f'<font face="Arial, Helvetica, sans-serif" size="1" color="#666666">{upd_line}</font><br>\n' if upd_line else ""
    page = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<title>The Valley Courier - {e(sec)} - {e(h)}</title>
{charset}<link rel="stylesheet" href="/styles/courier.css" type="text/css">
<script language="JavaScript" type="text/javascript">
{COURIER_JS}
</script>
<style type="text/css">
{COURIER_CSS}
</style>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td align="center" bgcolor="#EEEEEE">
<table width="728" border="0" cellspacing="0" cellpadding="0"><tr><td><a href="/ads/click.asp?id={88 + sid % 7}"><img src="/ads/banners/valley_motors_728x90.gif" width="728" height="90" border="0" alt="Advertisement"></a></td></tr></table>
</td></tr>
</table>
<table width="780" border="0" cellspacing="0" cellpadding="0" align="center">
<tr>
<td colspan="3" bgcolor="#003366"><a href="/"><img src="/images/courier_masthead.gif" width="500" height="60" border="0" alt="The Valley Courier"></a><br>
<font face="Verdana, Arial" size="1" color="#FFFFFF">&nbsp;Serving the valley since 1889 &nbsp;|&nbsp; <a href="/subscribe/"><font color="#FFFFFF">Subscribe</font></a> &nbsp;|&nbsp; <a href="/eedition/"><font color="#FFFFFF">Today’s Paper</font></a></font></td>
</tr>
<tr>
<td colspan="3" bgcolor="#DDE5EE"><form action="/search.php" method="get" style="margin:0px">
<font face="Verdana, Arial" size="1">&nbsp;Search the Courier archives:</font> <input type="text" name="kw" size="18"> <input type="submit" value="Go">
</form></td>
</tr>
<tr valign="top">
<td width="150" bgcolor="#E8EEF4">
<table width="150" border="0" cellspacing="0" cellpadding="0">
<tr><td><img src="/images/spacer.gif" width="1" height="8"></td></tr>
{nav}
<tr><td><img src="/images/spacer.gif" width="1" height="12"></td></tr>
<tr><td align="center"><a href="/ads/click.asp?id=12"><img src="/ads/banners/hardware_120x240.gif" width="120" height="240" border="0" alt="Advertisement"></a></td></tr>
</table>
</td>
<td width="10"><img src="/images/spacer.gif" width="10" height="1"></td>
<td width="620">
<img src="/images/spacer.gif" width="1" height="10"><br>
<font face="Arial, Helvetica, sans-serif" size="1" color="#996600"><b>{e(sec)}</b></font><br>
<font face="Georgia, Times New Roman, Times, serif" size="5" class="headline"><b>{e(h)}</b></font><br>
{deck}<img src="/images/spacer.gif" width="1" height="6"><br>
{byline_html}<font face="Arial, Helvetica, sans-serif" size="1" color="#666666">{posted}</font><br>
{upd_html}<br>
{photos}<font face="Georgia, Times New Roman, Times, serif" size="3">
{text}
</font>
<br><br>
<font face="Arial, Helvetica, sans-serif" size="2"><a href="javascript:printStory({sid})">Print this story</a> | <a href="/email.php?id={sid}">Email this story</a> | <a href="/comments.php?id={sid}">Comment on this story</a></font>
<br><br>
<table width="100%" border="0" cellspacing="0" cellpadding="4" bgcolor="#F5F5F5">
<tr><td bgcolor="#003366"><font face="Arial" size="2" color="#FFFFFF"><b>More {e(sec)}</b></font></td></tr>
<tr><td><ul>
{more}
</ul></td></tr>
<tr><td bgcolor="#003366"><font face="Arial" size="2" color="#FFFFFF"><b>Most E-mailed Stories</b></font></td></tr>
<tr><td><ol>
{emailed}
</ol></td></tr>
</table>
</td>
</tr>
<tr>
<td colspan="3" align="center" bgcolor="#EEEEEE"><img src="/images/spacer.gif" width="1" height="10"><br>
<font face="Verdana, Arial" size="1">Copyright © {p.year} The Valley Courier. All rights reserved.<br>
Reproduction in whole or in part without written permission is prohibited.<br>
<a href="/about/">About Us</a> | <a href="/advertise/">Advertise</a> | <a href="/contact/">Contact Us</a> | <a href="/privacy.php">Privacy Policy</a></font><br>
<img src="/images/spacer.gif" width="1" height="10"></td>
</tr>
</table>
<script src="http://www.google-analytics.com/urchin.js" type="text/javascript">
</script>
<script type="text/javascript">
_uacct = "UA-210456-1";
urchinTracker();
</script>
</body>
</html>
"""
    bp = [
        "Search the Courier archives:",
        p.related[0],
        p.mostread[0],
        "Email this story",
        "Most E-mailed Stories",
        "Reproduction in whole or in part without written permission is prohibited.",
    ]
    over = {"url": None, "tags": [], "lang": None, "published": pub_exp, "modified": mod_exp}
    return page, over, bp


ALPIN_CSS = """
body{font-family:'Open Sans',Arial,sans-serif;margin:0;background:#f4f4f4}
#bandeau-cookies{position:fixed;bottom:0;width:100%;background:#222;color:#eee;font-size:13px;padding:10px;text-align:center}
header .logo a{font-family:Georgia,serif;font-size:34px;color:#0b4f8a;text-decoration:none}
nav.rubriques ul{list-style:none;margin:0;padding:0;background:#0b4f8a}nav.rubriques li{display:inline-block}
nav.rubriques a{color:#fff;padding:8px 10px;display:block;font-size:13px;text-transform:uppercase}
#contenu{max-width:980px;margin:0 auto;background:#fff;padding:20px}
.chapo{font-weight:700;font-size:17px}.infos{font-size:12px;color:#777}
figcaption{font-size:12px;color:#666}.credit{font-style:italic}
.pub{background:#eee;text-align:center;font-size:10px;color:#aaa;min-height:250px}
.lire-aussi{border-left:3px solid #0b4f8a;padding-left:8px}
"""

ALPIN_XITI = """xtnv = document; xtsd = "https://logs1412"; xtsite = "512345"; xtn2 = "3";
xtpage = "article::%s"; xtdi = ""; xt_multc = "";
(function(){var s = document.createElement('script'); s.async = true; s.src = 'https://www.lecourrieralpin.fr/static/js/xtcore.js'; document.getElementsByTagName('head')[0].appendChild(s);})();"""


def render_alpin(p: Page):
    h, sf, url = p.headline, p.standfirst, p.url
    t, m = p.pub_dt, p.mod_dt
    sec = p.section
    secslug = slugify(sec)

    def fig(c, k):
        credit = f' <span class="credit" itemprop="creditText">© {e(c["credit"])}</span>' if c.get("credit") else ""
        return (f'<figure itemprop="image" itemscope itemtype="http://schema.org/ImageObject">\n'
                f'  <img itemprop="url" src="https://static.lecourrieralpin.fr/photos/{t:%Y/%m/%d}/{p.slug}-{k + 1}.jpg" width="640" height="427" alt="">\n'
                f'  <meta itemprop="width" content="640"><meta itemprop="height" content="427">\n'
                f'  <figcaption><span itemprop="caption">{e(c["text"])}</span>{credit}</figcaption>\n</figure>')

    blocks = interleave(p.paras, p.captions, lambda x: f"<p>{e(x)}</p>", fig)
    place(blocks, 1, f'<p class="lire-aussi"><strong>À lire aussi :</strong> <a href="/{secslug}/{crc(p.related[0]) % 99999}">{e(p.related[0])}</a></p>')
    body = joined(blocks)
    authors = [f'<span itemprop="author" itemscope itemtype="http://schema.org/Person"><a itemprop="url" href="/auteur/{slugify(n)}"><span itemprop="name">{e(n)}</span></a></span>'
               for n in p.byline]
    by = ""
    if authors or p.wire:
        src = ' <span class="source">(CPA)</span>' if p.wire else ""
        by = f'<span class="auteurs">{"Par " + join_html(authors, "et") if authors else ""}{src}</span> | '
    mod_html = (f' | Mis à jour le <time itemprop="dateModified" datetime="{p.modified}">{fr_date(m)}</time>' if m else "")
    chapo = f'\n<p class="chapo" itemprop="description">{e(sf)}</p>' if sf else ""
    motscles = ""
    if p.tags:
        motscles = ('<div class="mots-cles">Mots-clés : ' + ", ".join(
            f'<a href="/tag/{slugify(x)}" itemprop="keywords">{e(x)}</a>' for x in p.tags) + "</div>")
    plus_lus = ('<section class="plus-lus"><h2>Les plus lus</h2><ol>'
                + "".join(f'<li><a href="/article/{crc(x) % 99999}">{e(x)}</a></li>' for x in p.mostread)
                + "</ol></section>")
    meme_sujet = ('<section class="meme-sujet"><h2>Sur le même sujet</h2><ul>'
                  + "".join(f'<li><a href="/{secslug}/{crc(x) % 99999}">{e(x)}</a></li>' for x in p.related)
                  + "</ul></section>")
    inside = p.seq % 2 == 0
    page = f"""<!DOCTYPE html>
<html lang="{p.lang}">
<head>
<meta charset="iso-8859-1">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(h)} - Le Courrier Alpin</title>
<meta name="description" content="{e(sf or p.paras[0][:150])}">
<meta name="news_keywords" content="{e(', '.join(p.tags))}">
<link rel="canonical" href="{url}">
<meta property="og:title" content="{e(h)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="Le Courrier Alpin">
<meta property="og:locale" content="fr_FR">
<link rel="stylesheet" href="https://static.lecourrieralpin.fr/css/main.css?v={t.year}">
<style>{ALPIN_CSS}</style>
<script>{ALPIN_XITI % p.slug}</script>
</head>
<body class="page-article rubrique-{secslug}">
<div id="bandeau-cookies">En poursuivant votre navigation sur ce site, vous acceptez l’utilisation de cookies pour vous proposer des contenus et services adaptés à vos centres d’intérêt. <a href="/cookies">En savoir plus</a> <button type="button" onclick="this.parentNode.style.display='none'">OK</button></div>
<header>
  <div class="logo"><a href="https://www.lecourrieralpin.fr/">Le Courrier Alpin</a></div>
  <form class="recherche" action="/recherche" method="get"><input type="text" name="q" placeholder="Rechercher sur le site"><button type="submit">OK</button></form>
  <a class="abonnement" href="/abonnement">Abonnez-vous à partir de 1 € le premier mois</a>
  <nav class="rubriques">
    <ul>
      <li><a href="/">Accueil</a></li><li><a href="/savoie">Savoie</a></li><li><a href="/haute-savoie">Haute-Savoie</a></li>
      <li><a href="/isere">Isère</a></li><li><a href="/hautes-alpes">Hautes-Alpes</a></li><li><a href="/sports">Sports</a></li>
      <li><a href="/montagne">Montagne</a></li><li><a href="/economie">Économie</a></li><li><a href="/faits-divers">Faits divers</a></li>
      <li><a href="/loisirs">Loisirs</a></li><li><a href="/annonces-legales">Annonces légales</a></li>
    </ul>
  </nav>
</header>
<div class="pub pub-banniere" id="pub-haut">Publicité</div>
<div id="contenu">
<div class="ariane"><a href="/">Accueil</a> &gt; <a href="/{secslug}">{e(sec)}</a></div>
<article itemscope itemtype="http://schema.org/NewsArticle">
<meta itemprop="mainEntityOfPage" content="{url}">
<meta itemprop="articleSection" content="{e(sec)}">
<meta itemprop="datePublished" content="{p.published}">
<span itemprop="publisher" itemscope itemtype="http://schema.org/Organization"><meta itemprop="name" content="Le Courrier Alpin"></span>
<h1 itemprop="headline">{e(h)}</h1>{chapo}
<div class="infos">{by}Publié le <time datetime="{p.published}">{fr_date(t)}</time>{mod_html}</div>
<div class="partage">Partager : <a href="https://www.facebook.com/sharer.php?u={url}">Facebook</a> <a href="https://twitter.com/intent/tweet?url={url}">Twitter</a> <a href="whatsapp://send?text={url}">WhatsApp</a> <a href="mailto:?body={url}">Envoyer par e-mail</a></div>
<div class="texte" itemprop="articleBody">
{body}
</div>
{motscles}
{meme_sujet if inside else ""}
<section class="commentaires"><h2>Réagir à cet article</h2><p>Vous devez être connecté pour réagir.</p><a href="/connexion">Se connecter</a></section>
</article>
<aside class="colonne">
<div class="pub pub-pave">Publicité</div>
{plus_lus}
{"" if inside else meme_sujet}
</aside>
</div>
<section class="newsletter">
<h2>Newsletter</h2>
<p>Recevez chaque matin l’essentiel de l’actualité alpine.</p>
<form action="/newsletter" method="post"><input type="email" name="email" placeholder="Votre adresse e-mail"><button type="submit">Je m’inscris</button></form>
</section>
<footer>
<p><a href="/mentions-legales">Mentions légales</a> | <a href="/contact">Contact</a> | <a href="/publicite">Publicité</a> | <a href="/cgu">CGU</a> | <a href="/cookies">Gestion des cookies</a></p>
<p>© {p.year} Le Courrier Alpin – Tous droits réservés.</p>
</footer>
</body>
</html>
"""
    bp = [
        "En poursuivant votre navigation sur ce site, vous acceptez l’utilisation de cookies",
        p.related[0],
        p.mostread[0],
        "Recevez chaque matin l’essentiel de l’actualité alpine.",
        "Vous devez être connecté pour réagir.",
        "Envoyer par e-mail",
    ]
    return page, {}, bp


CPA_CSS = """
body{font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;margin:0;color:#1a1a1a}
.topbar{background:#1a1a1a;color:#bbb;font-size:12px;padding:4px 12px}
header{border-bottom:4px solid #b30000;padding:10px 12px}.logo{font-weight:900;font-size:24px;color:#b30000;text-decoration:none}
.layout{display:grid;grid-template-columns:260px 1fr 240px;gap:20px;padding:16px}
.story-list li{font-size:13px;margin-bottom:6px}.story-list .time{color:#888;font-family:monospace}
.slug-line{font-family:monospace;color:#666;font-size:12px}.dateline{font-weight:700}
.copyright{font-size:11px;color:#666;border-top:1px solid #ddd;padding-top:6px}
#cookie-notice{background:#fffbe6;border-bottom:1px solid #e6d98a;padding:8px 12px;font-size:13px}
"""


def render_cpa(p: Page):
    h, sf, url = p.headline, p.standfirst, p.url
    t, m = p.pub_dt, p.mod_dt
    first = p.paras[0]
    mt = re.match(r"^(.{2,60}?) \(CPA\) [—–-]", first)
    dateline = mt.group(1) if mt else ""
    slug = p.slug.upper()
    words = sum(len(x.split()) for x in p.paras)
    dc_creators = "\n".join(f'<meta name="DC.creator" content="{e(n)}">' for n in p.byline)
    dc_mod = f'\n<meta name="DC.date.modified" content="{p.modified}">' if p.modified else ""

    def fig(c, k):
        credit = f' <span class="photo-credit">Photo: {e(c["credit"])}</span>' if c.get("credit") else ""
        return (f'<figure class="wire-photo"><img src="https://photos.cpawire.com/{t:%Y%m%d}/{slug}-{k + 1}.jpg" width="600" height="400" alt="">'
                f'<figcaption>{e(c["text"])}{credit}</figcaption></figure>')

    def para(x):
        if not mt and x == first:
            return f'<p><span class="dateline">(CPA) —</span> {e(x)}</p>'
        return f"<p>{e(x)}</p>"

    body = joined(interleave(p.paras, p.captions, para, fig))
    by = f'<p class="byline">By {e(join_names(p.byline))}</p>' if p.byline else ""
    off = f"{t:%z}"
    stamp = (f'Published <time datetime="{p.published}">{t.day} {MONTHS[t.month - 1]} {t.year}, '
             f'{t:%H:%M} GMT{off[:3]}:{off[3:]}</time>')
    if m:
        stamp += f' &middot; Updated <time datetime="{p.modified}">{m.day} {MONTHS[m.month - 1]} {m.year}, {m:%H:%M}</time>'
    latest = "\n".join(f'<li><span class="time">{(t.hour + 23 - i) % 24:02d}:{(t.minute * 7 + i * 13) % 60:02d}</span> <a href="/story/{crc(x) % 999999}">{e(x)}</a></li>'
                       for i, x in enumerate(p.related + p.mostread[:2]))
    mostread = "\n".join(f'<li><a href="/story/{crc(x) % 999999}">{e(x)}</a></li>' for x in p.mostread)
    page = f"""<!DOCTYPE html>
<html lang="{p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(h)} - Continental Press Agency</title>
<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">
<meta name="DC.title" content="{e(h)}">
{dc_creators}
<meta name="DC.date.issued" content="{p.published}">{dc_mod}
<meta name="DC.subject" content="{e(p.section)}">
<meta name="DC.publisher" content="Continental Press Agency">
<meta name="DC.language" content="{p.lang}">
<meta name="DC.rights" content="© CPA {t.year}. All rights reserved.">
<meta name="dateline" content="{e(dateline)}">
<meta name="slug" content="{e(slug)}">
<meta name="keywords" content="{e(', '.join(p.tags))}">
<meta name="description" content="{e(sf or first[:150])}">
<link rel="canonical" href="{url}">
<style>{CPA_CSS}</style>
<script>
  var CPA = window.CPA || {{}}; CPA.story = {{id: "{p.pid}", slug: "{slug}", words: {words}}};
  (function(w,d){{var s=d.createElement('script');s.async=1;s.src='https://metrics.cpawire.com/m.js';d.head.appendChild(s);}})(window,document);
</script>
</head>
<body>
<div class="topbar">CPA Wire &mdash; for subscriber use only &middot; <a href="/account">My account</a> &middot; <a href="/logout">Log out</a></div>
<div id="cookie-notice">CPA uses cookies to provide and improve our services. By using our site, you consent to cookies. <button type="button">Got it</button></div>
<header>
  <a class="logo" href="/">Continental Press Agency</a>
  <nav><a href="/hub/top-news">Top News</a> | <a href="/hub/world">World</a> | <a href="/hub/business">Business</a> | <a href="/hub/markets">Markets</a> | <a href="/hub/politics">Politics</a> | <a href="/hub/science">Science</a> | <a href="/hub/health">Health</a> | <a href="/hub/sport">Sport</a> | <a href="/photos">Photos</a> | <a href="/video">Video</a></nav>
  <form action="/search" method="get" class="search"><input type="search" name="q" placeholder="Search the wire"><button type="submit">Search</button></form>
</header>
<div class="layout">
<aside class="story-list">
  <h3>Latest stories</h3>
  <ul>
{latest}
  </ul>
</aside>
<main>
<article class="story">
  <div class="slug-line">BC-{e(slug)} | {e(p.section)} | {words} words</div>
  <h1>{e(h)}</h1>
  {f'<p class="summary">{e(sf)}</p>' if sf else ''}
  {by}
  <p class="timestamp">{stamp}</p>
  <div class="share">Share: <a href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a> <a href="https://x.com/intent/post?url={url}">X</a> <a href="https://wa.me/?text={url}">WhatsApp</a> <a href="mailto:?body={url}">Email</a></div>
  <div class="story-body">
{body}
  </div>
  <p class="copyright">© CPA {t.year}. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.</p>
  <p class="license">Licensing and reprint requests: <a href="mailto:licensing@cpawire.com">licensing@cpawire.com</a></p>
</article>
</main>
<aside class="most-read">
  <h3>Most read on the wire</h3>
  <ol>
{mostread}
  </ol>
  <div class="newsletter"><h3>CPA Morning Wire</h3><p>The stories that will shape your day, before 7 a.m. CET.</p><form action="/newsletter" method="post"><input type="email" name="email" placeholder="Work email"><button>Sign up</button></form></div>
</aside>
</div>
<footer>
  <p><a href="/about">About CPA</a> | <a href="/contact">Contact</a> | <a href="/terms">Terms of Service</a> | <a href="/privacy">Privacy</a> | <a href="/cookies">Cookie preferences</a></p>
  <p>Continental Press Agency &middot; Brussels &middot; Frankfurt &middot; London</p>
</footer>
</body>
</html>
"""
    bp = [
        "This material may not be published, broadcast, rewritten or redistributed.",
        "CPA uses cookies to provide and improve our services.",
        p.related[0],
        p.mostread[0],
        f"BC-{slug}",
        "The stories that will shape your day, before 7 a.m. CET.",
    ]
    return page, {}, bp


GULF_CSS = """
body{font-family:'Roboto',Arial,sans-serif;margin:0;color:#222}
.consent{position:fixed;bottom:0;width:100%;background:#0d2b45;color:#fff;padding:12px;font-size:14px;z-index:9}
.top-strip{background:#0d2b45;color:#fff;font-size:12px;padding:4px 14px}
.masthead .logo{font-family:'Playfair Display',Georgia,serif;font-size:32px;color:#0d2b45;text-decoration:none}
.main-nav a{margin-right:12px;font-weight:600;color:#0d2b45;text-decoration:none}
.story{max-width:760px;margin:0 auto}.headline{font-size:34px}.standfirst{font-size:19px;font-weight:400;color:#555}
.translate-widget{background:#f4f7fa;border:1px solid #dbe3ea;padding:8px;font-size:12px;margin:12px 0}
.lang-switcher{list-style:none;display:inline-flex;gap:10px;margin:0;padding:0}
figcaption{font-size:13px;color:#666}.also-read{border-left:4px solid #c8102e;padding-left:10px}
.dates{font-size:13px;color:#777}footer{background:#0d2b45;color:#ddd;padding:24px;font-size:13px}
"""

GULF_JS = """
window.googletag = window.googletag || {cmd: []};
googletag.cmd.push(function() {
  googletag.defineSlot('/2233/gulfobserver/article_leaderboard', [[728, 90], [970, 250]], 'div-gpt-ad-leaderboard').addService(googletag.pubads());
  googletag.defineSlot('/2233/gulfobserver/article_mpu', [300, 250], 'div-gpt-ad-mpu').addService(googletag.pubads());
  googletag.pubads().enableSingleRequest();
  googletag.enableServices();
});
"""


def gulf_stamp(t: datetime) -> str:
    return f"{en_date(t)}, {clock12(t)}"


def render_gulf(p: Page):
    h, sf, url = p.headline, p.standfirst, p.url
    t, m = p.pub_dt, p.mod_dt
    sec = p.section
    secslug = slugify(sec)
    lead_img = p.img("static.gulfobserver.com", 0) if p.captions else "https://static.gulfobserver.com/assets/og-default.png"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": h,
        "description": sf,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": p.published,
    }
    if p.modified:
        ld["dateModified"] = p.modified
    ld["author"] = [{"@type": "Person", "name": n} for n in p.byline]
    if p.wire:
        ld["author"].append({"@type": "Organization", "name": "CPA"})
    ld.update({
        "articleSection": sec,
        "keywords": ", ".join(p.tags),
        "image": {"@type": "ImageObject", "url": lead_img, "width": 1280, "height": 720},
        "publisher": {"@type": "NewsMediaOrganization", "name": "The Gulf Observer",
                      "logo": {"@type": "ImageObject", "url": "https://static.gulfobserver.com/assets/logo.png"}},
    })

    def fig(c, k):
        credit = f' {e(c["credit"])}' if c.get("credit") else ""
        return (f'<figure class="story-figure"><img src="{p.img("static.gulfobserver.com", k, "_1280x720")}" width="1280" height="720" alt="" loading="lazy">'
                f'<figcaption>{e(c["text"])}{credit}</figcaption></figure>')

    blocks = interleave(p.paras, p.captions, lambda x: f"<p>{e(x)}</p>", fig)
    place(blocks, 2, '<div class="also-read"><span class="also-read__label">Also read</span><ul>'
                     + "".join(f'<li><a href="/{secslug}/{crc(x) % 999999}">{e(x)}</a></li>' for x in p.related[:2])
                     + "</ul></div>")
    place(blocks, 4, '<div class="ad-container" id="div-gpt-ad-mpu"></div>')
    body = joined(blocks)
    authors = "".join(f'<div class="author"><a class="author-name" href="/authors/{slugify(n)}">{e(n)}</a>'
                      f'<span class="author-role">{"CPA" if p.wire else "Staff Reporter"}</span></div>' for n in p.byline)
    if p.wire and not p.byline:
        authors = '<div class="author"><span class="author-role">CPA</span></div>'
    dates = f'<span class="published">Published: {gulf_stamp(t)}</span>'
    if m:
        dates = f'<span class="updated">Updated: {gulf_stamp(m)}</span> ' + dates
    tags = ""
    if p.tags:
        tags = ('<div class="tags"><span class="tags__label">Topics:</span> '
                + " ".join(f'<a href="/topics/{slugify(x)}">{e(x)}</a>' for x in p.tags) + "</div>")
    popular = ('<section class="most-popular"><h3>Most Popular</h3><ol>'
               + "".join(f'<li><a href="/{crc(x) % 999999}">{e(x)}</a></li>' for x in p.mostread)
               + "</ol></section>")
    more = (f'<section class="more-from"><h3>More from {e(sec)}</h3><ul>'
            + "".join(f'<li><a href="/{secslug}/{crc(x) % 999999}">{e(x)}</a></li>' for x in p.related)
            + "</ul></section>")
    inside = p.seq % 2 == 1
    og_mod = f'\n<meta property="article:modified_time" content="{p.modified}">' if p.modified else ""
    sf_html = f'\n    <h2 class="standfirst">{e(sf)}</h2>' if sf else ""
    page = f"""<!DOCTYPE html>
<html lang="{p.lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(h)} | The Gulf Observer</title>
<meta name="description" content="{e(sf or p.paras[0][:150])}">
<meta name="keywords" content="{e(', '.join(p.tags))}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(h)}">
<meta property="og:description" content="{e(sf)}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{lead_img}">
<meta property="og:site_name" content="The Gulf Observer">
<meta property="article:published_time" content="{p.published}">{og_mod}
<meta property="article:section" content="{e(sec)}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@gulfobserver">
<script type="application/ld+json">
{jsonld(ld)}
</script>
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>{GULF_JS}</script>
<style>{GULF_CSS}</style>
</head>
<body class="article-page">
<div class="consent" id="consent-bar">We use cookies to give you the best possible experience. Learn more about how we use cookies in our Privacy Policy. <button type="button" onclick="document.getElementById('consent-bar').remove()">Accept</button></div>
<div class="top-strip">Dubai 31°C &middot; <a href="/epaper">E-paper</a> &middot; <a href="/subscribe">Subscribe</a> &middot; <a href="/login">Sign in</a></div>
<header class="masthead">
  <a class="logo" href="https://gulfobserver.com/">The Gulf Observer</a>
  <nav class="main-nav"><a href="/uae">UAE</a><a href="/gulf">Gulf</a><a href="/world">World</a><a href="/business">Business</a><a href="/sport">Sport</a><a href="/climate">Climate</a><a href="/entertainment">Entertainment</a><a href="/lifestyle">Lifestyle</a><a href="/opinion">Opinion</a><a href="/podcasts">Podcasts</a></nav>
  <form class="search" action="/search" method="get"><input type="search" name="q" placeholder="Search The Gulf Observer"><button type="submit">Search</button></form>
</header>
<div class="ad-container" id="div-gpt-ad-leaderboard"></div>
<main>
  <nav class="breadcrumb"><a href="/">Home</a> / <a href="/{secslug}">{e(sec)}</a></nav>
  <article class="story">
    <h1 class="headline">{e(h)}</h1>{sf_html}
    <div class="authors">{authors}</div>
    <div class="dates">{dates}</div>
    <div class="share"><a href="https://www.facebook.com/sharer/sharer.php?u={url}">Share on Facebook</a> <a href="https://x.com/intent/post?url={url}">Share on X</a> <a href="https://wa.me/?text={url}">Share on WhatsApp</a> <a href="mailto:?body={url}">Share by Email</a> <button type="button" class="copy-link">Copy to clipboard</button></div>
    <div class="story-body">
      <div class="translate-widget">
        <span class="translate-beta">Beta V.1.0 - Powered by automated translation</span>
        <ul class="lang-switcher"><li class="active"><a href="{url}">English</a></li><li lang="ar"><a href="{url}?lang=ar">العربية</a></li><li lang="hi"><a href="{url}?lang=hi">हिन्दी</a></li><li lang="ur"><a href="{url}?lang=ur">اردو</a></li><li lang="ml"><a href="{url}?lang=ml">മലയാളം</a></li></ul>
      </div>
{body}
    </div>
    {tags}
    {more}
    {popular if inside else ""}
  </article>
  {"" if inside else '<aside class="sidebar">' + popular + "</aside>"}
</main>
<section class="newsletter">
  <h3>Sign up for the Daily Briefing</h3>
  <p>Get the latest news and updates straight to your inbox.</p>
  <form action="/newsletters" method="post"><input type="email" name="email" placeholder="Your email"><button type="submit">Subscribe</button></form>
</section>
<footer>
  <p><a href="/about-us">About Us</a> | <a href="/contact-us">Contact Us</a> | <a href="/advertise">Advertise</a> | <a href="/terms">Terms &amp; Conditions</a> | <a href="/privacy-policy">Privacy Policy</a> | <a href="/sitemap">Sitemap</a></p>
  <p>© The Gulf Observer {p.year}. All rights reserved.</p>
</footer>
</body>
</html>
"""
    bp = [
        "Powered by automated translation",
        "We use cookies to give you the best possible experience.",
        p.related[0],
        p.mostread[0],
        "Copy to clipboard",
        "Get the latest news and updates straight to your inbox.",
    ]
    return page, {}, bp


RENDERERS = {
    "meridian": render_meridian, "metronow": render_metronow, "riverbend": render_riverbend,
    "courier": render_courier, "alpin": render_alpin, "cpa": render_cpa, "gulf": render_gulf,
}


# --------------------------------------------------------------------------- driver

def load_sources(src: Path) -> dict[str, list[dict]]:
    out = {}
    for site in SITES:
        f = src / f"{site}.json"
        if not f.exists():
            print(f"warning: {f} missing, skipped", file=sys.stderr)
            continue
        stories = json.loads(f.read_text(encoding="utf-8"))
        for s in stories:
            for key in ("slug", "headline", "paragraphs", "published"):
                if not s.get(key):
                    raise SystemExit(f"{f}: story {s.get('slug')!r} lacks {key!r}")
        out[site] = stories
    return out


def build_pages(sources: dict[str, list[dict]]) -> list[Page]:
    pages: list[Page] = []
    for site, stories in sources.items():
        for i, s in enumerate(stories):
            base = Page(site, s, "original", i, paras=list(s["paragraphs"]), modified=norm(s.get("modified")))
            pages.append(base)
            if s.get("duplicate_url"):
                pages.append(Page(site, s, "duplicate", i, paras=list(s["paragraphs"]), modified=base.modified))
            if s.get("update"):
                u = s["update"]
                pages.append(Page(site, s, "update", i, paras=list(s["paragraphs"]) + list(u.get("paragraphs_added") or []),
                                  modified=norm(u["modified"])))
            if site == "cpa":
                for target in s.get("wire_copies") or []:
                    if target in SITES and target != "cpa":
                        pages.append(Page(target, s, "wire_copy", i, paras=list(s["paragraphs"]), modified=base.modified))
    # locations
    seen: dict[str, Page] = {}
    originals = {}
    for p in pages:
        url, rel = canonical_location(p.layout, p)
        key = (p.layout, p.slug, p.story["published"])
        if p.variant in ("original", "wire_copy"):
            originals[key] = (url, rel)
        else:
            url, base = originals[key]
            rel = duplicate_path(p.story["duplicate_url"]) if p.variant == "duplicate" else update_path(p.layout, p, base)
        p.url = url
        n = 2
        cand = rel
        while f"{p.layout}/{cand}" in seen:
            stem, _, ext = rel.rpartition(".")
            cand = f"{stem}-{n}.{ext}"
            n += 1
        p.relpath = cand
        seen[f"{p.layout}/{cand}"] = p
    # per-layout order, related/most-read pools
    by_layout: dict[str, list[Page]] = {}
    for p in pages:
        by_layout.setdefault(p.layout, []).append(p)
    for layout, lp in by_layout.items():
        # boxes link to the site's stories that were already out when the page was saved
        # (newest first), topped up with timeless house items
        dated: dict[str, datetime] = {}
        for p in lp:
            dated.setdefault(p.headline, p.pub_dt)
        first_seq: dict[tuple, int] = {}
        for seq, p in enumerate(lp):
            # a duplicate or update is the same page saved again: same page furniture
            p.seq = first_seq.setdefault((p.slug, p.story["published"]), seq)
            earlier = sorted((h for h, t in dated.items() if t < p.pub_dt and h != p.headline),
                             key=lambda h: dated[h], reverse=True)
            filler = FILLER[layout]
            off = crc(p.slug) % len(filler)
            house = [filler[(off + k) % len(filler)] for k in range(len(filler))]
            p.related = (earlier[:3] + house)[:3]
            p.mostread = [x for x in earlier[3:5] + house if x not in p.related][:5]
    # courier pages without a charset declaration: prefer stories with cp1252-only characters
    courier = [p for p in by_layout.get("courier", []) if p.variant == "original"]
    fancy = [p for p in courier if any(ord(ch) > 127 for ch in " ".join(p.paras + [p.headline]))]
    chosen = (fancy + [p for p in courier if p not in fancy])[:N_COURIER_NOCHARSET]
    for p in chosen:
        p.charset = False
    # gzip: about N_GZIP pages, taken in turn from each layout
    layouts = [lay for lay in SITES if lay in by_layout]
    for k in range(min(N_GZIP, len(pages))):
        lp = by_layout[layouts[k % len(layouts)]]
        cands = [p for p in lp if not p.gz and p.charset]
        if cands:
            cands[(3 + 5 * (k // len(layouts))) % len(cands)].gz = True
    return pages


def pick_boilerplate(cands: list[str], rec: dict) -> list[str]:
    forbidden = " ".join([rec["body"], rec["headline"], rec["standfirst"]] + [c["text"] for c in rec["captions"]])
    out = []
    for c in cands:
        if c and c not in forbidden and c not in out:
            out.append(c)
    if len(out) < 3:
        raise SystemExit(f"{rec['path']}: not enough boilerplate strings")
    return out[:6]


def render(p: Page) -> tuple[bytes, dict]:
    text, over, cands = RENDERERS[p.layout](p)
    rec = {
        "path": f"corpus/{p.layout}/{p.relpath}" + (".gz" if p.gz else ""),
        "url": p.url,
        "headline": p.headline,
        "standfirst": p.standfirst,
        "body": "\n\n".join(p.paras),
        "captions": [{"text": c["text"], "credit": c.get("credit")} for c in p.captions],
        "byline": p.byline,
        "section": p.section,
        "tags": p.tags,
        "published": p.published,
        "modified": p.modified,
        "lang": p.lang,
        "source": p.site,
    }
    rec.update(over)
    rec["boilerplate"] = pick_boilerplate(cands, rec)
    rec["layout"] = p.layout
    rec["variant"] = p.variant
    enc = ENCODINGS.get(p.layout, "utf-8")
    data = text.encode(enc, errors="xmlcharrefreplace")
    if p.gz:
        data = gzip.compress(data, compresslevel=9, mtime=0)
    return data, rec


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=HERE / "src", help="story sources (default: corpus/src)")
    ap.add_argument("--root", type=Path, default=HERE.parent,
                    help="repository root; pages go to ROOT/corpus/<site>/ (default: this repo)")
    args = ap.parse_args(argv)
    out = args.root / "corpus"
    sources = load_sources(args.src)
    pages = build_pages(sources)
    for site in SITES:  # only the generated trees; never src/
        shutil.rmtree(out / site, ignore_errors=True)
    records = []
    for p in pages:
        data, rec = render(p)
        target = args.root / rec["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        records.append(rec)
    records.sort(key=lambda r: r["path"])
    with open(out / "expected.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    # the sites' pages that are not articles (home, section, tag, author, archive, search, 404, gallery)
    others = []
    for layout, rel, kind, text in nonarticles.build(pages, RENDERERS, SITE_NAMES):
        path = f"corpus/{layout}/{rel}"
        target = args.root / path
        if target.exists():
            raise SystemExit(f"{path}: a non-article page would overwrite an article page")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode(ENCODINGS.get(layout, "utf-8"), errors="xmlcharrefreplace"))
        others.append({"path": path, "layout": layout, "page": kind, "kind": nonarticles.KINDS[kind]})
    others.sort(key=lambda r: r["path"])
    with open(out / "nonarticles.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for rec in others:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in records:
        counts[r["layout"]] = counts.get(r["layout"], 0) + 1
    stories = {r["headline"] for r in records}
    print(f"{len(records)} pages, {len(stories)} stories: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; {len(others)} pages that are not articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Choosing the publication and modification dates among the dates a page gives.

Reading one date string is `indexer.dates`; this module decides which of the page's dates is
its publication date and which its last change: machine metadata first (JSON-LD, publication
metas, microdata, ``<time datetime>``), checked against the visible date line when machine
sources disagree, then visible date lines, generic "date" metas and finally the URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from morgue.indexer import dates
from morgue.indexer.body import DATE_LINE
from morgue.indexer.density import Block
from morgue.indexer.metadata import ld_text
from morgue.indexer.page import Page, normalize_space


_PUB_METAS = (
    "article:published_time", "og:article:published_time", "article.published", "datepublished",
    "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "publish-date", "publish_date",
    "publishdate", "pubdate", "publication_date", "sailthru.date", "parsely-pub-date",
    "article_date_original", "cxenseparse:recs:publishtime", "originalpublicationdate",
    "citation_publication_date", "og:published_time", "article:published", "published_time",
    "release_date", "displaydate", "dc.date.published", "citation_date", "datecreated",
)
#: Generic "date" metas: often the page's generation or last-change date, so weaker than a
#: visible publication date.
_WEAK_PUB_METAS = ("date", "dc.date", "dcterms.date", "last-modified-date")
_MOD_METAS = (
    "article:modified_time", "og:article:modified_time", "datemodified", "dc.date.modified",
    "dcterms.modified", "og:updated_time", "article:modified", "modified_time", "last-modified",
    "lastmod", "revised",
)
_UPDATED_CLASS = re.compile(r"updated|modified|update", re.I)
_UPDATED_TEXT = re.compile(r"\b(?:updated|last updated|modified|aktualisiert|mis à jour|actualizado|aggiornato)\b", re.I)
_PUBLISHED_TEXT = re.compile(
    r"\b(?:published|posted|first published|veröffentlicht|veröffentlichung|erschienen|publiziert|"
    r"publié|publicado|pubblicato|erstellt|released|issued|mise en ligne|publication)\b", re.I)
_STRONG_DATE_CLASS = re.compile(r"publish|posted|pubdate|created|entry-date|post-date|article-date|story-date|datum|dateline|timedata|date-?time", re.I)


def _machine_pub_alternatives(page: Page, ld, body_start: int, body_end: int) -> list[tuple[str, str]]:
    """Every publication date the page's machine metadata gives, with its source."""
    out = []
    if ld is not None:
        v = dates.parse_iso(ld_text(ld.get("datePublished")))
        if v:
            out.append((v, "json-ld"))
    for k in _PUB_METAS:
        for v in page.metas.all(k)[:3]:
            v = dates.parse_iso(v)
            if v:
                out.append((v, "meta"))
    v = page.microdata("datePublished")
    if v and (v := dates.parse_iso(v)):
        out.append((v, "microdata"))
    for el, idx, boiler in page.walk.time_els[:10]:
        dt = el.attrs.get("datetime")
        if dt and not boiler and (v := dates.parse_iso(str(dt))):
            out.append((v, "time-element"))
    return out


def _one_day_apart(a: str, b: str) -> bool:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) == 1
    except ValueError:
        return False


def _first_meta(page: Page, keys) -> str | None:
    for k in keys:
        for v in page.metas.all(k):
            val = dates.parse_iso(v)
            if val:
                return val
    return None


@dataclass
class ChosenDates:
    """The publication and modification dates of a page, each with where it was read
    (see `morgue.indexer.article.DATE_SOURCES`)."""

    published: str | None = None
    published_from: str | None = None
    modified: str | None = None
    modified_from: str | None = None


def choose_dates(page: Page, head_idx: int, body_blocks: list[Block], lang: str | None,
                 url: str | None) -> ChosenDates:
    """The page's publication and modification dates, never later than its capture time (or
    than now when the capture time is unknown); relative dates only against a known capture."""
    captured = page.captured
    (pub, mod), (pub_from, mod_from) = _choose_published_and_modified(
        page, head_idx, body_blocks, lang, url, captured)
    chosen = ChosenDates(pub, pub_from, mod, mod_from)
    limit = captured or datetime.now(timezone.utc)
    if chosen.modified and dates.later_than(chosen.modified, limit):
        chosen.modified = chosen.modified_from = None
    if chosen.published and dates.later_than(chosen.published, limit):
        chosen.published, chosen.published_from = chosen.modified, chosen.modified_from
        chosen.modified = chosen.modified_from = None
    return chosen


def _choose_published_and_modified(page: Page, head_idx: int, body_blocks: list[Block], lang: str | None,
                                   url: str | None, captured: datetime | None):
    """((published, modified), (published_from, modified_from))."""
    pub = mod = None
    pub_src = mod_src = None
    # 1. JSON-LD and explicit publication metas (OpenGraph article:, Dublin Core issued...)
    ld = page.article_ld
    if ld is None or "datePublished" not in ld:
        ld = next((o for o in page.ld_objects if isinstance(o.get("datePublished"), str)), ld)
    if ld is not None:
        pub = dates.parse_iso(ld_text(ld.get("datePublished"))) or dates.parse_iso(ld_text(ld.get("dateCreated")))
        mod = dates.parse_iso(ld_text(ld.get("dateModified")))
        pub_src = "json-ld" if pub else None
        mod_src = "json-ld" if mod else None
    if not pub and (pub := _first_meta(page, _PUB_METAS)):
        pub_src = "meta"
    if not mod and (mod := _first_meta(page, _MOD_METAS)):
        mod_src = "meta"
    # 2. microdata
    if not pub:
        v = page.microdata("datePublished") or page.microdata("dateCreated")
        pub = dates.parse_iso(v) if v else None
        pub_src = "microdata" if pub else None
    if not mod:
        v = page.microdata("dateModified")
        mod = dates.parse_iso(v) if v else None
        mod_src = "microdata" if mod else None
    # 3. <time datetime> and abbr.published
    body_start = body_blocks[0].index if body_blocks else 10**9
    body_end = body_blocks[-1].index if body_blocks else -1
    if not pub or not mod:
        for el, idx, boiler in page.walk.time_els[:50]:
            dt = el.attrs.get("datetime") or el.attrs.get("content")
            if dt:
                val, src = dates.parse_iso(str(dt)), "time-element"
            else:  # <time>29.04.2020, 12:01 Uhr</time>
                val, src = dates.parse_text_kind(normalize_space(el.get_text(" "))[:100], captured=captured,
                                                 lang=lang, use_dateparser=False)
            if not val:
                continue
            cls = el.attrs.get("class")
            ac = " ".join(cls) if isinstance(cls, list) else str(cls or "")
            near = normalize_space(el.parent.get_text(" "))[:80] if el.parent is not None else ""
            if _UPDATED_CLASS.search(ac) or (_UPDATED_TEXT.search(near) and not _PUBLISHED_TEXT.search(near)):
                if not mod:
                    mod, mod_src = val, src
                continue
            if not pub and ((not boiler and idx <= body_end + 1) or idx <= body_start + 2 or "pubdate" in el.attrs):
                pub, pub_src = val, src
    if not pub and page.walk.abbr_published:
        pub = dates.parse_iso(page.walk.abbr_published[0])
        pub_src = "time-element" if pub else None
    # Machine sources that disagree on the day (JSON-LD says the 4th, OpenGraph the 6th):
    # the one the page also prints wins.
    alts = _machine_pub_alternatives(page, ld, body_start, body_end)
    if pub and any(a[0][:10] != pub[:10] for a in alts):
        (vp, _vp_src), _vm = _visible_dates(page, head_idx, body_start, body_end, lang, captured, body_blocks[:3])
        if vp and vp[:10] != pub[:10]:
            agree = next((a for a in alts if a[0][:10] == vp[:10]), None)
            if agree:
                pub, pub_src = agree
    # 4. visible date lines and date elements around the headline
    utc = bool(pub and len(pub) > 10 and pub.endswith("+00:00"))
    if not pub or not mod or utc:
        (vp, vp_src), (vm, vm_src) = _visible_dates(page, head_idx, body_start, body_end, lang, captured, body_blocks[:3])
        if utc and vp and len(vp) >= 10 and _one_day_apart(vp[:10], pub[:10]):
            # A CMS that normalises machine dates to UTC: the page's printed date is the local
            # day of publication (23:00 UTC is already tomorrow in Berlin).
            pub, pub_src = vp, vp_src
        if not pub:
            pub, pub_src = vp, vp_src
        if not mod and vm and vm != pub:
            mod, mod_src = vm, vm_src
    # 5. generic "date" metas, then the URL, then an update date as the only date given
    if not pub and (pub := _first_meta(page, _WEAK_PUB_METAS)):
        pub_src = "meta"
    if not pub and (pub := dates.url_date(url) or dates.url_date(page.url)):
        pub_src = "url"
    if not pub and mod:
        pub, pub_src = mod, mod_src
        mod = mod_src = None
    return (pub, mod), (pub_src if pub else None, mod_src if mod else None)


def _visible_dates(page: Page, head_idx: int, body_start: int, body_end: int, lang: str | None,
                   captured: datetime | None, body_head: list[Block]) -> tuple[tuple, tuple]:
    """((published, how written), (modified, how written)) from the dates printed around the
    headline: date elements, labelled date lines, bylines with dates, a dateline opening one of
    the body's first blocks (`body_head`)."""
    blocks = page.walk.blocks
    pub = mod = None
    pub_src = mod_src = None
    ref = head_idx if head_idx >= 0 else (body_start if body_start < 10**9 else 0)
    lo = max(0, ref - 15)
    hi = min(len(blocks), (body_end + 8) if body_end >= 0 else lo + 60)
    cands = []  # (rank, distance, text, labelled)
    for el, idx, ac, boiler in page.walk.date_texts[:120]:
        if "comment" in ac:
            continue
        strong = _STRONG_DATE_CLASS.search(ac) is not None
        if boiler and not strong:
            continue
        if id(el) in page.walk.stats:
            t = page.element_text(el, idx) if idx < len(blocks) else ""
        else:  # an inline element (<span class="date">): small, read it directly
            t = normalize_space(el.get_text(" "))[:300]
        if 4 <= len(t) <= 200:
            cands.append((0 if strong else 2, abs(idx - ref), t, True))
    for el, boiler, ac in page.walk.byline_texts[:20]:  # "By Jo Smith | 29.12.2010, 13:36"
        if "comment" in ac:
            continue
        t = normalize_space(el.get_text(" "))[:200]
        if 6 <= len(t) <= 200 and any(ch.isdigit() for ch in t):
            cands.append((2, 0, t, True))
    for b in blocks[lo:hi]:
        if b.chars > 160:
            continue
        if DATE_LINE.match(b.text) or _UPDATED_TEXT.search(b.text) or _PUBLISHED_TEXT.search(b.text):
            text = b.text
            if b.chars < 40 and b.index + 1 < len(blocks) and not any(ch.isdigit() for ch in text):
                text = text + " " + blocks[b.index + 1].text[:80]  # "Published" / "4 March 2008"
            cands.append((1, abs(b.index - ref), text, True))
    # a dateline opening one of the body's first paragraphs: "01.02.2022 – The labour market..."
    for b in body_head:
        head = b.text[:40]
        if head[:1].isdigit() or head.split(" ", 1)[0].lower().strip(".,") in dates.MONTHS:
            cands.append((4, 0, head, False))
    if head_idx >= 0:
        for b in blocks[max(0, head_idx - 4): head_idx + 10]:
            if b.chars <= 120:
                cands.append((3, abs(b.index - ref), b.text, False))
    cands.sort(key=lambda x: (x[0], x[1]))
    for rank, _dist, text, labelled in cands[:40]:
        val, src = dates.parse_text_kind(text, captured=captured, lang=lang,
                                         use_dateparser=labelled and len(text) < 60)
        if not val:
            continue
        if _UPDATED_TEXT.search(text) and not _PUBLISHED_TEXT.search(text):
            if not mod:
                mod, mod_src = val, src
            continue
        if not pub:
            pub, pub_src = val, src
        if pub and mod:
            break
    return (pub, pub_src), (mod, mod_src)

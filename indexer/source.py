"""Where the article comes from and what it is about: canonical URL, source (site) name,
section, tags and language."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from morgue.indexer import dates
from morgue.indexer.headline import TITLE_SEPARATOR
from morgue.indexer.metadata import ld_names, ld_text
from morgue.indexer.page import Page, normalize_space, word_tokens


def choose_url(page: Page) -> str | None:
    """The canonical URL the page names (made absolute), else the URL it was fetched from."""
    cands = [page.walk.canonical, page.metas.first("og:url"), ld_text(page.ld_value("url")),
             ld_text(page.ld_value("mainEntityOfPage"))]
    for u in cands:
        if not u:
            continue
        u = u.strip()
        if u.startswith("//"):
            u = "https:" + u
        if u.startswith(("http://", "https://")):
            return u
        if page.url and u.startswith("/"):
            return urljoin(page.url, u)
    return page.url


def choose_source(page: Page) -> str | None:
    """The site or publisher name the page's metadata gives."""
    pub = page.ld_value("publisher")
    names = ld_names(pub, page.ld_by_id) if pub else []
    for v in (page.metas.first("og:site_name"), names[0] if names else None,
              page.metas.first("application-name", "dc.publisher", "dcterms.publisher", "publisher",
                            "cre", "twitter:app:name:iphone")):
        if v and len(v) < 120:
            return normalize_space(v)
    return None


def site_and_section_from_title(page: Page, headline: str) -> tuple[str | None, str | None]:
    """("Site", "Section") from a "Site - Section - Headline" title (pages with no metadata)."""
    title = normalize_space(page.walk.title or "")
    if not title or not headline or len(title) > 400:
        return None, None
    segs = [x.strip() for x in TITLE_SEPARATOR.split(title) if x.strip()]
    if len(segs) < 2:
        return None, None
    ht = word_tokens(headline)
    if word_tokens(segs[-1]) == ht:
        rest = segs[:-1]
    elif word_tokens(segs[0]) == ht:
        rest = segs[1:][::-1]
    else:
        return None, None
    site = rest[0] if rest and len(rest[0]) <= 80 else None
    section = rest[1] if len(rest) == 2 and len(rest[1]) <= 40 else None
    return site, section


def kicker(page: Page, head_idx: int) -> str | None:
    """A one-to-three-word label just above the headline ("Farm", "Business")."""
    if head_idx <= 0:
        return None
    b = page.walk.blocks[head_idx - 1]
    if b.chars <= 30 and 1 <= len(b.text.split()) <= 3 and not b.link_chars and not dates.parse_text(b.text, use_dateparser=False):
        return b.text
    return None


def choose_section(page: Page) -> str | None:
    """The section the page's metadata or category link names."""
    v = page.metas.first("article:section", "section", "parsely-section", "sailthru.section", "dc.subject", "category")
    if not v:
        v = ld_text(page.ld_value("articleSection")) or page.microdata("articleSection")
    if not v and page.walk.rel_category:
        v = page.walk.rel_category[0].get_text(" ")
    return normalize_space(v) or None


def choose_tags(page: Page) -> list[str]:
    """Up to 50 distinct tags or keywords from the page's metadata or tag links."""
    tags = page.metas.all("article:tag")
    if not tags:
        kw = page.ld_value("keywords")
        if isinstance(kw, list):
            tags = [str(k) for k in kw if isinstance(k, (str, int))]
        elif isinstance(kw, str):
            tags = kw.split(",")
    if not tags and page.walk.rel_tag:
        tags = [a.get_text(" ") for a in page.walk.rel_tag]
    if not tags:
        v = page.metas.first("news_keywords") or page.microdata("keywords") or page.metas.first("keywords")
        if v:
            tags = v.split(",")
    out = []
    for t in tags:
        t = normalize_space(t)
        if t and t not in out and len(t) < 100:
            out.append(t)
    return out[:50]


def primary_language(v: str | None) -> str | None:
    """"en-GB" → "en"; None when the value is not a language tag."""
    if not v:
        return None
    v = v.strip().replace("_", "-").split(",")[0].strip()
    m = re.match(r"^([A-Za-z]{2,3})(?:-|$)", v)
    return m.group(1).lower() if m else None


def choose_lang(page: Page) -> str | None:
    """The language the page declares (JSON-LD, ``<html lang>``, metas), as a primary tag."""
    for v in (ld_text(page.ld_value("inLanguage")), page.walk.html_lang, page.metas.first("content-language"),
              page.metas.first("og:locale"), page.metas.first("dc.language", "dcterms.language", "language")):
        lang = primary_language(v)
        if lang:
            return lang
    return None  # only what the page declares: no guessing from the text

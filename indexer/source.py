"""Where the article comes from and what it is about: canonical URL, source (site) name,
section, tags and language."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

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


_SCRIPT_TEXT = re.compile(r"[{}<>;=\\]|document\.|\bfunction\b|\bvar\s|https?://")
_HOST_NOISE = {"www", "com", "org", "net", "co", "uk", "de", "fr", "ch", "at", "edu", "gov", "info",
               "news", "online", "web", "m", "mobile"}


def looks_like_site_name(name: str, headline: str = "") -> bool:
    """Whether a text can be a site name: short, not script text, not a list of keywords (a
    tagline such as "Football News, Fixtures, Results"), not the headline."""
    if not name or len(name) > 80 or _SCRIPT_TEXT.search(name):
        return False
    if name.count(",") >= 2 or name.count("|") >= 1 or len(name.split()) > 8:
        return False
    words = word_tokens(name)
    if not words:
        return False
    if headline and len(words) >= 3 and words == word_tokens(headline)[:len(words)]:
        return False
    return True


def matches_host(name: str, url: str | None) -> bool:
    """Whether a name is the site's own, judged by its host name: "Spiegel Online" on
    spiegel.de, "BBC News" on bbc.co.uk, "Los Angeles Times" on latimes.com (initials of
    leading words, the rest spelled out), "Kulinaria at Home" on kulinariaathome.wordpress.com."""
    if not url:
        return False
    host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
    labels = [x for x in host.lower().split(".") if x and x not in _HOST_NOISE]
    words = word_tokens(name)
    if not labels or not words:
        return False
    joined = "".join(words)
    for label in labels:
        label = label.replace("-", "")
        if len(label) < 3:
            continue
        if label in joined or (len(joined) >= 4 and joined in label):
            return True
        for k in range(1, len(words) + 1):  # "la" + "times"
            if "".join(w[0] for w in words[:k]) + "".join(words[k:]) == label:
                return True
    return False


def _title_part_is_site(part: str, headline: str, url: str | None) -> bool:
    """Whether the part of a ``<title>`` beside the headline is the site's name, not a tagline,
    a second headline or script text: it names the host when the host is known; with no
    host, it is short (at most five words) and not a sentence (no ":", "?", "!")."""
    if not looks_like_site_name(part, headline):
        return False
    if url and urlsplit(url if "://" in url else "http://" + url).hostname:
        return matches_host(part, url)
    return len(part.split()) <= 5 and not re.search(r"[:?!]", part)


def choose_source(page: Page) -> str | None:
    """The site or publisher name the page's metadata gives (og:site_name, JSON-LD
    publisher, publisher metas), when it looks like a site name."""
    pub = page.ld_value("publisher")
    names = ld_names(pub, page.ld_by_id) if pub else []
    for v in (page.metas.first("og:site_name"), names[0] if names else None,
              page.metas.first("application-name", "dc.publisher", "dcterms.publisher", "publisher",
                            "cre", "twitter:app:name:iphone")):
        if v and len(v) < 120 and looks_like_site_name(normalize_space(v)):
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
    if site and not _title_part_is_site(site, headline, page.url or page.walk.canonical
                                        or page.metas.first("og:url")):
        site = None
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

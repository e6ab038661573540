"""The headline as printed and the standfirst (deck) under it.

The headline is the visible heading that best matches what the machine metadata calls the
title (JSON-LD ``headline``, ``og:title``, ``<title>`` cleaned of the site name it glues on);
pages without such a heading fall back to a visible block equal to a title segment, then to
the cleaned title itself.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from morgue.indexer.body import BOILERPLATE_LINE
from morgue.indexer.metadata import ld_names, ld_text
from morgue.indexer.page import Page, attribute_text, normalize_space, token_overlap, word_tokens

#: What separates the parts of a ``<title>``: "Headline | Site", "Site - Section - Headline".
TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-–—:·•»«~/\\]|::|\|\|)\s+|\s*[|»«]\s*|\s+[-–—]\s*$")


#: Headings of at most this many words are labels more often than headlines.
SHORT_HEADING_WORDS = 3


def site_name_tokens(page: Page, source: str | None) -> list[list[str]]:
    """Word tokens of every name the page gives its site (source, og:site_name, publisher, host)."""
    names = set()
    for v in (source, page.metas.first("og:site_name"), page.metas.first("application-name"),
              page.metas.first("twitter:site"), page.metas.first("dc.publisher")):
        if v:
            names.add(v.lstrip("@"))
    pub = page.ld_value("publisher")
    for n in ld_names(pub, page.ld_by_id) if pub else []:
        names.add(n)
    u = page.url or page.walk.canonical or page.metas.first("og:url")
    if u:
        host = urlsplit(u if "://" in u else "http://" + u).hostname or ""
        parts = [p for p in host.split(".") if p not in ("www", "com", "org", "net", "co", "uk", "de", "fr", "ch", "at", "edu", "gov", "news", "info")]
        if parts:
            names.add(" ".join(parts))
            names.add(parts[-1])
    return [t for t in (word_tokens(n) for n in names) if t]


def is_site_segment(seg: str, sites: list[list[str]]) -> bool:
    """Whether a title segment names the site (one of `site_name_tokens`)."""
    toks = word_tokens(seg)
    if not toks:
        return True
    joined = "".join(toks)
    for s in sites:
        sj = "".join(s)
        if toks == s or joined == sj:
            return True
        if len(sj) >= 4 and (sj in joined and len(toks) <= len(s) + 3 or joined in sj):
            return True
        if len(sj) >= 6 and joined.startswith(sj):
            return True
    return False


def clean_title(title: str, sites: list[list[str]]) -> str:
    """"Headline | The Meridian Post" → "Headline" (also "Site - Headline", "Headline « Site")."""
    title = normalize_space(title)
    if not title:
        return ""
    parts = [p for p in TITLE_SEPARATOR.split(title)]
    seps = TITLE_SEPARATOR.findall(title)
    if len(parts) == 1:
        return title
    # drop edge segments naming the site
    segs = [p.strip() for p in parts]
    changed = True
    while changed and len(segs) > 1:
        changed = False
        if is_site_segment(segs[-1], sites):
            segs.pop()
            changed = True
        elif is_site_segment(segs[0], sites):
            segs.pop(0)
            changed = True
    if len(segs) == len(parts):
        # No known site name: drop a short trailing (or leading) segment.
        if len(segs) >= 2:
            last, first = segs[-1], segs[0]
            if len(word_tokens(last)) <= 4 and len(word_tokens(first)) > len(word_tokens(last)):
                segs = segs[:-1]
            elif len(word_tokens(first)) <= 3 and len(word_tokens(last)) > 2 * len(word_tokens(first)):
                segs = segs[1:]
    if not segs:
        return title
    # Re-join what is left with the original separators between kept segments.
    start = parts.index(segs[0]) if segs[0] in parts else 0
    out = segs[0]
    for i in range(1, len(segs)):
        sep = seps[start + i - 1] if start + i - 1 < len(seps) else " - "
        out += sep + segs[i] if sep.strip() else " " + segs[i]
    return out.strip(" |-–—")


def choose_headline(page: Page, source: str | None) -> tuple[str, int, bool]:
    """(headline, its block index or -1, whether a visible element confirmed it)."""
    sites = site_name_tokens(page, source)
    w = page.walk
    raw_cands = [
        ld_text(page.ld_value("headline")),
        page.metas.first("og:title"),
        page.metas.first("twitter:title"),
        page.microdata("headline"),
        page.metas.first("dc.title", "dcterms.title", "title", "sailthru.title", "parsely-title"),
        w.title if w.title and len(w.title) < 600 else None,
    ]
    cleaned: list[str] = []
    segments: list[str] = []
    for i, t in enumerate(raw_cands):
        if not t:
            continue
        t = normalize_space(t)
        ct = clean_title(t, sites) if i != 0 else t
        if ct and ct not in cleaned:
            cleaned.append(ct)
        for seg in TITLE_SEPARATOR.split(t):
            seg = seg.strip()
            if len(word_tokens(seg)) >= 2 and seg not in segments and not is_site_segment(seg, sites):
                segments.append(seg)
    cand_toks = [word_tokens(t) for t in cleaned] + [word_tokens(t) for t in segments]
    best = None
    for level, el, idx, boiler, ac in w.headings[:80]:
        text = page.element_text(el, idx)
        if not text or len(text) > 400:
            continue
        ht = word_tokens(text)
        if not ht:
            continue
        score = max((token_overlap(ht, ct) for ct in cand_toks), default=0.0)
        if level == 7:
            score -= 0.05
        if boiler:
            score -= 0.1
        score -= 0.02 * min(level, 7)
        if len(ht) <= SHORT_HEADING_WORDS:
            # A one-to-three-word heading that matches the title is most often its section or
            # site part ("STATE NEWS", "All The News"), not the story's headline.
            score -= 0.1
        # Equal scores: the longer heading says more (the headline, not a label beside it).
        if best is None or score > best[0] or (score == best[0] and len(ht) > best[3]):
            best = (score, text, idx, len(ht))
    if best and best[0] >= 0.6:
        return best[1], best[2], True
    # No heading matches the title (a title naming only the site): the page's one <h1> outside
    # boilerplate, when it has a few words, is the headline as printed.
    h1s = [(el, idx) for level, el, idx, boiler, ac in w.headings if level == 1 and not boiler]
    if len(h1s) == 1:
        t = page.element_text(*h1s[0])
        if len(word_tokens(t)) >= SHORT_HEADING_WORDS and len(t) < 300:
            return t, h1s[0][1], True
    # A visible block that is exactly one of the title's segments (2000s pages: <b>, <font>...)
    keys = {}
    for t in cleaned + segments:
        k = " ".join(word_tokens(t))
        if k:
            keys.setdefault(k, t)
    found = None
    for b in w.blocks[:800]:
        if b.chars > 300 or b.caption:
            continue
        k = " ".join(word_tokens(b.text))
        if k in keys and (found is None or len(k) > len(found[0]) + 10):
            found = (k, b.text, b.index)
    if found:
        return found[1], found[2], True
    if cleaned:
        return cleaned[0], -1, False
    for level, el, idx, boiler, ac in w.headings:
        if level == 1 and not boiler:
            t = normalize_space(el.get_text(" "))
            if 0 < len(t) < 300:
                return t, idx, False
    return "", -1, False


def line_before(page: Page, start: int) -> tuple[str, int] | None:
    """Last resort for pages with no title and no heading: the short line just above the body."""
    for b in reversed(page.walk.blocks[max(0, start - 4): start]):
        words = len(b.text.split())
        if 3 <= words <= 30 and not b.link_chars and not b.caption and not BOILERPLATE_LINE.match(b.text):
            return b.text, b.index
    return None


def heading_before(page: Page, start: int) -> tuple[str, int] | None:
    """The heading nearest before the body's first block (for pages whose title says nothing)."""
    best = None
    for level, el, idx, boiler, ac in page.walk.headings[:200]:
        if idx > start or start - idx > 15 or level > 7 or (level > 4 and level != 7):
            continue
        t = page.element_text(el, idx)
        if not (10 <= len(t) <= 300) or len(t.split()) < 2:
            continue
        if best is None or idx >= best[1]:
            best = (t, idx)
    return best


def choose_standfirst(page: Page, head_idx: int, headline: str) -> tuple[str, int]:
    """(standfirst, its block index): a deck marked as one near the headline, or the lead
    paragraph in the article's ``<header>``."""
    w = page.walk
    ht = word_tokens(headline)
    for el, idx, boiler in w.standfirsts:
        if head_idx >= 0 and not (head_idx - 3 <= idx <= head_idx + 12):
            continue
        t = normalize_space(el.get_text(" "))
        if 20 <= len(t) <= 700 and word_tokens(t) != ht and len(el.find_all("p", limit=4)) < 3:
            return t, idx
    # A lead paragraph in the article's <header>, just under the headline.
    if head_idx >= 0:
        for b in w.blocks[head_idx + 1: head_idx + 5]:
            if b.tag != "p" or b.caption or b.chars < 80 or b.link_chars > 0.1 * b.chars or not b.boiler_id:
                continue
            st = w.stats.get(b.boiler_id)
            if st is not None and (st.el.name == "header" or "header" in attribute_text(st.el)):
                return b.text, b.index
    return "", -1

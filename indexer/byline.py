"""Bylines: the names of the people who wrote the article.

Machine metadata first (JSON-LD ``author`` people, microdata, ``<meta name="author">``,
``rel="author"`` links), then elements marked as a byline, then a "By Name" line just under
the headline. Every candidate is cleaned to names only (`clean_names`).
"""

from __future__ import annotations

import re

from morgue.indexer import dates
from morgue.indexer.metadata import ld_names, microdata_value
from morgue.indexer.page import Page, normalize_space

#: A visible line that introduces a byline: "By Jo Smith", "Von Anna Beck", "Texte: ...".
BYLINE_LINE = re.compile(r"^(?:by|von|par|por|di|door|written by|text:|texte:)\s+\S", re.IGNORECASE)

_BY_PREFIX = re.compile(r"^(?:by|von|par|por|di|door|(?:written|posted|published) by|text|texte|autor|author|auteur)\s*:?\s+", re.I)
#: Where a byline's name ends and a date, time, relative time, "Published:"/"Updated:" label or
#: share-bar text begins: "Chuck Squatriglia January 10", "AP Writer 2 hours ago", "6:46 AM ET".
_NOT_NAME_START = re.compile(
    r"\d|\b(?:" + "|".join(sorted((m for m in dates.MONTHS if len(m) > 2), key=len, reverse=True))
    + r")\.?\s+\d|\b(?:(?:last\s+)?(?:updated|published|posted|modified|created)\b|ago\b|today\b|yesterday\b|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?=,)|"
    r"share|tweet|e-?mail|print|comments?|facebook|twitter|linkedin|whatsapp|pinterest|reddit)\b",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|;|\|)\s*")


def clean_names(raw: list[str], source: str | None = None) -> list[str]:
    """The person names in raw byline texts: prefixes ("By"), roles ("Staff Writer"), agencies,
    e-mail addresses and the site's own name dropped; "A and B" split into two names."""
    out: list[str] = []
    drop = {"cpa", "ap", "afp", "reuters", "dpa", "staff", "admin", "editor", "redaktion",
            "the associated press", "associated press", "agencies", "wires", "news desk", "web desk"}
    if source:
        drop.add(source.lower())
    for r in raw:
        r = normalize_space(r)
        if not r or r.startswith(("http://", "https://", "/")) or len(r) > 200:
            continue
        r = _BY_PREFIX.sub("", r)
        r = re.split(r"\s+(?:[|•·]|—|–)\s+|\s+-\s+", r)[0]
        cut = _NOT_NAME_START.search(r)
        if cut:  # names come first: "Jo Smith, Thursday, January 10" keeps "Jo Smith"
            r = r[:cut.start()]
        for part in _NAME_SPLIT.split(r):
            part = part.strip(" .,:-–—|/")
            part = re.sub(r"\S+@\S+", "", part).strip()
            if not part or len(part) > 60 or dates.parse_text(part, use_dateparser=False):
                continue
            if _ROLE.fullmatch(part.strip()) or _ROLE.search(part) and len(part.split()) <= 4 and part.split()[-1].lower().rstrip("s") in ("writer", "reporter", "correspondent", "editor", "columnist", "contributor", "photographer"):
                continue
            if len(part.split()) > 5 or not any(ch.isalpha() for ch in part) or part.endswith("*"):
                continue
            low = part.lower()
            if low in drop or re.fullmatch(r"[a-z]{2,5} (?:writer|wire)", low) or "press agency" in low or "news agency" in low:
                continue
            if part not in out:
                out.append(part)
    return out


def choose_byline(page: Page) -> list[str]:
    """The authors the page's metadata or byline markup names."""
    authors = page.ld_value("author") or page.ld_value("creator")
    if authors:
        items = authors if isinstance(authors, list) else [authors]
        people = [a for a in items if not (isinstance(a, dict) and str(a.get("@type", "")).lower() in ("organization", "newsmediaorganization"))]
        names = clean_names(ld_names(people, page.ld_by_id))
        if names or not people:
            return names
    micro = []
    for el, _ in page.microdata_elements("author")[:10]:
        name_el = el.find(attrs={"itemprop": "name"}) if el.name not in ("meta", "link") else None
        v = microdata_value(name_el) if name_el is not None else microdata_value(el)
        if v:
            micro.append(v)
    names = clean_names(micro)
    if names:
        return names
    metas = page.metas.all("author") or page.metas.all("article:author") or page.metas.all("dc.creator") \
        or page.metas.all("dcterms.creator") or page.metas.all("sailthru.author") or page.metas.all("parsely-author") \
        or page.metas.all("byl")
    names = clean_names(metas)
    if names:
        return names
    names = clean_names([a.get_text(" ") for a in page.walk.rel_author[:5]])
    if names:
        return names
    for el, boiler, ac in page.walk.byline_texts[:10]:
        if "byline" in ac or "author" in ac:
            t = normalize_space(el.get_text(" "))
            if 2 < len(t) < 150:
                names = clean_names([t])
                if names:
                    return names
    return []


_ROLE = re.compile(
    r"\b(?:staff|senior|chief|special|foreign|political|business|sports?|news|wire)?\s*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|photographer)s?\b", re.I)


def visible_byline(page: Page, head_idx: int, source: str | None) -> list[str]:
    """A "By Name, Staff Writer" line just below the headline."""
    if head_idx < 0:
        return []
    for b in page.walk.blocks[head_idx + 1: head_idx + 6]:
        if b.chars > 120:
            break
        if BYLINE_LINE.match(b.text):
            return clean_names([b.text], source)
    return []



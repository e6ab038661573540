"""What a page is: an article, or a listing, an error page or a photo gallery instead.

A crawl of a news site (or a folder of saved pages) holds home pages, section fronts, tag,
author and archive pages, search results and "not found" pages beside its articles. They are
told apart here from what the page *is*, never from its URL or site:

* **error** — the title or the main heading says the page was not found (404, "page not
  found", "seite nicht gefunden", ...) and there is little text;
* **listing** — the main content is a list of teasers linking elsewhere: many headline-sized
  links (a headline link, usually followed by a dek), and no run of article prose anywhere
  (the longest stretch of prose paragraphs not broken by a teaser link is short). Declared
  collection types (JSON-LD ``CollectionPage``, ``ItemList``, ``SearchResultsPage``,
  ``ProfilePage``; ``og:type`` other than ``article``) and pagination count as evidence;
* **gallery** — several captioned photos and little prose;
* **empty** — no article text at all (a heading, perhaps, and nothing else);
* **article** — everything else, so a page is only left out on positive evidence (the
  target is to keep at least 99% of real article pages).

The same walk the extractor makes (`density.Walk`) supplies the blocks, so deciding costs a
pass over the page's text blocks, not another parse. Only `article` and `gallery` pages are
indexed by default (`INDEXED_KINDS`): a gallery's captions and credits are what an archive
user searches photos by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The kinds `morgue index` indexes unless told to index every page (``--all-pages``).
INDEXED_KINDS = frozenset({"article", "gallery"})
#: Every kind a page can get.
KINDS = ("article", "gallery", "listing", "error", "empty")

_NOT_FOUND = re.compile(
    r"^\s*(?:error\s+)?404\b|\b404\s+(?:error|not\s+found)\b|\berror\s+404\b|"
    r"^\s*(?:page\s+|file\s+)?not\s+found\b|\bpage\s+not\s+found\b|"
    r"\bpage\s+(?:cannot|can't|could\s+not|couldn't)\s+be\s+found|"
    r"\b(?:can't|cannot|could\s+not|couldn't)\s+find\s+(?:that|this|the)\s+page\b|"
    r"\b(?:page|article|story|content)\s+(?:does\s+not|doesn't|no\s+longer)\s+exists?\b|"
    r"\bpage\s+introuvable\b|\bseite\s+nicht\s+gefunden\b|"
    r"\bp[áa]gina\s+no\s+encontrada\b|\bpagina\s+non\s+trovata\b|\bpagina\s+niet\s+gevonden\b",
    re.IGNORECASE,
)
_ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
    "askpublicnewsarticle", "satiricalarticle", "report", "techarticle", "scholarlyarticle",
}
_COLLECTION_TYPES = {
    "collectionpage", "itemlist", "searchresultspage", "profilepage", "sitenavigationelement",
}
_PAGINATION = re.compile(
    r"^(?:(?:«|‹|<)?\s*(?:previous|prev|next|older|newer)\s+(?:posts|entries|stories|articles|page|results)"
    r"|page\s+\d+\s+of\s+\d+|(?:next|previous)\s*(?:›|»|>)|load\s+more|more\s+stories|"
    r"page\s+(?:suivante|précédente)|articles?\s+(?:plus\s+)?(?:anciens|récents)|nächste\s+seite)\b",
    re.IGNORECASE,
)

#: A block counts as prose from this many words; a run of prose this long is article text.
PROSE_WORDS = 8
ARTICLE_RUN_WORDS = 100
#: Teaser links (headline-sized links in the main content) that make a list of teasers.
MIN_TEASERS = 4


@dataclass
class PageSignals:
    """What the decision is made from (kept for the reason text and for tuning)."""

    teasers: int = 0  # headline-sized links outside boilerplate (or headings anywhere)
    pairs: int = 0  # teaser links followed by a dek (a short prose paragraph)
    interleaved: int = 0  # teaser links between the first and last paragraph of the body
    links: int = 0  # link blocks of any length outside boilerplate
    longest_run: int = 0  # words in the longest run of prose not broken by a teaser
    prose_words: int = 0  # all prose words outside boilerplate
    body_words: int = 0  # words of the extracted body
    captions: int = 0
    declared: str = ""  # "article", "collection" or "" (JSON-LD / og:type)
    declared_name: str = ""
    pagination: bool = False
    not_found: str = ""  # the title/heading that says "not found"


def _words(text: str) -> int:
    return len(text.split())


def _declared(ld_objs: list[dict], og_type: str | None) -> tuple[str, str]:
    """("article" | "collection" | "", the type's name) from JSON-LD @type and og:type."""
    types: list[str] = []
    for o in ld_objs:
        t = o.get("@type")
        for x in (t if isinstance(t, list) else [t]):
            if isinstance(x, str):
                types.append(x.rsplit("/", 1)[-1])
    low = [t.lower() for t in types]
    for t, tl in zip(types, low):
        if tl in _ARTICLE_TYPES:
            return "article", t
    for t, tl in zip(types, low):
        if tl in _COLLECTION_TYPES:
            return "collection", t
    if og_type:
        og = og_type.strip().lower()
        if og == "article" or og.startswith("article"):
            return "article", f"og:type {og}"
        if og in ("website", "profile", "blog"):
            return "collection", f"og:type {og}"
    return "", ""


def _is_teaser(b) -> bool:
    """A headline-sized link: nearly all link text, 3 to 30 words."""
    return b.link_chars >= 0.8 * b.chars and 3 <= _words(b.text) <= 30 and not b.caption


def signals(blocks: list, *, ld_objs: list[dict], og_type: str | None, title: str | None,
            headings: list, body_blocks: list, captions: int) -> PageSignals:
    """Measure the page: teaser links, prose runs, declared type, pagination, 404 cues."""
    s = PageSignals(body_words=sum(_words(b.text) for b in body_blocks), captions=captions)
    s.declared, s.declared_name = _declared(ld_objs, og_type)
    if body_blocks:
        lo, hi = body_blocks[0].index, body_blocks[-1].index
        run = 0
        for b in blocks[lo:hi + 1]:
            if _is_teaser(b):
                s.interleaved += 1
                run = 0
            elif _words(b.text) >= PROSE_WORDS and not b.heading and not b.caption and b.link_chars < 0.5 * b.chars:
                run += _words(b.text)
                s.longest_run = max(s.longest_run, run)
    pending = None  # a teaser link waiting for its dek
    for b in blocks:
        if _is_teaser(b):
            pending = b
        elif pending is not None and _words(b.text) >= 5:
            if b.link_chars < 0.3 * b.chars and _words(b.text) >= 10 and not b.caption and not b.heading:
                s.pairs += 1
            pending = None
    run = 0
    for b in blocks:
        if b.boiler < 10**6 and b.heading and 2 <= b.heading <= 4 and _is_teaser(b):
            s.teasers += 1  # a teaser headline in a boilerplate-looking header ("entry-header")
            run = 0
            continue
        if b.boiler < 10**6 or b.caption:
            if b.boiler < 10**6 and not s.pagination and b.chars < 60 and _PAGINATION.match(b.text):
                s.pagination = True
            continue
        words = _words(b.text)
        if b.link_chars >= 0.5 * b.chars:
            s.links += 1
            if _is_teaser(b):
                s.teasers += 1
                run = 0
            elif not s.pagination and b.chars < 60 and _PAGINATION.match(b.text):
                s.pagination = True
            continue
        if b.chars < 60 and _PAGINATION.match(b.text):
            s.pagination = True
            continue
        if words >= PROSE_WORDS and not b.heading:
            run += words
            s.prose_words += words
            s.longest_run = max(s.longest_run, run)
    for cand in [title or ""] + [h[1].get_text(" ", strip=True) for h in headings[:6] if h[0] <= 2]:
        m = _NOT_FOUND.search(cand or "")
        if m and len(cand) < 120:
            s.not_found = " ".join(cand.split())
            break
    return s


def decide(s: PageSignals) -> tuple[str, str]:
    """(kind, reason) from the page's signals; the reason is empty for an article."""
    if s.not_found and s.declared != "article" and s.longest_run < 100 and s.body_words < 150:
        return "error", f"says it is not found ({s.not_found!r}) and has {s.body_words} words of text"
    extra = []
    if s.declared:
        extra.append(f"declared {s.declared_name}")
    if s.pagination:
        extra.append("paginated")
    more = f"; {', '.join(extra)}" if extra else ""
    short = s.longest_run < ARTICLE_RUN_WORDS
    # Teaser links between the paragraphs the body would be made of: the "body" is a run of
    # deks. A page declared an article needs more of them (inline "Read more" links).
    need = 3 if s.declared != "article" else 5
    if short and s.interleaved >= need and s.teasers >= MIN_TEASERS:
        return "listing", (f"a list of {s.teasers} teasers: {s.interleaved} headline links between "
                           f"its short paragraphs, longest run of prose {s.longest_run} words{more}")
    if s.body_words == 0 and s.longest_run < 20 and s.captions == 0:
        if s.links:
            return "listing", f"no article text: {s.links} links and {s.body_words} words of prose{more}"
        return "empty", f"no article text: {s.body_words} words of prose and no links"
    if s.captions >= 3 and s.longest_run < 80 and s.body_words < 200:
        return "gallery", f"{s.captions} captioned photos and {s.body_words} words of text"
    return "article", ""


def page_kind(blocks: list, *, ld_objs: list[dict], og_type: str | None, title: str | None,
              headings: list, body_blocks: list, captions: int) -> tuple[str, str]:
    """(kind, reason) of a walked page: one of `KINDS`, reason empty for an article."""
    return decide(signals(blocks, ld_objs=ld_objs, og_type=og_type, title=title,
                          headings=headings, body_blocks=body_blocks, captions=captions))

"""One iterative walk over the parsed page: text blocks, their link density, and the evidence
the metadata readers need (meta, JSON-LD, headings, captions, date and byline elements).

The walk never recurses (a 10,000-deep page is walked like any other) and visits each node
once. Every run of text between two block-level boundaries becomes a `Block` carrying its
character and link-character counts and the chain of its block-level ancestors; the ancestors
accumulate statistics so the body container can be chosen by text density and link density
(readability-style scoring, with extra weight for explicit markup such as ``<article>`` or
``itemprop="articleBody"``). Boilerplate regions (navigation, share bars, related lists,
comments, cookie banners, ads...) are flagged rather than removed, so a page whose markup
misleads the flags can still fall back to the unflagged text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

#: Tags whose content is never text of the page.
SKIP_TAGS = frozenset(
    "script style noscript template svg math iframe object embed canvas video audio select "
    "option button input textarea map source track head title meta link param area "
    "frameset frame applet".split()
)
#: Block-level tags: a boundary between text blocks.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p "
    "pre section summary table tbody thead tfoot td th tr ul caption legend br".split()
)
PARA_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li dd dt blockquote pre figcaption caption address".split())
#: Tags that are boilerplate wherever they are.
BOILER_TAGS = frozenset("nav footer aside header menu dialog".split())
BOILER_ROLES = frozenset(
    "navigation banner contentinfo complementary search menu menubar dialog alertdialog".split()
)

_BOILER_RE = re.compile(
    r"(?:^|[\s_-])(?:"
    r"nav|navbar|navigation|menu|menus|breadcrumbs?|crumbs?|pagination|pager|skip|skiplinks?|"
    r"header|masthead|footer|foot|copyright|sidebar|rail|right-?col|left-?col|widget|widgets|"
    r"share|sharing|shares|sharebar|social|socials|sociable|addthis|sharethis|follow|print|email-?this|tools|toolbar|utility|"
    r"related|relatedposts|also-?read|read-?also|see-?also|lire-?aussi|a-?lire|more-?on|more-?from|more-?stories|more-?news|most-?read|mostread|most-?popular|popular|trending|"
    r"recommended|recommendations?|outbrain|taboola|teasers?|"
    r"comments?|commentlist|disqus|respond|reply|replies|discussion|"
    r"cookies?|consent|gdpr|cmp|privacy-?banner|notice|alert|banner|"
    r"ad|ads|adv|advert|adverts|advertisement|advertising|adslot|adunit|ad-?container|ad-?wrapper|dfp|"
    r"gpt|sponsor|sponsored|promo|promotion|partner|"
    r"newsletter|subscribe|subscription|signup|sign-?up|register|login|paywall|modal|popup|overlay|"
    r"tags|tag-?list|tagcloud|keywords|topics|categories|"
    r"byline|bylines|authors?|author-?bio|author-?box|about-?author|meta|post-?meta|entry-?meta|entry-?footer|"
    r"license|licensing|rights|reprints?|syndication|syndicated|slug-?line|"
    r"translation|translate|machine-?translation|disclaimer|"
    r"visually-?hidden|sr-only|screen-?reader|offscreen|"
    r"search|searchform|login|rss|subnav|topnav|footnav|sitemap|links|linklist|blogroll|archive|archives"
    r")(?:$|[\s_-])"
)
_GOOD_RE = re.compile(
    r"(?:article|story|entry|post|news|blog)[-_]?(?:body|content|text|main|detail)|"
    r"main[-_]?(?:content|article|text)|content[-_]?(?:main|body|article|text|area|sidebar)|"
    r"articlebody|storybody|bodytext|body[-_]?text|text[-_]?body|mw-parser-output|hentry"
)
_POSITIVE_RE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|news|detail"
)
_NEGATIVE_RE = re.compile(
    r"hidden|banner|combx|comment|com-|contact|foot|footer|footnote|masthead|media|meta|outbrain|"
    r"promo|related|scroll|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|"
    r"share|social|nav|menu|teaser|recommend|newsletter|cookie|consent|ad-|advert"
)
_CAPTION_RE = re.compile(
    r"(?:^|[\s_-])(?:caption|captions|figcaption|wp-caption-text|cutline|photo-?caption|"
    r"image-?caption|img-?caption|media-?caption|legend|bildunterschrift)(?:$|[\s_-])"
)
_DATE_CLASS_RE = re.compile(
    r"date|time|publish|posted|updated|dateline|timestamp|datum|fecha|meta|byline|info|"
    r"zeit|when|stamp"
)
_BYLINE_CLASS_RE = re.compile(r"byline|author|autor|writer|reporter|contributor|by-line|vcard")
_HEADLINE_CLASS_RE = re.compile(r"headline|title|heading|titel|titular")
_STANDFIRST_CLASS_RE = re.compile(
    r"standfirst|(?:^|[\s_-])(?:deck|dek|subhead|sub-?headline|subtitle|sub-?title|summary|lede|lead|"
    r"intro|teaser-?text|excerpt|strapline|abstract|article-?description|"
    r"description|sapo|chapeau|chapo|vorspann|einleitung)(?:$|[\s_-])"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")

#: How many block ancestors a block remembers (bounds work on absurdly deep pages).
MAX_CHAIN = 40


@dataclass(slots=True)
class Block:
    text: str
    chars: int
    link_chars: int
    tag: str  # nearest block element
    anc: tuple  # ids of block ancestors, nearest first (anc[0] is the block's own element)
    boiler: int  # distance (in anc) of the nearest boilerplate ancestor, or 10**6
    boiler_id: int  # id of that ancestor (0 if none)
    caption: bool
    heading: int  # 1..6 inside <hN>, else 0
    in_li: bool
    index: int


@dataclass(slots=True)
class Stats:
    el: Tag
    chars: int = 0
    link_chars: int = 0
    score: float = 0.0
    blocks: int = 0


@dataclass
class Walk:
    blocks: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)  # id(element) -> Stats
    metas: list = field(default_factory=list)  # (key, content)
    ld_json: list = field(default_factory=list)
    canonical: str | None = None
    title: str | None = None
    html_lang: str | None = None
    headings: list = field(default_factory=list)  # (level, text, block index, el)
    captions: list = field(default_factory=list)  # (el, anc tuple, boiler flag)
    date_texts: list = field(default_factory=list)  # (text, block index, cls, boiler, el)
    time_els: list = field(default_factory=list)  # (el, block index, boiler)
    byline_texts: list = field(default_factory=list)  # (text, boiler, el)
    standfirsts: list = field(default_factory=list)  # (text, block index, boiler)
    itemprops: list = field(default_factory=list)  # (prop, el, block index)
    article_els: list = field(default_factory=list)
    abbr_published: list = field(default_factory=list)
    rel_author: list = field(default_factory=list)
    rel_category: list = field(default_factory=list)  # <a rel="category tag"> (WordPress)
    rel_tag: list = field(default_factory=list)  # <a rel="tag">


def _attr_str(el: Tag) -> str:
    attrs = el.attrs
    if not attrs:
        return ""
    cls = attrs.get("class")
    if isinstance(cls, list):
        cls = " ".join(cls)
    ident = attrs.get("id")
    if cls and ident:
        return f"{ident} {cls}".lower()
    return (cls or ident or "").lower() if isinstance(cls or ident or "", str) else ""


_STRUCTURAL = re.compile(r"layout|wrap|container|grid|(?:^|[-_])row|(?:^|[-_])col|page|main|content|body|article|entry|story|^has-|^with-|^is-|@")


def _boiler_names(ac: str) -> str:
    """The class/id names that may name boilerplate: structural names ("has-sidebar",
    "c-fixed-sidebar-layout", "content-sidebar-wrap") describe a page layout, not a region."""
    return " ".join(n for n in ac.split() if not _STRUCTURAL.search(n))


def is_boiler(name: str, attrs: dict, ac: str) -> bool:
    if name in BOILER_TAGS:
        return True
    role = attrs.get("role")
    if role and isinstance(role, str) and role.lower() in BOILER_ROLES:
        return True
    if not ac or name in ("body", "html", "article", "main"):
        return False
    if _GOOD_RE.search(ac):
        return False
    names = _boiler_names(ac)
    return bool(names) and _BOILER_RE.search(names) is not None


def class_weight(el: Tag) -> float:
    ac = _attr_str(el)
    w = 0.0
    if ac:
        if _NEGATIVE_RE.search(ac) and not _GOOD_RE.search(ac):
            w -= 25
        if _POSITIVE_RE.search(ac):
            w += 25
        if _GOOD_RE.search(ac):
            w += 25
    attrs = el.attrs
    ip = attrs.get("itemprop")
    if ip and "articlebody" in str(ip).lower():
        w += 60
    it = attrs.get("itemtype")
    if it and re.search(r"Article|BlogPosting|NewsArticle", str(it)):
        w += 15
    name = el.name
    if name == "article":
        w += 25
    elif name == "main":
        w += 10
    elif name in ("div", "td", "section"):
        w += 5
    return w


def walk(soup: BeautifulSoup) -> Walk:
    """Walk the whole document once (iteratively) and collect blocks and evidence."""
    w = Walk()
    blocks = w.blocks
    stats = w.stats

    root = soup
    html = soup.find("html") if soup.contents else None
    if html is not None and html.attrs.get("lang"):
        w.html_lang = str(html.attrs.get("lang"))
    # current state
    buf: list[str] = []
    link_buf = [0]
    blk_stack: list[int] = [id(root)]  # ids of open block elements
    stats[id(root)] = Stats(root)
    boiler_stack: list[int] = []  # positions in blk_stack of boilerplate block elements
    counters = {"link": 0, "caption": 0, "heading": 0, "li": 0, "head": 0, "para": 0}

    def flush() -> None:
        if not buf:
            return
        segs = list(buf)
        buf.clear()
        link_buf[0] = 0
        n = len(blk_stack)
        lo = max(0, n - MAX_CHAIN)
        anc = tuple(blk_stack[lo:][::-1])
        boiler = (n - 1 - boiler_stack[-1]) if boiler_stack else 10**6
        boiler_id = blk_stack[boiler_stack[-1]] if boiler_stack else 0
        tag = stats[anc[0]].el.name if anc[0] in stats else ""
        in_caption = counters["caption"] > 0
        heading = counters["heading"]
        in_li = counters["li"] > 0
        parts: list[str] = []
        links = 0
        segs.append(("\n\n", False))
        last_br = False
        for text, is_link in segs:
            if text == "\n":  # <br> inside a paragraph: a space, or a break when doubled
                if last_br:
                    text = "\n\n"
                else:
                    last_br = True
                    parts.append(" ")
                    continue
            elif text.strip():
                last_br = False
            if text != "\n\n":
                parts.append(text)
                if is_link:
                    links += len(text.strip())
                continue
            if not parts:
                continue
            t = _WS.sub(" ", "".join(parts)).strip()
            parts = []
            lc, links = links, 0
            if not t:
                continue
            chars = len(t)
            blk = Block(t, chars, min(chars, lc), tag, anc, boiler, boiler_id, in_caption, heading, in_li, len(blocks))
            blocks.append(blk)
            for aid in anc:
                st = stats.get(aid)
                if st is not None:
                    st.chars += chars
                    st.link_chars += blk.link_chars
                    st.blocks += 1

    # stack entries: (iterator, element, kind flags)
    stack: list = [(iter(root.contents), None, 0)]
    F_BLOCK, F_BOILER, F_LINK, F_CAPTION, F_HEADING, F_LI, F_HEAD, F_PARA = 1, 2, 4, 8, 16, 32, 64, 128
    while stack:
        it, el, flags = stack[-1]
        node = next(it, None)
        if node is None:
            stack.pop()
            if el is None:
                continue
            if flags & F_BLOCK:
                flush()
                blk_stack.pop()
                if flags & F_BOILER:
                    boiler_stack.pop()
            if flags & F_LINK:
                counters["link"] -= 1
            if flags & F_CAPTION:
                counters["caption"] -= 1
            if flags & F_HEADING:
                counters["heading"] = 0
            if flags & F_LI:
                counters["li"] -= 1
            if flags & F_HEAD:
                counters["head"] -= 1
            if flags & F_PARA:
                counters["para"] -= 1
            continue
        if type(node) is NavigableString:
            s = str(node)
            if counters["head"]:
                continue
            if "\n" in s or "\t" in s or "\r" in s:
                s = _WS.sub(" ", s)
            if not s.isascii() and _INVISIBLE.search(s):
                s = _INVISIBLE.sub("", s)
            buf.append((s, counters["link"] > 0))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        attrs = node.attrs
        # --- evidence that lives anywhere (head or body)
        if name == "meta":
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
            content = attrs.get("content")
            if key and content is not None and isinstance(key, str):
                w.metas.append((key.strip().lower(), str(content)))
            elif key and isinstance(key, list) and content is not None:
                for k in key:
                    w.metas.append((k.strip().lower(), str(content)))
            if attrs.get("itemprop") and content is not None:
                w.itemprops.append((str(attrs.get("itemprop")).lower(), node, len(blocks)))
            continue
        if name == "script":
            typ = attrs.get("type")
            if typ and "ld+json" in str(typ).lower():
                w.ld_json.append(node.string or "".join(node.strings))
            continue
        if name == "link":
            rel = attrs.get("rel")
            rels = rel if isinstance(rel, list) else str(rel or "").split()
            rels = [r.lower() for r in rels]
            if "canonical" in rels and attrs.get("href") and w.canonical is None:
                w.canonical = str(attrs.get("href")).strip()
            if "author" in rels:
                pass
            continue
        if name == "title":
            if w.title is None:
                w.title = node.get_text()
            continue
        if name == "head":
            counters["head"] += 1
            stack.append((iter(node.contents), node, F_HEAD))
            continue
        if name in SKIP_TAGS:
            continue
        if attrs:
            if "hidden" in attrs or (attrs.get("aria-hidden") == "true" and name not in ("div", "section", "article", "main")):
                continue
            st = attrs.get("style")
            if st and _HIDDEN_STYLE.search(str(st)):
                continue
            if attrs.get("itemprop") is not None:
                w.itemprops.append((str(attrs.get("itemprop")).lower(), node, len(blocks)))
        ac = _attr_str(node) if attrs else ""
        flags = 0
        if name == "br":
            # Inside a paragraph a <br> is a line break; elsewhere (table cells, <font> runs of
            # 2000s layouts) it separates lines that are blocks of their own.
            buf.append(("\n", False) if counters["para"] else ("\n\n", False))
            continue
        if name == "hr":
            flush()
            continue
        boiler = is_boiler(name, attrs, ac)
        caption = name == "figcaption" or (ac and _CAPTION_RE.search(ac) is not None and name not in ("img", "figure", "body"))
        if name == "table" and not caption and str(attrs.get("align", "")).lower() in ("left", "right") \
                and not counters["caption"]:
            # A floated photo table of 2000s layouts: an image and its caption cell.
            if node.find("img") is not None and len(node.get_text()) < 500 and node.find("a", href=True) is None:
                caption = True
        if name in BLOCK_TAGS or boiler or caption:
            flush()
            flags |= F_BLOCK
            blk_stack.append(id(node))
            stats[id(node)] = Stats(node)
            if boiler:
                flags |= F_BOILER
                boiler_stack.append(len(blk_stack) - 1)
        cur_boiler = bool(boiler_stack)
        if name == "a":
            flags |= F_LINK
            counters["link"] += 1
            rel = attrs.get("rel")
            if rel:
                rels = rel if isinstance(rel, list) else str(rel).split()
                if "author" in rels:
                    w.rel_author.append(node)
                elif "category" in rels:
                    w.rel_category.append(node)
                elif "tag" in rels:
                    w.rel_tag.append(node)
        if caption and not counters["caption"]:
            w.captions.append((node, tuple(blk_stack[::-1][:MAX_CHAIN]), cur_boiler))
        if caption:
            flags |= F_CAPTION
            counters["caption"] += 1
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flags |= F_HEADING
            counters["heading"] = int(name[1])
            if name in ("h1", "h2", "h3", "h4"):
                w.headings.append((int(name[1]), node, len(blocks), cur_boiler, ac))
        elif ac and _HEADLINE_CLASS_RE.search(ac) and name not in ("body", "html", "a", "img") and not counters["heading"]:
            w.headings.append((7, node, len(blocks), cur_boiler, ac))
        if name in PARA_TAGS:
            flags |= F_PARA
            counters["para"] += 1
        if name == "li":
            flags |= F_LI
            counters["li"] += 1
        if name == "article":
            w.article_els.append(node)
        if name == "time":
            w.time_els.append((node, len(blocks), cur_boiler))
        elif name == "abbr" and ac and "published" in ac and attrs.get("title"):
            w.abbr_published.append(str(attrs.get("title")))
        if ac:
            if _DATE_CLASS_RE.search(ac) and name not in ("body", "html", "article", "main"):
                w.date_texts.append((node, len(blocks), ac, cur_boiler))
            if _BYLINE_CLASS_RE.search(ac) and name not in ("body", "html", "article", "main", "img", "label", "input", "form") and "comment" not in ac:
                w.byline_texts.append((node, cur_boiler, ac))
            if _STANDFIRST_CLASS_RE.search(ac) and name not in ("body", "html", "article", "main", "img", "meta", "section"):
                w.standfirsts.append((node, len(blocks), cur_boiler))
        stack.append((iter(node.contents), node, flags))
    flush()
    return w



"""Photo captions: the caption text with its credit ("AP", "Reuters/John Smith") split off.

A credit is recognised, in this order:

1. a child element marked as one (class ``credit``, ``copyright``, ``source``, ``photographer``,
   ``byline``, ``attribution``; ``<small>`` / ``<cite>`` at the end of the caption);
2. a trailing parenthesised credit: "... (AP Photo/Evan Vucci)", "(Photo: Reuters)";
3. a trailing labelled credit: "Photo: John Smith", "Credit: Getty Images", "© AFP", "Foto: dpa";
4. a trailing short segment after the last sentence that looks like a name or an agency:
   "... in Almaty, Kazakhstan. AP", "... on Monday. Reuters/John Smith".
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag

_CREDIT_CLASS = re.compile(
    r"credit|copyright|source|photographer|byline|attribution|author|fotograf|quelle|courtesy|rights"
)
AGENCIES = {
    "ap", "afp", "reuters", "epa", "getty", "getty images", "pa", "pa wire", "bloomberg", "dpa",
    "xinhua", "anp", "ansa", "efe", "kyodo", "tass", "shutterstock", "alamy", "istock", "wam",
    "upi", "ips", "aap", "picture alliance", "imago", "keystone", "the national", "supplied",
    "handout", "file", "file photo", "courtesy", "wikimedia commons", "nasa",
}
_LABEL = re.compile(
    r"(?:^|[\s.;,|–—-])\s*\(?(?:photo(?:graph)?s?|pictures?|pic|image|credit|foto|bild|crédit(?:s)? photo|"
    r"photo credit|source|quelle)\s*(?:by)?\s*[:/]\s*([^()]{2,80}?)\)?\s*$",
    re.IGNORECASE,
)
_COPY = re.compile(r"(?:^|\s)(?:©|\(c\)|copyright)\s*([^©]{2,80}?)\s*$", re.IGNORECASE)
_PAREN = re.compile(r"\s*\(([^()]{2,80})\)\s*$")
_PAREN_CREDITISH = re.compile(
    r"photo|foto|image|credit|getty|reuters|\bap\b|afp|epa|/|©|shutterstock|handout|file|courtesy",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"^(.*?[.!?…\"”’)])\s+((?:[A-Z]\.\s?)*[^.!?]{2,60})$", re.S)
_NAME_TOKEN = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.\-]*|[A-Z]{2,}|/|&|and|de|van|von|der|la|le|del|da|via|file|photo|pool|for|of|the)$")


def _looks_like_credit(seg: str) -> bool:
    seg = seg.strip()
    if not seg or len(seg) > 60:
        return False
    low = seg.lower().strip(". ")
    if low in AGENCIES:
        return True
    parts = re.split(r"\s*/\s*|\s*,\s*|\s+via\s+", low)
    if any(p in AGENCIES for p in parts) and len(seg.split()) <= 8:
        return True
    words = seg.replace("/", " / ").split()
    if not 1 <= len(words) <= 6:
        return False
    # "John Smith/Getty Images", "Courtesy of the artist" is not covered (lower case)
    if "/" in seg and all(_NAME_TOKEN.match(t) for t in words):
        return True
    if seg.isupper() and len(words) <= 3 and len(seg) <= 20:
        return True
    return False


def _is_name_list(seg: str) -> bool:
    words = seg.split()
    return 1 <= len(words) <= 5 and all(_NAME_TOKEN.match(t) for t in words) and words[0][0].isupper()


#: A caption that is only a labelled credit: "Photo: iFixit", "(Image: GETTY )", "Image via
#: Getty Images", "Foto: Matthias Kern/Getty Images", "photo: khamkhor via Pixabay".
_ONLY_LABELLED = re.compile(
    r"^\(?\s*(?:photo(?:graph)?s?|pictures?|pics?|images?|foto|bild|credits?|photo\s+credit|source)\s*"
    r"(?::|/|…|\.\.\.|by\s|via\s|courtesy(?:\s+of)?\s)\s*([^()]{2,80}?)\s*\)?\.?$",
    re.IGNORECASE,
)
#: "... Credit... Doug Mills/The New York Times", "... Credit: Jane Doe" (after any text).
_CREDIT_WORD = re.compile(r"^(.*?)[\s|–—-]*\bCredits?\s*(?:\.\.\.|…|:)\s*(\S.{1,100})$", re.S)
#: "... at the summit. Photo by Jane Doe", "... Image via Getty Images" (after a sentence).
_LABEL_BY = re.compile(
    r"^(.*[.!?\"”])\s+(?:photo(?:graph)?|picture|image|foto)s?\s+(?:by|via|courtesy(?:\s+of)?)\s+([^.!?]{2,60})$",
    re.IGNORECASE | re.S,
)
#: "... White House in September. | Patrick Semans", "Minister X | Getty Images".
_PIPE = re.compile(r"^(.*\S)\s+\|\s+([^|]{2,60})$", re.S)
#: "Trybunał Konstytucyjny / Shutterstock": a caption, a spaced slash, an agency.
_SLASH = re.compile(r"^(.*\S)\s+/\s+([^/]{2,40})$", re.S)
#: Captions that are not captions.
_AD_LABEL = re.compile(
    r"^\W*(?:advertisement|advertising|anzeige|werbung|publicité|publicidad|pubblicità|sponsored|"
    r"ad|ads|promoted)\W*$", re.IGNORECASE)


_HEADERISH = re.compile(r"header|(?:^|[\s_-])(?:head|hero|lead|top|intro|opener|media|figure|image|picture|photo)(?:$|[\s_-])")
_FURNITURE = frozenset({"nav", "aside", "footer", "menu", "form", "dialog"})


def story_element(container: Tag | None) -> Tag | None:
    """The element that holds the whole story around the body's container: its nearest
    ``<article>`` (or schema.org ``Article`` item) ancestor, else ``<main>``."""
    el = container
    main = None
    while el is not None and el.name not in ("body", "html", "[document]"):
        if el.name == "article" or "Article" in str(el.attrs.get("itemtype") or ""):
            return el
        if el.name == "main" and main is None:
            main = el
        el = el.parent
    return main if main is not None else container


def in_story_header(el: Tag, story: Tag | None) -> bool:
    """Whether a caption flagged as boilerplate sits in the story's own header (its lead photo):
    inside `story`, and every element between them is a ``<header>`` or a header/media block,
    never navigation, an aside or a footer."""
    if story is None:
        return False
    for parent in el.parents:
        if parent is story:
            return True
        if parent.name in _FURNITURE or parent.name == "article":
            return False
        c = parent.attrs.get("class")
        names = (" ".join(c) if isinstance(c, list) else (c or "")).lower()
        if parent.name != "header" and names and not _HEADERISH.search(names) and \
                re.search(r"related|teaser|promo|recommend|more|most|share|social|ad(?:$|[\s_-])|advert", names):
            return False
    return False


def is_junk(text: str, credit: str | None) -> bool:
    """An ad label ("ADVERTISEMENT", "- Anzeige -") or a one-word caption with no credit
    ("StockCar", "Search"): labels of a page's furniture, not captions."""
    if _AD_LABEL.match(text):
        return True
    return bool(text) and len(text.split()) == 1 and not credit


def split_credit(text: str) -> tuple[str, str | None]:
    """(caption, credit or None) from a caption string; a caption that is only a credit gives
    ("", credit)."""
    text = " ".join(text.split())
    if not text:
        return "", None
    m = _ONLY_LABELLED.match(text)
    if m and len(m.group(1).split()) <= 10:
        return "", m.group(1).strip(" .")
    if _looks_like_credit(text.strip("() ")) and len(text.split()) <= 6:
        return "", text.strip("() ").rstrip(".")
    m = _CREDIT_WORD.match(text)
    if m:
        return m.group(1).rstrip(" |–—-"), m.group(2).strip()
    m = _PAREN.search(text)
    if m and m.start() > 0 and (_PAREN_CREDITISH.search(m.group(1)) or _looks_like_credit(m.group(1))
                                or _is_name_list(m.group(1))):
        inner = m.group(1).strip()
        inner = re.sub(r"^(?:photo|foto|image|credit|picture)s?\s*:\s*", "", inner, flags=re.I)
        return text[: m.start()].rstrip(), inner
    m = _COPY.search(text)
    if m and m.start() > 0:
        return text[: m.start()].rstrip(" |–—-"), m.group(1).strip()
    m = _LABEL.search(text)
    if m and m.start() > 0:
        head = text[: m.start() + (1 if text[m.start()] in ".;" else 0)]
        return head.rstrip(" |–—-"), m.group(1).strip()
    m = _TRAILING.match(text)
    if m and _looks_like_credit(m.group(2)):
        return m.group(1).rstrip(), m.group(2).strip().rstrip(".") if m.group(2).strip().lower().rstrip(".") in AGENCIES else m.group(2).strip()
    m = _LABEL_BY.match(text)
    if m:
        return m.group(1).rstrip(), m.group(2).strip()
    m = _PIPE.match(text)
    if m and (_looks_like_credit(m.group(2)) or _is_name_list(m.group(2))):
        return m.group(1).rstrip(), m.group(2).strip()
    m = _SLASH.match(text)
    if m and _looks_like_credit(m.group(2)):
        return m.group(1).rstrip(), m.group(2).strip()
    return text, None


def caption_of(el: Tag) -> tuple[str, str | None]:
    """(text, credit) of a caption element, using a credit child element when there is one."""
    credit_parts: list[str] = []
    text_parts: list[str] = []
    stack = [(iter(el.contents), False)]
    while stack:
        it, in_credit = stack[-1]
        node = next(it, None)
        if node is None:
            stack.pop()
            continue
        if type(node) is NavigableString:
            (credit_parts if in_credit else text_parts).append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        if node.name in ("script", "style", "button", "svg", "noscript"):
            continue
        if node.name == "br":
            (credit_parts if in_credit else text_parts).append(" ")
            continue
        c = node.attrs.get("class")
        c = " ".join(c) if isinstance(c, list) else (c or "")
        is_credit = in_credit or bool(c and _CREDIT_CLASS.search(c.lower()))
        if node.name in ("p", "div", "span") and not in_credit:
            text_parts.append(" ")
        stack.append((iter(node.contents), is_credit))
    credit = " ".join("".join(credit_parts).split())
    text = " ".join("".join(text_parts).split())
    if not credit and text:
        # An italic / small line at the end of the caption is its credit (2000s layouts).
        tail = None
        for node in el.find_all(("i", "em", "small", "cite"), limit=20):
            tail = node
        if tail is not None:
            t = " ".join(tail.get_text().split())
            if t and text.endswith(t) and len(t) <= 80 and len(t) < len(text) and not t.endswith((".", "!", "?")):
                credit = t
                text = text[: -len(t)].rstrip()
    if credit:
        credit = re.sub(r"^(?:photo|foto|image|credit|picture|bild)s?\s*(?::|/|\.\.\.|…|by\s)\s*|^©\s*", "", credit,
                        flags=re.I).strip()
        text = text.rstrip(" |–—-")
        if text:
            # the text may end with a credit of its own ("... Credit... Doug Mills"): keep the element's
            text = split_credit(text)[0] or text
    else:
        text, credit = split_credit(text)
    if is_junk(text, credit):
        return "", None
    return text, credit or None


# ----------------------------------------------------------------------------- other sources

_IMAGE_TAGS = ("img", "picture", "amp-img")
_BLOCK_NAMES = ("div", "figure", "span", "td", "section")
#: An image block's caption is short: more words are body text that happens to hold a picture.
MAX_BLOCK_CAPTION_WORDS = 60


def image_block_captions(story: Tag | None, known: set[str], body: str,
                         limit: int = 60) -> list[tuple[str, str | None, str]]:
    """Captions of image blocks in the story that carry no caption markup: an element holding
    one image followed by a short text with no links (``<div class="pic"><img><div>Text
    <small>Photo / Jane Doe</small></div></div>``), as (text, credit, the block's whole text).
    A block whose text is in the body only as a paragraph of its own is a caption the body
    took in (the caller drops that paragraph); text inside a longer body paragraph, or
    already a caption, is skipped; blocks in navigation, asides, footers and teasers are not read."""
    out: list[tuple[str, str | None, str]] = []
    paragraphs = set(body.split("\n\n")) if body else set()
    if story is None:
        return out
    for img in story.find_all(_IMAGE_TAGS, limit=limit):
        block = img.parent
        if block is not None and block.name in ("a", "picture", "noscript"):
            continue  # a linked image is a teaser's
        while block is not None and block is not story and block.name not in _BLOCK_NAMES:
            block = block.parent
        if block is None or block is story or block.find("a", href=True) is not None:
            continue
        if len(block.find_all(_IMAGE_TAGS, limit=3)) != 1:
            continue
        if any(p.name in _FURNITURE for p in block.parents if p is not story and story in p.parents):
            continue
        text, credit = caption_of(block)
        if not text and not credit:
            continue
        whole = " ".join(block.get_text(" ").split())
        if len(text.split()) > MAX_BLOCK_CAPTION_WORDS or (text and text in body and whole not in paragraphs):
            continue
        key = " ".join((text + " " + (credit or "")).split())
        if text in known or key in known:
            continue
        out.append((text, credit, whole))
    return out


def ld_captions(ld_obj: dict | None) -> list[tuple[str, str | None]]:
    """(caption, credit) of the article's JSON-LD ``image`` (one ImageObject or a list):
    ``caption`` (or ``description``) with ``creditText`` / ``copyrightHolder`` / ``author``."""
    if not isinstance(ld_obj, dict):
        return []
    images = ld_obj.get("image")
    items = images if isinstance(images, list) else [images]
    out = []
    for im in items[:50]:
        if not isinstance(im, dict):
            continue
        cap = im.get("caption") or im.get("description")
        if isinstance(cap, dict):
            cap = cap.get("@value") or cap.get("text")
        credit = im.get("creditText") or im.get("copyrightHolder") or im.get("author")
        if isinstance(credit, list):
            credit = credit[0] if credit else None
        if isinstance(credit, dict):
            credit = credit.get("name")
        cap = " ".join(cap.split()) if isinstance(cap, str) else ""
        credit = " ".join(credit.split()) if isinstance(credit, str) else None
        if not cap and not credit:
            continue
        if credit:
            text = split_credit(cap)[0] if cap else ""
        else:
            text, credit = split_credit(cap)
        if is_junk(text, credit):
            continue
        out.append((text, credit or None))
    return out

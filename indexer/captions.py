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
_TRAILING = re.compile(r"^(.*[.!?…\"”’)])\s+([^.!?]{2,60})$", re.S)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.\-]*|[A-Z]{2,}|/|&|and|de|van|von|der|la|le|del|da|via)$")


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


def split_credit(text: str) -> tuple[str, str | None]:
    """(caption, credit or None) from a caption string."""
    text = " ".join(text.split())
    if not text:
        return "", None
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
        credit = re.sub(r"^(?:photo|foto|image|credit|picture|bild)s?\s*:\s*|^©\s*", "", credit, flags=re.I).strip()
        text = text.rstrip(" |–—-")
        return text, credit or None
    return split_credit(text)

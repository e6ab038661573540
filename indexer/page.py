"""The parsed page: raw bytes → one tree walk plus the page's machine-readable metadata.

Every field chooser reads the page through `Page`: the text blocks and evidence of the walk
(`indexer.density.walk`), the ``<meta>`` tags, the JSON-LD objects (with the best article
object picked out) and the schema.org microdata properties.

Bounds: at most `MAX_BYTES` (20 MB) of decompressed input and `MAX_TAGS` (150,000) tags are
parsed; every tree walk is iterative, so nesting depth costs nothing.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup

try:  # bs4 warns about XHTML served as HTML; the lxml HTML parser is what we want anyway
    from bs4 import XMLParsedAsHTMLWarning

    warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
except ImportError:  # pragma: no cover
    pass
try:
    from bs4 import MarkupResemblesLocatorWarning

    warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)
except ImportError:  # pragma: no cover
    pass

from morgue.errors import ExtractionError
from morgue.indexer.charset import decode
from morgue.indexer.density import Walk, walk
from morgue.indexer.metadata import Metas, microdata_value, parse_ld

_HTMLISH = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|meta|title|p|div|table|article|br|a\s|span|h[1-6]|font|center|ul|section|main|td)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)

#: The most tags parsed. BeautifulSoup builds a Python object per element (~40 µs each), so a
#: hostile page of millions of tags is cut here: about 10 s of work at worst. Real article
#: pages have 1,000–30,000 tags.
MAX_TAGS = 150_000


def normalize_space(s: str | None) -> str:
    """The text with runs of white space collapsed to one space ("" for None)."""
    return " ".join(s.split()) if s else ""


def word_tokens(s: str) -> list[str]:
    """Lower-cased word tokens: how texts are compared (a headline with its title, ...)."""
    return _WORD.findall(s.lower())


def token_overlap(a: list[str], b: list[str]) -> float:
    """How alike two token lists are: 1 when equal, the length ratio when one contains the
    other, else 0.8 × the share of distinct words they have in common."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    sa, sb = " ".join(a), " ".join(b)
    if sa in sb or sb in sa:
        return min(len(a), len(b)) / max(len(a), len(b))
    common = len(set(a) & set(b))
    return 0.8 * common / max(len(set(a)), len(set(b)))


def attribute_text(el) -> str:
    """An element's id, classes and role, lower-cased: what its markup says it is."""
    cls = el.attrs.get("class")
    cls = " ".join(cls) if isinstance(cls, list) else str(cls or "")
    role = el.attrs.get("role") or ""
    return f"{el.attrs.get('id') or ''} {cls} {role}".lower()


class Page:
    """One parsed page: the walk's blocks and evidence, metas, JSON-LD and microdata."""

    def __init__(self, walk: Walk, url: str | None, captured: datetime | None):
        self.walk = walk
        self.url = url
        self.captured = captured  # when the page was saved, if known (never a file's mtime)
        self.metas = Metas(walk.metas)
        self.article_ld, self.ld_objects = parse_ld(walk.ld_json)
        self.ld_by_id = {o.get("@id"): o for o in self.ld_objects if isinstance(o.get("@id"), str)}
        self._microdata: dict[str, list] = {}
        for prop, el, idx in walk.itemprops:
            for p in prop.split():
                self._microdata.setdefault(p, []).append((el, idx))

    def microdata(self, prop: str) -> str | None:
        """The first non-empty value of a microdata property (``itemprop``)."""
        for el, _ in self._microdata.get(prop.lower(), []):
            v = microdata_value(el)
            if v:
                return v
        return None

    def microdata_elements(self, prop: str) -> list:
        """(element, block index) of every element carrying a microdata property."""
        return self._microdata.get(prop.lower(), [])

    def ld_value(self, key: str) -> Any:
        """A property of the page's JSON-LD article object (None without one)."""
        if self.article_ld is None:
            return None
        return self.article_ld.get(key)

    def element_text(self, el, idx: int) -> str:
        """Text of an element as the walk saw it (its blocks joined by spaces)."""
        eid = id(el)
        parts = []
        for b in self.walk.blocks[idx: idx + 20]:
            if eid not in b.anc:
                break
            parts.append(b.text)
        return " ".join(parts)


def parse_page(data: bytes, *, url: str | None, captured: datetime | None,
               content_type: str | None) -> Page:
    """Decode, parse and walk raw page bytes.

    Raises `ExtractionError` for data that is not HTML (empty, binary, broken gzip, no markup).
    """
    text, _enc = decode(data, content_type)
    head = text[:65536]
    if not _HTMLISH.search(head):
        snippet = normalize_space(head[:40])
        raise ExtractionError(f"not HTML: no HTML markup found (page starts {snippet!r})")
    text = _close_title(_cap_tags(text))
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml/bs4 give assorted errors on pathological input
        raise ExtractionError(f"could not parse HTML: {exc}") from None
    return Page(walk(soup), url, captured)


def _cap_tags(text: str) -> str:
    """Cut the markup after MAX_TAGS tags (cheap count of "<" first: most pages are far below)."""
    if text.count("<") <= MAX_TAGS:
        return text
    pos = -1
    for _ in range(MAX_TAGS):
        pos = text.find("<", pos + 1)
        if pos < 0:
            return text
    return text[:pos]


_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.IGNORECASE)


def _close_title(text: str) -> str:
    """Close a ``<title>`` left open (its RCDATA would otherwise swallow the whole page)."""
    m = _TITLE_OPEN.search(text, 0, 200_000)
    if not m:
        return text
    end = m.end()
    window = text[end:end + 2048]
    if "</title" in window.lower():
        return text
    lt = window.find("<")
    if lt < 0:
        return text
    return text[: end + lt] + "</title>" + text[end + lt:]

"""The article extractor: raw page bytes → `Article`.

Pipeline (each page is parsed once, with BeautifulSoup on lxml):

1. `indexer.charset.decode`: gunzip (magic bytes 1f 8b), cap at `MAX_BYTES` (20 MB), reject
   empty and binary data, detect the charset (BOM, HTTP header, ``<meta>``, then the bytes).
2. `indexer.density.walk`: one iterative pass over the tree collecting text blocks with their
   link density and block ancestry, plus all metadata evidence (meta, JSON-LD, microdata,
   headings, ``<time>``, captions, date/byline/standfirst elements).
3. Fields are chosen by combining evidence (see each ``_choose_*`` function): machine metadata
   first where it is reliable (dates, authors, canonical URL), visible markup where it is more
   exact (the headline as printed, without the site name the ``<title>`` glues on).
4. The body is the best-scoring container (text density × (1 − link density), weighted by
   explicit markup), extended to qualifying siblings, minus boilerplate blocks (share bars,
   related lists, captions, credits, date lines, translation notices, ...).

Raises `ExtractionError` for pages that cannot be cleaned (empty, binary, not HTML, broken gzip,
no text at all).

Bounds: at most `MAX_BYTES` (20 MB) of decompressed input and `MAX_TAGS` (150,000) tags are
parsed; every tree walk is iterative, so nesting depth costs nothing.

Dates: ``file_date`` resolves relative dates ("3 hours ago", "yesterday"). A page that gives no
date at all (no metadata, no visible line, no date in its URL) gets ``published = None``: the
file's mtime says when it was saved, not when it was published.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone
from urllib.parse import urljoin, urlsplit

import warnings

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

from morgue.indexer import dates as D
from morgue.indexer.article import Article, Caption
from morgue.indexer.captions import (caption_of, image_block_captions, in_story_header, ld_captions,
                                     story_element)
from morgue.indexer.pagekind import page_kind
from morgue.indexer.charset import MAX_BYTES, decode
from morgue.indexer.density import PARA_TAGS, Block, Walk, class_weight, walk
from morgue.errors import ExtractionError
from morgue.indexer.metadata import Metas, ld_names, ld_text, microdata_value, parse_ld

__all__ = ["extract", "extract_file", "MAX_BYTES", "MAX_TAGS"]

_HTMLISH = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|meta|title|p|div|table|article|br|a\s|span|h[1-6]|font|center|ul|section|main|td)\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\w+", re.UNICODE)
_LETTERS = re.compile(r"[\d\W_]+")
_SEP = re.compile(r"\s+(?:[|\-–—:·•»«~/\\]|::|\|\|)\s+|\s*[|»«]\s*|\s+[-–—]\s*$")

# Short lines in a body that are page furniture, not article text.
_BOILER_TEXT = re.compile(
    r"^(?:"
    r"beta v\.?\s*\d.*powered by automated translation|.*\bpowered by automated translation\b.*|"
    r".*\b(?:automated|automatic|machine) translation\b.*|"
    r"advertisement|advertising|anzeige|publicité|werbung|sponsored|ad|"
    r"share(?: this(?: article| story)?)?(?: on| via)?.{0,40}|teilen.{0,30}|partager.{0,30}|"
    r"(?:follow|like) us.{0,60}|tweet|print(?: this)?(?: article| page| story)?|e-?mail(?: this)?(?: article| story| page)?|"
    r"read more.{0,60}|continue reading.{0,60}|weiterlesen.{0,30}|lire la suite.{0,30}|"
    r"click here.{0,80}|"
    r"(?:sign up|subscribe|register)\b.{0,120}|"
    r"(?:also read|read also|see also|lire aussi|à lire aussi|a lire aussi|mehr zum thema|lesen sie auch)\b.{0,80}|"
    r"licensing and reprint.{0,120}|reprints? and permissions.{0,80}|"
    r"(?:bild anzeigen|beitragsbild|titelbild|bildquelle|quelle|source|crédits? photos?|credits?|image source)\s*:?.{0,80}|"
    r"(?:auch interessant|das (?:thema|könnte) .{0,40}interessieren|notas relacionadas|lee también|leer más|"
    r"weitere (?:informationen|artikel|beiträge|tipps|tourentipps|nachrichten)|vorschau auf den nächsten artikel|"
    r"you (?:may|might) also like|more from .{0,40}|related (?:posts|articles|stories|content)|"
    r"war (?:der|dieser) (?:artikel|beitrag) (?:nützlich|hilfreich)\??|möchten sie (?:den|diesen) artikel teilen\??|"
    r"(?:artikel|beitrag) teilen|if you enjoyed (?:reading )?this.{0,120}|verraten sie .{0,60}kommentaren.{0,60}|"
    r"kommentare (?:sind )?geschlossen\.?|comments are closed\.?)\.?|"
    r"never miss .{0,140}|zapraszamy .{0,100}|jede kleine spende.{0,200}|do you want to be (?:informed|notified).{0,140}|"
    r"we want to hear what you think.{0,140}|(?:jetzt )?abonnieren\b.{0,120}|this post contains (?:affiliate )?(?:links|references).{0,200}|"
    r"we recommend the best products.{0,200}|materiał chroniony prawem.{0,200}|"
    r"\d+\s*min(?:ute)?s?\.? read|lesezeit:?\s*\d+.{0,20}|(?:das|dieses|den) .{0,40}als pdf herunterladen|pdf|"
    r"(?:warning|notice|deprecated|fatal error): .{0,300}|"
    r"(?:der|dieser) (?:beitrag|eintrag|artikel) wurde .{0,200}(?:veröffentlicht|abgelegt|geschrieben).{0,100}|"
    r"this (?:story|article|report) (?:was |is )?(?:distributed|provided|supplied|syndicated|originally published|first published) by.{0,120}|"
    r"(?:related|more|recommended|popular|trending|most read|most popular)(?: (?:articles?|stories|news|content|posts|links|coverage|reading|on [\w ]{1,30}))?:?|"
    r"tags?:.{0,200}|topics?:.{0,200}|filed under:?.{0,200}|posted in .{0,200}|categories:.{0,200}|schlagwörter:.{0,200}|"
    r"(?:this|our) (?:site|website) uses cookies.*|.{0,80}\buse(?:s)? cookies\b.{0,200}|accept(?: all)? cookies.{0,80}|"
    r"we use cookies.*|cookie (?:policy|settings|preferences).{0,80}|"
    r"(?:copyright|©|\(c\)).{0,200}all rights reserved.{0,80}|all rights reserved.{0,80}|"
    r"(?:photo|image|picture|foto|credit|bild)s?\s*:\s*.{1,80}|"
    r"\(?(?:ap|afp|reuters|getty images|epa|pa|dpa)(?: photo)?(?:\s*/\s*[\w .'-]{1,40})?\)?|"
    r"©\s*.{1,80}|"
    r"comments?(?: \(\d+\))?|\d+ comments?|leave a (?:comment|reply).{0,40}|"
    r"back to top|top of page|nach oben|zurück|skip to (?:main )?content|"
    r"(?:previous|next) (?:article|story|post).{0,120}|"
    r"loading\.{0,3}|please enable javascript.*|javascript (?:is )?(?:required|disabled).*"
    r")$",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"^(?:(?:last\s+)?(?:updated|published|posted|modified|created|date|dated|first published|"
    r"veröffentlicht|aktualisiert|stand|erstellt|publié|mis à jour|publicado|actualizado|"
    r"pubblicato|aggiornato)(?:\s+(?:on|at|am|le))?\s*:?\s*)",
    re.IGNORECASE,
)
_BYLINE_LINE = re.compile(r"^(?:by|von|par|por|di|door|written by|text:|texte:)\s+\S", re.IGNORECASE)

def _norm(s: str | None) -> str:
    return " ".join(s.split()) if s else ""


def _tokens(s: str) -> list[str]:
    return _TOKEN.findall(s.lower())


# ----------------------------------------------------------------------------- public API


def extract(data: bytes, *, path: str | None = None, url: str | None = None,
            file_date: datetime | None = None, content_type: str | None = None) -> Article:
    """Extract the article in a raw page (bytes, any charset, optionally gzipped).

    ``url`` is where the page was fetched from (used when the page names no canonical URL and
    for URL dates), ``file_date`` resolves relative dates ("3 hours ago") and dates pages that
    give none, ``content_type`` is an HTTP Content-Type header whose charset wins over detection.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ExtractionError(f"expected page bytes, got {type(data).__name__}")
    data = bytes(data)
    text, _enc = decode(data, content_type)
    head = text[:65536]
    if not _HTMLISH.search(head):
        snippet = _norm(head[:40])
        raise ExtractionError(f"not HTML: no HTML markup found (page starts {snippet!r})")
    text = _close_title(_cap_tags(text))
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml/bs4 give assorted errors on pathological input
        raise ExtractionError(f"could not parse HTML: {exc}") from None
    w = walk(soup)
    art = _build(w, url=url, file_date=file_date)
    art.path = path
    if not art.body and not art.headline:
        raise ExtractionError("no article text found: the page has no headline and no body text")
    return art


#: The most tags parsed. BeautifulSoup builds a Python object per element (~40 µs each), so a
#: hostile page of millions of tags is cut here: about 10 s of work at worst. Real article
#: pages have 1,000–30,000 tags.
MAX_TAGS = 150_000


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


def extract_file(path: str | os.PathLike) -> Article:
    """Extract the article of a saved page; the file's mtime (UTC) is its file date."""
    p = os.fspath(path)
    try:
        st = os.stat(p)
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ExtractionError(f"cannot read {p}: {exc.strerror or exc}") from None
    file_date = datetime.fromtimestamp(st.st_mtime, tz=timezone.utc)
    art = extract(data, path=str(path), file_date=file_date)
    art.path = str(path)
    return art


# ----------------------------------------------------------------------------- assembly


class _Ctx:
    def __init__(self, w: Walk, url: str | None, file_date: datetime | None):
        self.w = w
        self.url = url
        self.file_date = file_date
        self.metas = Metas(w.metas)
        self.ld, self.ld_all = parse_ld(w.ld_json)
        self.ld_by_id = {o.get("@id"): o for o in self.ld_all if isinstance(o.get("@id"), str)}
        self._micro: dict[str, list] = {}
        self.caption_paragraphs: set[str] = set()
        for prop, el, idx in w.itemprops:
            for p in prop.split():
                self._micro.setdefault(p, []).append((el, idx))

    def micro(self, prop: str) -> str | None:
        for el, _ in self._micro.get(prop.lower(), []):
            v = microdata_value(el)
            if v:
                return v
        return None

    def micro_els(self, prop: str) -> list:
        return self._micro.get(prop.lower(), [])

    def ldv(self, key: str):
        if self.ld is None:
            return None
        return self.ld.get(key)


def _build(w: Walk, *, url: str | None, file_date: datetime | None) -> Article:
    c = _Ctx(w, url, file_date)
    art = Article()
    art.url = _choose_url(c)
    art.source = _choose_source(c)
    art.headline, head_idx, strong = _choose_headline(c, art.source)
    art.standfirst, _sf_idx = _choose_standfirst(c, head_idx, art.headline)
    body_blocks, container_ids = _select_body(c, head_idx, art.headline, art.standfirst)
    if not strong and body_blocks:
        found = _heading_before(c, body_blocks[0].index) or (None if art.headline else _line_before(c, body_blocks[0].index))
        if found:
            art.headline, head_idx = found
            ht = _tokens(art.headline)
            body_blocks = [b for b in body_blocks if not (b.chars < 400 and _tokens(b.text) == ht)]
        elif not art.headline and len(body_blocks) > 1:
            first = body_blocks[0]
            if 3 <= len(first.text.split()) <= 20 and not first.text.endswith((".", "!", "?", ":", ",")):
                art.headline, head_idx = first.text, first.index
                body_blocks = body_blocks[1:]
        if art.headline:
            ht = _tokens(art.headline)
            body_blocks = [b for b in body_blocks if not (b.chars < 400 and _tokens(b.text) == ht)]
    art.body = "\n\n".join(b.text for b in body_blocks)
    ld_body = ld_text(c.ldv("articleBody")) if c.ld is not None else None
    ld_head = ld_text(c.ldv("headline")) if c.ld is not None else None
    if ld_body and len(art.body) < 600 and len(ld_body) > 2 * len(art.body) + 200 and (
            not ld_head or _match(_tokens(ld_head), _tokens(art.headline)) >= 0.6):
        # The page renders its text with scripts; the JSON-LD copy is the article.
        paras = [_norm(p) for p in re.split(r"\n\s*\n|\r?\n", ld_body) if _norm(p)]
        art.body = "\n\n".join(paras)
    art.captions = _choose_captions(c, container_ids, art.body)
    if c.caption_paragraphs:  # image-block captions the body selection took in as paragraphs
        art.body = "\n\n".join(p for p in art.body.split("\n\n") if p not in c.caption_paragraphs)
        body_blocks = [b for b in body_blocks if b.text not in c.caption_paragraphs]
    art.byline = _choose_byline(c) or _visible_byline(c, head_idx, art.source)
    art.section = _choose_section(c)
    if not art.source or not art.section:
        src, sec = _from_title(c, art.headline)
        art.source = art.source or src
        if not art.section:
            art.section = sec or _kicker(c, head_idx)
    art.tags = _choose_tags(c)
    art.lang = _choose_lang(c, art.body)
    # dates read with the page's full language tag: en-GB writes 02/10/2020 for 2 October
    date_lang = (w.html_lang or art.lang or "").strip() or None
    art.published, art.modified = _choose_dates(c, head_idx, body_blocks, date_lang, art.url)
    # What the page is (article, listing, error page, gallery): indexer/pagekind.py
    art.kind, art.kind_reason = page_kind(
        w.blocks, ld_objs=c.ld_all, og_type=c.metas.first("og:type"), title=w.title,
        headings=w.headings, body_blocks=body_blocks, captions=len(art.captions))
    return art


def _choose_url(c: _Ctx) -> str | None:
    cands = [c.w.canonical, c.metas.first("og:url"), ld_text(c.ldv("url")),
             ld_text(c.ldv("mainEntityOfPage"))]
    for u in cands:
        if not u:
            continue
        u = u.strip()
        if u.startswith("//"):
            u = "https:" + u
        if u.startswith(("http://", "https://")):
            return u
        if c.url and u.startswith("/"):
            return urljoin(c.url, u)
    return c.url


def _choose_source(c: _Ctx) -> str | None:
    pub = c.ldv("publisher")
    names = ld_names(pub, c.ld_by_id) if pub else []
    for v in (c.metas.first("og:site_name"), names[0] if names else None,
              c.metas.first("application-name", "dc.publisher", "dcterms.publisher", "publisher",
                            "cre", "twitter:app:name:iphone")):
        if v and len(v) < 120:
            return _norm(v)
    return None


# ----------------------------------------------------------------------------- headline


def _site_names(c: _Ctx, source: str | None) -> list[list[str]]:
    names = set()
    for v in (source, c.metas.first("og:site_name"), c.metas.first("application-name"),
              c.metas.first("twitter:site"), c.metas.first("dc.publisher")):
        if v:
            names.add(v.lstrip("@"))
    pub = c.ldv("publisher")
    for n in ld_names(pub, c.ld_by_id) if pub else []:
        names.add(n)
    u = c.url or c.w.canonical or c.metas.first("og:url")
    if u:
        host = urlsplit(u if "://" in u else "http://" + u).hostname or ""
        parts = [p for p in host.split(".") if p not in ("www", "com", "org", "net", "co", "uk", "de", "fr", "ch", "at", "edu", "gov", "news", "info")]
        if parts:
            names.add(" ".join(parts))
            names.add(parts[-1])
    return [t for t in (_tokens(n) for n in names) if t]


def _is_site_segment(seg: str, sites: list[list[str]]) -> bool:
    toks = _tokens(seg)
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


def _clean_title(title: str, sites: list[list[str]]) -> str:
    """"Headline | The Meridian Post" → "Headline" (also "Site - Headline", "Headline « Site")."""
    title = _norm(title)
    if not title:
        return ""
    parts = [p for p in _SEP.split(title)]
    seps = _SEP.findall(title)
    if len(parts) == 1:
        return title
    # drop edge segments naming the site
    segs = [p.strip() for p in parts]
    changed = True
    while changed and len(segs) > 1:
        changed = False
        if _is_site_segment(segs[-1], sites):
            segs.pop()
            changed = True
        elif _is_site_segment(segs[0], sites):
            segs.pop(0)
            changed = True
    if len(segs) == len(parts):
        # No known site name: drop a short trailing (or leading) segment.
        if len(segs) >= 2:
            last, first = segs[-1], segs[0]
            if len(_tokens(last)) <= 4 and len(_tokens(first)) > len(_tokens(last)):
                segs = segs[:-1]
            elif len(_tokens(first)) <= 3 and len(_tokens(last)) > 2 * len(_tokens(first)):
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


def _match(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    sa, sb = " ".join(a), " ".join(b)
    if sa in sb or sb in sa:
        return min(len(a), len(b)) / max(len(a), len(b))
    common = len(set(a) & set(b))
    return 0.8 * common / max(len(set(a)), len(set(b)))


def _choose_headline(c: _Ctx, source: str | None) -> tuple[str, int, bool]:
    sites = _site_names(c, source)
    raw_cands = [
        ld_text(c.ldv("headline")),
        c.metas.first("og:title"),
        c.metas.first("twitter:title"),
        c.micro("headline"),
        c.metas.first("dc.title", "dcterms.title", "title", "sailthru.title", "parsely-title"),
        c.w.title if c.w.title and len(c.w.title) < 600 else None,
    ]
    cleaned: list[str] = []
    segments: list[str] = []
    for i, t in enumerate(raw_cands):
        if not t:
            continue
        t = _norm(t)
        ct = _clean_title(t, sites) if i != 0 else t
        if ct and ct not in cleaned:
            cleaned.append(ct)
        for seg in _SEP.split(t):
            seg = seg.strip()
            if len(_tokens(seg)) >= 2 and seg not in segments and not _is_site_segment(seg, sites):
                segments.append(seg)
    cand_toks = [_tokens(t) for t in cleaned] + [_tokens(t) for t in segments]
    best = None
    for level, el, idx, boiler, ac in c.w.headings[:80]:
        text = _el_text(c.w, el, idx)
        if not text or len(text) > 400:
            continue
        ht = _tokens(text)
        if not ht:
            continue
        score = max((_match(ht, ct) for ct in cand_toks), default=0.0)
        if level == 7:
            score -= 0.05
        if boiler:
            score -= 0.1
        score -= 0.02 * min(level, 7)
        if best is None or score > best[0]:
            best = (score, text, idx)
    if best and best[0] >= 0.6:
        return best[1], best[2], True
    # A visible block that is exactly one of the title's segments (2000s pages: <b>, <font>...)
    keys = {}
    for t in cleaned + segments:
        k = " ".join(_tokens(t))
        if k:
            keys.setdefault(k, t)
    found = None
    for b in c.w.blocks[:800]:
        if b.chars > 300 or b.caption:
            continue
        k = " ".join(_tokens(b.text))
        if k in keys and (found is None or len(k) > len(found[0]) + 10):
            found = (k, b.text, b.index)
    if found:
        return found[1], found[2], True
    if cleaned:
        return cleaned[0], -1, False
    for level, el, idx, boiler, ac in c.w.headings:
        if level == 1 and not boiler:
            t = _norm(el.get_text(" "))
            if 0 < len(t) < 300:
                return t, idx, False
    return "", -1, False


def _line_before(c: _Ctx, start: int) -> tuple[str, int] | None:
    """Last resort for pages with no title and no heading: the short line just above the body."""
    for b in reversed(c.w.blocks[max(0, start - 4): start]):
        words = len(b.text.split())
        if 3 <= words <= 30 and not b.link_chars and not b.caption and not _BOILER_TEXT.match(b.text):
            return b.text, b.index
    return None


def _el_text(w: Walk, el, idx: int) -> str:
    """Text of an element as the walk saw it (its blocks joined by spaces)."""
    eid = id(el)
    parts = []
    for b in w.blocks[idx: idx + 20]:
        if eid not in b.anc:
            break
        parts.append(b.text)
    return " ".join(parts)


def _heading_before(c: _Ctx, start: int) -> tuple[str, int] | None:
    """The heading nearest before the body's first block (for pages whose title says nothing)."""
    best = None
    for level, el, idx, boiler, ac in c.w.headings[:200]:
        if idx > start or start - idx > 15 or level > 7 or (level > 4 and level != 7):
            continue
        t = _el_text(c.w, el, idx)
        if not (10 <= len(t) <= 300) or len(t.split()) < 2:
            continue
        if best is None or idx >= best[1]:
            best = (t, idx)
    return best


def _find_block(w: Walk, text: str) -> int:
    toks = _tokens(text)
    for b in w.blocks[:400]:
        if b.chars < len(text) * 2 + 20 and _tokens(b.text) == toks:
            return b.index
    return -1


# ----------------------------------------------------------------------------- standfirst


def _choose_standfirst(c: _Ctx, head_idx: int, headline: str) -> tuple[str, int]:
    ht = _tokens(headline)
    for el, idx, boiler in c.w.standfirsts:
        if head_idx >= 0 and not (head_idx - 3 <= idx <= head_idx + 12):
            continue
        t = _norm(el.get_text(" "))
        if 20 <= len(t) <= 700 and _tokens(t) != ht and len(el.find_all("p", limit=4)) < 3:
            return t, idx
    # A lead paragraph in the article's <header>, just under the headline.
    if head_idx >= 0:
        for b in c.w.blocks[head_idx + 1: head_idx + 5]:
            if b.tag != "p" or b.caption or b.chars < 80 or b.link_chars > 0.1 * b.chars or not b.boiler_id:
                continue
            st = c.w.stats.get(b.boiler_id)
            if st is not None and (st.el.name == "header" or "header" in _attr_text(st.el)):
                return b.text, b.index
    return "", -1


# ----------------------------------------------------------------------------- body


def _block_ok(b: Block, container_dist: int | None) -> bool:
    if b.caption:
        return False
    if container_dist is not None and b.boiler < container_dist:
        return False
    ld = b.link_chars / b.chars if b.chars else 1.0
    if ld > 0.5 and not (b.chars > 250 and ld < 0.7):
        return False
    if b.in_li and ld > 0.35:
        return False
    if b.chars < 200 and _BOILER_TEXT.match(b.text):
        return False
    if b.chars < 120 and _DATE_LINE.match(b.text) and D.parse_text(b.text, use_dateparser=False):
        return False
    if b.chars < 60 and len(_LETTERS.sub("", b.text)) <= 20 and D.parse_text(b.text, use_dateparser=False):
        return False  # a bare date line ("06/25/2008", "Tuesday, March 4, 2008")
    return True


def _score_blocks(blocks: list[Block], stats: dict, use_boiler: bool) -> None:
    for st in stats.values():
        st.score = 0.0
    for b in blocks:
        if b.caption or b.chars < 25 or (use_boiler and b.boiler < 10**6):
            continue
        if b.link_chars > b.chars * 0.5:
            continue
        s = 1.0 + b.text.count(",") + b.text.count("，") + min(b.chars // 100, 3)
        anc = b.anc
        if b.tag in PARA_TAGS:
            targets = anc[1:3]
        else:
            targets = anc[0:2]
        for k, aid in enumerate(targets):
            st = stats.get(aid)
            if st is not None:
                st.score += s if k == 0 else s / 2


#: A second prose box scoring at least this share of the best one joins the body.
UNION_SHARE = 0.35


def _select_body(c: _Ctx, head_idx: int, headline: str, standfirst: str) -> tuple[list[Block], set]:
    w = c.w
    blocks, stats = w.blocks, w.stats
    if not blocks:
        return [], set()
    chosen: list[Block] = []
    container_ids: set = set()
    # A "boilerplate" region holding most of the page's text is a misleading class name
    # (a wrapper called "feed", "content-sidebar"...), not boilerplate.
    # Likewise a region flagged by a weak name ("ad", "meta", "tools"...) that holds several
    # real paragraphs. Comments, navigation, footers and related lists stay flagged.
    total = sum(b.chars for b in blocks) or 1
    good: dict = {}
    for b in blocks:
        if b.boiler_id and b.chars >= 120 and b.link_chars < 0.2 * b.chars and not b.caption:
            good[b.boiler_id] = good.get(b.boiler_id, 0) + 1
    unflag = set()
    for bid in {b.boiler_id for b in blocks if b.boiler_id}:
        st = stats.get(bid)
        if st is None:
            continue
        if st.chars > 0.5 * total:
            unflag.add(bid)
        elif good.get(bid, 0) >= 2 and st.el.name not in ("nav", "footer", "aside", "header") \
                and not _STRONG_BOILER.search(_attr_text(st.el)):
            unflag.add(bid)
    if unflag:
        for b in blocks:
            if b.boiler_id in unflag:
                b.boiler, b.boiler_id = 10**6, 0
    for use_boiler in (True, False):
        _score_blocks(blocks, stats, use_boiler)
        finals = {}
        for aid, st in stats.items():
            if st.score <= 0:
                continue
            ld = st.link_chars / st.chars if st.chars else 1.0
            finals[aid] = (st.score + class_weight(st.el) * min(1.0, st.score / 10)) * (1 - ld)
        if not finals:
            continue
        ranked = sorted(finals.items(), key=lambda kv: kv[1], reverse=True)
        top_id, top_score = ranked[0]
        top = stats[top_id].el
        # Strong candidates related to the top one: a comparable ancestor holds more of the
        # article (text split over several boxes); a common ancestor close above joins them.
        for a, sc in ranked[1:6]:
            if sc < top_score * 0.5:
                break
            el = stats[a].el
            if el.name in ("body", "html", "[document]"):
                continue
            up = _ancestor_distance(el, top)
            if up is not None:
                if up <= 1 and sc >= top_score * 0.8:
                    top, top_id = el, a
                continue
            if _ancestor_distance(top, el) is not None:
                continue
            lca, k = _common_ancestor(top, el)
            if lca is not None and k <= 3 and lca.name not in ("body", "html", "[document]"):
                st = stats.get(id(lca))
                if st is not None and st.chars and st.link_chars / st.chars < 0.3:
                    top, top_id = lca, id(lca)
        selected = {top_id}
        # Other strong, separate boxes of prose (pages built of several text boxes).
        for a, sc in ranked[1:12]:
            if sc < top_score * UNION_SHARE:
                break
            el = stats[a].el
            st = stats[a]
            if el.name in ("body", "html", "[document]") or not st.chars or st.link_chars > 0.25 * st.chars:
                continue
            if _ancestor_distance(el, top) is not None or _ancestor_distance(top, el) is not None:
                continue
            if any(_ancestor_distance(stats[x].el, el) is not None or _ancestor_distance(el, stats[x].el) is not None
                   for x in selected):
                continue
            selected.add(a)
        # siblings of the container that look like more of the same article
        parent = top.parent
        if parent is not None and parent.name not in ("[document]",):
            thresh = max(10.0, top_score * 0.2)
            for sib in parent.contents:
                if sib is top or getattr(sib, "name", None) is None:
                    continue
                st = stats.get(id(sib))
                if st is None or not st.chars:
                    continue
                ld = st.link_chars / st.chars
                if finals.get(id(sib), 0) >= thresh and ld < 0.3:
                    selected.add(id(sib))
                elif sib.name == "p" and ld < 0.25 and st.chars > 80:
                    selected.add(id(sib))
        out = []
        for b in blocks:
            dist = None
            for k, aid in enumerate(b.anc):
                if aid in selected:
                    dist = k
                    break
            if dist is None:
                continue
            if not _block_ok(b, dist if use_boiler else None):
                continue
            out.append(b)
        if out and use_boiler:
            out = _extend(blocks, out, top, stats, selected)
        out = _trim(out, head_idx, headline, standfirst)
        if out:
            chosen = out
            container_ids = selected
            break
    return chosen, container_ids


_STRONG_BOILER = re.compile(
    r"comment|reply|respond|disqus|discussion|footer|nav|menu|sidebar|related|cookie|consent|"
    r"newsletter|subscribe|most-?read|popular|trending|recommend|teaser|promo|share|social|author-?bio|"
    r"translat|disclaimer|license|licensing|rights|syndicat|also-?read|see-?also|more-")


def _attr_text(el) -> str:
    cls = el.attrs.get("class")
    cls = " ".join(cls) if isinstance(cls, list) else str(cls or "")
    role = el.attrs.get("role") or ""
    return f"{el.attrs.get('id') or ''} {cls} {role}".lower()


def _extend(blocks: list[Block], out: list[Block], top, stats: dict, selected: set) -> list[Block]:
    """Add real paragraphs just outside the container (a lead paragraph or a second text box
    next to it): long, link-free, not boilerplate, under the same parent or grandparent."""
    near = set()
    p = top.parent
    for _ in range(2):
        if p is None or p.name in ("body", "html", "[document]"):
            break
        near.add(id(p))
        p = p.parent
    if not near:
        return out
    first, last = out[0].index, out[-1].index
    chosen = {b.index for b in out}
    extra = []
    for b in blocks[max(0, first - 12): min(len(blocks), last + 12)]:
        if b.index in chosen or b.caption or b.boiler < 10**6 or b.chars < 100:
            continue
        if b.link_chars > 0.1 * b.chars or b.tag not in ("p", "div", "blockquote", "li", "td"):
            continue
        if any(a in selected for a in b.anc):
            continue
        if not any(a in near for a in b.anc[:6]):
            continue
        if _BOILER_TEXT.match(b.text):
            continue
        extra.append(b)
    if not extra:
        return out
    return sorted(out + extra, key=lambda b: b.index)


def _ancestor_distance(a, el) -> int | None:
    """How many levels `a` is above `el`, or None if it is not an ancestor."""
    p = el.parent
    n = 1
    while p is not None and n < 200:
        if p is a:
            return n
        p = p.parent
        n += 1
    return None


def _common_ancestor(top, el):
    """(lowest common ancestor of top and el, its distance above top)."""
    chain = {}
    p = el.parent
    n = 0
    while p is not None and n < 200:
        chain[id(p)] = p
        p = p.parent
        n += 1
    p = top.parent
    k = 1
    while p is not None and k < 200:
        if id(p) in chain:
            return p, k
        p = p.parent
        k += 1
    return None, 0


def _trim(out: list[Block], head_idx: int, headline: str, standfirst: str) -> list[Block]:
    ht = _tokens(headline) if headline else None
    st = _tokens(standfirst) if standfirst else None
    res = []
    for b in out:
        if head_idx >= 0 and b.index <= head_idx and b.chars < 200:
            continue  # kicker, breadcrumbs, the headline itself
        tt = None
        if b.chars < 800:
            tt = _tokens(b.text)
            if ht and tt == ht:
                continue
            if st and tt == st:
                continue
            if not tt:
                continue
        if b.heading and b.chars < 200 and b.heading <= 2 and ht and tt == ht:
            continue
        if b.chars < 80 and _BYLINE_LINE.match(b.text) and len(b.text.split()) <= 8:
            continue
        res.append(b)
    # drop short trailing furniture after the last real paragraph (e.g. lone headings, "Share")
    while res and (res[-1].heading or (res[-1].chars < 25 and not res[-1].text.endswith((".", "!", "?", "\"", "”")))):
        res.pop()
    return res


# ----------------------------------------------------------------------------- captions


def _choose_captions(c: _Ctx, container_ids: set, body: str = "") -> list[Caption]:
    out: list[Caption] = []
    seen = set()
    story = None  # the element holding the whole story: its header's lead photo is the story's
    for cid in container_ids:
        st = c.w.stats.get(cid)
        story = story_element(st.el) if st is not None else None
        if story is not None:
            break
    for el, anc, boiler in c.w.captions:
        inside = any(a in container_ids for a in anc)
        if not inside and boiler and not in_story_header(el, story):
            continue
        text, credit = caption_of(el)
        if not text and not credit:
            continue
        if len(text) > 1000:
            continue
        key = (text, credit)
        if key in seen:
            continue
        seen.add(key)
        out.append(Caption(text, credit))
    # image blocks without caption markup, then the JSON-LD image captions (indexer/captions.py)
    known = {t for t, _ in seen} | {" ".join(f"{t} {cr or ''}".split()) for t, cr in seen}
    blocks = image_block_captions(story, known, body)
    c.caption_paragraphs = {whole for _, _, whole in blocks}  # the body took these in: _build drops them
    for text, credit in [(t, cr) for t, cr, _ in blocks] + ld_captions(c.ld):
        key = " ".join(f"{text} {credit or ''}".split())
        if (text and text in known) or key in known or (not text and any(credit == cr for _, cr in seen)):
            continue
        known.update((text, key))
        seen.add((text, credit))
        out.append(Caption(text, credit))
    return out


# ----------------------------------------------------------------------------- byline, section, tags, lang

_BY_PREFIX = re.compile(r"^(?:by|von|par|por|di|door|written by|text|texte|autor|author|auteur)\s*:?\s+", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|;|\|)\s*")


def _clean_names(raw: list[str], source: str | None = None) -> list[str]:
    out: list[str] = []
    drop = {"cpa", "ap", "afp", "reuters", "dpa", "staff", "admin", "editor", "redaktion",
            "the associated press", "associated press", "agencies", "wires", "news desk", "web desk"}
    if source:
        drop.add(source.lower())
    for r in raw:
        r = _norm(r)
        if not r or r.startswith(("http://", "https://", "/")) or len(r) > 200:
            continue
        r = _BY_PREFIX.sub("", r)
        r = re.split(r"\s+(?:[|•·]|—|–)\s+|\s+-\s+", r)[0]
        for part in _NAME_SPLIT.split(r):
            part = part.strip(" .,:")
            part = re.sub(r"\S+@\S+", "", part).strip()
            if not part or len(part) > 60 or D.parse_text(part, use_dateparser=False):
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


def _choose_byline(c: _Ctx) -> list[str]:
    authors = c.ldv("author") or c.ldv("creator")
    if authors:
        items = authors if isinstance(authors, list) else [authors]
        people = [a for a in items if not (isinstance(a, dict) and str(a.get("@type", "")).lower() in ("organization", "newsmediaorganization"))]
        names = _clean_names(ld_names(people, c.ld_by_id))
        if names or not people:
            return names
    micro = []
    for el, _ in c.micro_els("author")[:10]:
        name_el = el.find(attrs={"itemprop": "name"}) if el.name not in ("meta", "link") else None
        v = microdata_value(name_el) if name_el is not None else microdata_value(el)
        if v:
            micro.append(v)
    names = _clean_names(micro)
    if names:
        return names
    metas = c.metas.all("author") or c.metas.all("article:author") or c.metas.all("dc.creator") \
        or c.metas.all("dcterms.creator") or c.metas.all("sailthru.author") or c.metas.all("parsely-author") \
        or c.metas.all("byl")
    names = _clean_names(metas)
    if names:
        return names
    names = _clean_names([a.get_text(" ") for a in c.w.rel_author[:5]])
    if names:
        return names
    for el, boiler, ac in c.w.byline_texts[:10]:
        if "byline" in ac or "author" in ac:
            t = _norm(el.get_text(" "))
            if 2 < len(t) < 150:
                names = _clean_names([t])
                if names:
                    return names
    return []


def _from_title(c: _Ctx, headline: str) -> tuple[str | None, str | None]:
    """("Site", "Section") from a "Site - Section - Headline" title (pages with no metadata)."""
    title = _norm(c.w.title or "")
    if not title or not headline or len(title) > 400:
        return None, None
    segs = [x.strip() for x in _SEP.split(title) if x.strip()]
    if len(segs) < 2:
        return None, None
    ht = _tokens(headline)
    if _tokens(segs[-1]) == ht:
        rest = segs[:-1]
    elif _tokens(segs[0]) == ht:
        rest = segs[1:][::-1]
    else:
        return None, None
    site = rest[0] if rest and len(rest[0]) <= 80 else None
    section = rest[1] if len(rest) == 2 and len(rest[1]) <= 40 else None
    return site, section


def _kicker(c: _Ctx, head_idx: int) -> str | None:
    """A one-to-three-word label just above the headline ("Farm", "Business")."""
    if head_idx <= 0:
        return None
    b = c.w.blocks[head_idx - 1]
    if b.chars <= 30 and 1 <= len(b.text.split()) <= 3 and not b.link_chars and not D.parse_text(b.text, use_dateparser=False):
        return b.text
    return None


_ROLE = re.compile(
    r"\b(?:staff|senior|chief|special|foreign|political|business|sports?|news|wire)?\s*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|photographer)s?\b", re.I)


def _visible_byline(c: _Ctx, head_idx: int, source: str | None) -> list[str]:
    """A "By Name, Staff Writer" line just below the headline."""
    if head_idx < 0:
        return []
    for b in c.w.blocks[head_idx + 1: head_idx + 6]:
        if b.chars > 120:
            break
        if _BYLINE_LINE.match(b.text):
            return _clean_names([b.text], source)
    return []


def _choose_section(c: _Ctx) -> str | None:
    v = c.metas.first("article:section", "section", "parsely-section", "sailthru.section", "dc.subject", "category")
    if not v:
        v = ld_text(c.ldv("articleSection")) or c.micro("articleSection")
    if not v and c.w.rel_category:
        v = c.w.rel_category[0].get_text(" ")
    return _norm(v) or None


def _choose_tags(c: _Ctx) -> list[str]:
    tags = c.metas.all("article:tag")
    if not tags:
        kw = c.ldv("keywords")
        if isinstance(kw, list):
            tags = [str(k) for k in kw if isinstance(k, (str, int))]
        elif isinstance(kw, str):
            tags = kw.split(",")
    if not tags and c.w.rel_tag:
        tags = [a.get_text(" ") for a in c.w.rel_tag]
    if not tags:
        v = c.metas.first("news_keywords") or c.micro("keywords") or c.metas.first("keywords")
        if v:
            tags = v.split(",")
    out = []
    for t in tags:
        t = _norm(t)
        if t and t not in out and len(t) < 100:
            out.append(t)
    return out[:50]


def _primary_lang(v: str | None) -> str | None:
    if not v:
        return None
    v = v.strip().replace("_", "-").split(",")[0].strip()
    m = re.match(r"^([A-Za-z]{2,3})(?:-|$)", v)
    return m.group(1).lower() if m else None


def _choose_lang(c: _Ctx, body: str) -> str | None:
    for v in (ld_text(c.ldv("inLanguage")), c.w.html_lang, c.metas.first("content-language"),
              c.metas.first("og:locale"), c.metas.first("dc.language", "dcterms.language", "language")):
        lang = _primary_lang(v)
        if lang:
            return lang
    return None  # only what the page declares: no guessing from the text


# ----------------------------------------------------------------------------- dates

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


def _machine_pub_alternatives(c: _Ctx, ld, body_start: int, body_end: int) -> list[str]:
    out = []
    if ld is not None:
        v = D.parse_iso(ld_text(ld.get("datePublished")))
        if v:
            out.append(v)
    for k in _PUB_METAS:
        for v in c.metas.all(k)[:3]:
            v = D.parse_iso(v)
            if v:
                out.append(v)
    v = c.micro("datePublished")
    if v and (v := D.parse_iso(v)):
        out.append(v)
    for el, idx, boiler in c.w.time_els[:10]:
        dt = el.attrs.get("datetime")
        if dt and not boiler and (v := D.parse_iso(str(dt))):
            out.append(v)
    return out


def _one_day_apart(a: str, b: str) -> bool:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) == 1
    except ValueError:
        return False


def _first_meta(c: _Ctx, keys) -> str | None:
    for k in keys:
        for v in c.metas.all(k):
            val = D.parse_iso(v)
            if val:
                return val
    return None


def _choose_dates(c: _Ctx, head_idx: int, body_blocks: list[Block], lang: str | None,
                  url: str | None) -> tuple[str | None, str | None]:
    fd = c.file_date
    pub = mod = None
    # 1. JSON-LD and explicit publication metas (OpenGraph article:, Dublin Core issued...)
    ld = c.ld
    if ld is None or "datePublished" not in ld:
        ld = next((o for o in c.ld_all if isinstance(o.get("datePublished"), str)), ld)
    if ld is not None:
        pub = D.parse_iso(ld_text(ld.get("datePublished"))) or D.parse_iso(ld_text(ld.get("dateCreated")))
        mod = D.parse_iso(ld_text(ld.get("dateModified")))
    pub = pub or _first_meta(c, _PUB_METAS)
    mod = mod or _first_meta(c, _MOD_METAS)
    # 2. microdata
    if not pub:
        v = c.micro("datePublished") or c.micro("dateCreated")
        pub = D.parse_iso(v) if v else None
    if not mod:
        v = c.micro("dateModified")
        mod = D.parse_iso(v) if v else None
    # 3. <time datetime> and abbr.published
    body_start = body_blocks[0].index if body_blocks else 10**9
    body_end = body_blocks[-1].index if body_blocks else -1
    if not pub or not mod:
        for el, idx, boiler in c.w.time_els[:50]:
            dt = el.attrs.get("datetime") or el.attrs.get("content")
            if dt:
                val = D.parse_iso(str(dt))
            else:  # <time>29.04.2020, 12:01 Uhr</time>
                val = D.parse_text(_norm(el.get_text(" "))[:100], file_date=fd, lang=lang, use_dateparser=False)
            if not val:
                continue
            cls = el.attrs.get("class")
            ac = " ".join(cls) if isinstance(cls, list) else str(cls or "")
            near = _norm(el.parent.get_text(" "))[:80] if el.parent is not None else ""
            if _UPDATED_CLASS.search(ac) or (_UPDATED_TEXT.search(near) and not _PUBLISHED_TEXT.search(near)):
                if not mod:
                    mod = val
                continue
            if not pub and ((not boiler and idx <= body_end + 1) or idx <= body_start + 2 or "pubdate" in el.attrs):
                pub = val
    if not pub and c.w.abbr_published:
        pub = D.parse_iso(c.w.abbr_published[0])
    # Machine sources that disagree on the day (JSON-LD says the 4th, OpenGraph the 6th):
    # the one the page also prints wins.
    alts = _machine_pub_alternatives(c, ld, body_start, body_end)
    if pub and any(a[:10] != pub[:10] for a in alts):
        vp, _vm = _visible_dates(c, head_idx, body_start, body_end, lang, fd)
        if vp and vp[:10] != pub[:10]:
            agree = next((a for a in alts if a[:10] == vp[:10]), None)
            if agree:
                pub = agree
    # 4. visible date lines and date elements around the headline
    utc = bool(pub and len(pub) > 10 and pub.endswith("+00:00"))
    if not pub or not mod or utc:
        vp, vm = _visible_dates(c, head_idx, body_start, body_end, lang, fd)
        if utc and vp and len(vp) >= 10 and _one_day_apart(vp[:10], pub[:10]):
            # A CMS that normalises machine dates to UTC: the page's printed date is the local
            # day of publication (23:00 UTC is already tomorrow in Berlin).
            pub = vp
        pub = pub or vp
        if not mod and vm and vm != pub:
            mod = vm
    # 5. generic "date" metas, then the URL, then an update date as the only date given
    pub = pub or _first_meta(c, _WEAK_PUB_METAS)
    if not pub:
        pub = D.url_date(url) or D.url_date(c.url)
    if not pub and mod:
        pub = mod
        mod = None
    return pub, mod


def _visible_dates(c: _Ctx, head_idx: int, body_start: int, body_end: int, lang: str | None,
                   fd: datetime | None) -> tuple[str | None, str | None]:
    blocks = c.w.blocks
    pub = mod = None
    ref = head_idx if head_idx >= 0 else (body_start if body_start < 10**9 else 0)
    lo = max(0, ref - 15)
    hi = min(len(blocks), (body_end + 8) if body_end >= 0 else lo + 60)
    cands = []  # (rank, distance, text, labelled)
    for el, idx, ac, boiler in c.w.date_texts[:120]:
        if "comment" in ac:
            continue
        strong = _STRONG_DATE_CLASS.search(ac) is not None
        if boiler and not strong:
            continue
        if id(el) in c.w.stats:
            t = _el_text(c.w, el, idx) if idx < len(blocks) else ""
        else:  # an inline element (<span class="date">): small, read it directly
            t = _norm(el.get_text(" "))[:300]
        if 4 <= len(t) <= 200:
            cands.append((0 if strong else 2, abs(idx - ref), t, True))
    for el, boiler, ac in c.w.byline_texts[:20]:  # "By Jo Smith | 29.12.2010, 13:36"
        if "comment" in ac:
            continue
        t = _norm(el.get_text(" "))[:200]
        if 6 <= len(t) <= 200 and any(ch.isdigit() for ch in t):
            cands.append((2, 0, t, True))
    for b in blocks[lo:hi]:
        if b.chars > 160:
            continue
        if _DATE_LINE.match(b.text) or _UPDATED_TEXT.search(b.text) or _PUBLISHED_TEXT.search(b.text):
            text = b.text
            if b.chars < 40 and b.index + 1 < len(blocks) and not any(ch.isdigit() for ch in text):
                text = text + " " + blocks[b.index + 1].text[:80]  # "Published" / "4 March 2008"
            cands.append((1, abs(b.index - ref), text, True))
    # a dateline opening the body: "01.02.2022 – The labour market..."
    if body_start < len(blocks):
        for b in blocks[body_start: body_start + 2]:
            head = b.text[:40]
            if head[:1].isdigit() or head.split(" ", 1)[0].lower().strip(".,") in D.MONTHS:
                cands.append((4, 0, head, False))
    if head_idx >= 0:
        for b in blocks[max(0, head_idx - 4): head_idx + 10]:
            if b.chars <= 120:
                cands.append((3, abs(b.index - ref), b.text, False))
    cands.sort(key=lambda x: (x[0], x[1]))
    for rank, _dist, text, labelled in cands[:40]:
        val = D.parse_text(text, file_date=fd, lang=lang, use_dateparser=labelled and len(text) < 60)
        if not val:
            continue
        if _UPDATED_TEXT.search(text) and not _PUBLISHED_TEXT.search(text):
            if not mod:
                mod = val
            continue
        if not pub:
            pub = val
        if pub and mod:
            break
    return pub, mod

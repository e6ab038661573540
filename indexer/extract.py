"""The article extractor: raw page bytes → `Article`.

Pipeline (each page is parsed once, with BeautifulSoup on lxml):

1. `indexer.page.parse_page`: decode (`indexer.charset`: gunzip, cap at `MAX_BYTES`, reject
   empty and binary data, detect the charset), parse at most `MAX_TAGS` tags, and walk the
   tree once (`indexer.density.walk`) collecting text blocks with their link density and all
   metadata evidence (meta, JSON-LD, microdata, headings, ``<time>``, captions, date and
   byline elements).
2. Each field is chosen by the module named after it, combining evidence: machine metadata
   first where it is reliable (dates, authors, canonical URL), visible markup where it is more
   exact (the headline as printed, without the site name the ``<title>`` glues on):
   `indexer.source` (URL, source, section, tags, language), `indexer.headline` (headline,
   standfirst), `indexer.body` (main text), `indexer.byline`, `indexer.captions`,
   `indexer.published` (publication and modification dates).

Raises `ExtractionError` for pages that cannot be cleaned (empty, binary, not HTML, broken gzip,
no text at all).

Dates: ``captured``, the time the page was saved when it is known (a WARC record's date, an
HTTP ``Date`` header, ``morgue extract --captured``), resolves relative dates ("3 hours ago",
"yesterday") and bounds every date: no article is dated after its capture, or after now when
the capture time is unknown. A file's mtime is not a capture time (copying a folder changes
it). A page that gives no usable date gets ``published = None``: undated, not wrongly dated.
"""

from __future__ import annotations

import os
from datetime import datetime

from morgue.errors import ExtractionError
from morgue.indexer.article import Article, Caption
from morgue.indexer.body import body_from_ld, select_body
from morgue.indexer.byline import choose_byline, visible_byline
from morgue.indexer.captions import (caption_of, image_block_captions, in_story_header, ld_captions,
                                     story_element)
from morgue.indexer.charset import MAX_BYTES
from morgue.indexer.dates import format_captured
from morgue.indexer.headline import choose_headline, choose_standfirst, heading_before, line_before
from morgue.indexer.page import MAX_TAGS, Page, parse_page, word_tokens
from morgue.indexer.pagekind import page_kind
from morgue.indexer.published import choose_dates
from morgue.indexer.source import (choose_lang, choose_section, choose_source, choose_tags, choose_url,
                                   kicker, looks_like_site_name, site_and_section_from_title)

__all__ = ["extract", "extract_file", "MAX_BYTES", "MAX_TAGS"]


def extract(data: bytes, *, path: str | None = None, url: str | None = None,
            captured: datetime | None = None, content_type: str | None = None) -> Article:
    """Extract the article in a raw page (bytes, any charset, optionally gzipped).

    ``url`` is where the page was fetched from (used when the page names no canonical URL and
    for URL dates), ``captured`` when it was saved, if known (resolves relative dates such as
    "3 hours ago"; no date may be later), ``content_type`` is an HTTP Content-Type header whose
    charset wins over detection.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ExtractionError(f"expected page bytes, got {type(data).__name__}")
    page = parse_page(bytes(data), url=url, captured=captured, content_type=content_type)
    art = _assemble(page)
    art.path = path
    if not art.body and not art.headline:
        raise ExtractionError("no article text found: the page has no headline and no body text")
    return art


def extract_file(path: str | os.PathLike, captured: datetime | None = None) -> Article:
    """Extract the article of a saved page, captured at `captured` if that is known (the
    file's mtime is not used: copying a folder changes it)."""
    p = os.fspath(path)
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ExtractionError(f"cannot read {p}: {exc.strerror or exc}") from None
    art = extract(data, path=str(path), captured=captured)
    art.path = str(path)
    return art


def _assemble(page: Page) -> Article:
    """The `Article` of a parsed page, each field from its chooser."""
    art = Article()
    art.url = choose_url(page)
    art.source = choose_source(page)
    art.headline, head_idx, strong = choose_headline(page, art.source)
    art.standfirst, _standfirst_idx = choose_standfirst(page, head_idx, art.headline)
    body_blocks, container_ids = select_body(page, head_idx, art.headline, art.standfirst)
    if not strong and body_blocks:
        # The headline was not seen on the page: the heading (or line) just above the body is.
        found = heading_before(page, body_blocks[0].index) or (
            None if art.headline else line_before(page, body_blocks[0].index))
        if found:
            art.headline, head_idx = found
            headline_tokens = word_tokens(art.headline)
            body_blocks = [b for b in body_blocks if not (b.chars < 400 and word_tokens(b.text) == headline_tokens)]
        elif not art.headline and len(body_blocks) > 1:
            first = body_blocks[0]
            if 3 <= len(first.text.split()) <= 20 and not first.text.endswith((".", "!", "?", ":", ",")):
                art.headline, head_idx = first.text, first.index
                body_blocks = body_blocks[1:]
        if art.headline:
            headline_tokens = word_tokens(art.headline)
            body_blocks = [b for b in body_blocks if not (b.chars < 400 and word_tokens(b.text) == headline_tokens)]
    art.body = "\n\n".join(b.text for b in body_blocks)
    art.body = body_from_ld(page, art.body, art.headline) or art.body
    art.captions, caption_paragraphs = _choose_captions(page, container_ids, art.body)
    if caption_paragraphs:  # image-block captions the body selection took in as paragraphs
        art.body = "\n\n".join(p for p in art.body.split("\n\n") if p not in caption_paragraphs)
        body_blocks = [b for b in body_blocks if b.text not in caption_paragraphs]
    art.byline = choose_byline(page) or visible_byline(page, head_idx, art.source)
    art.section = choose_section(page)
    if not art.source or not art.section:
        site, section = site_and_section_from_title(page, art.headline)
        art.source = art.source or site
        if not art.section:
            art.section = section or kicker(page, head_idx)
    if art.source and not looks_like_site_name(art.source, art.headline):
        art.source = None
    art.tags = choose_tags(page)
    art.lang = choose_lang(page)
    # dates read with the page's full language tag: en-GB writes 02/10/2020 for 2 October
    date_lang = (page.walk.html_lang or art.lang or "").strip() or None
    chosen = choose_dates(page, head_idx, body_blocks, date_lang, art.url)
    art.published, art.published_from = chosen.published, chosen.published_from
    art.modified, art.modified_from = chosen.modified, chosen.modified_from
    if page.captured is not None:
        art.captured = format_captured(page.captured)
    # What the page is (article, listing, error page, gallery): indexer/pagekind.py
    art.kind, art.kind_reason = page_kind(
        page.walk.blocks, ld_objs=page.ld_objects, og_type=page.metas.first("og:type"),
        title=page.walk.title, headings=page.walk.headings, body_blocks=body_blocks,
        captions=len(art.captions))
    return art


def _choose_captions(page: Page, container_ids: set, body: str = "") -> tuple[list[Caption], set[str]]:
    """Captions of the article's photos: those inside the body's containers, the lead photo in
    the story's header, or outside any boilerplate region; then image blocks without caption
    markup and the JSON-LD image captions (indexer/captions.py); duplicates once. Also returns
    the image-block captions the body selection took in as paragraphs (to be dropped from it)."""
    out: list[Caption] = []
    seen = set()
    story = None  # the element holding the whole story: its header's lead photo is the story's
    for cid in container_ids:
        st = page.walk.stats.get(cid)
        story = story_element(st.el) if st is not None else None
        if story is not None:
            break
    for el, anc, boiler in page.walk.captions:
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
    known = {t for t, _ in seen} | {" ".join(f"{t} {cr or ''}".split()) for t, cr in seen}
    blocks = image_block_captions(story, known, body)
    for text, credit in [(t, cr) for t, cr, _ in blocks] + ld_captions(page.article_ld):
        key = " ".join(f"{text} {credit or ''}".split())
        if (text and text in known) or key in known or (not text and any(credit == cr for _, cr in seen)):
            continue
        known.update((text, key))
        seen.add((text, credit))
        out.append(Caption(text, credit))
    return out, {whole for _, _, whole in blocks}

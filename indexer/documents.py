"""Turning an `Article` into the fields of one Whoosh document (and back)."""

from __future__ import annotations

import heapq
import json
import re
import zlib
from datetime import datetime, timezone
from typing import Any

from morgue.indexer.article import Article
from morgue.indexer.schema import (
    LANG_ANALYZERS,
    MULTI_SEP,
    TEXT_REPEATS,
    UNDATED_NEWEST,
    article_id,
    fold,
    parse_iso,
    timestamp,
)

_WORD = re.compile(r"\w+", re.UNICODE)

#: Key of the word list `to_document` adds for the vocabulary; not a Whoosh field.
VOCABULARY_KEY = "_vocabulary"


def identity_key(article: Article, path: str | None) -> str:
    """What makes two pages the same article: the canonical URL, else the file path."""
    return article.url or f"file:{path or ''}"


def headline_key(headline: str) -> str:
    """Headline reduced to lower-case words: equal for copies of one wire story."""
    return " ".join(_WORD.findall(headline.lower()))


def body_signature(text: str, k: int = 8) -> bytes:
    """Bottom-k MinHash sketch of the body's word 3-shingles (k CRC-32 values, 4 bytes each).

    Copies of one story with small edits share most of the k values; unrelated bodies
    share almost none. See `search.collapse` for the comparison.
    """
    words = _WORD.findall(text.lower())[:3000]
    if not words:
        return b""
    shingles = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    smallest = heapq.nsmallest(k, {zlib.crc32(s.encode()) for s in shingles})
    return b"".join(v.to_bytes(4, "big") for v in smallest)


def to_document(article: Article, *, key: str, content_hash: str) -> dict[str, Any]:
    """The Whoosh fields of `article`."""
    published = parse_iso(article.published)
    modified = parse_iso(article.modified)
    # `caption:` and snippets search the caption text; `credit:` the credits; plain words both
    captions_text = "\n".join(c.text for c in article.captions if c.text)
    credits_text = "\n".join(c.credit for c in article.captions if c.credit)
    with_credits = "\n".join(" ".join(x for x in (c.text, c.credit) if x) for c in article.captions)
    parts = {"headline": article.headline, "standfirst": article.standfirst,
             "body": article.body, "captions": with_credits}
    text = "\n\n".join(
        "\n".join([parts[name] or ""] * times) for name, times in TEXT_REPEATS.items() if parts[name]
    )
    doc: dict[str, Any] = {
        "text": text,
        "id": article_id(key),
        "key": key,
        "url": article.url or "",
        "headline": article.headline or "",
        "standfirst": article.standfirst or "",
        "body": article.body or "",
        "captions": captions_text,
        "credits": credits_text,
        "captions_json": json.dumps(
            [{"text": c.text, "credit": c.credit} for c in article.captions], ensure_ascii=False
        ),
        "byline": "\n".join(article.byline),
        "byline_words": "\n".join(article.byline),
        "section": article.section or "",
        "source": article.source or "",
        "tags": "\n".join(article.tags),
        "byline_exact": ",".join(b.replace(",", " ") for b in article.byline),
        "section_exact": (article.section or "").replace(",", " "),
        "source_exact": (article.source or "").replace(",", " "),
        "lang": article.lang or "",
        "published_text": article.published,
        "modified_text": article.modified,
        "ts_newest": timestamp(published) if published else UNDATED_NEWEST,
        "section_col": (article.section or "").encode(),
        "source_col": (article.source or "").encode(),
        "byline_col": MULTI_SEP.join(article.byline).encode(),
        "headline_key": headline_key(article.headline).encode(),
        "body_sig": body_signature(article.body),
        "path": article.path,
        "content_hash": content_hash,
        "indexed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        # The article's distinct words, for did-you-mean: kept in the manifest's vocabulary
        # table rather than the index (a second full-text field cost a quarter of indexing).
        VOCABULARY_KEY: sorted({w for w in _WORD.findall(fold(f"{article.headline} {article.body}"))
                                if 3 <= len(w) <= 30 and not w.isdigit()}),
    }
    if published:
        doc["published"] = published
    if modified:
        doc["modified"] = modified
    lang = (article.lang or "").split("-")[0].lower()
    if lang in LANG_ANALYZERS:
        doc[f"text_{lang}"] = f"{article.headline}\n{article.standfirst}\n{article.body}"
    return {k: v for k, v in doc.items() if v is not None}

"""Highlighting: whole headlines, and short body fragments around the best matches.

Matches are found by running the field's own analyser over the stored text (so stems
match: "floods" highlights for "flood"), on at most `MAX_CHARS` characters per field, which
bounds the work per hit however long the article. Output is HTML-escaped except for the
`<mark>` tags, or plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass

from whoosh.analysis import Analyzer, RegexTokenizer

MAX_CHARS = 60_000  # text analysed per field and hit
FRAGMENT_CHARS = 200


@dataclass
class Snippet:
    html: str
    text: str
    matched: bool


class _Terms:
    """An analyser applied word by word, remembering each word's term.

    Morgue's analysers (a regex tokenizer, then lower-casing, stop words and stemming) treat
    every token on its own, so a word always yields the same term; looking words up in a
    memo instead of running the whole filter chain over every token makes highlighting a
    long article several times cheaper. Other analysers run whole.
    """

    LIMIT = 200_000  # words remembered per analyser

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        items = getattr(analyzer, "items", None)
        tokenizer = items[0] if items else None
        expression = getattr(tokenizer, "expression", None)
        self.pattern: re.Pattern[str] | None = (
            expression if isinstance(tokenizer, RegexTokenizer) and not getattr(tokenizer, "gaps", False)
            else None)
        self.memo: dict[str, str | None] = {}

    def term(self, word: str) -> str | None:
        found = self.memo.get(word, _MISSING)
        if found is _MISSING:
            tokens = [t.text for t in self.analyzer(word, mode="index", removestops=False)]
            found = tokens[0] if len(tokens) == 1 else None
            if len(self.memo) >= self.LIMIT:
                self.memo.clear()
            self.memo[word] = found
        return found  # type: ignore[return-value]

    def matches(self, text: str, terms: Collection[str]) -> list[tuple[int, int, str]]:
        text = text[:MAX_CHARS]
        if self.pattern is None:
            return [(t.startchar, t.endchar, t.text)
                    for t in self.analyzer(text, chars=True, mode="index", removestops=False)
                    if t.text in terms]
        spans = []
        term = self.term
        for m in self.pattern.finditer(text):
            t = term(m.group())
            if t is not None and t in terms:
                spans.append((m.start(), m.end(), t))
        return spans


_MISSING = object()
_BY_ANALYZER: dict[int, _Terms] = {}


def _matches(analyzer: Analyzer, text: str, terms: Collection[str]) -> list[tuple[int, int, str]]:
    helper = _BY_ANALYZER.get(id(analyzer))
    if helper is None or helper.analyzer is not analyzer:
        helper = _BY_ANALYZER[id(analyzer)] = _Terms(analyzer)
    return helper.matches(text, terms)


def mark(text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None) -> str:
    """`text[start:end]` escaped, with each span wrapped in <mark>."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def highlight_whole(analyzer: Analyzer, text: str, terms: Collection[str]) -> str:
    """All of `text`, escaped, matches marked (headlines, article paragraphs)."""
    return mark(text, _matches(analyzer, text, terms) if terms else [])


def fragments(analyzer: Analyzer, text: str, terms: Collection[str], *, count: int = 2,
              size: int = FRAGMENT_CHARS) -> Snippet:
    """Up to `count` windows of about `size` characters holding the most distinct matches.

    Without a match, the opening of the text. Windows are cut at word boundaries and
    joined with an ellipsis.
    """
    spans = _matches(analyzer, text, terms) if terms else []
    if not spans:
        window = _cut(text, 0, size)
        return Snippet(html.escape(_dots(text, *window)), _dots(text, *window), False)
    candidates = []
    for i, (s, _, _) in enumerate(spans):
        lo = max(0, s - size // 3)
        hi = lo + size
        inside = []
        for sp in spans[i:]:  # in text order: none past one that starts beyond the window
            if sp[0] >= hi:
                break
            if sp[1] <= hi:
                inside.append(sp)
        candidates.append((len({sp[2] for sp in inside}), len(inside), -s, lo, hi))
    candidates.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for _, _, _, lo, hi in candidates:
        if len(chosen) == count:
            break
        if all(hi <= a or lo >= b for a, b in chosen):
            chosen.append(_cut(text, lo, hi - lo))
    chosen.sort()
    html_parts = [" ".join(mark(text, spans, a, b).split()) for a, b in chosen]
    text_parts = [" ".join(text[a:b].split()) for a, b in chosen]
    head = "… " if chosen[0][0] > 0 else ""
    tail = " …" if chosen[-1][1] < len(text) else ""
    return Snippet(head + " … ".join(html_parts) + tail, head + " … ".join(text_parts) + tail, True)


def _cut(text: str, start: int, size: int) -> tuple[int, int]:
    """Widen/narrow [start, start+size) to word boundaries."""
    end = min(len(text), start + size)
    if start > 0:
        space = text.find(" ", start)
        if 0 <= space < start + 30:
            start = space + 1
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start + size // 2:
            end = space
    return start, end


def _dots(text: str, a: int, b: int) -> str:
    body = " ".join(text[a:b].split())
    return ("… " if a > 0 else "") + body + (" …" if b < len(text) else "")

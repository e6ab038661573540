"""Word pairs: two neighbouring words of a text field indexed as one term, for fast phrases.

A phrase query needs the documents where its words stand side by side. Checking word
positions means reading and decoding the positions of every document holding all the words;
with each pair of neighbouring words indexed as a term of its own (Elasticsearch's
`index_phrases`), a two-word phrase is one short posting list, and a longer one is the
documents holding all its pairs, whose positions are then checked in those few documents.

`WordPairs` wraps the text field's own analyser, so a pair is exactly two words at
neighbouring positions of the stream that field indexes (stop words already removed and
positions renumbered, as the phrase query's words are). Words sharing a position (an
analyser that adds variants of a word) pair with every word of the next position.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Analyzer, Token

#: Between the two words of a pair term (analysers never leave a space inside a word).
SEPARATOR = " "


def pair_term(first: str, second: str) -> str:
    """The term of two neighbouring words."""
    return f"{first}{SEPARATOR}{second}"


class WordPairs(Analyzer):
    """Yields a `pair_term` for every two words at neighbouring positions of `base`'s output."""

    def __init__(self, base: Analyzer) -> None:
        self.base = base

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordPairs) and other.base == self.base

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: Any
                 ) -> Iterator[Token]:
        out = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        out.boost = 1.0
        out.stopped = False
        previous: list[str] = []
        current: list[str] = []
        at: int | None = None
        n = 0
        for t in self.base(value, positions=True, removestops=True, mode=mode):
            if t.stopped:
                continue
            if t.pos != at:
                if at is not None and t.pos == at + 1:
                    previous = current
                else:
                    previous = []
                current, at = [], t.pos
            current.append(t.text)
            for first in previous:
                out.text = pair_term(first, t.text)
                if positions:
                    out.pos = start_pos + n
                n += 1
                yield out


__all__ = ["SEPARATOR", "pair_term", "WordPairs"]

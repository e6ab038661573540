"""Fuzzy terms (`word~`): the words of the archive close to what the user typed.

Whoosh's own fuzzy query compares the typed text, already stemmed, with the index's stems
("corossion" becomes "coross", which is one edit from "cross"), and measures the distance
two ways: its segment readers use a Levenshtein automaton, its multi-segment reader the
Damerau–Levenshtein distance. A swapped pair of letters then matched in the totals and not
in the ranked hits. Here the word as typed is compared with the archive's WORDS (the
manifest's vocabulary, see `morgue.indexer.manifest.read_vocabulary`) under one distance,
and the words found are searched as any typed word is: analysed (stemmed) by the field.

The distance is the optimal-string-alignment Damerau–Levenshtein distance: inserting,
deleting or changing a letter, or swapping two neighbouring letters, is one edit. With no
number after the `~` the allowed edits follow the length of the word, as Elasticsearch's
`fuzziness: AUTO` does: none for 1–2 letters, 1 for 3–5, 2 for 6 or more. `word~N` allows
N (at most 2). The first letter must match (`word~N/P`: the first P letters).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract
from whoosh import qparser, query as wq
from whoosh.fields import Schema

#: Most words one fuzzy term may stand for: the closest, then the most used, are kept.
MAX_WORDS = 32
#: Largest edit distance allowed (Lucene's limit too: beyond 2 nearly everything matches).
MAX_EDITS = 2


def auto_edits(word: str) -> int:
    """Edits `word~` allows when no number is given (Elasticsearch's AUTO fuzziness)."""
    n = len(word)
    return 0 if n <= 2 else 1 if n <= 5 else 2


class TypedFuzzyTerm(wq.FuzzyTerm):
    """A `FuzzyTerm` that remembers the word as typed (before the field's analyser ran)."""

    typed: str = ""


class FuzzyPlugin(qparser.FuzzyTermPlugin):
    """Whoosh's `word~N/P` syntax, producing `TypedFuzzyTerm`s; a bare `~` means AUTO edits."""

    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):
        qclass = TypedFuzzyTerm

        def query(self, parser: qparser.QueryParser) -> wq.Query:
            q = super().query(parser)
            if isinstance(q, TypedFuzzyTerm):
                q.typed = self.text.lower()
                if self.maxdist is None:
                    q.maxdist = auto_edits(q.typed)
            return q

    def create(self, parser: qparser.QueryParser, match):  # noqa: ANN201 (Whoosh's node type)
        node = super().create(parser, match)
        if not match.group("maxdist"):
            node.maxdist = None  # resolved per word in FuzzyTermNode.query
        return node

    def do_fuzzyterms(self, parser: qparser.QueryParser, group):  # noqa: ANN001, ANN201
        # Whoosh's version builds its own node class; build ours.
        newgroup = group.empty_copy()
        i = 0
        while i < len(group):
            node = group[i]
            if i < len(group) - 1 and isinstance(node, qparser.syntax.WordNode):
                nextnode = group[i + 1]
                if isinstance(nextnode, self.FuzzinessNode):
                    node = self.FuzzyTermNode(node, nextnode.maxdist, nextnode.prefixlength)
                    i += 1
            if isinstance(node, self.FuzzinessNode):
                node = qparser.syntax.to_word(node)
            if isinstance(node, qparser.syntax.GroupNode):
                node = self.do_fuzzyterms(parser, node)
            newgroup.append(node)
            i += 1
        return newgroup


def words_within(words: Sequence[str], counts: dict[str, int], typed: str, edits: int,
                 prefix: int = 1) -> list[tuple[str, int]]:
    """(word, distance) for the `words` (sorted) within `edits` of `typed` that share its
    first `prefix` letters: the closest first, then the most used, at most `MAX_WORDS`."""
    typed = typed.lower()
    edits = max(0, min(edits, MAX_EDITS))
    head = typed[:prefix]
    lo = bisect.bisect_left(words, head)
    hi = bisect.bisect_left(words, head + "\U0010ffff") if head else len(words)
    span = words[lo:hi]
    if edits == 0:
        i = bisect.bisect_left(span, typed)
        return [(typed, 0)] if i < len(span) and span[i] == typed else []
    found = extract(typed, span, scorer=OSA.distance, score_cutoff=edits, limit=None)
    found.sort(key=lambda m: (m[1], -counts.get(m[0], 0), m[0]))
    return [(word, int(distance)) for word, distance, _ in found[:MAX_WORDS]]


def expand(q: wq.Query | None, schema: Schema,
           words_for: Callable[[str, str, int, int], list[tuple[str, int]]]) -> wq.Query | None:
    """`q` with each `TypedFuzzyTerm` replaced by the words that
    `words_for(field, typed, edits, prefix)` finds, each analysed by the field like a typed word and weighted as Lucene's fuzzy
    query weights its terms: 1 - distance / (length of the shorter word)."""
    if q is None:
        return None

    def visit(node: wq.Query) -> wq.Query:
        if isinstance(node, TypedFuzzyTerm) and node.typed:
            return _alternatives(node, schema, words_for(node.fieldname, node.typed, node.maxdist, node.prefixlength))
        return node.apply(visit) if not node.is_leaf() else node

    return visit(q).normalize()


def _alternatives(node: TypedFuzzyTerm, schema: Schema,
                  found: list[tuple[str, int]]) -> wq.Query:
    field = node.fieldname
    if field not in schema:
        return wq.NullQuery
    fieldobj = schema[field]
    weights: dict[str, float] = {}
    for word, distance in found:
        weight = 1.0 - distance / max(1, min(len(word), len(node.typed)))
        for text in fieldobj.process_text(word, mode="query"):
            weights[text] = max(weights.get(text, 0.0), weight)
    terms = [wq.Term(field, text, boost=node.boost * w) for text, w in weights.items() if w > 0]
    if not terms:
        return wq.NullQuery
    return terms[0] if len(terms) == 1 else wq.Or(terms)

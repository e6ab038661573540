"""Fuzzy terms (`word~`) and wildcards (`dr?ught`, `fl*d`): the archive's words that fit
what the user typed.

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

Wildcards with a `?` or an inner `*` had the same defect: Whoosh ran the pattern through the
stemmer ("m?ll" became "mll") and matched it against stems (`br?dge` could not find
"bridge", indexed as "bridg"). They are matched against the archive's words too. A pattern
ending in its only `*` (`irrig*`) stays Whoosh's prefix query on the index terms, which finds
every form of a word whose stem starts that way.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract
from whoosh import qparser, query as wq
from whoosh.fields import Schema

#: Most words one fuzzy term may stand for: the closest, then the most used, are kept.
MAX_WORDS = 32
#: Most words one wildcard may stand for: the most used are kept.
MAX_WILDCARD_WORDS = 64
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


class TypedWildcard(wq.Wildcard):
    """A `Wildcard` that remembers the pattern as typed (before the field's analyser ran)."""

    typed: str = ""


class WildcardPlugin(qparser.WildcardPlugin):
    """Whoosh's `?`/`*` syntax, producing `TypedWildcard`s for patterns other than `prefix*`."""

    class WildcardNode(qparser.WildcardPlugin.WildcardNode):
        qclass = TypedWildcard

        def query(self, parser: qparser.QueryParser) -> wq.Query:
            q = super().query(parser)
            if isinstance(q, TypedWildcard):
                q.typed = self.text.lower()
            return q

    nodetype = WildcardNode

    def do_wildcards(self, parser: qparser.QueryParser, group):  # noqa: ANN001, ANN201
        # Whoosh's version joins a wildcard with one neighbour on each side, so `fl??d`
        # became `fl??` and `d`: join every adjacent piece of text instead.
        i = 0
        while i < len(group):
            node = group[i]
            if isinstance(node, self.WildcardNode):
                while i < len(group) - 1 and group[i + 1].is_text():
                    node.text += group.pop(i + 1).text
                while i > 0 and group[i - 1].is_text():
                    node.text = group.pop(i - 1).text + node.text
                    i -= 1
            elif isinstance(node, qparser.syntax.GroupNode):
                self.do_wildcards(parser, node)
            i += 1
        for i, node in enumerate(group):
            text = getattr(node, "text", "")
            if isinstance(node, self.WildcardNode) and len(text) > 1 and "?" not in text \
                    and text.find("*") == len(text) - 1:
                prefix = qparser.PrefixPlugin.PrefixNode(text[:-1])  # `irrig*`: Whoosh's prefix query
                prefix.startchar, prefix.endchar = node.startchar, node.endchar
                group[i] = prefix
        return group


def words_matching(words: Sequence[str], counts: dict[str, int], pattern: str) -> list[tuple[str, int]]:
    """(word, 0) for the `words` (sorted) that `pattern` (`?`: one letter, `*`: any letters)
    matches whole: the most used first, at most `MAX_WILDCARD_WORDS`."""
    pattern = pattern.lower()
    head = re.split(r"[*?]", pattern, maxsplit=1)[0]
    rx = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern))
    lo = bisect.bisect_left(words, head)
    hi = bisect.bisect_left(words, head + "\U0010ffff") if head else len(words)
    found = [w for w in words[lo:hi] if rx.fullmatch(w)]
    found.sort(key=lambda w: (-counts.get(w, 0), w))
    return [(w, 0) for w in found[:MAX_WILDCARD_WORDS]]


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


#: The words a field's fuzzy terms and wildcards are matched against: (sorted words, use counts).
WordSource = Callable[[str], tuple[Sequence[str], dict[str, int]]]


def expand(q: wq.Query | None, schema: Schema, words_of: WordSource) -> wq.Query | None:
    """`q` with each `TypedFuzzyTerm` and `TypedWildcard` replaced by the words of
    `words_of(field)` it matches, each analysed by the field like a typed word. Fuzzy
    alternatives are weighted as Lucene's fuzzy query weights its terms:
    1 - distance / (length of the shorter word)."""
    if q is None:
        return None

    def visit(node: wq.Query) -> wq.Query:
        if isinstance(node, TypedFuzzyTerm) and node.typed:
            words, counts = words_of(node.fieldname)
            return _alternatives(node, schema, words_within(words, counts, node.typed, node.maxdist,
                                                            node.prefixlength))
        if isinstance(node, TypedWildcard) and node.typed and re.search(r"[?]|\*.", node.typed):
            words, counts = words_of(node.fieldname)
            return _alternatives(node, schema, words_matching(words, counts, node.typed))
        return node.apply(visit) if not node.is_leaf() else node

    return visit(q).normalize()


def _alternatives(node: TypedFuzzyTerm | TypedWildcard, schema: Schema,
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

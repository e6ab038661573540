"""Ranking: BM25 with the Robertson–Spärck Jones inverse document frequency.

Whoosh's BM25F takes idf = log(N / (df + 1)) + 1, which leaves common words ("said",
"new", "year") with much of the weight of rare ones; a pasted sentence then ranks by its
filler words. Morgue uses BM25's own idf, the Robertson–Spärck Jones weight
log((N - df + 0.5) / (df + 0.5)), as SQLite FTS5 and the Okapi papers do: a word in half
the archive or more says nothing about which article is wanted, so it scores (almost)
nothing, and the rare, telling words decide. Lucene and Elasticsearch add 1 inside the log
to keep every word's weight above zero; that keeps some weight on words like "which" or
"policy" in a long question, and measured worse on the TIME news collection (docs/benchmarks.md,
Relevance). The floor keeps a word's contribution positive, so an
article with more of even a very common word still ranks higher.
"""

from __future__ import annotations

import math
from typing import Callable

from whoosh import scoring

#: BM25's term-frequency saturation and length normalisation, the usual defaults.
K1 = 1.2
B = 0.75
#: Smallest idf (SQLite FTS5's): words in more than half the articles weigh almost nothing.
IDF_FLOOR = 1e-6


def rsj_idf(n: int, df: int) -> float:
    """Robertson–Spärck Jones idf of a word in `df` of `n` documents, floored above 0."""
    return max(IDF_FLOOR, math.log((n - df + 0.5) / (df + 0.5)))


def lucene_idf(n: int, df: int) -> float:
    """Lucene's and Elasticsearch's idf, always above 0 (a benchmark variant)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


IdfFunction = Callable[[int, int], float]


class _Scorer(scoring.BM25FScorer):
    def __init__(self, searcher, fieldname, text, B, K1, qf=1, idf_of=rsj_idf):  # noqa: N803
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)
        parent = searcher.get_parent()
        self.idf = idf_of(parent.doc_count_all(), parent.doc_frequency(fieldname, text))


class NewsBM25(scoring.BM25F):
    """BM25 per field with the idf `idf_of` (default `rsj_idf`), weighted by field boosts."""

    def __init__(self, B: float = B, K1: float = K1, idf_of: IdfFunction = rsj_idf) -> None:  # noqa: N803
        super().__init__(B=B, K1=K1)
        self.idf_of = idf_of

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        return _Scorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1,
                       qf=qf, idf_of=self.idf_of)


#: Okapi BM25's query-term saturation (Robertson et al., TREC-3 and TREC-4: k3 between 7
#: and 1000 for long queries). A word written twice in a question weighs (k3+1)·2/(k3+2)
#: times a word written once; at 1000 that is nearly twice, as in Okapi's runs on long
#: TREC topics and as Lucene and SQLite FTS5 weigh a repeated clause. The choice between
#: 7, 1000 and no qtf at all was measured with `python -m bench.relevance` (docs/benchmarks.md).
K3 = 1000.0


def qtf_weight(qtf: int, k3: float | None = None) -> float:
    """The weight of a query word written `qtf` times, relative to once: (k3+1)·qtf/(k3+qtf)."""
    k3 = K3 if k3 is None else k3
    if qtf <= 1:
        return 1.0
    return (k3 + 1) * qtf / (k3 + qtf)

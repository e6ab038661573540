"""Ranking: BM25 with the inverse document frequency Lucene and Elasticsearch use.

Whoosh's BM25F takes idf = log(N / (df + 1)) + 1, which leaves common words ("said",
"new", "year") with much of the weight of rare ones; a pasted sentence then ranks by its
filler words. The Robertson–Spärck Jones form used by Lucene, Elasticsearch and SQLite
FTS5, log(1 + (N - df + 0.5) / (df + 0.5)), lets the rare, telling words decide.
"""

from __future__ import annotations

import math

from whoosh import scoring

#: BM25's term-frequency saturation and length normalisation, Lucene's defaults.
K1 = 1.2
B = 0.75


def lucene_idf(n: int, df: int) -> float:
    """Inverse document frequency of a word in `df` of `n` documents."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class _Scorer(scoring.BM25FScorer):
    def __init__(self, searcher, fieldname, text, B, K1, qf=1):  # noqa: N803 (Whoosh's names)
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)
        parent = searcher.get_parent()
        n = parent.doc_count_all()
        df = parent.doc_frequency(fieldname, text)
        self.idf = lucene_idf(n, df)


class NewsBM25(scoring.BM25F):
    """BM25 per field with Lucene's idf; fields are weighted by the query's field boosts."""

    def __init__(self, B: float = B, K1: float = K1) -> None:  # noqa: N803
        super().__init__(B=B, K1=K1)

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        return _Scorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1, qf=qf)

"""Query evaluation on whole posting lists with numpy: match sets and BM25 scores.

A results page needs every matching document (for totals, facets and the histogram) and
the best few by score. Whoosh walks its matcher tree one document at a time in Python;
reading each term's posting list once into arrays and combining the lists with numpy
answers both questions in one pass, and much faster.

Scores use Whoosh's own formula and inputs (BM25 with the idf of `search.scoring`,
on the same quantised field lengths), so rankings agree with Whoosh's; query types without
a plain posting-list form (wildcards, fuzzy terms, ranges) raise `Unsupported` and the
caller asks Whoosh instead. Sets alone can still be had for those: Whoosh lists their
documents and the result joins the arrays. Phrases read the positions of their words only
in the documents holding every word, and check them over all those documents at once.

Posting arrays are cached per index generation (least recently used first out, bounded by
postings held), so a repeated or overlapping query reads nothing from disk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from morgue.indexer.whoosh_internals import (field_lengths, has_plain_positions, read_positions,
                                            read_postings)
from morgue.search.lru import LRU
from morgue.search.scoring import NewsBM25

#: Postings kept in memory per index generation (8 bytes each: an id and a weight).
CACHE_POSTINGS = 2_000_000
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)


class Deadline(Exception):
    """The time limit was reached while collecting documents."""


class Unsupported(Exception):
    """The query (or a part of it) has no posting-list form here; ask Whoosh."""


@dataclass
class Matches:
    """Documents a query matches, ascending, with their scores when scoring was asked for."""

    docs: np.ndarray  # int64, sorted, unique
    scores: np.ndarray | None = None  # float64, aligned with docs

    def __len__(self) -> int:
        return len(self.docs)


class Postings:
    """Posting arrays and field lengths of one index generation, shared by all threads.

    Reading goes through the calling thread's own reader (Whoosh's file handles seek, so
    readers are not shared between threads); what was read is shared.
    """

    def __init__(self, reader: Any, budget: int = CACHE_POSTINGS) -> None:
        self.doc_count = reader.doc_count_all()
        self.live = np.ones(self.doc_count, dtype=bool)
        if reader.has_deletions():
            is_deleted = reader.is_deleted
            self.live[[d for d in range(self.doc_count) if is_deleted(d)]] = False
        self.cache: LRU[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = LRU(
            budget, weigh=lambda pair: len(pair[0]))
        self._lengths: dict[str, np.ndarray] = {}

    def postings(self, reader: Any, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Global document numbers (ascending, int32) and weights (float32) of one term."""
        key = (field, btext)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        found = read_postings(reader, field, btext)
        self.cache.put(key, found)
        return found

    def postings_within(self, reader: Any, field: str, btext: bytes, docs: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
        """Like `postings`, for those of `docs` only: from the cache when the whole list is
        there, else reading only the blocks that hold them (not cached)."""
        hit = self.cache.get((field, btext))
        if hit is not None:
            keep = np.isin(hit[0], docs, assume_unique=True)
            return hit[0][keep], hit[1][keep]
        return read_postings(reader, field, btext, docs)

    def lengths(self, reader: Any, field: str) -> np.ndarray:
        """Each document's length in `field`, quantised as Whoosh stores and scores it."""
        have = self._lengths.get(field)
        if have is None:
            have = self._lengths[field] = field_lengths(reader, field)
        return have


class Evaluator:
    """Evaluates queries for one searcher against a generation's `Postings`."""

    def __init__(self, searcher: Searcher, postings: Postings,
                 deadline: float = float("inf"), stats: Any = None) -> None:
        """`stats` gives the collection statistics scores use: anything with the reader's
        `doc_count_all()`, `doc_frequency(field, btext)` and `field_length(field)`. Default:
        this searcher's reader; a sharded archive passes its totals over every shard."""
        self.searcher = searcher
        self.deadline = deadline
        self.reader = searcher.reader()
        self.stats = stats if stats is not None else self.reader
        self.schema = searcher.schema
        self.postings = postings
        weighting = searcher.weighting
        self.weighting = weighting if isinstance(weighting, NewsBM25) else None
        # Scores of each term before its boost: a long question's all-words reading asks
        # for the same terms as its any-word reading.
        self._scored: dict[tuple[str, bytes], np.ndarray] = {}
        #: Set when the time limit cut an OR short: what matched so far is the answer (a
        #: long question's first words; its all-words reading is left out).
        self.cut = False

    def matches(self, q: wq.Query | None, *, scored: bool) -> Matches:
        """What `q` matches (everything when None), deleted documents left out.

        With `scored`, raises `Unsupported` unless every part of `q` can be scored here.
        """
        if q is None:
            if scored:
                raise Unsupported("no query to score")
            docs = np.flatnonzero(self.postings.live).astype(np.int64)
            return Matches(docs)
        out = self._eval(q, scored)
        live = self.postings.live
        if not live.all() and len(out.docs):
            keep = live[out.docs]
            out = Matches(out.docs[keep], out.scores[keep] if out.scores is not None else None)
        return out

    def _eval(self, q: wq.Query, scored: bool) -> Matches:
        if time.perf_counter() > self.deadline:
            raise Deadline
        if isinstance(q, wq.Term):
            return self._term(q, scored)
        if isinstance(q, wq.Or):
            if getattr(q, "scale", None) or getattr(q, "minmatch", 0):
                if scored:
                    raise Unsupported("Or with scale or minmatch")
            parts = []
            for sub in q.subqueries:
                try:
                    parts.append(self._eval(sub, scored))
                except Deadline:
                    if not parts:
                        raise
                    self.cut = True
                    break
            out = _union(parts, scored)
            return _boosted(out, q.boost if len(q.subqueries) > 1 else 1.0)
        if isinstance(q, wq.And):
            parts = [self._eval(s, scored) for s in q.subqueries]
            out = _intersection(parts, scored)
            return _boosted(out, q.boost if len(q.subqueries) > 1 else 1.0)
        if isinstance(q, wq.AndNot):
            a = self._eval(q.a, scored)
            b = self._eval(q.b, False)
            keep = ~np.isin(a.docs, b.docs, assume_unique=True)
            return Matches(a.docs[keep], a.scores[keep] if a.scores is not None else None)
        if isinstance(q, wq.Require):
            a = self._eval(q.a, scored)
            b = self._eval(q.b, False)
            keep = np.isin(a.docs, b.docs, assume_unique=True)
            return Matches(a.docs[keep], a.scores[keep] if a.scores is not None else None)
        if isinstance(q, wq.AndMaybe):
            a = self._eval(q.a, scored)
            if not scored:
                return a
            b = self._eval(q.b, True)
            assert a.scores is not None and b.scores is not None
            scores = a.scores.copy()
            where = np.searchsorted(b.docs, a.docs)
            where[where >= len(b.docs)] = 0
            hit = (b.docs[where] == a.docs) if len(b.docs) else np.zeros(len(a.docs), bool)
            scores[hit] += b.scores[where[hit]]
            return Matches(a.docs, scores)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return Matches(_EMPTY_IDS, _EMPTY_SCORES if scored else None)
        if isinstance(q, wq.Phrase) and len(q.words) > 1:
            # A phrase scores as its words together do (Whoosh's span matchers keep the
            # score of the words' intersection).
            docs = self._phrase_docs(q)
            if not scored:
                return Matches(docs)
            if q.boost != 1.0:
                raise Unsupported("a boosted phrase")
            scores = np.zeros(len(docs), dtype=np.float64)
            for word in q.words:  # every word is in every one of `docs`
                scores += self._term(wq.Term(q.fieldname, word), True, within=docs).scores
            return Matches(docs, scores)
        if isinstance(q, wq.Not):
            # Whoosh's InverseMatcher: every other document, each scoring 1.
            inner = self._eval(q.query, False)
            mask = np.ones(self.postings.doc_count, dtype=bool)
            mask[inner.docs] = False
            docs = np.flatnonzero(mask).astype(np.int64)
            return Matches(docs, np.ones(len(docs)) if scored else None)
        if scored:
            raise Unsupported(type(q).__name__)
        if isinstance(q, wq.Every):
            return Matches(np.arange(self.postings.doc_count, dtype=np.int64))
        return Matches(self._whoosh_docs(q))

    def _phrase_docs(self, q: wq.Phrase) -> np.ndarray:
        """Documents where the phrase's words stand side by side, in order.

        The rarest word's posting list, then the others' read only in the blocks holding its
        documents, give the documents holding every word; the positions of the words in
        those documents only are then read, and the phrase matches where word j sits at the
        first word's position + j, checked over all documents at once. Phrases with a slop,
        or on fields whose positions are stored otherwise, go to Whoosh.
        """
        field = q.fieldname
        if field not in self.schema:
            return _EMPTY_IDS
        fieldobj = self.schema[field]
        if q.slop != 1 or not has_plain_positions(fieldobj):
            return self._whoosh_docs(q)
        try:
            btexts = [fieldobj.to_bytes(w) for w in q.words]
        except ValueError:
            return _EMPTY_IDS
        # The rarest word's whole list, then each other word only in the documents left: a
        # common word's list is read only in the blocks holding candidates.
        reader = self.reader
        docs = None
        for btext in sorted(set(btexts), key=lambda b: reader.doc_frequency(field, b)):
            if docs is None:
                ids = self.postings.postings(reader, field, btext)[0]
            else:
                ids = self.postings.postings_within(reader, field, btext, docs)[0]
            ids = ids.astype(np.int64)
            docs = ids if docs is None else np.intersect1d(docs, ids, assume_unique=True)
            if not len(docs):
                return _EMPTY_IDS
        assert docs is not None
        # A key per (document, where the phrase would start): word j at position p says
        # "a phrase may start at p - j"; the phrase is where every word says so.
        stride = np.int64(1 << 32)
        shift = len(btexts)
        starts = None
        where: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
        for j, btext in enumerate(btexts):
            if time.perf_counter() > self.deadline:
                raise Deadline
            if btext not in where:
                where[btext] = read_positions(self.reader, field, btext, docs)
            d, p = where[btext]
            keys = np.unique(d * stride + (p - j + shift))
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not len(starts):
                return _EMPTY_IDS
            docs = np.unique(starts // stride)  # later words need only these documents
        assert starts is not None
        return np.unique(starts // stride)

    def _whoosh_docs(self, q: wq.Query) -> np.ndarray:
        try:
            return np.unique(np.fromiter(q.docs(self.searcher), dtype=np.int64))
        except wq.QueryError:  # e.g. a phrase on a field without positions
            return _EMPTY_IDS

    def _term(self, q: wq.Term, scored: bool, within: np.ndarray | None = None) -> Matches:
        """A term's documents and scores; with `within`, only those of these documents."""
        field = q.fieldname
        if field not in self.schema:
            return Matches(_EMPTY_IDS, _EMPTY_SCORES if scored else None)
        fieldobj = self.schema[field]
        try:
            btext = fieldobj.to_bytes(q.text)
        except ValueError:
            return Matches(_EMPTY_IDS, _EMPTY_SCORES if scored else None)
        if within is None:
            ids32, weights32 = self.postings.postings(self.reader, field, btext)
        else:
            ids32, weights32 = self.postings.postings_within(self.reader, field, btext, within)
        ids = ids32.astype(np.int64)
        if not scored:
            return Matches(ids)
        if self.weighting is None:
            raise Unsupported("a weighting other than NewsBM25")
        scores = self._scored.get((field, btext))
        if scores is None:
            weights = weights32.astype(np.float64)
            if fieldobj.scorable:
                w = self.weighting
                b = w._field_B.get(field, w.B)
                n = self.stats.doc_count_all()
                idf = w.idf_of(n, self.stats.doc_frequency(field, btext))
                avgfl = (self.stats.field_length(field) / (n or 1)) or 1
                fl = self.postings.lengths(self.reader, field)[ids]
                k1 = w.K1
                scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))
            else:
                scores = weights
            self._scored[(field, btext)] = scores
        return _boosted(Matches(ids, scores), q.boost)


def _boosted(m: Matches, boost: float) -> Matches:
    if boost != 1.0 and m.scores is not None:
        return Matches(m.docs, m.scores * boost)
    return m


def _union(parts: list[Matches], scored: bool) -> Matches:
    parts = [p for p in parts if len(p.docs)]
    if not parts:
        return Matches(_EMPTY_IDS, _EMPTY_SCORES if scored else None)
    if len(parts) == 1:
        return parts[0]
    docs = np.concatenate([p.docs for p in parts])
    if not scored:
        return Matches(np.unique(docs))
    unique, inverse = np.unique(docs, return_inverse=True)
    scores = np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]),
                         minlength=len(unique))
    return Matches(unique, scores)


def _intersection(parts: list[Matches], scored: bool) -> Matches:
    if not parts:
        return Matches(_EMPTY_IDS, _EMPTY_SCORES if scored else None)
    parts = sorted(parts, key=len)
    docs = parts[0].docs
    scores: np.ndarray | None = None
    if scored:  # a part without scores (a filter-like part) narrows the set and adds nothing
        scores = parts[0].scores.copy() if parts[0].scores is not None else np.zeros(len(docs))
    for other in parts[1:]:
        if not len(docs):
            break
        docs, mine, theirs = np.intersect1d(docs, other.docs, assume_unique=True,
                                            return_indices=True)
        if scores is not None:
            scores = scores[mine] + (other.scores[theirs] if other.scores is not None else 0.0)
    return Matches(docs, scores)


def top(matches: Matches, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The `limit` best (document, score) pairs, ties broken by document number as Whoosh does."""
    docs, scores = matches.docs, matches.scores
    assert scores is not None
    if allowed is not None:
        keep = np.isin(docs, allowed, assume_unique=True)
        docs, scores = docs[keep], scores[keep]
    if len(docs) > limit * 4 and limit > 0:
        cut = np.argpartition(-scores, limit - 1)[:limit]
        floor = scores[cut].min()
        keep = scores >= floor  # every document tied with the last place stays in the running
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:limit]
    return [(int(docs[i]), float(scores[i])) for i in order]

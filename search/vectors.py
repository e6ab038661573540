"""Query evaluation on whole posting lists with numpy: match sets and BM25 scores.

A results page needs every matching document (for totals, facets and the histogram) and
the best few by score. Whoosh walks its matcher tree one document at a time in Python;
reading each term's posting list once into arrays and combining the lists with numpy
answers both questions in one pass, and much faster.

Scores use Whoosh's own formula and inputs (BM25 with the idf of `search.scoring`,
on the same quantised field lengths), so rankings agree with Whoosh's; query types without
a plain posting-list form (wildcards, fuzzy terms, ranges) raise `Unsupported` and the
caller asks Whoosh instead. Sets alone can still be had for those: Whoosh lists their
documents and the result joins the arrays. Phrases are a mix: Whoosh checks the word
positions, the arrays give the scores.

Posting arrays are cached per index generation (least recently used first out, bounded by
postings held), so a repeated or overlapping query reads nothing from disk.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from morgue.search.scoring import NewsBM25

#: Postings kept in memory per index generation (8 bytes each: id and weight; 16 MB).
CACHE_POSTINGS = 2_000_000
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


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
        self._budget = budget
        self._held = 0
        self._cache: OrderedDict[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def postings(self, reader: Any, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Global document numbers (ascending, int32) and weights (float32) of one term."""
        key = (field, btext)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        ids, weights = _read_postings(reader, field, btext)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = (ids, weights)
                self._held += len(ids)
                while self._held > self._budget and len(self._cache) > 1:
                    _, (old, _w) = self._cache.popitem(last=False)
                    self._held -= len(old)
        return ids, weights

    def lengths(self, reader: Any, field: str) -> np.ndarray:
        """Each document's length in `field`, quantised as Whoosh stores and scores it."""
        have = self._lengths.get(field)
        if have is not None:
            return have
        parts = []
        for leaf, _offset in _leaves(reader):
            n = leaf.doc_count_all()
            column = None
            perdoc = getattr(leaf, "_perdoc", None)
            if perdoc is not None and hasattr(perdoc, "_cached_reader"):
                column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
            if column is not None:
                codes = np.fromiter(column, dtype=np.uint8, count=n)
                parts.append(_LENGTHS[codes])
            elif perdoc is not None:  # the field is absent from this segment
                parts.append(np.zeros(n, dtype=np.float64))
            else:
                parts.append(np.array([leaf.doc_field_length(d, field, 0) or 0 for d in range(n)],
                                      dtype=np.float64))
        out = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)
        self._lengths[field] = out
        return out


def _leaves(reader: Any) -> list[tuple[Any, int]]:
    return reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]


def _read_postings(reader: Any, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    ids_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    for leaf, offset in _leaves(reader):
        if (field, btext) not in leaf:
            continue
        m = leaf.postings(field, btext)
        if isinstance(m, W3LeafMatcher):
            # Whole blocks at a time (Whoosh 2.7's block reader; pinned in pyproject.toml).
            while m.is_active():
                m._read_ids()
                m._read_weights()
                ids_parts.append(np.asarray(m._ids, dtype=np.int32) + np.int32(offset))
                weight_parts.append(np.asarray(m._weights, dtype=np.float32))
                m._next_block()
        else:  # postings stored inline with the term: a handful at most
            ids, weights = [], []
            while m.is_active():
                ids.append(m.id() + offset)
                weights.append(m.weight())
                m.next()
            ids_parts.append(np.asarray(ids, dtype=np.int32))
            weight_parts.append(np.asarray(weights, dtype=np.float32))
    if not ids_parts:
        return _EMPTY_IDS.astype(np.int32), _EMPTY_SCORES.astype(np.float32)
    return np.concatenate(ids_parts), np.concatenate(weight_parts)


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
            parts = [self._eval(s, scored) for s in q.subqueries]
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
            # Whoosh checks the word positions; a phrase scores as its words together do
            # (Whoosh's span matchers keep the score of the words' intersection).
            docs = self._whoosh_docs(q)
            if not scored:
                return Matches(docs)
            if q.boost != 1.0:
                raise Unsupported("a boosted phrase")
            words = self._eval(wq.And([wq.Term(q.fieldname, w) for w in q.words]), True)
            keep = np.isin(words.docs, docs, assume_unique=True)
            assert words.scores is not None
            return Matches(words.docs[keep], words.scores[keep])
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

    def _whoosh_docs(self, q: wq.Query) -> np.ndarray:
        try:
            return np.unique(np.fromiter(q.docs(self.searcher), dtype=np.int64))
        except wq.QueryError:  # e.g. a phrase on a field without positions
            return _EMPTY_IDS

    def _term(self, q: wq.Term, scored: bool) -> Matches:
        field = q.fieldname
        if field not in self.schema:
            return Matches(_EMPTY_IDS, _EMPTY_SCORES if scored else None)
        fieldobj = self.schema[field]
        try:
            btext = fieldobj.to_bytes(q.text)
        except ValueError:
            return Matches(_EMPTY_IDS, _EMPTY_SCORES if scored else None)
        ids32, weights32 = self.postings.postings(self.reader, field, btext)
        ids = ids32.astype(np.int64)
        if not scored:
            return Matches(ids)
        weights = weights32.astype(np.float64)
        if self.weighting is None:
            raise Unsupported("a weighting other than NewsBM25")
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
            scores = weights.copy()
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
    scores = parts[0].scores.copy() if scored and parts[0].scores is not None else None
    for other in parts[1:]:
        if not len(docs):
            break
        docs, mine, theirs = np.intersect1d(docs, other.docs, assume_unique=True,
                                            return_indices=True)
        if scores is not None and other.scores is not None:
            scores = scores[mine] + other.scores[theirs]
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

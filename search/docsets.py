"""The set of documents a query matches, computed from posting lists.

Facets, totals and the date histogram need every matching document, not just the best
ten. Walking Whoosh's matcher tree document by document is slow in Python; reading each
term's posting list and combining them with set operations is several times faster and
exact. Query types without a cheap posting-list form (phrases, wildcards, ranges) fall
back to Whoosh's own `Query.docs()`.
"""

from __future__ import annotations

import time

from whoosh import query as wq
from whoosh.searching import Searcher


class Deadline(Exception):
    """The time limit was reached while collecting documents."""


def matching_docs(q: wq.Query | None, searcher: Searcher, deadline: float) -> set[int]:
    """Document numbers `q` matches (every live document when `q` is None), deletions removed."""
    reader = searcher.reader()
    if q is None:
        docs = set(range(reader.doc_count_all()))
    else:
        docs = _docs(q, searcher, deadline)
    if reader.has_deletions():
        docs = {d for d in docs if not reader.is_deleted(d)}
    return docs


def _docs(q: wq.Query, searcher: Searcher, deadline: float) -> set[int]:
    if time.perf_counter() > deadline:
        raise Deadline
    reader = searcher.reader()
    if isinstance(q, wq.Term):
        if (q.fieldname, q.text) not in reader:
            return set()
        return set(reader.postings(q.fieldname, q.text).all_ids())
    if isinstance(q, wq.Or):
        out: set[int] = set()
        for sub in q.subqueries:
            out |= _docs(sub, searcher, deadline)
        return out
    if isinstance(q, (wq.And, wq.Require)):
        subs = q.subqueries if isinstance(q, wq.And) else [q.a, q.b]
        sets = sorted((_docs(sub, searcher, deadline) for sub in subs), key=len)
        out = sets[0] if sets else set()
        for other in sets[1:]:
            if not out:
                break
            out = out & other
        return out
    if isinstance(q, wq.AndNot):
        return _docs(q.a, searcher, deadline) - _docs(q.b, searcher, deadline)
    if isinstance(q, wq.AndMaybe):
        return _docs(q.a, searcher, deadline)
    if isinstance(q, wq.Not):
        return set(range(reader.doc_count_all())) - _docs(q.query, searcher, deadline)
    if isinstance(q, wq.Every):
        return set(range(reader.doc_count_all()))
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return set()
    try:
        return set(q.docs(searcher))
    except wq.QueryError:  # e.g. a phrase on a field without positions
        return set()

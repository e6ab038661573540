"""`Archive`: the public Python API over one Morgue index.

    >>> archive = Archive("var/index")
    >>> results = archive.search("bridge repairs", sort="newest", date_from="2012")
    >>> results.hits[0].headline_html
    'Old Mill <mark>bridge</mark> <mark>repairs</mark> to start in May'

An `Archive` is safe to share between threads: each thread keeps its own Whoosh searcher,
refreshed when the index changes, so newly indexed articles show up without a restart.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import math
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.query.qcore import QueryError
from whoosh.searching import Searcher

from morgue.errors import ArticleNotFound, Unavailable
from morgue.search import cursor as cursors
from morgue.indexer.schema import LANG_ANALYZERS, UNDATED_NEWEST, fold, timestamp
from morgue.indexer.store import open_existing
from morgue.indexer.whoosh_internals import segments_key
from morgue.search import fuzzy, snippets
from morgue.search.dates import parse_bound
from morgue.search.querylang import ParsedQuery, parse
from morgue.search.scoring import NewsBM25
from morgue.search.spelling import VocabularyCache
from morgue.search.request import (
    DEFAULT_SIMILAR, MAX_QUERY_LENGTH, MAX_SIMILAR, SearchRequest, check_int, invalid)
from morgue.search.results import (
    ArchiveStats,
    DateBucket,
    FacetValue,
    Hit,
    SearchResults,
    StoredArticle,
)
from morgue.search.table import DocTable, clusters, from_ts
from morgue.search.evaluator import Deadline, Evaluator, Matches, Postings, Unsupported, top
from morgue.search.lru import LRU

FACET_SIZE = 20
MAX_FACET_SIZE = 10_000
MAX_SUGGEST_WORDS = 20  # did-you-mean respells short queries, not pasted paragraphs
_ID = re.compile(r"^[0-9a-f]{16}$")
#: Stemmed fields whose fuzzy terms are matched against the archive's vocabulary of words.
_WORD_FIELDS = ("headline", "standfirst", "captions")


@dataclasses.dataclass
class _Selection:
    """What a search matches, before ordering: see `Archive._select`."""

    parsed: ParsedQuery
    filters: wq.Query | None
    lo: datetime | None
    hi: datetime | None
    sort: str  # the order used (relevance becomes newest without query words)
    matching: np.ndarray
    found: Matches | None
    allowed: np.ndarray | None
    leaders: dict[int, int]
    partial: bool


class HitStream(Iterator[Hit]):
    """The hits of `Archive.iter_hits`, read lazily; `total` stories in all."""

    def __init__(self, hits: Iterator[Hit], total: int) -> None:
        self._hits = hits
        self.total = total

    def __iter__(self) -> "HitStream":
        return self

    def __next__(self) -> Hit:
        return next(self._hits)

    def close(self) -> None:
        """Stop early and release the index reader the stream holds."""
        close = getattr(self._hits, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> "HitStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Local(threading.local):
    searcher: Searcher | None = None
    checked: float = 0.0
    key: tuple = ()
    key_for: Searcher | None = None


def _reopens_once(method: Callable[..., Any]) -> Callable[..., Any]:
    """Retry a read once on a fresh searcher when a writer merged its segment files away.

    Whoosh deletes the files of merged segments at commit; a searcher opened before that
    commit can still hold readers whose column files are gone.
    """

    @functools.wraps(method)
    def wrapper(self: "Archive", *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except FileNotFoundError:
            self._local.searcher = self._ix.searcher(weighting=NewsBM25())
            self._local.checked = time.monotonic()
            return method(self, *args, **kwargs)

    return wrapper


def _cached_results(method: Callable[..., SearchResults]) -> Callable[..., SearchResults]:
    """Answer a search repeated while the index is unchanged from `Archive`'s result cache."""

    @functools.wraps(method)
    def wrapper(self: "Archive", query: str, **kwargs: Any) -> SearchResults:
        started = time.perf_counter()
        key: tuple | None = None
        if self.cache_size > 0:
            try:
                # Types too: page=True must not be answered with page=1's cached results.
                key = (self.generation(), type(query), query,
                       *((name, type(v), tuple(v) if isinstance(v, (list, tuple)) else v)
                         for name, v in sorted(kwargs.items())))
                hash(key)
            except TypeError:  # an unhashable argument: let validation say what is wrong
                key = None
        if key is not None:
            cached = self._results.get(key)
            if cached is not None:
                return dataclasses.replace(
                    cached, took_ms=round((time.perf_counter() - started) * 1000, 2))
        result = method(self, query, **kwargs)
        if key is not None and not result.partial:
            self._results.put(key, result)
        return result

    return wrapper


class Archive:
    """A Morgue index opened for reading."""

    def __new__(cls, path: str | os.PathLike[str], *args: Any, scheduler: str | None = None,
                **kwargs: Any) -> "Archive":
        """A sharded archive (`morgue index --shards`), or any index searched on the Dask
        cluster whose scheduler is at `scheduler`, opens as a `search.shards.ShardedArchive`."""
        if cls is Archive and (scheduler or _is_sharded(path)):
            from morgue.search.shards import ShardedArchive

            return super().__new__(ShardedArchive)
        return super().__new__(cls)

    def __init__(self, path: str | os.PathLike[str], *, time_limit: float = 2.0,
                 cache_size: int = 256) -> None:
        """Open the index at `path`.

        `time_limit`: seconds a search may take before it returns partial results.
        `cache_size`: searches whose results are kept for as long as the index is unchanged
        (like Solr's query result cache; 0 turns it off).
        """
        self.path = Path(path)
        self.time_limit = time_limit
        self.cache_size = cache_size
        self._results: LRU[tuple, SearchResults] = LRU(cache_size)
        self._ix = open_existing(self.path)
        self._local = _Local()
        self._tables: dict[tuple, tuple[DocTable, Postings]] = {}
        self._tables_lock = threading.Lock()
        self._vocabulary = VocabularyCache(self.path)

    # -- plumbing -------------------------------------------------------------------------

    def _searcher(self) -> Searcher:
        """This thread's searcher, reopened when a writer has committed since (checked ≤ 1/s)."""
        local = self._local
        now = time.monotonic()
        if local.searcher is None:
            local.searcher = self._ix.searcher(weighting=NewsBM25())
            local.checked = now
        elif now - local.checked > 0.5:
            local.checked = now
            if not local.searcher.up_to_date():
                local.searcher = local.searcher.refresh()
        return local.searcher

    def _generation(self, searcher: Searcher) -> tuple[DocTable, Postings]:
        # Keyed by the segments a reader sees (see `segments_key`).
        key = segments_key(searcher.reader())
        held = self._tables.get(key)
        if held is None:
            with self._tables_lock:
                held = self._tables.get(key)
                if held is None:
                    held = (DocTable.load(searcher.reader()), Postings(searcher.reader()))
                    if len(self._tables) >= 4:  # readers of older generations may linger
                        self._tables.pop(next(iter(self._tables)))
                    self._tables[key] = held
        return held

    def generation(self) -> tuple:
        """A token that changes whenever the index does: a key for caches of answers."""
        searcher = self._searcher()
        local = self._local
        if local.key_for is not searcher:
            local.key = segments_key(searcher.reader())
            local.key_for = searcher
        return local.key

    def _table(self, searcher: Searcher) -> DocTable:
        return self._generation(searcher)[0]

    def _lang_fields(self, searcher: Searcher) -> tuple[str, ...]:
        reader = searcher.reader()
        return tuple(f"text_{l}" for l in LANG_ANALYZERS if reader.field_length(f"text_{l}"))

    def _parse(self, searcher: Searcher, text: str,
               lang_fields: tuple[str, ...] | None = None) -> ParsedQuery:
        """`parse` with fuzzy terms turned into the archive's words within reach (search/fuzzy.py)."""
        if lang_fields is None:
            lang_fields = self._lang_fields(searcher)
        reader = searcher.reader()

        def lexicon(field: str) -> list[str]:
            return sorted(t.decode("utf-8", "replace") if isinstance(t, bytes) else t
                          for t in reader.lexicon(field))

        return parse_expanded(text, searcher.schema, lang_fields, self._vocabulary, lexicon)

    # -- search ---------------------------------------------------------------------------

    @_cached_results
    @_reopens_once
    def search(
        self,
        query: str,
        *,
        page: int = 1,
        page_size: int = 10,
        sort: str = "relevance",
        date_from: str | None = None,
        date_to: str | None = None,
        sections: Sequence[str] = (),
        sources: Sequence[str] = (),
        bylines: Sequence[str] = (),
        facets: bool = True,
        collapse_duplicates: bool = True,
        cursor: str | None = None,
        facet_size: int = FACET_SIZE,
    ) -> SearchResults:
        """Search the archive. An empty query lists every article (newest first).

        `facet_size`: values listed per facet, most frequent first (up to `MAX_FACET_SIZE`:
        a page listing every section reachable).

        `cursor` (a page's `next`) continues after that page, beyond `page`'s limit too;
        it takes the place of `page`. Raises `InvalidParameter` naming the parameter for
        out-of-range values, and for a cursor of another search or of an index that has
        changed since. A search repeated while the index is unchanged is answered from the
        result cache.
        """
        started = time.perf_counter()
        facet_size = check_int("facet_size", facet_size, 1, MAX_FACET_SIZE)
        deadline = started + self.time_limit
        request = SearchRequest.of(
            query, page=page, page_size=page_size, sort=sort, date_from=date_from,
            date_to=date_to, sections=sections, sources=sources, bylines=bylines,
            facets=facets, collapse_duplicates=collapse_duplicates, cursor=cursor)  # fmt: skip
        query, sections, sources, bylines = (
            request.query, request.sections, request.sources, request.bylines)

        searcher = self._searcher()
        after = None
        if request.cursor is not None:
            after = self._cursor_position(request)
            searcher = self._searcher()  # refreshed to the cursor's generation if it was behind
        table = self._table(searcher)
        chosen = self._select(searcher, request, deadline)
        matching, leaders, partial = chosen.matching, chosen.leaders, chosen.partial
        cluster_size = Counter(leaders.values())
        page_size = request.page_size
        if after is not None:
            start = after.position
            page = start // page_size + 1
        else:
            start = (request.page - 1) * page_size
            page = request.page
        ordered = self._order(searcher, chosen, start + page_size + 1, deadline)
        window = list(itertools.islice(ordered, max(0, start - 1), start + page_size + 1))
        if after is not None and (not window or window[0][0] != after.docnum
                                  or round(window[0][1], 6) != after.key):
            raise cursors.expired()
        if start > 0:
            window = window[1:]
        page_docs, more = window[:page_size], len(window) > page_size

        terms = _terms(chosen.parsed.query, searcher)
        members = _members(leaders)
        hits = [
            self._hit(searcher, d, score, terms, cluster_size.get(leaders.get(d, -1), 0), members)
            for d, score in page_docs
        ]
        total = len(matching) - sum(n - 1 for n in cluster_size.values())
        lo, hi = chosen.lo, chosen.hi
        result = SearchResults(
            query=query or "",
            total=total,
            page=page,
            page_size=page_size,
            pages=max(1, math.ceil(total / page_size)) if total else 0,
            sort=chosen.sort,
            hits=hits,
            facets=_facets(matching, table, facet_size) if facets else {},
            histogram=[],
            interval="year",
            suggestion=None,
            notice=chosen.parsed.notice,
            partial=partial,
            took_ms=0.0,
            filters={
                "date_from": lo.date().isoformat() if lo else None,
                "date_to": hi.date().isoformat() if hi else None,
                "sections": list(sections),
                "sources": list(sources),
                "bylines": list(bylines),
            },
        )
        if more and page_docs and not partial:
            result.next = self._cursor(searcher, request, start + len(page_docs), page_docs[-1])
        if facets:
            result.histogram, result.interval = _histogram(matching, table, lo, hi)
        if total < 3 and 0 < len(chosen.parsed.words) <= MAX_SUGGEST_WORDS and not partial:
            result.suggestion = self._suggest(searcher, query, chosen.parsed, chosen.filters,
                                              total, deadline)
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _select(self, searcher: Searcher, request: SearchRequest, deadline: float, *,
                parsed: ParsedQuery | None = None, stats: Any = None,
                collapse: bool | None = None) -> _Selection:
        """The whole matching set of a request: facets, histogram, totals and copies are
        counted on it. Scored in the same pass when the query has a posting-list form (see
        evaluator.py); `partial` when the time limit cut the matching short.

        A shard of a sharded archive (`search.shards`) passes the query parsed once for
        every shard, the archive's collection `stats` for scores, and `collapse=False`
        (copies are found across shards by the coordinator)."""
        table, postings = self._generation(searcher)
        evaluator = Evaluator(searcher, postings, deadline, stats=stats)
        lo, hi = request.bounds()
        if parsed is None:
            parsed = self._parse(searcher, request.query)
        if parsed.error:
            raise invalid("q", parsed.error)
        if parsed.date_from and (lo is None or parsed.date_from > lo):
            lo = parsed.date_from
        if parsed.date_to and (hi is None or parsed.date_to < hi):
            hi = parsed.date_to
        sections, sources, bylines = request.sections, request.sources, request.bylines
        filters = _filter_query(lo, hi, sections, sources, bylines)
        sort = request.sort
        if parsed.query is None and sort == "relevance":
            sort = "newest"
        partial = False
        allowed: np.ndarray | None = None
        found: Matches | None = None
        try:
            if sort == "relevance":
                try:
                    found = evaluator.matches(parsed.query, scored=True)
                except Unsupported:
                    found = None
            if found is None:
                found = evaluator.matches(parsed.query, scored=False)
            matching = found.docs
            if evaluator.cut:  # the time limit cut a long OR short: filter what was found
                partial = True
                evaluator.deadline = float("inf")
            if filters is not None:
                keywords = _filter_query(None, None, sections, sources, bylines)
                if keywords is not None:
                    wanted = evaluator.matches(keywords, scored=False).docs
                    matching = matching[np.isin(matching, wanted, assume_unique=True)]
                matching = allowed = _within_dates(matching, table, lo, hi)
        except Deadline:
            found = None
            docs, partial = self._matching(searcher, parsed, filters, deadline)
            matching = np.asarray(docs, dtype=np.int64)
            allowed = None
        if collapse is None:
            collapse = request.collapse_duplicates
        leaders = clusters(matching, table) if collapse else {}
        return _Selection(parsed, filters, lo, hi, sort, matching, found, allowed, leaders, partial)

    def _order(self, searcher: Searcher, chosen: _Selection, needed: int,
               deadline: float) -> Iterator[tuple[int, float]]:
        """(document, score) of each story in the requested order, one per set of copies
        (the first in that order stands for the others); at least the first `needed`."""
        ranked: Iterable[tuple[int, float]]
        matching, leaders, found = chosen.matching, chosen.leaders, chosen.found
        if chosen.sort == "relevance":
            if chosen.partial and (found is None or found.scores is None):
                ranked, _ = self._ranked(searcher, chosen.parsed, chosen.filters, needed, leaders,
                                         deadline)
            elif found is not None and found.scores is not None:
                allowed = chosen.allowed
                ranked = _top_distinct(lambda limit: top(found, limit, allowed), needed, leaders)
            else:
                # Whoosh ranks these, kept to the matching set, which is right where Whoosh
                # is not (its AndNot can let an excluded article through at a segment's end).
                # `allowed` is `matching` whenever there are filters.
                matching_set = set(matching.tolist())
                ranked = _top_distinct(
                    lambda limit: self._top(searcher, chosen.parsed.query, matching_set, limit),
                    needed, leaders)
        else:
            ts = self._table(searcher).ts[matching]
            if chosen.sort == "newest":
                order = np.lexsort((matching, -ts))
            else:
                order = np.lexsort((matching, ts, ts == UNDATED_NEWEST))
            ranked = ((d, 0.0) for d in matching[order].tolist())
        seen: set[int] = set()
        for docnum, score in ranked:
            lead = leaders.get(docnum, docnum)
            if lead in seen:
                continue
            seen.add(lead)
            yield docnum, score

    # -- cursors: search_after over one reader generation ------------------------------------

    def _cursor(self, searcher: Searcher, request: SearchRequest, position: int,
                last: tuple[int, float]) -> str:
        """An opaque token for the page after `position` stories, `last` being the last sent."""
        generation = cursors.digest(segments_key(searcher.reader()))
        return cursors.encode_cursor(cursors.Cursor(
            generation, request.fingerprint(), position, last[0], round(last[1], 6)))

    def _cursor_position(self, request: SearchRequest) -> cursors.Cursor:
        """The cursor of `request`, checked to belong to this search on this index as it is."""
        after = cursors.decode_cursor(request.cursor or "")
        if after.search != request.fingerprint():
            raise cursors.foreign()
        if after.generation != cursors.digest(self.generation()):
            self._stale()  # this thread's searcher may lag a commit by half a second
            if after.generation != cursors.digest(self.generation()):
                raise cursors.expired()
        return after

    def _stale(self) -> None:
        """Have the next `generation()` look at the index again."""
        self._local.checked = 0.0

    # -- export --------------------------------------------------------------------------

    def iter_hits(
        self,
        query: str = "",
        *,
        sort: str = "relevance",
        date_from: str | None = None,
        date_to: str | None = None,
        sections: Sequence[str] = (),
        sources: Sequence[str] = (),
        bylines: Sequence[str] = (),
        collapse_duplicates: bool = True,
        batch_size: int = 500,
    ) -> "HitStream":
        """Every hit of a search, in its order: the pages of `search` one after the other.

        The stream holds one index reader from start to end, so an export made while
        articles are being indexed is one consistent snapshot. The matching is done when
        this is called (within the archive's time limit; `Unavailable` if it cannot be);
        hits are then made `batch_size` at a time as the stream is read. `total` is known
        at once. Close the stream (or read it to its end) to release the reader.
        """
        request = SearchRequest.of(query, sort=sort, date_from=date_from, date_to=date_to,
                                   sections=sections, sources=sources, bylines=bylines,
                                   facets=False, collapse_duplicates=collapse_duplicates)
        batch_size = check_int("batch_size", batch_size, 1, 100_000)
        searcher = self._ix.searcher(weighting=NewsBM25())
        try:
            deadline = time.perf_counter() + self.time_limit
            chosen = self._select(searcher, request, deadline)
            if chosen.partial:
                raise Unavailable(
                    f"the search could not be completed within the time limit ({self.time_limit:g} s) "
                    "for an export; narrow it (fewer wildcards, a date range)")
            cluster_size = Counter(chosen.leaders.values())
            total = len(chosen.matching) - sum(n - 1 for n in cluster_size.values())
        except BaseException:
            searcher.close()
            raise
        return HitStream(self._stream(searcher, chosen, total, batch_size), total)

    def _stream(self, searcher: Searcher, chosen: _Selection, total: int,
                batch_size: int) -> Iterator[Hit]:
        try:
            leaders = chosen.leaders
            cluster_size = Counter(leaders.values())
            members = _members(leaders)
            terms = _terms(chosen.parsed.query, searcher)
            ordered = self._order(searcher, chosen, total, float("inf"))
            while True:
                batch = list(itertools.islice(ordered, batch_size))
                if not batch:
                    return
                for d, score in batch:
                    yield self._hit(searcher, d, score, terms,
                                    cluster_size.get(leaders.get(d, -1), 0), members)
        finally:
            searcher.close()

    def _matching(self, searcher: Searcher, parsed: ParsedQuery, filters: wq.Query | None,
                  deadline: float) -> tuple[list[int], bool]:
        if parsed.query is None:
            q: wq.Query = filters or wq.Every()
        elif filters is not None:
            q = wq.And([parsed.query, filters])
        else:
            q = parsed.query
        docs: list[int] = []
        try:
            matcher = q.matcher(searcher)
        except QueryError:  # e.g. a phrase on a field without positions
            return docs, False
        n = 0
        is_deleted = searcher.reader().is_deleted
        has_deletions = searcher.reader().has_deletions()
        while matcher.is_active():
            if n % 1024 == 0 and time.perf_counter() > deadline:
                return docs, True
            d = matcher.id()
            if not (has_deletions and is_deleted(d)):
                docs.append(d)
            matcher.next()
            n += 1
        return docs, False

    def _top(self, searcher: Searcher, q: wq.Query, allowed: set[int],
             limit: int) -> list[tuple[int, float]]:
        """Whoosh's best `limit` of the `allowed` documents (for queries the evaluator cannot
        score, e.g. phrases): only those are scored."""
        # Every allowed document is ranked, not Whoosh's top `limit`: asked for fewer than
        # match, Whoosh 2.7 can leave out a document that outscores the ones it keeps (seen
        # with a prefix and a NOT over several segments), and pages then overlap.
        results = searcher.search(q, limit=max(limit, len(allowed)), filter=allowed, scored=True)
        ranked = sorted(((hit.docnum, hit.score or 0.0) for hit in results), key=lambda x: (-x[1], x[0]))
        return ranked[:limit]

    def _ranked(self, searcher: Searcher, parsed: ParsedQuery, filters: wq.Query | None,
                needed: int, leaders: dict[int, int], deadline: float
                ) -> tuple[list[tuple[int, float]], bool]:
        """Like `_top`, under the time limit (the path taken once the limit is reached)."""
        assert parsed.query is not None
        limit = needed * 2 + 10
        while True:
            collector = searcher.collector(limit=limit, optimize=False)  # Require + block skipping trips a Whoosh assert
            timed = TimeLimitCollector(collector, timelimit=max(0.05, deadline - time.perf_counter()),
                                       use_alarm=False)
            cut = False
            try:
                # Require: the filter restricts without changing scores. (Whoosh's own
                # filter= is skipped when a TimeLimitCollector wraps the FilterCollector.)
                q = wq.Require(parsed.query, filters) if filters is not None else parsed.query
                searcher.search_with_collector(q, timed)
            except TimeLimit:
                cut = True
            except QueryError:
                return [], False
            results = timed.results()
            ranked = [(hit.docnum, hit.score or 0.0) for hit in results]
            distinct = len({leaders.get(d, d) for d, _ in ranked})
            if cut or distinct >= needed or len(ranked) < limit:
                return ranked, cut
            limit *= 4

    def _hit(self, searcher: Searcher, docnum: int, score: float, terms: dict[str, set[str]],
             copies_plus_one: int, members: dict[int, list[int]]) -> Hit:
        fields = searcher.stored_fields(docnum)
        schema = searcher.schema
        # The snippet comes from the part of the article that matched: the body, else the
        # standfirst, else a caption (the headline is shown whole anyway).
        snippet = snippets.fragments(schema["text"].analyzer, fields.get("body", ""),
                                     terms.get("body", set()))
        snippet_field = "body"
        caption_html = None
        if not snippet.matched:
            for part in ("standfirst", "captions"):
                if not terms.get(part) or not fields.get(part):
                    continue
                found = snippets.fragments(schema[part].analyzer, fields[part], terms[part],
                                           count=1 if part == "captions" else 2)
                if found.matched:
                    snippet, snippet_field = found, part
                    if part == "captions":
                        caption_html = found.html
                    break
        copy_ids = [searcher.stored_fields(d)["id"]
                    for d in members.get(docnum, ()) if d != docnum][:20]
        return Hit(
            id=fields["id"],
            url=fields.get("url") or None,
            headline=fields.get("headline", ""),
            published=fields.get("published_text"),
            section=fields.get("section") or None,
            source=fields.get("source") or None,
            byline=_lines(fields.get("byline")),
            score=round(float(score), 4),
            headline_html=snippets.highlight_whole(
                schema["headline"].analyzer, fields.get("headline", ""), terms.get("headline", set())
            ),
            snippet_html=snippet.html,
            snippet_text=snippet.text,
            snippet_field=snippet_field,
            caption_html=caption_html,
            copies=max(0, copies_plus_one - 1),
            copy_ids=copy_ids,
            terms=sorted(set().union(*terms.values())) if terms else [],
        )

    def _suggest(self, searcher: Searcher, text: str, parsed: ParsedQuery,
                 filters: wq.Query | None, total: int, deadline: float) -> str | None:
        """A respelled query that finds more, when one exists."""
        changed = respelled(self._vocabulary.get(), text, parsed)
        if changed is None:
            return None
        found = self._count(searcher, self._parse(searcher, changed).query, filters, deadline)
        return changed if found is not None and found > total else None

    def _count(self, searcher: Searcher, q: wq.Query | None, filters: wq.Query | None,
               deadline: float) -> int | None:
        """How many articles `q` matches within `filters`; None past the deadline."""
        evaluator = Evaluator(searcher, self._generation(searcher)[1], deadline)
        try:
            found = evaluator.matches(q, scored=False).docs
            if filters is not None:
                allowed = evaluator.matches(filters, scored=False).docs
                found = found[np.isin(found, allowed, assume_unique=True)]
        except Deadline:
            return None
        return len(found)

    @_reopens_once
    def matching_ids(self, query: str) -> list[str]:
        """Ids of every article `query` matches (no time limit; for `morgue delete --query`)."""
        searcher = self._searcher()
        parsed = self._parse(searcher, query)
        if parsed.error:  # a date not understood must not widen a deletion to everything
            raise invalid("q", parsed.error)
        filters = _filter_query(parsed.date_from, parsed.date_to, (), (), ())
        docs, _ = self._matching(searcher, parsed, filters, float("inf"))
        return [searcher.stored_fields(d)["id"] for d in docs]

    # -- articles ------------------------------------------------------------------------

    @_reopens_once
    def get(self, id: str, *, highlight: str | None = None) -> StoredArticle:
        """The article with this id; `highlight` marks that query's words in it."""
        searcher = self._searcher()
        docnum = self._docnum(searcher, id)
        fields = searcher.stored_fields(docnum)
        terms: dict[str, set[str]] = {}
        if highlight:
            parsed = self._parse(searcher, highlight[:MAX_QUERY_LENGTH], lang_fields=())
            terms = _terms(parsed.query, searcher)
        schema = searcher.schema
        captions = json.loads(fields.get("captions_json") or "[]")
        body = fields.get("body", "")

        def hl(field: str, text: str) -> str:
            analyzer = schema["text" if field == "body" else field].analyzer
            return snippets.highlight_whole(analyzer, text, terms.get(field, set()))

        return StoredArticle(
            id=fields["id"],
            url=fields.get("url") or None,
            headline=fields.get("headline", ""),
            standfirst=fields.get("standfirst", ""),
            body=body,
            captions=captions,
            byline=_lines(fields.get("byline")),
            section=fields.get("section") or None,
            tags=_lines(fields.get("tags")),
            published=fields.get("published_text"),
            modified=fields.get("modified_text"),
            lang=fields.get("lang") or None,
            source=fields.get("source") or None,
            path=fields.get("path"),
            indexed_at=fields.get("indexed_at"),
            headline_html=hl("headline", fields.get("headline", "")),
            standfirst_html=hl("standfirst", fields.get("standfirst", "")),
            paragraphs_html=[hl("body", p) for p in body.split("\n\n") if p.strip()],
            captions_html=[
                hl("captions", c["text"] + (f" {c['credit']}" if c.get("credit") else ""))
                for c in captions
            ],
        )

    @_reopens_once
    def more_like_this(self, id: str, *, limit: int = DEFAULT_SIMILAR) -> list[Hit]:
        """Articles on the same subject (key words of the article's body), copies left out."""
        limit = check_int("limit", limit, 1, MAX_SIMILAR)
        searcher = self._searcher()
        docnum = self._docnum(searcher, id)
        table = self._table(searcher)
        own_key = table.headline_key[docnum]
        results = searcher.more_like(docnum, "text", text=searcher.stored_fields(docnum).get("body", ""),
                                     top=limit * 3, numterms=15)
        hits: list[Hit] = []
        keys = {own_key}
        for r in results:
            key = table.headline_key[r.docnum]
            if key in keys:
                continue
            keys.add(key)
            hits.append(self._hit(searcher, r.docnum, r.score or 0.0, {}, 0, {}))
            if len(hits) == limit:
                break
        return hits

    def _docnum(self, searcher: Searcher, id: str) -> int:
        if not isinstance(id, str) or not _ID.match(id):
            raise ArticleNotFound(f"no article with id {id!r}")
        docnum = searcher.document_number(id=id)
        if docnum is None:
            raise ArticleNotFound(f"no article with id {id!r}")
        return docnum

    # -- stats ---------------------------------------------------------------------------

    @_reopens_once
    def stats(self) -> ArchiveStats:
        """Counts that describe the archive."""
        return stats_of([self._stats_part()], self.path)

    def _stats_part(self) -> dict[str, Any]:
        """This index's counts for `stats_of` (a sharded archive adds up its shards')."""
        searcher = self._searcher()
        table, postings = self._generation(searcher)
        reader = searcher.reader()
        live = np.flatnonzero(postings.live)
        ts = table.ts[live]
        dated = ts[ts != UNDATED_NEWEST]
        years, counts = np.unique(table.month[live][ts != UNDATED_NEWEST] // 12, return_counts=True)
        files = [p for p in self.path.iterdir() if p.is_file()]
        tocs = [p for p in files if p.name.endswith(".toc")]
        return {
            "articles": len(live),
            "earliest": int(dated.min()) if len(dated) else None,
            "latest": int(dated.max()) if len(dated) else None,
            "undated": len(live) - len(dated),
            "sources": table.source.count(live, table.doc_count),
            "sections": table.section.count(live, table.doc_count),
            "years": dict(zip(years.tolist(), counts.tolist())),
            "size": sum(_size(p) for p in files),
            "segments": len(reader.leaf_readers()) if hasattr(reader, "leaf_readers") else 1,
            "last_indexed": max((_mtime(p) for p in tocs), default=None),
        }

    def close(self) -> None:
        if self._local.searcher is not None:
            self._local.searcher.close()
            self._local.searcher = None


# -- helpers ------------------------------------------------------------------------------


def stats_of(parts: list[dict[str, Any]], path: Path, *, shards: int = 1,
             extra_bytes: int = 0) -> ArchiveStats:
    """`ArchiveStats` from the counts of one index, or of every shard of an archive."""
    sources: Counter[str] = Counter()
    sections: Counter[str] = Counter()
    years: Counter[int] = Counter()
    for p in parts:
        sources.update(p["sources"])
        sections.update(p["sections"])
        years.update(p["years"])
    earliest = [p["earliest"] for p in parts if p["earliest"] is not None]
    latest = [p["latest"] for p in parts if p["latest"] is not None]
    stamps = [p["last_indexed"] for p in parts if p["last_indexed"] is not None]
    return ArchiveStats(
        articles=sum(p["articles"] for p in parts),
        earliest=from_ts(min(earliest)).date().isoformat() if earliest else None,
        latest=from_ts(max(latest)).date().isoformat() if latest else None,
        undated=sum(p["undated"] for p in parts),
        sources=_top_values(dict(sources), 100),
        sections=_top_values(dict(sections), 100),
        years=[FacetValue(str(y), int(years[y])) for y in sorted(years)],
        size_bytes=sum(p["size"] for p in parts) + extra_bytes,
        segments=sum(p["segments"] for p in parts),
        last_indexed=(datetime.fromtimestamp(max(stamps)).astimezone().isoformat(timespec="seconds")
                      if stamps else None),
        path=str(path),
        shards=shards,
    )


def _members(leaders: dict[int, int]) -> dict[int, list[int]]:
    """Each document that has copies → every member of its set of copies."""
    groups: dict[int, list[int]] = {}
    for doc, lead in leaders.items():
        groups.setdefault(lead, []).append(doc)
    return {doc: groups[lead] for doc, lead in leaders.items()}


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # merged away by a writer since the listing
        return 0


def _filter_query(lo: datetime | None, hi: datetime | None, sections: Sequence[str],
                  sources: Sequence[str], bylines: Sequence[str]) -> wq.Query | None:
    parts: list[wq.Query] = []
    if lo or hi:
        parts.append(wq.NumericRange("ts_newest", timestamp(lo) if lo else UNDATED_NEWEST + 1,
                                     timestamp(hi) if hi else None))
    for field, values in (("section_exact", sections), ("source_exact", sources),
                          ("byline_exact", bylines)):
        values = [fold(v.strip()).replace(",", " ") for v in values if v and v.strip()]
        if values:
            parts.append(wq.Or([wq.Term(field, v) for v in values]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _terms(q: wq.Query | None, searcher: Searcher) -> dict[str, set[str]]:
    """The index terms a query matches, by field (wildcards and fuzzy terms expanded)."""
    if q is None:
        return {}
    # Not q.existing_terms(): in Whoosh 2.7 it stops at the first field it meets.
    reader = searcher.reader()
    out: dict[str, set[str]] = {}
    for leaf in q.leaves():
        try:
            terms = leaf.expanded_terms(reader, phrases=True)
        except Exception:
            continue
        for field, text in terms:
            if field not in searcher.schema:
                continue
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            if (field, text) in reader:
                out.setdefault(field, set()).add(text)
    # Words matched in the combined text highlight wherever they appear.
    shared = out.pop("text", set())
    for field in ("headline", "standfirst", "body", "captions"):
        out[field] = out.get(field, set()) | shared
    return out


def _within_dates(docs: np.ndarray, table: DocTable, lo: datetime | None,
                  hi: datetime | None) -> np.ndarray:
    """Those of `docs` published between `lo` and `hi` (undated ones only with no bound)."""
    if lo is None and hi is None:
        return docs
    ts = table.ts[docs]
    keep = ts != UNDATED_NEWEST
    if lo is not None:
        keep &= ts >= timestamp(lo)
    if hi is not None:
        keep &= ts <= timestamp(hi)
    return docs[keep]


def _top_distinct(best: Callable[[int], list[tuple[int, float]]], needed: int,
                  leaders: dict[int, int]) -> list[tuple[int, float]]:
    """The best documents, enough of them that `needed` distinct stories remain."""
    limit = needed * 2 + 10
    while True:
        ranked = best(limit)
        distinct = len({leaders.get(d, d) for d, _ in ranked})
        if distinct >= needed or len(ranked) < limit:
            return ranked
        limit *= 4


def _facets(docs: np.ndarray, table: DocTable, size: int = FACET_SIZE
            ) -> dict[str, list[FacetValue]]:
    n = table.doc_count
    return {
        "section": _top_values(table.section.count(docs, n), size),
        "source": _top_values(table.source.count(docs, n), size),
        "byline": _top_values(table.bylines.count(docs, n), size),
    }


def _top_values(counts: dict[str, int], n: int = FACET_SIZE) -> list[FacetValue]:
    counts.pop("", None)
    return [FacetValue(v, c) for v, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _histogram(docs: np.ndarray, table: DocTable, lo: datetime | None,
               hi: datetime | None) -> tuple[list[DateBucket], str]:
    months, numbers = np.unique(table.month[docs], return_counts=True)
    return _histogram_of(dict(zip(months.tolist(), numbers.tolist())))


def _histogram_of(month_counts: dict[int, int]) -> tuple[list[DateBucket], str]:
    """Date buckets from article counts by month (year * 12 + month - 1; -1 is undated)."""
    counts = {m: c for m, c in month_counts.items() if m != -1}
    if not counts:
        return [], "year"
    first, last = min(counts), max(counts)
    if last - first < 24:
        buckets = []
        for m in range(first, last + 1):
            key = f"{m // 12:04d}-{m % 12 + 1:02d}"
            end = parse_bound(key, end=True)
            buckets.append(DateBucket(key, f"{key}-01", end.date().isoformat(), counts.get(m, 0)))
        return buckets, "month"
    years: Counter[int] = Counter()
    for m, n in counts.items():
        years[m // 12] += n
    return [
        DateBucket(str(y), f"{y:04d}-01-01", f"{y:04d}-12-31", years.get(y, 0))
        for y in range(first // 12, last // 12 + 1)
    ], "year"


def parse_expanded(text: str, schema: Any, lang_fields: tuple[str, ...],
                   vocabulary: VocabularyCache, lexicon: Callable[[str], list[str]]) -> ParsedQuery:
    """`parse`, fuzzy terms and wildcards expanded to the archive's words (search/fuzzy.py).

    Stemmed fields take their words from the manifest's vocabulary; names and labels (and
    every field of an index whose manifest has no vocabulary) from `lexicon(field)`, the
    field's index terms (a sharded archive's: over every shard).
    """
    parsed = parse(text, schema, lang_fields=lang_fields)
    if parsed.query is not None and any(isinstance(q, (fuzzy.TypedFuzzyTerm, fuzzy.TypedWildcard))
                                        for q in parsed.query.leaves()):
        words = vocabulary.get()
        lexicons: dict[str, list[str]] = {}

        def words_of(field: str) -> tuple[list[str], dict[str, int]]:
            if words.counts and (field in _WORD_FIELDS or field.startswith("text")):
                return words.words, words.counts
            if field not in lexicons:
                lexicons[field] = lexicon(field) if field in schema else []
            return lexicons[field], {}

        parsed.query = fuzzy.expand(parsed.query, schema, words_of)
    return parsed


def respelled(vocabulary: Any, text: str, parsed: ParsedQuery) -> str | None:
    """`text` with its unknown words respelled from `vocabulary`, or None if none changed."""
    changed = text
    any_change = False
    for word in dict.fromkeys(parsed.words):
        low = fold(word)  # the vocabulary is folded: `zoe` is Zoë's word, `cafe` café's
        if len(low) < 3 or low.isdigit() or low in vocabulary:
            continue
        option = vocabulary.suggest(low)
        if option:
            changed = re.sub(rf"\b{re.escape(word)}\b", option, changed)
            any_change = True
    return changed if any_change else None


def _is_sharded(path: str | os.PathLike[str]) -> bool:
    from morgue.indexer.shards import is_sharded

    return is_sharded(path)


def _lines(value: str | None) -> list[str]:
    return [v for v in (value or "").split("\n") if v]


__all__ = ["Archive", "HitStream"]

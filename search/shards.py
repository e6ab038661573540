"""Searching a sharded archive as if it were one index (`Archive` over `indexer.shards`).

A query runs in phases, as Elasticsearch's `dfs_query_then_fetch` does:

1. *dfs*: every shard parses the query and reports the document frequency of each term it
   matches (wildcards and fuzzy words expanded against its own words). The coordinator adds
   them up with the shards' document counts and field lengths: the global statistics.
2. *query*: every shard evaluates the query scoring with the global statistics, and
   returns its match count, facet and month counts, its best documents with their scores
   (or dates) and the documents that may be copies of articles in other shards.
3. *fetch*: the coordinator merges the best lists, collapses copies across shards, and
   asks the shards holding the page's articles for their hits (snippets, highlights).

Scores are then the ones a single index of the same articles gives: BM25 reads N, df and
average field length from `GlobalStats` instead of the shard's reader. Ties (equal score,
or equal date when sorting by date) are broken by the document number within a shard, then
by shard number; a single index breaks them by its own document number.

`ShardSearcher` is one shard's side; it runs in this process (`LocalShards`) or as a Dask
actor on a cluster worker (`search.cluster`). Everything it takes and returns pickles.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import math
import os
import re
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.classify import Bo1Model
from whoosh.searching import Searcher

from morgue.errors import ArticleNotFound, IndexNotFound, Unavailable
from morgue.indexer.schema import LANG_ANALYZERS, UNDATED_NEWEST
from morgue.indexer.shards import is_sharded, shard_dirs, shard_of
from morgue.indexer.store import INDEX_NAME, exists as index_exists, open_existing
from morgue.indexer.whoosh_internals import segments_key
from morgue.search import archive as single
from morgue.search import cursor as cursors
from morgue.search.lru import LRU
from morgue.search.querylang import ParsedQuery
from morgue.search.request import (
    DEFAULT_SIMILAR, MAX_SIMILAR, SearchRequest, check_int, invalid)
from morgue.search.results import ArchiveStats, Hit, SearchResults, StoredArticle
from morgue.search.scoring import NewsBM25
from morgue.search.spelling import VocabularyCache
from morgue.search.table import clusters_of

_ID = re.compile(r"^[0-9a-f]{16}$")


# -- global statistics --------------------------------------------------------------------


@dataclass
class GlobalStats:
    """Collection statistics over every shard, read by BM25 in place of one reader's."""

    n: int
    lengths: dict[str, int]
    df: dict[tuple[str, bytes], int]

    def doc_count_all(self) -> int:
        return self.n

    def doc_frequency(self, field: str, text: bytes | str) -> int:
        if isinstance(text, str):
            text = text.encode("utf-8")
        return self.df.get((field, text), 0)

    def field_length(self, field: str) -> int:
        return self.lengths.get(field, 0)


class _StatsScorer(scoring.BM25FScorer):
    """Whoosh's BM25F scorer with idf and average length from `GlobalStats`."""

    def __init__(self, searcher: Any, fieldname: str, text: bytes, B: float, K1: float,  # noqa: N803
                 qf: float, idf_of: Any, stats: GlobalStats) -> None:
        n = stats.doc_count_all()
        self.idf = idf_of(n, stats.doc_frequency(fieldname, text))
        self.avgfl = (stats.field_length(fieldname) / (n or 1)) or 1
        self.B, self.K1, self.qf = B, K1, qf
        self.setup(searcher, fieldname, text)  # block-quality bounds use the global values


class StatsBM25(NewsBM25):
    """`NewsBM25` scoring with global statistics, for the queries Whoosh itself ranks."""

    def __init__(self, stats: GlobalStats) -> None:
        super().__init__()
        self.stats = stats

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: float = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        return _StatsScorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1,
                            qf, self.idf_of, self.stats)


class _GlobalMultiTerm(wq.Query):
    """A wildcard or fuzzy word scored as Whoosh scores it in one index of every shard.

    Whoosh scores such a query by BM25 when it expands to one word; when it expands to
    more, its `Or` of the words scores by BM25 or by a constant depending on the number of
    words and the size of the index (`whoosh.query.compound.Or._matcher`). Here the words
    over every shard and the archive's size decide, as they would in one index.
    """

    def __init__(self, inner: wq.Query, words: int, docs: int) -> None:
        self.inner = inner
        self.boost = inner.boost
        self.words = words
        self.archive_docs = docs

    def is_leaf(self) -> bool:
        return True

    def field(self) -> str:
        return self.inner.field()

    def expanded_terms(self, reader: Any, phrases: bool = False) -> Any:
        return self.inner.expanded_terms(reader, phrases=phrases)

    def estimate_size(self, reader: Any) -> int:
        return self.inner.estimate_size(reader)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        from whoosh import matching
        from whoosh.query.compound import DefaultOr, PreloadedOr
        from whoosh.searching import SearchContext

        field = self.inner.field()
        qs = [wq.Term(field, w) for w in self.inner._btexts(searcher.reader()) if w]
        if not qs:
            return matching.NullMatcher()
        if self.words == 1:
            return qs[0].matcher(searcher, context)
        if self.inner.constantscore:
            context = context.set(weighting=None) if context else SearchContext(weighting=None)
        needs_current = context.needs_current if context else True
        if self.words < wq.Or.TOO_MANY_CLAUSES and (needs_current or self.words == 2 or self.archive_docs > 5000):
            cls: Any = DefaultOr
        else:
            cls = PreloadedOr
        return cls(qs, boost=self.inner.boost)._matcher(qs, searcher, context)


def _multiterm_leaves(q: wq.Query | None) -> list[int]:
    """Positions (in `q.leaves()` order) of the leaves that expand to several words."""
    if q is None:
        return []
    return [k for k, leaf in enumerate(q.leaves()) if isinstance(leaf, wq.MultiTerm)]


def _globally_expanded(q: wq.Query | None, words: dict[int, int], docs: int) -> wq.Query | None:
    """`q` with its wildcard and fuzzy leaves scored by their expansion over every shard
    (`words`: leaf position -> number of words)."""
    if q is None or not words:
        return q
    counter = iter(range(1 << 30))

    def visit(node: wq.Query) -> wq.Query:
        if node.is_leaf():
            k = next(counter)
            return _GlobalMultiTerm(node, words[k], docs) if k in words else node
        return node.apply(visit)

    return visit(q)


def _key_hashes(keys: list[str]) -> np.ndarray:
    """A stable 64-bit hash per headline key (the same in every process), to find keys
    shared across shards; a collision only makes an extra candidate, never a wrong copy."""
    out = np.empty(len(keys), dtype=np.uint64)
    for i, key in enumerate(keys):
        b = key.encode("utf-8")
        out[i] = (zlib.crc32(b) << 32) | zlib.adler32(b)
    return out


# -- one shard ----------------------------------------------------------------------------


class ShardSearcher:
    """One shard's part of every query, over the Whoosh index at `path`.

    Runs in the coordinator's process or as a Dask actor holding the shard open on a worker.
    """

    def __init__(self, path: str, time_limit: float = 2.0) -> None:
        self.path = str(path)
        self.archive = single.Archive(path, time_limit=time_limit, cache_size=0)
        root = Path(path).parent
        if is_sharded(root):  # did-you-mean and fuzzy words: the archive's one manifest
            self.archive._vocabulary = VocabularyCache(root)
        self._hashes: tuple[Any, np.ndarray] | None = None
        self._shared: tuple[Any, np.ndarray] = (None, np.zeros(0, dtype=np.uint64))
        self._lock = threading.Lock()

    def _state(self) -> tuple[Searcher, Any, Any, tuple]:
        searcher = self.archive._searcher()
        table, postings = self.archive._generation(searcher)
        return searcher, table, postings, segments_key(searcher.reader())

    def _key_hashes(self, table: Any) -> np.ndarray:
        held = self._hashes
        if held is None or held[0] is not table:
            held = self._hashes = (table, _key_hashes(table.headline_key))
        return held[1]

    def ping(self) -> str:
        return self.path

    def info(self) -> dict[str, Any]:
        """Document count, field lengths and headline keys of the shard's current generation."""
        searcher, table, postings, generation = self._state()
        reader = searcher.reader()
        live = postings.live
        hashes, counts = np.unique(self._key_hashes(table)[live], return_counts=True)
        return {
            "generation": generation,
            "n": reader.doc_count_all(),
            "lengths": {f: reader.field_length(f) for f in searcher.schema.scorable_names()},
            "key_hashes": hashes,
            "key_counts": counts,
        }

    def set_shared(self, token: Any, hashes: np.ndarray) -> None:
        """The headline keys (hashes) more than one article of the archive has."""
        self._shared = (token, hashes)

    def dfs(self, q: wq.Query | None) -> dict[str, Any]:
        """Phase 1: document frequencies of the terms the parsed query `q` matches here,
        those terms (for highlighting) and the words its wildcards expand to."""
        searcher, _table, _postings, generation = self._state()
        reader = searcher.reader()
        schema = searcher.schema
        df: dict[tuple[str, bytes], int] = {}
        expansions: dict[int, list[bytes]] = {}
        for k in _multiterm_leaves(q):
            leaf = list(q.leaves())[k]
            try:
                expansions[k] = [w for w in leaf._btexts(reader) if w]
            except Exception:
                expansions[k] = []
        if q is not None:
            for leaf in q.leaves():
                try:
                    terms = leaf.expanded_terms(reader, phrases=True)
                except Exception:  # a leaf Whoosh cannot expand scores nothing either
                    continue
                for field, text in terms:
                    if field not in schema:
                        continue
                    try:
                        btext = text if isinstance(text, bytes) else schema[field].to_bytes(text)
                    except ValueError:
                        continue
                    n = reader.doc_frequency(field, btext)
                    if n:
                        df[(field, btext)] = n
        return {"generation": generation, "df": df, "terms": single._terms(q, searcher),
                "expansions": expansions}

    def lexicon(self, field: str) -> list[str]:
        """The shard's index terms of `field` (fuzzy names over every shard's words)."""
        reader = self.archive._searcher().reader()
        if field not in reader.schema:
            return []
        return [t.decode("utf-8", "replace") if isinstance(t, bytes) else t for t in reader.lexicon(field)]

    def part(self, req: dict[str, Any]) -> dict[str, Any]:
        """Phase 2: this shard's matches, counts, best documents and possible copies.

        The matching and ordering are `Archive._select` and `Archive._order` over this shard,
        scored with the archive's statistics and without collapsing copies (the coordinator
        collapses them across shards). `limit` None: every matching document, in order.
        """
        searcher, table, _postings, generation = self._state()
        deadline = time.perf_counter() + req["budget"]
        stats: GlobalStats = req["stats"]
        scored = Searcher(searcher.reader(), weighting=StatsBM25(stats), closereader=False)
        parsed = dataclasses.replace(req["parsed"],
                                     query=_globally_expanded(req["parsed"].query, req["expansions"], stats.n))
        request: SearchRequest = req["request"]
        chosen = self.archive._select(scored, request, deadline, parsed=parsed, stats=stats, collapse=False)
        matching = chosen.matching
        limit = len(matching) if req["limit"] is None else req["limit"]
        ranked = list(itertools.islice(self.archive._order(scored, chosen, limit, deadline), limit))
        if chosen.sort != "relevance":  # merged by date across shards
            ranked = [(d, float(table.ts[d])) for d, _score in ranked]
        partial = chosen.partial
        out: dict[str, Any] = {"generation": generation, "partial": partial, "ranked": ranked,
                               "more": req["limit"] is not None and len(ranked) >= limit > 0}
        if req.get("only_ranked"):
            return out
        out["count"] = len(matching)
        if req["facets"]:
            n = table.doc_count
            out["facets"] = {"section": table.section.count(matching, n),
                             "source": table.source.count(matching, n),
                             "byline": table.bylines.count(matching, n)}
            months, numbers = np.unique(table.month[matching], return_counts=True)
            out["months"] = dict(zip(months.tolist(), numbers.tolist()))
        if request.collapse_duplicates:
            token, shared = self._shared
            if token != req["shared_token"]:
                out["need_shared"] = True
                return out
            hashes = self._key_hashes(table)
            candidates = matching[np.isin(hashes[matching], shared)] if len(shared) else matching[:0]
            out["copies"] = [(d, table.headline_key[d], table.body_sig[d]) for d in candidates.tolist()]
        return out

    def count(self, q: wq.Query | None, filters_args: tuple, budget: float) -> int | None:
        """How many articles the parsed query `q` matches within the filters (did-you-mean)."""
        return self.archive._count(self.archive._searcher(), q, single._filter_query(*filters_args),
                                   time.perf_counter() + budget)

    def hits(self, items: list[tuple[int, float, int]], terms: dict[str, set[str]],
             generation: Any = None) -> list[Hit]:
        """Phase 3: the hits of documents (docnum, score, cluster size) with snippets.

        `generation`: the shard's generation the document numbers belong to; `Unavailable`
        when the shard has changed since (an export during indexing: run it again)."""
        searcher = self.archive._searcher()
        if generation is not None and segments_key(searcher.reader()) != generation:
            raise Unavailable(f"{self.path} changed during the export; run it again")
        return [self.archive._hit(searcher, d, score, terms, size, {}) for d, score, size in items]

    def ids(self, docnums: list[int]) -> list[str]:
        searcher = self.archive._searcher()
        return [searcher.stored_fields(d)["id"] for d in docnums]

    def get(self, id: str, highlight: str | None) -> StoredArticle:
        return self.archive.get(id, highlight=highlight)

    def matching_ids(self, query: str) -> list[str]:
        return self.archive.matching_ids(query)

    # more like this: key words chosen with the archive's statistics, then searched everywhere

    def like_source(self, id: str) -> tuple[int, dict[str, float], float, str] | None:
        """The article's docnum, its body's words with their weights, their total, its headline key."""
        searcher, table, _postings, _generation = self._state()
        docnum = searcher.document_number(id=id)
        if docnum is None:
            return None
        field = searcher.schema["text"]
        weights: dict[str, float] = {}
        total = 0.0
        body = searcher.stored_fields(docnum).get("body", "")
        if body:
            for text, _freq, weight, _value in field.index(body):
                word = field.from_bytes(text)
                weights[word] = weights.get(word, 0.0) + weight
                total += weight
        return docnum, weights, total, table.headline_key[docnum]

    def frequencies(self, words: list[str]) -> dict[str, float]:
        """How often each word occurs in the shard's `text` field (words it lacks left out)."""
        reader = self.archive._searcher().reader()
        field = reader.schema["text"]
        out = {}
        for word in words:
            btext = field.to_bytes(word)
            if ("text", btext) in reader:
                out[word] = reader.frequency("text", btext)
        return out

    def term_dfs(self, terms: list[tuple[str, str]]) -> dict[tuple[str, bytes], int]:
        """Document frequencies of (field, word) pairs here."""
        reader = self.archive._searcher().reader()
        out = {}
        for field, word in terms:
            btext = reader.schema[field].to_bytes(word)
            n = reader.doc_frequency(field, btext)
            if n:
                out[(field, btext)] = n
        return out

    def like(self, terms: list[tuple[str, float]], limit: int, mask: int | None,
             stats: GlobalStats) -> list[tuple[int, float, str]]:
        searcher, table, _postings, _generation = self._state()
        scored = Searcher(searcher.reader(), weighting=StatsBM25(stats), closereader=False)
        q = wq.Or([wq.Term("text", word, boost=weight) for word, weight in terms])
        results = scored.search(q, limit=limit, mask={mask} if mask is not None else None)
        return [(r.docnum, r.score or 0.0, table.headline_key[r.docnum]) for r in results]

    def stats_part(self) -> dict[str, Any]:
        return self.archive._stats_part()

    def close(self) -> None:
        self.archive.close()


# -- where the shards run -----------------------------------------------------------------


class LocalShards:
    """Every shard searched in this process, one after the other."""

    def __init__(self, dirs: list[Path], time_limit: float) -> None:
        self.shards = [ShardSearcher(str(d), time_limit) for d in dirs]

    def __len__(self) -> int:
        return len(self.shards)

    def call(self, method: str, args: dict[int, tuple]) -> dict[int, Any]:
        """Call `method` on the shards numbered in `args`, each with its arguments."""
        return {i: getattr(self.shards[i], method)(*a) for i, a in args.items()}

    def close(self) -> None:
        for shard in self.shards:
            shard.close()


def _toc_generation(directory: Path) -> int:
    """The newest generation of the Whoosh index in `directory`, from its TOC file names."""
    best = -1
    prefix = f"_{INDEX_NAME}_"
    try:
        for name in os.listdir(directory):
            if name.startswith(prefix) and name.endswith(".toc"):
                try:
                    best = max(best, int(name[len(prefix):-4]))
                except ValueError:
                    pass
    except OSError:
        pass
    return best


# -- the coordinator ----------------------------------------------------------------------


@dataclass
class _Gathered:
    """A search's matches over every shard (`ShardedArchive._gather`)."""

    info: dict[str, Any]
    parsed: ParsedQuery
    terms: dict[str, set[str]]
    lo: datetime | None
    hi: datetime | None
    sort: str
    parts: dict[int, dict[str, Any]]
    stories: list[tuple[tuple[int, int], float]]  # ((shard, document), score), one per story
    leaders: dict[tuple[int, int], tuple[int, int]]
    cluster_size: Counter
    total: int
    partial: bool


class ShardedArchive(single.Archive):
    """`Archive` over a sharded archive (or any index searched on a Dask cluster).

    Made by `Archive(path)` when `path` holds a shard map, or when a scheduler is given.
    """

    def __init__(self, path: str | os.PathLike[str], *, time_limit: float = 2.0,
                 cache_size: int = 256, scheduler: str | None = None) -> None:
        self.path = Path(path)
        self.time_limit = time_limit
        self.cache_size = cache_size
        self._results: LRU[tuple, SearchResults] = LRU(cache_size)
        if not is_sharded(self.path) and not index_exists(self.path):
            open_existing(self.path)  # raises IndexNotFound naming the directory
        self.dirs = shard_dirs(self.path)
        for d in self.dirs:
            if not index_exists(d):
                raise IndexNotFound(f"{d}: shard of {self.path} is missing")
        self.schema = open_existing(self.dirs[0]).schema
        self.sharded = is_sharded(self.path)
        self._vocabulary = VocabularyCache(self.path)
        self.scheduler = scheduler
        if scheduler:
            from morgue.search.cluster import ClusterShards

            self.shards: Any = ClusterShards(self.dirs, scheduler, time_limit)
        else:
            self.shards = LocalShards(self.dirs, time_limit)
        self._info: dict[str, Any] | None = None
        self._info_lock = threading.Lock()
        self._gen: tuple[float, tuple] = (0.0, ())

    # -- plumbing -------------------------------------------------------------------------

    def generation(self) -> tuple:
        """A token that changes whenever a shard does (read from the TOC files, ≤ 2/s)."""
        checked, key = self._gen
        now = time.monotonic()
        if not key or now - checked > 0.5:
            key = tuple(_toc_generation(d) for d in self.dirs)
            self._gen = (now, key)
        return key

    def _all(self, *args: Any) -> dict[int, tuple]:
        return {i: args for i in range(len(self.dirs))}

    def _global_info(self, refresh: bool = False) -> dict[str, Any]:
        """N, field lengths, language fields and shared headline keys over every shard."""
        info = self._info
        if info is not None and not refresh:
            return info
        with self._info_lock:
            if self._info is not None and self._info is not info and not refresh:
                return self._info
            parts = self.shards.call("info", self._all())
            lengths: Counter[str] = Counter()
            for p in parts.values():
                lengths.update(p["lengths"])
            hashes = np.concatenate([p["key_hashes"] for p in parts.values()])
            counts = np.concatenate([p["key_counts"] for p in parts.values()])
            unique, inverse = np.unique(hashes, return_inverse=True)
            totals = np.bincount(inverse, weights=counts, minlength=len(unique))
            shared = unique[totals >= 2]
            token = tuple(parts[i]["generation"] for i in sorted(parts))
            self.shards.call("set_shared", self._all(token, shared))
            self.shards.shared_token = token
            info = {
                "generations": {i: p["generation"] for i, p in parts.items()},
                "token": token,
                "n": sum(p["n"] for p in parts.values()),
                "lengths": dict(lengths),
                "lang_fields": tuple(f"text_{l}" for l in LANG_ANALYZERS if lengths.get(f"text_{l}")),
            }
            self._info = info
            return info

    def _parse(self, text: str, info: dict[str, Any]) -> ParsedQuery:
        """`Archive._parse` for the whole archive: fuzzy terms and wildcards become the
        manifest's words, or (names, labels) the words of every shard's term list."""
        def lexicon(field: str) -> list[str]:
            words: set[str] = set()
            for part in self.shards.call("lexicon", self._all(field)).values():
                words.update(part)
            return sorted(words)

        return single.parse_expanded(text, self.schema, info["lang_fields"], self._vocabulary, lexicon)

    def _dfs(self, query: str) -> tuple[dict[str, Any], Any, GlobalStats, dict[str, set[str]]]:
        """Phase 1 over every shard: the parsed query and the statistics to score it with."""
        info = self._global_info()
        for attempt in range(2):
            parsed = self._parse(query, info)
            if parsed.error:
                raise invalid("q", parsed.error)
            parts = self.shards.call("dfs", self._all(parsed.query))
            if attempt == 0 and any(p["generation"] != info["generations"][i] for i, p in parts.items()):
                info = self._global_info(refresh=True)  # a shard changed: statistics anew
                continue
            break
        df: Counter[tuple[str, bytes]] = Counter()
        terms: dict[str, set[str]] = {}
        expansions: dict[int, set[bytes]] = {}
        for p in parts.values():
            df.update(p["df"])
            for k, words in p["expansions"].items():
                expansions.setdefault(k, set()).update(words)
            for field, words in p["terms"].items():
                terms.setdefault(field, set()).update(words)
        info = dict(info, expansions={k: len(words) for k, words in expansions.items()})
        return info, parsed, GlobalStats(info["n"], info["lengths"], dict(df)), terms

    # -- search ---------------------------------------------------------------------------

    def _gather(self, request: SearchRequest, needed: int | None, started: float,
                facets: bool) -> _Gathered:
        """Phases 1 and 2: what `request` matches on every shard, its stories in order (the
        first `needed` at least, or all of them when `needed` is None), copies collapsed
        across shards as `table.clusters` collapses them within one index."""
        info, parsed, stats, terms = self._dfs(request.query)
        lo, hi = request.bounds()
        if parsed.date_from and (lo is None or parsed.date_from > lo):
            lo = parsed.date_from
        if parsed.date_to and (hi is None or parsed.date_to < hi):
            hi = parsed.date_to
        sort = request.sort
        if parsed.query is None and sort == "relevance":
            sort = "newest"
        limit = None if needed is None else needed * 2 + 10
        call = {
            "request": request, "parsed": parsed, "facets": facets, "limit": limit, "stats": stats,
            "budget": max(0.0, self.time_limit - (time.perf_counter() - started)),
            "shared_token": info["token"], "expansions": info["expansions"],
        }
        parts = self.shards.call("part", self._all(call))
        if any(p.get("need_shared") for p in parts.values()):  # a shard was reopened
            info = self._global_info(refresh=True)
            call["shared_token"] = info["token"]
            parts = self.shards.call("part", self._all(call))
        partial = any(p["partial"] for p in parts.values())

        candidates = sorted((i, d, key, sig) for i, p in parts.items() for d, key, sig in p.get("copies", ()))
        leaders = clusters_of([((i, d), key, sig) for i, d, key, sig in candidates])

        def merged(shard_parts: dict[int, dict[str, Any]]) -> list[tuple[tuple[int, int], float]]:
            streams = []
            for i, p in shard_parts.items():
                if sort == "relevance":
                    keyed = [((-s, d, i), ((i, d), s)) for d, s in p["ranked"]]
                elif sort == "newest":
                    keyed = [((-t, d, i), ((i, d), 0.0)) for d, t in p["ranked"]]
                else:
                    keyed = [((t == UNDATED_NEWEST, t, d, i), ((i, d), 0.0)) for d, t in p["ranked"]]
                streams.append(keyed)
            return [item for _key, item in heapq.merge(*streams)]

        def distinct(ranked: list[tuple[tuple[int, int], float]]) -> list[tuple[tuple[int, int], float]]:
            seen: set[tuple[int, int]] = set()
            out = []
            for g, score in ranked:
                lead = leaders.get(g, g)
                if lead not in seen:
                    seen.add(lead)
                    out.append((g, score))
            return out

        # Each shard's list is complete down to its last entry; merged, the archive's order
        # is certain down to the first place a shard that has more could still take.
        stories = distinct(merged(parts))
        while needed is not None and len(stories) < needed and any(p["more"] for p in parts.values()):
            assert limit is not None
            limit *= 4
            more = {i: (dict(call, limit=limit, only_ranked=True),) for i, p in parts.items() if p["more"]}
            for i, p in self.shards.call("part", more).items():
                parts[i] = dict(parts[i], ranked=p["ranked"], more=p["more"])
            stories = distinct(merged(parts))
        cluster_size = Counter(leaders.values())
        total = sum(p["count"] for p in parts.values()) - sum(n - 1 for n in cluster_size.values())
        return _Gathered(info, parsed, terms, lo, hi, sort, parts, stories, leaders, cluster_size,
                         total, partial)

    @single._cached_results
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
        facet_size: int = single.FACET_SIZE,
    ) -> SearchResults:
        """`Archive.search` over every shard; the same answers as one index of the articles,
        validated by the same contract (`SearchRequest`)."""
        started = time.perf_counter()
        facet_size = check_int("facet_size", facet_size, 1, single.MAX_FACET_SIZE)
        request = SearchRequest.of(
            query, page=page, page_size=page_size, sort=sort, date_from=date_from,
            date_to=date_to, sections=sections, sources=sources, bylines=bylines,
            facets=facets, collapse_duplicates=collapse_duplicates, cursor=cursor)  # fmt: skip
        after = self._cursor_position(request) if request.cursor is not None else None
        generation = self.generation()
        page_size = request.page_size
        if after is not None:
            start = after.position
            page = start // page_size + 1
        else:
            start = (request.page - 1) * page_size
            page = request.page
        got = self._gather(request, start + page_size + 1, started, request.facets)
        window = got.stories[max(0, start - 1): start + page_size + 1]
        if after is not None and (not window or self._code(window[0][0]) != after.docnum
                                  or round(window[0][1], 6) != after.key):
            raise cursors.expired()
        if start > 0:
            window = window[1:]
        page_docs, more = window[:page_size], len(window) > page_size

        hits = self._hits(page_docs, got.terms, got.leaders, got.cluster_size)
        total, lo, hi = got.total, got.lo, got.hi
        facet_counts: dict[str, Counter[str]] = {"section": Counter(), "source": Counter(), "byline": Counter()}
        months: Counter[int] = Counter()
        if request.facets:
            for p in got.parts.values():
                for name, counts in p["facets"].items():
                    facet_counts[name].update(counts)
                months.update(p["months"])
        result = SearchResults(
            query=request.query,
            total=total,
            page=page,
            page_size=page_size,
            pages=max(1, math.ceil(total / page_size)) if total else 0,
            sort=got.sort,
            hits=hits,
            facets=({name: single._top_values(dict(c), facet_size) for name, c in facet_counts.items()}
                    if request.facets else {}),
            histogram=[],
            interval="year",
            suggestion=None,
            notice=got.parsed.notice,
            partial=got.partial,
            took_ms=0.0,
            filters={
                "date_from": lo.date().isoformat() if lo else None,
                "date_to": hi.date().isoformat() if hi else None,
                "sections": list(request.sections),
                "sources": list(request.sources),
                "bylines": list(request.bylines),
            },
        )
        if more and page_docs and not got.partial:
            last_g, last_score = page_docs[-1]
            result.next = cursors.encode_cursor(cursors.Cursor(
                cursors.digest(generation), request.fingerprint(), start + len(page_docs),
                self._code(last_g), round(last_score, 6)))
        if request.facets:
            result.histogram, result.interval = single._histogram_of(dict(months))
        if total < 3 and 0 < len(got.parsed.words) <= single.MAX_SUGGEST_WORDS and not got.partial:
            filters_args = (lo, hi, request.sections, request.sources, request.bylines)
            result.suggestion = self._suggest_across(request.query, got.parsed, got.info, filters_args,
                                                     total, started)
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _code(self, g: tuple[int, int]) -> int:
        """One number for (shard, document): a cursor's document."""
        i, d = g
        return d * len(self.dirs) + i

    def _stale(self) -> None:
        self._gen = (0.0, ())

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
    ) -> single.HitStream:
        """`Archive.iter_hits` over every shard: every hit of a search, in its order.

        Unlike a single index, the shards' readers are not held for the whole export: if a
        shard changes while the stream is read (articles indexed meanwhile), reading it
        raises `Unavailable` asking to run the export again.
        """
        request = SearchRequest.of(query, sort=sort, date_from=date_from, date_to=date_to,
                                   sections=sections, sources=sources, bylines=bylines,
                                   facets=False, collapse_duplicates=collapse_duplicates)
        batch_size = check_int("batch_size", batch_size, 1, 100_000)
        got = self._gather(request, None, time.perf_counter(), False)
        if got.partial:
            raise Unavailable(
                f"the search could not be completed within the time limit ({self.time_limit:g} s) "
                "for an export; narrow it (fewer wildcards, a date range)")
        generations = {i: p["generation"] for i, p in got.parts.items()}

        def stream() -> Iterator[Hit]:
            for k in range(0, len(got.stories), batch_size):
                batch = got.stories[k:k + batch_size]
                yield from self._hits(batch, got.terms, got.leaders, got.cluster_size, generations)

        return single.HitStream(stream(), got.total)

    def _hits(self, page_docs: list[tuple[tuple[int, int], float]], terms: dict[str, set[str]],
              leaders: dict[tuple[int, int], tuple[int, int]], cluster_size: Counter,
              generations: dict[int, Any] | None = None) -> list[Hit]:
        by_shard: dict[int, list[tuple[int, float, int]]] = {}
        for (i, d), score in page_docs:
            size = cluster_size.get(leaders.get((i, d), None), 0)
            by_shard.setdefault(i, []).append((d, score, size))
        # the ids of each hit's copies, wherever they are
        members: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for g, lead in leaders.items():
            members.setdefault(lead, []).append(g)
        copies: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for g, _score in page_docs:
            lead = leaders.get(g)
            if lead is not None:
                copies[g] = [m for m in members[lead] if m != g][:20]
        wanted: dict[int, list[int]] = {}
        for group in copies.values():
            for i, d in group:
                wanted.setdefault(i, []).append(d)
        gen = generations or {}
        calls: dict[int, tuple] = {i: (items, terms, gen.get(i)) for i, items in by_shard.items()}
        built = self.shards.call("hits", calls)
        names: dict[tuple[int, int], str] = {}
        if wanted:
            for i, ids in self.shards.call("ids", {i: (docs,) for i, docs in wanted.items()}).items():
                names.update(zip(((i, d) for d in wanted[i]), ids))
        by_doc = {(i, d): hit for i, items in by_shard.items() for (d, _s, _n), hit in zip(items, built[i])}
        return [dataclasses.replace(by_doc[g], copy_ids=[names[m] for m in copies.get(g, [])])
                for g, _score in page_docs]

    def _suggest_across(self, text: str, parsed: Any, info: dict[str, Any], filters_args: tuple,
                        total: int, started: float) -> str | None:
        """Did-you-mean over the archive's one vocabulary, counted on every shard."""
        changed = single.respelled(self._vocabulary.get(), text, parsed)
        if changed is None:
            return None
        budget = max(0.0, self.time_limit - (time.perf_counter() - started))
        retry = self._parse(changed, info)
        counts = self.shards.call("count", self._all(retry.query, filters_args, budget))
        if any(c is None for c in counts.values()):
            return None
        return changed if sum(counts.values()) > total else None

    def matching_ids(self, query: str) -> list[str]:
        """`Archive.matching_ids` over every shard."""
        info = self._global_info()
        if self._parse(query, info).error:
            raise invalid("q", self._parse(query, info).error or "")
        out: list[str] = []
        for ids in self.shards.call("matching_ids", self._all(query)).values():
            out += ids
        return out

    # -- articles ------------------------------------------------------------------------

    def _shard_of(self, id: str) -> int:
        if not isinstance(id, str) or not _ID.match(id):
            raise ArticleNotFound(f"no article with id {id!r}")
        return shard_of(id, len(self.dirs)) if self.sharded else 0

    def get(self, id: str, *, highlight: str | None = None) -> StoredArticle:
        i = self._shard_of(id)
        return self.shards.call("get", {i: (id, highlight)})[i]

    def more_like_this(self, id: str, *, limit: int = DEFAULT_SIMILAR) -> list[Hit]:
        """Articles on the same subject: key words by the archive's statistics (Whoosh's Bo1
        model, as `Searcher.more_like`), searched in every shard, copies left out."""
        limit = check_int("limit", limit, 1, MAX_SIMILAR)
        i = self._shard_of(id)
        source = self.shards.call("like_source", {i: (id,)})[i]
        if source is None:
            raise ArticleNotFound(f"no article with id {id!r}")
        docnum, weights, top_total, own_key = source
        info = self._global_info()
        words = list(weights)
        cf: Counter[str] = Counter()
        for part in self.shards.call("frequencies", self._all(words)).values():
            cf.update(part)
        model = Bo1Model(info["n"], info["lengths"].get("text", 0))
        scored = [(model.score(weights[w], cf[w], top_total), w) for w in words if w in cf]
        norm = max((s for s, _w in scored), default=0) or 1
        scored = sorted(((s / norm, w) for s, w in scored), key=lambda x: (-x[0], x[1]))
        terms = [(w, s) for s, w in scored[:15]]
        stats = GlobalStats(info["n"], info["lengths"], {})
        stats.df = self._term_frequencies([("text", w) for w, _s in terms])
        found = self.shards.call("like", {j: (terms, limit * 3, docnum if j == i else None, stats)
                                          for j in range(len(self.dirs))})
        merged = sorted(((-s, d, j, key) for j, rows in found.items() for d, s, key in rows))[: limit * 3]
        keys = {own_key}
        chosen: list[tuple[int, int, float]] = []
        for neg, d, j, key in merged:
            if key in keys:
                continue
            keys.add(key)
            chosen.append((j, d, -neg))
            if len(chosen) == limit:
                break
        by_shard: dict[int, list[tuple[int, float, int]]] = {}
        for j, d, s in chosen:
            by_shard.setdefault(j, []).append((d, s, 0))
        built = self.shards.call("hits", {j: (items, {}) for j, items in by_shard.items()})
        by_doc = {(j, d): hit for j, items in by_shard.items() for (d, _s, _n), hit in zip(items, built[j])}
        return [by_doc[(j, d)] for j, d, _s in chosen]

    def _term_frequencies(self, terms: list[tuple[str, str]]) -> dict[tuple[str, bytes], int]:
        """Document frequencies of plain words over every shard."""
        if not terms:
            return {}
        df: Counter[tuple[str, bytes]] = Counter()
        for part in self.shards.call("term_dfs", self._all(terms)).values():
            df.update(part)
        return dict(df)

    # -- stats ---------------------------------------------------------------------------

    def stats(self) -> ArchiveStats:
        """`Archive.stats` added up over every shard."""
        parts = list(self.shards.call("stats_part", self._all()).values())
        root_files = [p for p in self.path.iterdir() if p.is_file()] if self.sharded else []
        return single.stats_of(parts, self.path, shards=len(self.dirs),
                               extra_bytes=sum(single._size(p) for p in root_files))

    def close(self) -> None:
        self.shards.close()


__all__ = ["GlobalStats", "LocalShards", "ShardSearcher", "ShardedArchive", "StatsBM25"]

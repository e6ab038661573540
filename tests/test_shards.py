"""Sharded archives (`morgue index --shards N`) answer as one index of the same articles."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from morgue.cli import main
from morgue.errors import InvalidParameter, MorgueError
from morgue.indexer.check import check_index
from morgue.indexer.maintenance import delete_articles, optimize_index
from morgue.indexer.shards import SHARD_MAP, shard_dirs, shard_of
from morgue.indexer.writer import index_paths
from morgue.search import Archive
from morgue.search.shards import ShardedArchive
from shard_pages import CORPUS, QUERIES, assert_same_results, write_generated
from conftest import news_page, paragraphs


def _ids_by_shard(root: Path) -> list[set[str]]:
    from whoosh import index as whoosh_index

    out = []
    for d in shard_dirs(root):
        with whoosh_index.open_dir(str(d), indexname="MAIN").searcher() as s:
            out.append({s.stored_fields(n)["id"] for n in s.reader().all_doc_ids()})
    return out


@pytest.fixture(scope="module")
def corpus_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, Archive]:
    base = tmp_path_factory.mktemp("corpus")
    index_paths([str(CORPUS)], base / "single", jobs=1)
    index_paths([str(CORPUS)], base / "sharded", jobs=1, shards=3)
    return Archive(base / "single", cache_size=0, time_limit=60), Archive(base / "sharded", cache_size=0, time_limit=60)


@pytest.fixture(scope="module")
def generated_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, Archive]:
    base = tmp_path_factory.mktemp("generated")
    write_generated(base / "pages", 260)
    index_paths([str(base / "pages")], base / "single", jobs=1)
    index_paths([str(base / "pages")], base / "sharded", jobs=1, shards=4)
    return Archive(base / "single", cache_size=0, time_limit=60), Archive(base / "sharded", cache_size=0, time_limit=60)


def test_a_sharded_archive_opens_as_one(corpus_pair):
    single, sharded = corpus_pair
    assert isinstance(sharded, ShardedArchive) and not isinstance(single, ShardedArchive)
    assert (sharded.path / SHARD_MAP).is_file() and len(shard_dirs(sharded.path)) == 3
    assert sharded.stats().shards == 3 and single.stats().shards == 1


def test_each_article_lives_in_exactly_the_shard_its_id_routes_to(corpus_pair):
    single, sharded = corpus_pair
    by_shard = _ids_by_shard(sharded.path)
    assert all(by_shard), "every shard holds articles"
    assert sum(len(s) for s in by_shard) == len(set().union(*by_shard)) == single.stats().articles
    for number, ids in enumerate(by_shard):
        assert all(shard_of(i, 3) == number for i in ids)


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_corpus_answers_equal_a_single_index(corpus_pair, sort):
    single, sharded = corpus_pair
    for q in QUERIES:
        if sort == "relevance" and q.endswith(("*", "~")):
            continue  # see test_wildcards_on_small_archives
        a = single.search(q, sort=sort, page_size=100)
        b = sharded.search(q, sort=sort, page_size=100)
        assert_same_results(a, b, label=f"{q!r} {sort}")


def test_corpus_top_ten_with_filters_and_pages_equal(corpus_pair):
    single, sharded = corpus_pair
    cases = [
        dict(q="river", date_from="2015", date_to="2020"),
        dict(q="", sections=["Politics"], sort="oldest"),
        dict(q="council", sources=["The Meridian Post", "Metro Daily Now"]),
        dict(q="the", page=2, page_size=5),
        dict(q="", page=3, page_size=10, sort="newest"),
        dict(q="water", collapse_duplicates=False),
        dict(q="storm", facets=False),
    ]
    for case in cases:
        q = case.pop("q")
        assert_same_results(single.search(q, **case), sharded.search(q, **case), label=f"{q!r} {case}")


def test_wildcards_on_small_archives_match_the_same_articles(corpus_pair):
    # Whoosh ranks a wildcard that expands to several words by a constant, or (in indexes of
    # 5,000 documents or fewer) through a preloaded array whose scores depend on document
    # positions: there only the matches, totals and facets are comparable.
    single, sharded = corpus_pair
    for q in ("bri*", "elect*", "budgt~", "flod~"):
        a, b = single.search(q, page_size=100), sharded.search(q, page_size=100)
        assert a.total == b.total and a.facets == b.facets and a.histogram == b.histogram
        assert {h.id for h in a.hits} | {i for h in a.hits for i in h.copy_ids} == \
            {h.id for h in b.hits} | {i for h in b.hits for i in h.copy_ids}


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_generated_answers_equal_a_single_index(generated_pair, sort):
    single, sharded = generated_pair
    for q in QUERIES:
        if sort == "relevance" and q.endswith(("*", "~")):
            continue
        for page in (1, 2):
            a = single.search(q, sort=sort, page=page, page_size=10)
            b = sharded.search(q, sort=sort, page=page, page_size=10)
            assert_same_results(a, b, label=f"{q!r} {sort} page {page}")


def test_copies_in_different_shards_collapse(generated_pair):
    single, sharded = generated_pair
    res = sharded.search("", page_size=100)
    with_copies = [h for h in res.hits if h.copies]
    assert with_copies, "the generated pages hold wire copies"
    routed = {shard_of(i, 4) for h in with_copies for i in [h.id, *h.copy_ids]}
    assert len(routed) > 1, "copies of one story sit in different shards"
    assert res.total == single.search("", page_size=100).total
    assert sharded.search("", collapse_duplicates=False).total == single.stats().articles


def test_more_like_this_get_and_suggestions_equal(corpus_pair, generated_pair):
    for single, sharded in (corpus_pair, generated_pair):
        for hit in single.search("", page_size=12).hits:
            a = single.more_like_this(hit.id, limit=5)
            b = sharded.more_like_this(hit.id, limit=5)
            assert [(h.score, h.headline) for h in a] == [(h.score, h.headline) for h in b], hit.id
            one, other = single.get(hit.id, highlight="the"), sharded.get(hit.id, highlight="the")
            assert dataclasses.replace(one, indexed_at=None) == dataclasses.replace(other, indexed_at=None)
    single, sharded = corpus_pair
    for typo in ("brige", "counsil budgett", "flodding river"):
        a, b = single.search(typo), sharded.search(typo)
        assert a.suggestion == b.suggestion and a.total == b.total, typo
    assert single.search("brige").suggestion  # the check above compares something


def test_stats_and_matching_ids_equal(corpus_pair):
    single, sharded = corpus_pair
    a, b = single.stats(), sharded.stats()
    for field in ("articles", "earliest", "latest", "undated", "sources", "sections", "years"):
        assert getattr(a, field) == getattr(b, field), field
    assert sorted(single.matching_ids("river")) == sorted(sharded.matching_ids("river"))


def test_updates_duplicates_deletes_and_maintenance(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(12):
        (pages / f"p{i}.html").write_text(news_page(
            f"Tram line story {i}", paragraphs(f"tram {i}"), url=f"https://news.example/tram/{i}"),
            encoding="utf-8")
    root = tmp_path / "archive"
    report = index_paths([str(pages)], root, jobs=1, shards=3)
    assert report.added == 12
    again = index_paths([str(pages)], root, jobs=1)  # the layout is kept without --shards
    assert again.unchanged == 12 and again.added == 0
    # a new version of page 3 and a copy of page 5 saved under another name
    (pages / "p3.html").write_text(news_page("Tram line story 3 updated", paragraphs("tram three"),
                                             url="https://news.example/tram/3",
                                             modified="2021-03-05T10:00:00+00:00"), encoding="utf-8")
    (pages / "copy.html").write_bytes((pages / "p5.html").read_bytes())
    report = index_paths([str(pages)], root, jobs=1)
    assert (report.updated, report.duplicates, report.added) == (1, 1, 0)
    by_shard = _ids_by_shard(root)
    assert sum(len(s) for s in by_shard) == 12
    archive = Archive(root, cache_size=0, time_limit=60)
    updated = archive.search('"story 3 updated"').hits
    assert len(updated) == 1 and shard_of(updated[0].id, 3) in [i for i, s in enumerate(by_shard)
                                                                 if updated[0].id in s]
    assert check_index(root).ok, check_index(root).problems
    victim = archive.search("", sort="newest").hits[0].id
    assert delete_articles(root, [victim, "0123456789abcdef"]) == (1, ["0123456789abcdef"])
    assert Archive(root, cache_size=0, time_limit=60).stats().articles == 11
    before, after = optimize_index(root)
    assert before >= 3 and after == 3  # one segment per shard
    assert check_index(root).ok and check_index(root).articles == 11
    with pytest.raises(MorgueError, match="has 3 shards, not 5"):
        index_paths([str(pages)], root, jobs=1, shards=5)


def test_check_finds_an_article_in_the_wrong_shard(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(6):
        (pages / f"p{i}.html").write_text(news_page(f"Ferry story {i}", paragraphs("ferry"),
                                                    url=f"https://news.example/ferry/{i}"), encoding="utf-8")
    root = tmp_path / "archive"
    index_paths([str(pages)], root, jobs=1, shards=2)
    (root / SHARD_MAP).write_text(json.dumps({"format": 1, "shards": 2, "routing": "article-id"}))
    # swap the shard directories: every article now sits in the wrong shard
    (root / "shard-000").rename(root / "tmp")
    (root / "shard-001").rename(root / "shard-000")
    (root / "tmp").rename(root / "shard-001")
    report = check_index(root)
    assert not report.ok and any("belong to another shard" in p for p in report.problems)


def test_cli_shards_stats_and_refusals(tmp_path):
    runner = CliRunner()
    root = tmp_path / "archive"
    result = runner.invoke(main, ["index", "--shards", "2", "--index", str(root), "--jobs", "1",
                                  str(CORPUS / "meridian")])
    assert result.exit_code == 0, result.output
    stats = json.loads(runner.invoke(main, ["stats", "--index", str(root), "--json"]).output)
    assert stats["shards"] == 2 and stats["articles"] > 0
    hits = json.loads(runner.invoke(main, ["search", "--index", str(root), "--json"]).output)
    shown = runner.invoke(main, ["show", "--index", str(root), "--json", hits["hits"][0]["id"]])
    assert json.loads(shown.output)["id"] == hits["hits"][0]["id"]
    assert runner.invoke(main, ["check", "--index", str(root)]).exit_code == 0
    single = tmp_path / "single"
    runner.invoke(main, ["index", "--index", str(single), "--jobs", "1", str(CORPUS / "meridian")])
    assert json.loads(runner.invoke(main, ["stats", "--index", str(single), "--json"]).output)["shards"] == 1
    refused = runner.invoke(main, ["index", "--shards", "2", "--index", str(single), str(CORPUS / "meridian")])
    assert refused.exit_code == 1 and "single (unsharded) index" in refused.output


# -- main's search contract on a sharded archive --------------------------------------------


@pytest.mark.parametrize("kwargs, parameter", [
    (dict(page=0), "page"), (dict(page_size=10_000), "page_size"), (dict(sort="best"), "sort"),
    (dict(date_from="yesterday-ish"), "from"), (dict(date_from="2020", date_to="2019"), "to"),
    (dict(facet_size=0), "facet_size"), (dict(cursor="not-a-cursor"), "cursor"),
    (dict(sections=[7]), "section"),
])
def test_sharded_search_validates_through_the_search_contract(corpus_pair, kwargs, parameter):
    single, sharded = corpus_pair
    with pytest.raises(InvalidParameter) as one:
        single.search("bridge", **kwargs)
    with pytest.raises(InvalidParameter) as other:
        sharded.search("bridge", **kwargs)
    assert one.value.parameter == other.value.parameter == parameter
    assert str(one.value) == str(other.value)


def test_sharded_query_errors_and_limits_are_the_single_index_ones(corpus_pair):
    single, sharded = corpus_pair
    from morgue.search.request import MAX_QUERY_LENGTH

    long_query = " ".join(["bridge river council budget flood harbour"] * 12)  # a pasted paragraph
    assert_same_results(single.search(long_query), sharded.search(long_query), label="long")
    for call in (lambda a: a.search("x" * (MAX_QUERY_LENGTH + 1)), lambda a: a.search("date:2020-13"),
                 lambda a: a.more_like_this(a.search("bridge").hits[0].id, limit=0),
                 lambda a: a.iter_hits("bridge", batch_size=0), lambda a: a.matching_ids("date:2020-13")):
        with pytest.raises(InvalidParameter) as one:
            call(single)
        with pytest.raises(InvalidParameter) as other:
            call(sharded)
        assert (one.value.parameter, str(one.value)) == (other.value.parameter, str(other.value))


def test_facet_size_and_snippet_fields_equal(corpus_pair):
    single, sharded = corpus_pair
    for q in ("bridge", "", "river"):
        a, b = single.search(q, facet_size=2), sharded.search(q, facet_size=2)
        assert a.facets == b.facets and all(len(v) <= 2 for v in b.facets.values())
    fields = {h.snippet_field for q in ("photograph", "caption:bridge", "bridge", "minister")
              for h in sharded.search(q, page_size=50).hits}
    assert "body" in fields and len(fields) > 1, fields  # a match outside the body shows its field


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_cursors_walk_a_sharded_archive_as_pages_do(generated_pair, sort):
    single, sharded = generated_pair
    for q in ("river", ""):
        pages = sharded.search(q, sort=sort, page_size=7)
        walked, cursor, steps = list(pages.hits), pages.next, 0
        while cursor and steps < 60:
            res = sharded.search(q, sort=sort, page_size=7, cursor=cursor)
            walked += res.hits
            cursor, steps = res.next, steps + 1
        assert cursor is None and len(walked) == pages.total, (q, sort)
        assert len({h.id for h in walked}) == len(walked)
        assert [h.id for h in walked] == [h.id for h in _every_page(sharded, q, sort)]
        expect = single.search(q, sort=sort, page_size=7)
        assert (expect.next is None) == (pages.next is None)


def test_a_sharded_cursor_is_refused_for_another_search_or_a_changed_archive(tmp_path):
    pages = tmp_path / "pages"
    write_generated(pages, 40)
    root = tmp_path / "archive"
    index_paths([str(pages)], root, jobs=1, shards=2)
    archive = Archive(root, cache_size=0)
    first = archive.search("", page_size=5)
    with pytest.raises(InvalidParameter) as foreign:
        archive.search("river", page_size=5, cursor=first.next)
    assert foreign.value.parameter == "cursor"
    (pages / "late.html").write_text(news_page("Late tram story", paragraphs("late tram"),
                                               url="https://news.example/late"), encoding="utf-8")
    index_paths([str(pages)], root, jobs=1)
    archive._stale()
    with pytest.raises(InvalidParameter) as expired:
        archive.search("", page_size=5, cursor=first.next)
    assert expired.value.parameter == "cursor"


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_iter_hits_on_a_sharded_archive_streams_every_story_in_order(generated_pair, sort):
    single, sharded = generated_pair
    for q in ("river", "", "council AND (budget OR school)"):
        with sharded.iter_hits(q, sort=sort, batch_size=9) as stream:
            total = stream.total
            streamed = list(stream)
        whole = _every_page(sharded, q, sort)
        assert total == len(whole) == len(streamed) == single.search(q).total
        assert [h.id for h in streamed] == [h.id for h in whole]
        by_id = {h.id: (h.score, h.copies, h.snippet_html) for h in _every_page(single, q, sort)}
        assert len(by_id) == total
        for hit in streamed:  # the same stories, with the single index's scores and snippets
            ids = [hit.id, *hit.copy_ids]
            assert any(by_id.get(i) == (hit.score, hit.copies, hit.snippet_html) for i in ids), hit.id


def _every_page(archive: Archive, q: str, sort: str) -> list:
    """Every hit of a search, page by page (pages of 100, the contract's largest)."""
    first = archive.search(q, sort=sort, page_size=100, facets=False)
    hits = list(first.hits)
    for page in range(2, first.pages + 1):
        hits += archive.search(q, sort=sort, page=page, page_size=100, facets=False).hits
    return hits

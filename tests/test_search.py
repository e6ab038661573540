"""The search API: query language, filters, sorting, facets, snippets, copies, suggestions."""

from __future__ import annotations

import pytest

from morgue.search import ArticleNotFound, InvalidParameter


@pytest.fixture
def archive(write_page, build_archive):
    write_page("bridge", "Old Mill bridge repairs begin", [
        "Crews began repairs on the Old Mill bridge on Monday after inspectors found corrosion.",
        "The bridge will stay closed to lorries until the work ends in the autumn.",
    ], url="https://t.test/bridge", published="2013-05-02T09:00:00+01:00", section="Local",
        source="Riverbend Dispatch", byline=("Dana Whitlock",),
        captions=(("A crane lifts a steel girder beside the river.", "AP"),))
    write_page("flood", "River floods Front Street again", [
        "Floodwater covered Front Street for the second time in a decade.",
        "Shop owners said the flooding had ruined stock worth thousands of pounds.",
    ], url="https://t.test/flood", published="2013-06-20T18:00:00+01:00", section="Weather",
        source="Riverbend Dispatch", byline=("Luis Ortega",))
    write_page("drought", "Drought forces irrigation quotas on farms", [
        "Farmers in the valley will get a third less water this summer under new irrigation quotas.",
        "The state engineer said the reservoir stood at its lowest level since records began.",
    ], url="https://t.test/drought", published="2008-07-01T08:00:00-06:00", section="Farm",
        source="The Valley Courier", byline=("Tom Hale",))
    write_page("undated", "Letters: the bridge and the budget", [
        "Readers wrote in about the bridge closure and the school budget.",
    ], url="https://t.test/letters", published=None, section="Opinion", source="Riverbend Dispatch",
        byline=())
    write_page("wire1", "Oil prices jump as supply fears grow", [
        "LONDON (CPA) — Oil prices jumped on Tuesday as traders worried about supply.",
        "Brent crude rose six percent in early trading, its biggest gain in a year.",
    ], url="https://cpa.test/oil", published="2022-03-01T07:00:00+00:00", section="Markets",
        source="Continental Press Agency", byline=())
    write_page("wire2", "Oil prices jump as supply fears grow", [
        "LONDON (CPA) — Oil prices jumped on Tuesday as traders worried about supply.",
        "Brent crude rose six percent in early trading, its biggest gain in a year.",
    ], url="https://meridian.test/oil", published="2022-03-01T08:00:00+00:00", section="Business",
        source="The Meridian Post", byline=())
    write_page("xss", "Council <script>alert(1)</script> vote", [
        "A <b>bold</b> claim about the council <script>alert('x')</script> budget vote.",
    ], url="https://t.test/xss", published="2020-01-01T00:00:00+00:00", section="Politics",
        source="Riverbend Dispatch")
    return build_archive()


def headlines(results):
    return [h.headline for h in results.hits]


def test_plain_words_are_stemmed(archive):
    assert "River floods Front Street again" in headlines(archive.search("flooding"))


def test_articles_matching_all_words_come_first(archive):
    results = archive.search("bridge repairs")
    assert headlines(results)[0] == "Old Mill bridge repairs begin"
    assert "Letters: the bridge and the budget" in headlines(results)  # partial match still found


def test_long_natural_language_query_returns_partial_matches(archive):
    results = archive.search("what happened when the reservoir ran low and farmers lost water")
    assert headlines(results)[0] == "Drought forces irrigation quotas on farms"


def test_words_in_most_articles_do_not_outweigh_a_rare_one(write_page, build_archive):
    # "council", "meeting" and "report" are in four of six articles, "zeppelin" in one: the
    # article with the rare word leads even though another repeats every common word.
    common = "The council meeting heard a report. The council report went to the next meeting."
    write_page("noisy", "Council meeting report", [common] * 6, url="https://t.test/noisy")
    for i in range(3):
        write_page(f"other{i}", f"Town news {i}", [common, f"Item {i} about parking."],
                   url=f"https://t.test/o{i}")
    write_page("rare", "Airship visit", ["A zeppelin landed in the square."],
               url="https://t.test/rare")
    write_page("park", "Park reopens", ["The park reopened on Sunday."], url="https://t.test/park")
    results = build_archive().search("council meeting report zeppelin")
    assert headlines(results)[0] == "Airship visit"
    assert results.total == 5  # the common words still find their articles, further down


def test_exact_phrase(archive):
    assert headlines(archive.search('"front street"')) == ["River floods Front Street again"]
    assert archive.search('"street front"').total == 0


def test_words_near_each_other(archive):
    assert archive.search('"crews corrosion"~12').total == 1
    assert archive.search('"crews corrosion"').total == 0


def test_boolean_operators_and_minus(archive):
    assert headlines(archive.search("bridge NOT budget")) == ["Old Mill bridge repairs begin"]
    assert headlines(archive.search("bridge -budget")) == ["Old Mill bridge repairs begin"]
    assert archive.search("drought OR flood").total == 2
    assert archive.search("drought AND flood").total == 0


def test_prefix_and_fuzzy(archive):
    assert "Drought forces irrigation quotas on farms" in headlines(archive.search("irrig*"))
    assert archive.search("drougt").total == 0
    assert "Drought forces irrigation quotas on farms" in headlines(archive.search("drougt~"))
    # a swap of neighbouring letters is one edit, and is found under relevance sort too
    assert headlines(archive.search("drouhgt~")) == ["Drought forces irrigation quotas on farms"]
    assert headlines(archive.search("drouhgt~1")) == ["Drought forces irrigation quotas on farms"]
    assert archive.search("drouhgt~0").total == 0


def test_field_queries_and_aliases(archive):
    assert headlines(archive.search("title:drought")) == ["Drought forces irrigation quotas on farms"]
    assert archive.search("headline:corrosion").total == 0
    assert archive.search("body:corrosion").total == 1
    assert headlines(archive.search("caption:girder")) == ["Old Mill bridge repairs begin"]
    assert headlines(archive.search('author:"tom hale"')) == ["Drought forces irrigation quotas on farms"]
    assert archive.search("section:weather").total == 1
    assert archive.search("source:courier").total == 1


def test_date_clauses_in_the_query(archive):
    assert archive.search("date:2013").total == 2
    assert archive.search("date:2013-06").total == 1
    assert archive.search("date:[2008-01-01 TO 2013-05-31]").total == 2
    assert archive.search("date:>2020").total == 1  # the oil story (and its copy, collapsed)
    assert archive.search("bridge date:2013").total == 1


def test_search_with_date_range(archive):
    results = archive.search("", date_from="2013", date_to="2013-05")
    assert headlines(results) == ["Old Mill bridge repairs begin"]
    with pytest.raises(InvalidParameter) as err:
        archive.search("x", date_from="May 2013")
    assert err.value.parameter == "from"


def test_filters_by_section_source_and_byline(archive):
    assert archive.search("", sections=["Farm"]).total == 1
    assert archive.search("", sources=["Riverbend Dispatch"]).total == 4
    assert archive.search("", sources=["Riverbend Dispatch", "The Valley Courier"]).total == 5
    assert headlines(archive.search("", bylines=["Luis Ortega"])) == ["River floods Front Street again"]


def test_facets_count_the_whole_matching_set_and_honour_filters(archive):
    results = archive.search("", page_size=1)
    sources = {f.value: f.count for f in results.facets["source"]}
    assert sources["Riverbend Dispatch"] == 4
    filtered = archive.search("", sections=["Weather"])
    assert {f.value: f.count for f in filtered.facets["source"]} == {"Riverbend Dispatch": 1}
    assert {f.value for f in filtered.facets["byline"]} == {"Luis Ortega"}


def test_date_histogram_by_year_and_by_month(archive):
    results = archive.search("")
    assert results.interval == "year"
    years = {b.key: b.count for b in results.histogram}
    assert years["2013"] == 2 and years["2008"] == 1 and years["2010"] == 0
    short = archive.search("", date_from="2013", date_to="2013")
    assert short.interval == "month"
    assert {b.key: b.count for b in short.histogram} == {"2013-05": 1, "2013-06": 1}


def test_sort_newest_and_oldest_put_undated_last(archive):
    newest = archive.search("bridge", sort="newest")
    assert headlines(newest)[-1] == "Letters: the bridge and the budget"
    oldest = archive.search("", sort="oldest", collapse_duplicates=False)
    assert headlines(oldest)[0] == "Drought forces irrigation quotas on farms"
    assert headlines(oldest)[-1] == "Letters: the bridge and the budget"


def test_wire_copies_are_collapsed_into_one_hit(archive):
    results = archive.search("oil prices")
    assert results.total == 1
    assert results.hits[0].copies == 1 and len(results.hits[0].copy_ids) == 1
    assert archive.search("oil prices", collapse_duplicates=False).total == 2


def test_snippets_mark_matches_and_escape_everything_else(archive):
    hit = archive.search("council").hits[0]
    assert "<script>" not in hit.headline_html and "&lt;script&gt;" in hit.headline_html
    assert "<mark>Council</mark>" in hit.headline_html
    assert "<b>" not in hit.snippet_html and "&lt;b&gt;bold&lt;/b&gt;" in hit.snippet_html
    assert "<mark>council</mark>" in hit.snippet_html
    query_with_markup = archive.search("<script>alert(1)</script>")
    assert all("<script>" not in h.snippet_html for h in query_with_markup.hits)


def test_caption_snippet_when_only_a_caption_matches(archive):
    hit = archive.search("girder").hits[0]
    assert hit.caption_html is not None and "<mark>girder</mark>" in hit.caption_html


def test_snippet_is_a_short_window_around_the_match(write_page, build_archive):
    filler = [f"Paragraph {i} talks about the weather and the roads in general terms." for i in range(80)]
    write_page("long", "A long report", filler[:60] + ["The zeppelin landed in the square."] + filler[60:],
               url="https://t.test/long")
    hit = build_archive().search("zeppelin").hits[0]
    assert "<mark>zeppelin</mark>" in hit.snippet_html
    assert len(hit.snippet_text) < 320
    assert hit.snippet_text.startswith("…")


def test_did_you_mean(archive):
    results = archive.search("irigation")
    assert results.total == 0
    assert results.suggestion == "irrigation"
    assert archive.search("irrigation").suggestion is None


def test_malformed_queries_fall_back_to_plain_words(archive):
    for text in ['"front street', "(bridge", "bridge AND", "foo:bridge"]:
        results = archive.search(text)
        assert results.notice, text
        assert results.total >= 1, text


def test_query_bombs_are_tamed(archive):
    assert "wildcards need" in archive.search("*a*").notice
    many = " OR ".join(f"word{i}" for i in range(1000))
    results = archive.search(many[:500])
    assert results.partial is False


def test_time_limit_returns_partial_results(write_page, build_archive, index_dir):
    for i in range(40):
        write_page(f"p{i}", f"Budget debate part {i}", url=f"https://t.test/b{i}")
    build_archive()
    from morgue.search import Archive

    slow = Archive(index_dir, time_limit=0.0)
    results = slow.search("budget debate")
    assert results.partial is True


def test_new_articles_appear_without_reopening(write_page, build_archive, index_dir):
    import time

    archive = build_archive([write_page("a", "Tram depot opens", url="https://t.test/a")])
    assert archive.search("zebra").total == 0
    from morgue.indexer.writer import index_paths

    index_paths([str(write_page("b", "Zebra crossing added", url="https://t.test/b"))], index_dir, jobs=1)
    time.sleep(0.6)  # searchers check for a new generation at most twice a second
    assert archive.search("zebra").total == 1


def test_parameters_are_bounded(archive):
    for kw, name in [({"page": 0}, "page"), ({"page_size": 101}, "page_size"),
                     ({"sort": "random"}, "sort")]:
        with pytest.raises(InvalidParameter) as err:
            archive.search("x", **kw)
        assert err.value.parameter == name


def test_get_returns_the_article_with_highlights(archive):
    hit = archive.search("corrosion").hits[0]
    article = archive.get(hit.id, highlight="corrosion")
    assert article.headline == "Old Mill bridge repairs begin"
    assert article.captions == [{"text": "A crane lifts a steel girder beside the river.", "credit": "AP"}]
    assert any("<mark>corrosion</mark>" in p for p in article.paragraphs_html)
    with pytest.raises(ArticleNotFound):
        archive.get("../../etc/passwd")
    with pytest.raises(ArticleNotFound):
        archive.get("0123456789abcdef")


def test_more_like_this_leaves_out_the_article_and_its_copies(archive):
    hit = archive.search("river floods").hits[0]
    similar = archive.more_like_this(hit.id)
    assert hit.id not in [h.id for h in similar]
    oil = archive.search("oil").hits[0]
    assert all(h.headline != oil.headline for h in archive.more_like_this(oil.id))


def test_stats(archive):
    stats = archive.stats()
    assert stats.articles == 7 and stats.undated == 1
    assert (stats.earliest, stats.latest) == ("2008-07-01", "2022-03-01")
    assert {v.value: v.count for v in stats.years}["2013"] == 2


def test_results_serialise_to_json(archive):
    import json

    data = json.loads(json.dumps(archive.search("bridge").to_dict()))
    assert {"total", "page", "pages", "hits", "facets", "histogram", "suggestion", "notice",
            "partial", "took_ms"} <= set(data)
    assert {"id", "url", "headline", "headline_html", "snippet_html", "score", "copies"} <= set(data["hits"][0])


def test_filters_restrict_relevance_ranked_hits(archive):
    results = archive.search("bridge", sources=["Riverbend Dispatch"], date_from="2013", date_to="2013")
    assert headlines(results) == ["Old Mill bridge repairs begin"]
    assert archive.search("oil", sources=["The Valley Courier"]).hits == []


def test_hyphenated_words_are_words_not_exclusions(write_page, build_archive):
    write_page("shake", "Cabinet shake-ups in Prague", ["The president announced cabinet shake-ups on Monday."],
               url="https://t.test/shake")
    archive = build_archive()
    assert headlines(archive.search("shake-ups")) == ["Cabinet shake-ups in Prague"]
    assert headlines(archive.search("cabinet shake-ups prague")) == ["Cabinet shake-ups in Prague"]


def test_articles_from_before_1970_keep_their_dates(write_page, build_archive):
    write_page("old", "Test ban treaty signed in Moscow", ["Three powers signed the partial test ban treaty."],
               url="https://t.test/1963", published="1963-08-05T12:00:00+03:00")
    archive = build_archive()
    hit = archive.search("treaty date:1963").hits[0]
    assert hit.published.startswith("1963-08-05")
    assert archive.search("treaty", date_to="1969").total == 1
    assert [b.key for b in archive.search("treaty").histogram] == ["1963-08"]


def test_a_read_retries_once_when_a_writer_merged_segment_files_away(archive, monkeypatch):
    from morgue.search import table

    real_load = table.DocTable.load
    calls = []

    def vanished_once(reader):
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError("MAIN_x.byline_col.col")
        return real_load(reader)

    archive._tables.clear()
    monkeypatch.setattr(table.DocTable, "load", staticmethod(vanished_once))
    assert archive.stats().articles == 7
    assert len(calls) == 2


def test_a_repeated_search_is_answered_from_the_result_cache(archive, monkeypatch):
    from morgue.search import Archive
    from morgue.search import archive as archive_module

    real = Archive.search.__wrapped__  # the search itself, inside the cache
    computed = []

    def counting(self, query, **kw):
        computed.append(query)
        return real(self, query, **kw)

    monkeypatch.setattr(Archive, "search", archive_module._cached_results(counting))
    first = archive.search("bridge")
    again = archive.search("bridge")
    assert computed == ["bridge"]
    assert again.hits == first.hits and again.facets == first.facets
    archive.search("bridge", page_size=5)  # other parameters: another search
    assert computed == ["bridge", "bridge"]

    uncached = Archive(archive.path, cache_size=0)
    uncached.search("bridge")
    uncached.search("bridge")
    assert computed == ["bridge"] * 4


def test_a_cached_search_does_not_let_an_invalid_parameter_through(archive):
    archive.search("bridge", page=1)
    with pytest.raises(InvalidParameter):
        archive.search("bridge", page=True)


# -- every hit: iter_hits and cursors ---------------------------------------------------------

from tests.web_fixtures import web_archive, web_index  # noqa: E402,F401


def _pages(archive, query, sort, size, **kw):
    hits, page = [], 1
    while True:
        results = archive.search(query, sort=sort, page=page, page_size=size, **kw)
        hits += results.hits
        if page >= results.pages:
            return hits
        page += 1


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("query", ["", "bridge", "council OR harbour", '"harbour bridge"', "bank*"])
def test_the_export_of_a_query_is_its_pages_one_after_the_other(web_archive, query, sort):
    exported = list(web_archive.iter_hits(query, sort=sort, batch_size=4))
    paged = _pages(web_archive, query, sort, 7)
    assert exported and [h.to_dict() for h in exported] == [h.to_dict() for h in paged]
    assert len(exported) == web_archive.search(query).total


def test_the_export_keeps_filters_and_copies(web_archive):
    kw = dict(date_from="2020", sources=["Valley Courier", "Harbour Gazette"])
    exported = list(web_archive.iter_hits("", sort="newest", **kw))
    assert [h.id for h in exported] == [h.id for h in _pages(web_archive, "", "newest", 10, **kw)]
    assert any(h.copies for h in web_archive.iter_hits(""))  # the wire story, collapsed
    assert len(list(web_archive.iter_hits("", collapse_duplicates=False))) > len(exported)


def test_cursors_walk_the_whole_result_set(web_archive):
    seen, results = [], web_archive.search("bridge", page_size=3)
    while True:
        seen += [h.id for h in results.hits]
        if results.next is None:
            break
        results = web_archive.search("bridge", page_size=3, cursor=results.next)
    assert seen == [h.id for h in web_archive.iter_hits("bridge")]
    assert len(seen) == len(set(seen)) == web_archive.search("bridge").total
    # The page size may change between pages; the cursor says where the last one ended.
    first = web_archive.search("bridge", page_size=2)
    assert [h.id for h in web_archive.search("bridge", page_size=5, cursor=first.next).hits] == seen[2:7]


def test_a_cursor_is_refused_for_another_search_or_when_it_is_not_one(web_archive):
    cursor = web_archive.search("bridge", page_size=3).next
    for kw in ({"query": "harbour"}, {"query": "bridge", "sort": "newest"},
               {"query": "bridge", "date_from": "2020"}):
        query = kw.pop("query")
        with pytest.raises(InvalidParameter) as err:
            web_archive.search(query, page_size=3, cursor=cursor, **kw)
        assert err.value.parameter == "cursor" and "another search" in str(err.value)
    for bad in ("nonsense", cursor[:-4], "x" * 600, 17):
        with pytest.raises(InvalidParameter) as err:
            web_archive.search("bridge", cursor=bad)
        assert err.value.parameter == "cursor"


def test_a_cursor_expires_when_the_index_changes(write_page, build_archive, index_dir):
    import time

    from morgue.indexer.writer import index_paths

    archive = build_archive([write_page(f"p{i}", f"Tram depot story {i}", url=f"https://t.test/{i}")
                             for i in range(5)])
    first = archive.search("tram", page_size=2, sort="oldest")
    assert archive.search("tram", page_size=2, sort="oldest", cursor=first.next).hits
    index_paths([str(write_page("new", "Tram line extended", url="https://t.test/new"))], index_dir, jobs=1)
    time.sleep(0.6)  # searchers check for a new generation at most twice a second
    with pytest.raises(InvalidParameter) as err:
        archive.search("tram", page_size=2, sort="oldest", cursor=first.next)
    assert err.value.parameter == "cursor" and "expired" in str(err.value)


def test_an_export_is_one_snapshot_while_articles_are_indexed(write_page, build_archive, index_dir):
    from morgue.indexer.maintenance import optimize_index
    from morgue.indexer.writer import index_paths

    archive = build_archive([write_page(f"p{i}", f"Harbour ferry timetable {i}",
                                        url=f"https://t.test/{i}") for i in range(12)])
    index_paths([str(write_page("q", "Harbour ferry fares rise", url="https://t.test/q"))],
                index_dir, jobs=1)  # a second segment
    before = [h.id for h in archive.iter_hits("ferry", sort="oldest")]
    stream = archive.iter_hits("ferry", sort="oldest", batch_size=3)
    got = [next(stream).id for _ in range(4)]
    index_paths([str(write_page(f"n{i}", f"Harbour ferry strike day {i}", url=f"https://t.test/n{i}"))
                 for i in range(6)], index_dir, jobs=1)
    optimize_index(index_dir)  # merges the segments the stream reads into a new one
    got += [h.id for h in stream]
    assert got == before and stream.total == len(before) == 13
    assert len(list(archive.iter_hits("ferry"))) == 19  # a new export sees the new articles


def test_iter_hits_checks_its_arguments_as_search_does(web_archive):
    with pytest.raises(InvalidParameter) as err:
        web_archive.iter_hits("x", date_from="2018-13")
    assert str(err.value) == str(pytest.raises(InvalidParameter, web_archive.search, "x",
                                               date_from="2018-13").value)
    with web_archive.iter_hits("bridge") as stream:
        assert next(stream).id == web_archive.search("bridge").hits[0].id

"""Date clauses in the query: each operator's bounds, open ends, and ranges that intersect."""

from __future__ import annotations

import pytest

DATES = {
    "dec2009": "2009-12-31T12:00:00+00:00",
    "jan2010": "2010-01-01T12:00:00+00:00",
    "jun2010": "2010-06-15T12:00:00+00:00",
    "dec2010": "2010-12-31T12:00:00+00:00",
    "jan2011": "2011-01-01T12:00:00+00:00",
    "may2012": "2012-05-05T12:00:00+00:00",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    from conftest import news_page
    from morgue.indexer.writer import index_paths
    from morgue.search import Archive

    root = tmp_path_factory.mktemp("dates")
    (root / "pages").mkdir()
    for name, published in DATES.items():
        (root / "pages" / f"{name}.html").write_text(news_page(
            f"Ferry timetable {name}", [f"The ferry timetable for {name} was published by the port."],
            url=f"https://t.test/{name}", published=published), encoding="utf-8")
    (root / "pages" / "undated.html").write_text(news_page(
        "Ferry timetable undated", ["The ferry timetable has no date."], url="https://t.test/u",
        published=None), encoding="utf-8")
    index_paths([str(root / "pages")], root / "index", jobs=1)
    return Archive(root / "index")


def found(archive, query, **kw):
    results = archive.search(f"ferry {query}", page_size=50, **kw)
    return sorted(h.headline.rsplit(" ", 1)[1] for h in results.hits)


@pytest.mark.parametrize("clause, expected", [
    ("date:2010", ["dec2010", "jan2010", "jun2010"]),
    ("date:2010-06", ["jun2010"]),
    ("date:2010-06-15", ["jun2010"]),
    ("date:<2010", ["dec2009"]),                                    # 2010 itself excluded
    ("date:<=2010", ["dec2009", "dec2010", "jan2010", "jun2010"]),  # the whole of 2010 included
    ("date:>2010", ["jan2011", "may2012"]),                         # after the end of 2010
    ("date:>=2010", ["dec2010", "jan2010", "jan2011", "jun2010", "may2012"]),
    ("date:<2010-06-15", ["dec2009", "jan2010"]),
    ("date:>2010-06-15", ["dec2010", "jan2011", "may2012"]),
    ("date:[2010 TO *]", ["dec2010", "jan2010", "jan2011", "jun2010", "may2012"]),
    ("date:[* TO 2010]", ["dec2009", "dec2010", "jan2010", "jun2010"]),
    ("date:[2010-06 TO 2011-01]", ["dec2010", "jan2011", "jun2010"]),
])
def test_each_date_operator_sets_the_bounds_it_names(archive, clause, expected):
    assert found(archive, clause) == expected


def test_two_ranges_intersect(archive):
    # [2009 TO 2011] and [2010-06 TO 2012]: both hold, so June 2010 to the end of 2011;
    # neither range alone (nor the "narrower" one) gives this
    assert found(archive, "date:[2009 TO 2011] date:[2010-06 TO 2012]") == ["dec2010", "jan2011", "jun2010"]
    assert found(archive, "date:>=2010 date:<2011") == ["dec2010", "jan2010", "jun2010"]
    # and a clause intersects the from/to parameters too
    assert found(archive, "date:[2009 TO 2011]", date_from="2010-06", date_to="2012") == [
        "dec2010", "jan2011", "jun2010"]


def test_ranges_that_do_not_overlap_find_nothing(archive):
    assert found(archive, "date:2009 date:2011") == []


def test_an_invalid_date_clause_is_refused_naming_the_query(archive):
    """Not searched without it: that would return every year under an easily missed notice."""
    from morgue.errors import InvalidParameter

    with pytest.raises(InvalidParameter) as refused:
        archive.search("ferry date:2010-13", page_size=50)
    assert refused.value.parameter == "q"
    assert "date:2010-13" in str(refused.value) and "not a date" in str(refused.value)

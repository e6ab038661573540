"""One search contract: `Archive.search`, `morgue search` and `/api/search` accept and refuse
the same values with the same message, and write the same CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
import webtest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from morgue.cli import main
from morgue.errors import InvalidParameter
from morgue.search.export import CSV_COLUMNS
from morgue.search.request import MAX_FACET_LENGTH, MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH
from morgue.web.app import make_app
from tests.web_fixtures import web_archive, web_index  # noqa: F401

TOO_LONG = "x" * (MAX_QUERY_LENGTH + 1)

# (Archive.search keywords, `morgue search` arguments, /api/search parameters,
#  the contract's parameter, the CLI's name for it)
REFUSED = [
    ({"page": 0}, ["--page", "0"], {"page": "0"}, "page", "--page"),
    ({"page": MAX_PAGE + 1}, ["--page", str(MAX_PAGE + 1)], {"page": str(MAX_PAGE + 1)}, "page", "--page"),
    ({"page_size": MAX_PAGE_SIZE + 1}, ["--limit", str(MAX_PAGE_SIZE + 1)],
     {"page_size": str(MAX_PAGE_SIZE + 1)}, "page_size", "--limit"),
    ({"date_from": "2018-13"}, ["--from", "2018-13"], {"from": "2018-13"}, "from", "--from"),
    ({"date_to": "2018-02-30"}, ["--to", "2018-02-30"], {"to": "2018-02-30"}, "to", "--to"),
    ({"date_from": "2023", "date_to": "2022"}, ["--from", "2023", "--to", "2022"],
     {"from": "2023", "to": "2022"}, "to", "--to"),
    ({"sort": "best"}, ["--sort", "best"], {"sort": "best"}, "sort", "--sort"),
    ({"sections": ["s" * (MAX_FACET_LENGTH + 1)]}, ["--section", "s" * (MAX_FACET_LENGTH + 1)],
     {"section": "s" * (MAX_FACET_LENGTH + 1)}, "section", "--section"),
]  # fmt: skip


@pytest.fixture(scope="module")
def app(web_archive):
    return webtest.TestApp(make_app(web_archive))


def cli(*args: str):
    return CliRunner().invoke(main, ["search", *args])


@pytest.mark.parametrize("kwargs,argv,query,parameter,option", REFUSED,
                         ids=[r[3] + ":" + "&".join(r[2].values())[:20] for r in REFUSED])
def test_a_bad_value_is_refused_alike_everywhere(web_archive, web_index, app, kwargs, argv, query,
                                                 parameter, option):
    with pytest.raises(InvalidParameter) as err:
        web_archive.search("harbour", **kwargs)
    assert err.value.parameter == parameter
    message = str(err.value)

    res = app.get("/api/search", {"q": "harbour", **query}, status=400)
    assert res.json["error"] == {"status": 400, "message": message, "parameter": parameter}

    result = cli("--index", str(web_index), "harbour", *argv)
    assert result.exit_code == 2
    assert err.value.detail in result.stderr
    assert f"'{option}'" in result.stderr  # the CLI names its own option...
    if option != f"--{parameter}":
        assert f"'{parameter}'" not in result.stderr  # ...not the contract's name


def test_a_query_over_the_limit_is_refused_alike_everywhere(web_archive, web_index, app):
    with pytest.raises(InvalidParameter) as err:
        web_archive.search(TOO_LONG)
    assert err.value.parameter == "q" and f"at most {MAX_QUERY_LENGTH} characters" in str(err.value)
    res = app.get("/api/search", {"q": TOO_LONG}, status=400)
    assert res.json["error"]["message"] == str(err.value)
    result = cli("--index", str(web_index), TOO_LONG)
    assert result.exit_code == 2 and err.value.detail in result.stderr and "QUERY" in result.stderr
    assert web_archive.search(TOO_LONG[:-1]).query == TOO_LONG[:-1]  # the limit itself is allowed


@pytest.mark.parametrize("month", ["2019-6", "2019-06"])
def test_a_one_digit_month_is_accepted_everywhere(web_archive, web_index, app, month):
    expected = web_archive.search("", date_from="2019-06", date_to="2019-06", facets=False)
    assert expected.total > 0
    ids = [h.id for h in expected.hits]
    from_archive = web_archive.search("", date_from=month, date_to=month, facets=False)
    from_api = app.get("/api/search", {"from": month, "to": month}).json
    result = cli("--index", str(web_index), "--json", "--from", month, "--to", month)
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.output)
    assert [h.id for h in from_archive.hits] == [h["id"] for h in from_api["hits"]] == ids
    assert [h["id"] for h in from_cli["hits"]] == ids
    assert from_api["filters"]["date_from"] == from_cli["filters"]["date_from"] == "2019-06-01"


def test_from_after_to_is_refused_not_an_empty_result(web_index):
    result = cli("--index", str(web_index), "--from", "2023-05", "--to", "2023-04")
    assert result.exit_code == 2 and "must not be before" in result.stderr


@pytest.fixture
def formula_archive(write_page, build_archive):
    write_page("a", "=HYPERLINK(\"http://evil.test\") harbour tolls", url="https://t.test/a")
    write_page("b", "@SUM harbour budget", url="https://t.test/b")
    write_page("c", "Harbour wall repaired", url="https://t.test/c")
    return build_archive()


def test_csv_is_one_layout_with_the_formula_guard_from_cli_and_api(formula_archive, index_dir):
    api = webtest.TestApp(make_app(formula_archive)).get(
        "/api/search", {"q": "harbour", "format": "csv", "sort": "oldest"}).text
    result = cli("--index", str(index_dir), "--csv", "--sort", "oldest", "harbour")
    assert result.exit_code == 0, result.output
    from_cli = result.stdout
    api_rows = list(csv.reader(io.StringIO(api)))
    cli_rows = list(csv.reader(io.StringIO(from_cli)))
    assert api_rows[0] == cli_rows[0] == list(CSV_COLUMNS)
    assert api_rows == cli_rows  # the same cells, row by row
    headlines = {row[CSV_COLUMNS.index("headline")] for row in cli_rows[1:]}
    assert headlines == {"'=HYPERLINK(\"http://evil.test\") harbour tolls", "'@SUM harbour budget",
                         "Harbour wall repaired"}


def test_ndjson_is_the_api_hits_from_both(formula_archive, index_dir):
    api = webtest.TestApp(make_app(formula_archive)).get(
        "/api/search", {"q": "harbour", "format": "ndjson"}).text
    result = cli("--index", str(index_dir), "--ndjson", "harbour")
    assert api == result.stdout
    assert [json.loads(line)["id"] for line in api.splitlines()] == [
        h.id for h in formula_archive.search("harbour").hits]


_QUERY_BITS = st.sampled_from(['"', "(", ")", "AND", "OR", "NOT", "-", "*", "~", ":", "date:",
                               "date:>", "date:[", " TO ", "]", "9999", "0000", "12-31", "title:",
                               "bridge", "harbour", "a", " "])  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(st.text(max_size=40), st.lists(_QUERY_BITS, max_size=12).map("".join)),
       date=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["9999", "9999-12-31", "0001", "0"])))
def test_the_search_layer_only_ever_raises_invalid_parameter(web_archive, query, date):
    """No QueryError or OverflowError leaves the search layer, whatever the text or the date."""
    for kwargs in ({"date_from": date}, {"date_to": date}):
        try:
            web_archive.search(query, **kwargs)
        except InvalidParameter as err:
            assert err.parameter in ("q", "from", "to")
    article = web_archive.search("", sort="newest").hits[0].id
    assert web_archive.get(article, highlight=query).id == article


@pytest.mark.parametrize("fmt", ["csv", "ndjson", "json"])
def test_morgue_search_all_and_the_api_export_send_the_same_every_hit(web_archive, web_index, app, fmt):
    result = cli("--index", str(web_index), f"--{fmt}", "--all", "--sort", "newest", "council")
    assert result.exit_code == 0, result.output
    api = app.get("/api/search", {"q": "council", "format": fmt, "all": "true", "sort": "newest"})
    assert result.stdout_bytes == api.body  # byte for byte (CSV lines end in CRLF in both)
    ids = [h.id for h in web_archive.iter_hits("council", sort="newest")]
    if fmt == "csv":
        assert [r["id"] for r in csv.DictReader(io.StringIO(api.text))] == ids
    elif fmt == "ndjson":
        assert [json.loads(line)["id"] for line in api.text.splitlines()] == ids
    else:
        assert [h["id"] for h in json.loads(api.text)] == ids
    assert len(ids) == web_archive.search("council").total > 10  # more than one page


def test_morgue_search_all_needs_a_format(web_index):
    result = cli("--index", str(web_index), "--all", "council")
    assert result.exit_code == 2 and "--all needs --csv, --ndjson or --json" in result.stderr


def test_the_similar_limit_is_one_contract(web_archive, app):
    from morgue.search.request import MAX_SIMILAR

    article = web_archive.search("bridge").hits[0].id
    with pytest.raises(InvalidParameter) as err:
        web_archive.more_like_this(article, limit=MAX_SIMILAR + 1)
    res = app.get(f"/api/articles/{article}/similar", {"limit": str(MAX_SIMILAR + 1)}, status=400)
    assert res.json["error"] == {"status": 400, "message": str(err.value), "parameter": "limit"}

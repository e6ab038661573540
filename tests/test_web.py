"""The web app through WSGI (webtest, no sockets): every route, every error, the escaping."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
import webtest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web_fixtures import HOSTILE_HEADLINE, live_server, web_archive, web_index  # noqa: F401
from morgue.web.app import CONTENT_SECURITY_POLICY, make_app
from morgue.web.server import access_log

SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


@pytest.fixture(scope="module")
def app(web_archive):
    return webtest.TestApp(make_app(web_archive))


@pytest.fixture(scope="module")
def cors_app(web_archive):
    return webtest.TestApp(make_app(web_archive, cors=True))


def api_error(res, status: int, parameter: str | None = None) -> str:
    """Assert the one error shape; return the message."""
    assert res.status_int == status
    assert res.content_type == "application/json"
    body = res.json
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message", "parameter"}
    assert body["error"]["status"] == status
    assert body["error"]["parameter"] == parameter
    assert body["error"]["message"]
    assert "Traceback" not in res.text and 'File "' not in res.text
    return body["error"]["message"]


def links(res, pattern: str) -> list[str]:
    return [a.get("href") for a in res.html.select(pattern)]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def first_id(archive, q: str = "") -> str:
    return archive.search(q, sort="newest").hits[0].id


# -- security headers on every kind of response ----------------------------------------------


@pytest.mark.parametrize(
    "path,status",
    [("/", 200), ("/search?q=bridge", 200), ("/static/style.css", 200), ("/api/search?q=x", 200),
     ("/nope", 404), ("/api/nope", 404), ("/search?page=0", 400), ("/api/search?page=0", 400),
     ("/opensearch.xml", 200), ("/healthz", 200)],  # fmt: skip
)
def test_security_headers_everywhere(app, path, status):
    res = app.get(path, status=status)
    assert res.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Referrer-Policy"] == "same-origin"
    assert "Access-Control-Allow-Origin" not in res.headers


def test_pages_have_no_inline_script_or_style(app, web_archive):
    for path in ["/", "/search?q=bridge", f"/articles/{first_id(web_archive, 'bridge')}?q=bridge", "/nope"]:
        res = app.get(path, status="*")
        assert not SCRIPT.search(res.text), path
        assert " style=" not in res.text and "<style" not in res.text, path
        for tag in res.html.find_all(True):
            assert not any(attr.startswith("on") for attr in tag.attrs), (path, tag.name)
        scripts = [s["src"] for s in res.html.find_all("script")]
        assert scripts == ["/static/app.js"]
        for el in res.html.find_all(["link", "script", "img"]):
            ref = el.get("href") or el.get("src") or ""
            assert ref.startswith("/"), f"{path} loads {ref} from elsewhere"


# -- the search page ----------------------------------------------------------------------------


def test_home_lists_the_archive_newest_first(app, web_archive):
    res = app.get("/")
    assert res.content_type == "text/html"
    assert "The archive: 42 stories" in res.text
    # both counts named: stories (wire copies once) and the stored pages /api/stats counts
    stored = app.get("/api/stats").json["articles"]
    assert stored > 42 and f"{stored} stored articles" in res.html.select_one(".stored").text
    dates = [t["datetime"] for t in res.html.select(".hit time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 10
    assert res.html.select_one("form[role=search] input[name=q]")["value"] == ""
    label = res.html.select_one("label[for=q]")
    assert label and "Search" in label.text
    assert res.html.select_one('link[rel=search][href="/opensearch.xml"]')
    assert res.html.select_one('meta[name=viewport]')


def test_search_results_are_complete(app, web_archive):
    res = app.get("/search", {"q": "bridge"})
    html = res.html
    assert html.select_one("#q")["value"] == "bridge"
    assert html.select_one("title").text.startswith("bridge")
    heading = html.select_one("#results-heading").get_text(" ", strip=True)
    assert "11 results for" in heading and "bridge" in heading
    assert re.search(r"in \d+ ms|in &lt;1 ms|in <1 ms", res.text)
    hits = html.select("li.hit")
    assert len(hits) == 10
    for hit in hits:
        a = hit.select_one("h2.headline a")
        assert a["href"].startswith("/articles/") and query_of(a["href"]) == {"q": ["bridge"]}
        assert hit.select_one("h2 mark") or hit.select_one(".snippet mark")
        original = hit.select_one("a.original")
        assert original["href"].startswith("https://") and "noopener" in original["rel"]
        meta = hit.select_one(".meta").get_text(" ", strip=True)
        assert any(s in meta for s in ("Harbour Gazette", "Valley Courier", "Northern Ledger"))
        assert hit.select_one(".meta time")["datetime"][:4].isdigit()
        assert "Politics" in meta
    snippet = hits[0].select_one(".snippet")
    assert snippet.select("mark")[0].text.lower() == "bridge"


def test_sort_links(app):
    res = app.get("/search", {"q": "bridge"})
    sort = {a.text: a["href"] for a in res.html.select("nav.sort a")}
    assert set(sort) == {"Relevance", "Newest", "Oldest"}
    assert res.html.select_one("nav.sort a[aria-current]").text == "Relevance"
    newest = app.get(sort["Newest"])
    dates = [t["datetime"] for t in newest.html.select(".hit time")]
    assert dates == sorted(dates, reverse=True)
    assert newest.html.select_one("nav.sort a[aria-current]").text == "Newest"
    oldest = app.get(sort["Oldest"])
    dates = [t["datetime"] for t in oldest.html.select(".hit time")]
    assert dates == sorted(dates)


def test_pagination(app):
    res = app.get("/search", {"q": "bridge"})
    nav = res.html.select_one("nav.pager")
    assert nav["aria-label"]
    assert nav.select_one("a[aria-current=page]").text == "1"
    nxt = nav.select_one("a[rel=next]")["href"]
    assert query_of(nxt)["page"] == ["2"]
    page2 = app.get(nxt)
    assert page2.html.select_one("ol.hits")["start"] == "11"
    assert len(page2.html.select("li.hit")) == 1
    assert page2.html.select_one("nav.pager a[rel=prev]")
    assert not page2.html.select_one("nav.pager a[rel=next]")
    past = app.get("/search", {"q": "bridge", "page": "5"})
    assert "No more results" in past.text


def test_facets_filter_and_show_active_filters(app):
    res = app.get("/search", {"q": "bridge", "sort": "newest"})
    facet = res.html.select_one("#facet-source").find_parent("section")
    entries = {a.select_one(".value").text: a["href"] for a in facet.select("a")}
    assert set(entries) == {"Harbour Gazette", "Valley Courier", "Northern Ledger"}
    filtered = app.get(entries["Harbour Gazette"])
    assert query_of(entries["Harbour Gazette"])["source"] == ["Harbour Gazette"]
    metas = [m.get_text(" ", strip=True) for m in filtered.html.select("li.hit .meta")]
    assert metas and all("Harbour Gazette" in m for m in metas)
    chips = filtered.html.select(".active-filters a.chip")
    assert [c.get_text(" ", strip=True).split(" ×")[0] for c in chips] == ["Source: Harbour Gazette"]
    active = filtered.html.select_one("#facet-source").find_parent("section").select_one("li.active a")
    assert "Harbour Gazette" in active.text and "source" not in query_of(active["href"])
    # the search form keeps the filter when the query changes
    hidden = filtered.html.select('form.search input[type=hidden][name=source]')
    assert [h["value"] for h in hidden] == ["Harbour Gazette"]
    assert [h["value"] for h in filtered.html.select('form.search input[type=hidden][name=sort]')] == ["newest"]
    removed = app.get(chips[0]["href"])
    assert not removed.html.select(".active-filters")
    assert "11 results" in removed.html.select_one("#results-heading").text


@pytest.mark.parametrize("params", [{"source": "Harbour Gazette"}, {"from": "2022", "to": "2022"}])
def test_filters_apply_to_relevance_ranked_hits(app, web_archive, params):
    res = app.get("/api/search", {"q": "bridge", **params})
    newest = app.get("/api/search", {"q": "bridge", "sort": "newest", **params})
    assert res.json["total"] == newest.json["total"] < 11
    assert sorted(h["id"] for h in res.json["hits"]) == sorted(h["id"] for h in newest.json["hits"])


def test_repeated_facet_values_mean_or(app, web_archive):
    one = web_archive.search("", sections=["Sport"]).total
    other = web_archive.search("", sections=["Culture"]).total
    res = app.get("/api/search?section=Sport&section=Culture&facets=false")
    assert res.json["total"] == one + other
    page = app.get("/search?section=Sport&section=Culture")
    assert len(page.html.select(".active-filters a.chip")) == 2
    assert sorted(res.json["filters"]["sections"]) == ["Culture", "Sport"]


def test_date_inputs_and_histogram(app):
    res = app.get("/search", {"q": "council", "sort": "oldest"})
    svg = res.html.select_one("svg.histogram")
    assert svg is not None and svg.get("aria-label")
    bars = svg.select("a")
    assert len(bars) >= 3
    for bar in bars:
        assert bar["aria-label"] and bar.select_one("title")
    href = bars[0]["href"]
    q = query_of(href)
    assert q["q"] == ["council"] and q["sort"] == ["oldest"] and q["from"][0].endswith("-01-01") and q["to"][0].endswith("-12-31")
    narrowed = app.get(href)
    assert narrowed.html.select_one("#from")["value"] == q["from"][0]
    assert narrowed.html.select_one("#to")["value"] == q["to"][0]
    assert narrowed.html.select_one("details.dates").has_attr("open")
    years = {t["datetime"][:4] for t in narrowed.html.select(".hit time")}
    assert years == {q["from"][0][:4]}
    assert "Dates:" in narrowed.html.select_one(".active-filters").text
    assert narrowed.html.select_one("form.search label[for=from]")


def test_date_bounds_by_year_and_month(app, web_archive):
    res = app.get("/api/search", {"from": "2021", "to": "2021", "facets": "false", "page_size": "100"})
    assert res.json["total"] == web_archive.search("", date_from="2021", date_to="2021").total
    assert all(h["published"].startswith("2021") for h in res.json["hits"])
    res = app.get("/api/search", {"from": "2022-11", "to": "2022-11-30"})
    assert all(h["published"].startswith("2022-11") for h in res.json["hits"])


def test_did_you_mean(app):
    res = app.get("/search", {"q": "brdge"})
    suggestion = res.html.select_one(".suggestion a")
    assert suggestion.text == "bridge" and query_of(suggestion["href"])["q"] == ["bridge"]


def test_fallback_notice(app):
    res = app.get("/search", {"q": '"bridge'})
    notice = res.html.select_one(".notice")
    assert notice is not None and notice.text.strip()
    assert res.html.select("li.hit")


def test_empty_state(app):
    res = app.get("/search", {"q": "xylophonequartz", "section": "Sport"})
    empty = res.html.select_one(".empty")
    assert "Nothing found" in empty.text and "xylophonequartz" in empty.text
    assert query_of(empty.select_one("a")["href"]) == {"q": ["xylophonequartz"]}
    assert not res.html.select("nav.pager")


def test_wire_copies_are_collapsed(app, web_archive):
    res = app.get("/search", {"q": "storm flooding"})
    hits = res.html.select("li.hit")
    assert len(hits) == 1
    copies = hits[0].select_one("details.copies")
    assert copies.select_one("summary").text.strip() == "+2 copies"
    shown = hits[0].select_one(".meta").text
    labels = [a.text for a in copies.select("a")]
    assert len(labels) == 2 and all("8 November 2022" in label for label in labels)
    assert {label.split(",")[0] for label in labels} | {s for s in ("Harbour Gazette", "Valley Courier",
            "Northern Ledger") if s in shown} == {"Harbour Gazette", "Valley Courier", "Northern Ledger"}  # fmt: skip
    for a in copies.select("a"):
        page = app.get(a["href"])  # each copy opens
        assert page.html.select_one("h1").text == "Storm brings flooding to coastal towns"


def test_bad_parameters_on_the_page_are_friendly_400s(app):
    res = app.get("/search", {"q": "bridge", "from": "2022-13"}, status=400)
    alert = res.html.select_one("[role=alert]").text
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in alert and "from" in alert
    assert res.html.select_one("#q")["value"] == "bridge"
    assert res.html.select_one("#from")["aria-invalid"] == "true"
    assert res.html.select_one("#from")["value"] == "2022-13"  # kept, to be corrected
    # A pasted text over the limit: the page searches the part that fits and says so.
    res = app.get("/search", {"q": "bridge " * 1500})
    assert "the first 9,995 were searched" in res.html.select_one(".notice").text
    assert res.html.select_one("#q")["value"].strip() == ("bridge " * 1428).strip()
    assert app.get("/search?page=1001", status=400).html.select_one("[role=alert]")
    assert "relevance, newest, oldest" in app.get("/search?sort=best", status=400).text


# -- the article page -----------------------------------------------------------------------------


def test_article_page(app, web_archive):
    hit = web_archive.search("lighthouse").hits[0]  # an article with a caption
    res = app.get(f"/articles/{hit.id}")
    art = res.html.select_one("article.story")
    assert art.select_one("h1").text == hit.headline
    assert res.html.select_one("title").text.startswith(hit.headline)
    stored = web_archive.get(hit.id)
    assert ", ".join(stored.byline) in art.select_one(".byline").text
    assert art.select_one(".meta time")["datetime"] == stored.published
    assert "lighthouse" in art.select_one("figcaption").text
    assert "AP" in art.select_one("figcaption").text
    paragraphs = art.select(".body p")
    assert len(paragraphs) == len([p for p in stored.body.split("\n\n") if p.strip()])
    assert art.select_one("a.original")["href"] == stored.url
    assert not art.select("mark")
    assert not art.select(".back")
    assert art["lang"] == "en"
    similar = res.html.select("aside.similar li a")
    assert similar and all(a["href"].startswith("/articles/") for a in similar)
    assert hit.id not in [a["href"].split("/")[-1].split("?")[0] for a in similar]


def test_article_page_highlights_the_query(app, web_archive):
    hit = web_archive.search("bridge").hits[0]
    res = app.get(f"/articles/{hit.id}", {"q": "bridge"})
    marks = res.html.select("article.story mark")
    assert marks and {m.text.lower() for m in marks} == {"bridge"}
    back = res.html.select_one(".back a")
    assert query_of(back["href"]) == {"q": ["bridge"]}
    assert res.html.select_one("#header-q")["value"] == "bridge"
    # more-like-this keeps the query for highlighting
    for a in res.html.select("aside.similar li a"):
        assert query_of(a["href"]) == {"q": ["bridge"]}


def test_unknown_article_is_a_friendly_404(app):
    for path in ["/articles/0123456789abcdef", "/articles/nope", "/articles/" + "a" * 300]:
        res = app.get(path, status=404)
        assert res.content_type == "text/html"
        assert "Page not found" in res.text and "Traceback" not in res.text


# -- escaping ------------------------------------------------------------------------------------


def test_article_supplied_markup_is_escaped(app, web_archive):
    res = app.get("/search", {"q": "stray code markup"})
    assert "<script>alert" not in res.text and "<img src=x" not in res.text
    assert "&lt;script&gt;" in res.text
    hit = next(h for h in web_archive.search("markup").hits if "script" in h.headline)
    assert hit.headline == HOSTILE_HEADLINE
    page = app.get(f"/articles/{hit.id}", {"q": "report"})
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert page.html.select_one("h1").get_text() == HOSTILE_HEADLINE
    assert "onerror=alert(1)" in page.html.select_one(".body").get_text()
    api = app.get(f"/api/articles/{hit.id}").json
    assert api["headline"] == HOSTILE_HEADLINE
    assert "<script>" not in api["headline_html"]


@pytest.mark.parametrize(
    "value",
    ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onmouseover='x", "</textarea><b>"],
)
def test_user_supplied_text_is_escaped(app, value):
    for params in ({"q": value}, {"q": "bridge", "section": value}, {"source": value, "byline": value}):
        res = app.get("/search", params)
        assert value not in res.text
        assert not SCRIPT.search(res.text)
        assert not any(k.startswith("on") for t in res.html.find_all(True) for k in t.attrs)
    res = app.get("/search", {"q": "bridge", "from": value}, status=400)
    assert value not in res.text
    res = app.get("/articles/0123456789abcdef", {"q": value}, status=404)
    assert value not in res.text
    res = app.get("/nope/" + value.replace("/", ""), status=404)
    assert "<script>" not in res.text and "<img" not in res.text


def test_opensearch_host_is_escaped(app):
    res = app.get("/opensearch.xml", headers={"Host": 'evil"><x y="'})
    root = ET.fromstring(res.body)  # still well-formed
    assert not [e for e in root.iter() if e.tag.endswith("}x") or e.tag == "x"]  # no injected element
    templates = [u.get("template") for u in root.iter("{http://a9.com/-/spec/opensearch/1.1/}Url")]
    assert templates and all(t.startswith('http://evil"><x y="/') for t in templates)  # kept as data


# -- other pages --------------------------------------------------------------------------------


def test_opensearch_description(app):
    res = app.get("/opensearch.xml")
    assert res.content_type == "application/opensearchdescription+xml"
    root = ET.fromstring(res.body)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    assert root.find("os:ShortName", ns).text == "Morgue"
    html = [u for u in root.findall("os:Url", ns) if u.get("type") == "text/html"][0]
    assert html.get("template") == "http://localhost:80/search?q={searchTerms}" or html.get(
        "template"
    ).endswith("/search?q={searchTerms}")


def test_healthz(app):
    res = app.get("/healthz")
    assert res.json == {"status": "ok"}


def test_static_files(app):
    css = app.get("/static/style.css")
    assert css.content_type == "text/css" and "max-width" in css.text
    js = app.get("/static/app.js")
    assert "javascript" in js.content_type
    assert app.get("/static/favicon.svg").content_type == "image/svg+xml"


@pytest.mark.parametrize(
    "path",
    ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e/pyproject.toml",
     "/static/nope.css", "/static/", "/static/../../../../etc/passwd", "/static//etc/passwd",
     "/static/..\\app.py"],  # fmt: skip
)
def test_static_path_traversal_is_404(app, path):
    res = app.get(path, status=404, expect_errors=True)
    assert "import" not in res.text and "root:" not in res.text


def test_unknown_page_is_friendly_html(app):
    res = app.get("/no/such/page", status=404)
    assert res.content_type == "text/html"
    assert "Page not found" in res.text
    assert res.html.select_one("a[href='/']")


def test_method_not_allowed(app):
    res = app.post("/search", status=405)
    assert res.content_type == "text/html" and "read-only" in res.text
    assert "GET" in res.headers["Allow"]
    api_error(app.post("/api/search", status=405), 405)
    api_error(app.delete("/api/articles/0123456789abcdef", status=405), 405)


def test_head_requests(app):
    res = app.head("/search?q=bridge")
    assert res.status_int == 200 and res.body == b""


# -- JSON API ---------------------------------------------------------------------------------------


def _without_timing(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "took_ms"}


def test_api_search_is_search_results_to_dict(app, web_archive):
    res = app.get("/api/search", {"q": "bridge", "page": "2", "page_size": "5", "sort": "newest",
                                  "from": "2019", "to": "2023-06", "section": "Politics"})  # fmt: skip
    assert res.content_type == "application/json"
    expected = web_archive.search("bridge", page=2, page_size=5, sort="newest", date_from="2019",
                                  date_to="2023-06", sections=["Politics"]).to_dict()  # fmt: skip
    assert _without_timing(res.json) == _without_timing(expected)
    assert res.json["took_ms"] >= 0


def test_api_search_defaults(app, web_archive):
    res = app.get("/api/search")
    assert _without_timing(res.json) == _without_timing(web_archive.search("", sort="newest").to_dict())
    assert res.json["page_size"] == 10 and res.json["sort"] == "newest"
    assert app.get("/api/search?q=bridge").json["sort"] == "relevance"
    no_facets = app.get("/api/search?q=bridge&facets=false").json
    assert no_facets["facets"] == {} and no_facets["histogram"] == []


@pytest.mark.parametrize(
    "query,parameter,needle",
    [
        ("page=0", "page", "1 to 1000"),
        ("page=1001", "page", "1 to 1000"),
        ("page=abc", "page", "whole number"),
        ("page=-1", "page", "whole number"),
        ("page_size=101", "page_size", "1 to 100"),
        ("page_size=0", "page_size", "1 to 100"),
        ("sort=best", "sort", "relevance, newest, oldest"),
        ("from=2022-13", "from", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("from=2022-02-30", "from", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("to=yesterday", "to", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("from=22", "from", "YYYY"),
        ("from=2023&to=2022", "to", "before"),
        ("facets=maybe", "facets", "true or false"),
        ("format=xml", "format", "json, csv, ndjson"),
        ("q=" + "x" * 10_001, "q", "at most 10000"),
        ("section=" + "s" * 201, "section", "at most 200"),
        ("&".join(f"byline=b{i}" for i in range(21)), "byline", "at most 20"),
    ],
)
def test_api_search_bad_parameters(app, query, parameter, needle):
    message = api_error(app.get("/api/search?" + query, status=400), 400, parameter)
    assert needle in message


def test_api_search_query_at_the_limit(app):
    assert app.get("/api/search", {"q": "bridge " * 71 + "x"}).json["query"]  # 499 characters


def test_api_non_utf8_query_is_400(app):
    res = app.get("/api/search?q=%ff%fe", status=400)
    assert "UTF-8" in api_error(res, 400)
    res = app.get("/search?q=%ff%fe", status=400)
    assert "UTF-8" in res.text


def test_api_csv_export(app, web_archive):
    res = app.get("/api/search", {"q": "bridge", "format": "csv", "page_size": "100"})
    assert res.content_type == "text/csv"
    assert "attachment" in res.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(res.text)))
    assert len(rows) == 11
    assert rows[0]["id"] == web_archive.search("bridge").hits[0].id
    assert set(rows[0]) >= {"id", "headline", "published", "source", "section", "byline", "url"}
    hostile = app.get("/api/search", {"q": "markup", "format": "csv"}).text
    assert HOSTILE_HEADLINE.replace('"', '""') in hostile


def test_api_ndjson_export(app, web_archive):
    res = app.get("/api/search", {"q": "bridge", "format": "ndjson", "page_size": "3"})
    assert res.content_type == "application/x-ndjson"
    lines = res.text.splitlines()
    assert len(lines) == 3
    expected = [h.to_dict() for h in web_archive.search("bridge", page_size=3).hits]
    assert [json.loads(line) for line in lines] == expected


def test_csv_cells_cannot_be_formulas():
    from morgue.search.export import csv_cell as _csv_cell

    assert _csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _csv_cell("@SUM") == "'@SUM" and _csv_cell("plain") == "plain" and _csv_cell(None) == ""


def test_api_article(app, web_archive):
    aid = first_id(web_archive, "bridge")
    res = app.get(f"/api/articles/{aid}")
    assert res.json == web_archive.get(aid).to_dict()
    marked = app.get(f"/api/articles/{aid}", {"q": "bridge"}).json
    assert marked == web_archive.get(aid, highlight="bridge").to_dict()
    assert "<mark>" in "".join(marked["paragraphs_html"])
    api_error(app.get("/api/articles/0123456789abcdef", status=404), 404, "id")
    api_error(app.get("/api/articles/not-an-id", status=404), 404, "id")
    api_error(app.get(f"/api/articles/{aid}?q=" + "x" * 10_001, status=400), 400, "q")


def test_api_similar(app, web_archive):
    aid = first_id(web_archive, "bridge")
    res = app.get(f"/api/articles/{aid}/similar", {"limit": "3"})
    assert res.json == {"id": aid, "hits": [h.to_dict() for h in web_archive.more_like_this(aid, limit=3)]}
    assert len(app.get(f"/api/articles/{aid}/similar").json["hits"]) == 5
    api_error(app.get("/api/articles/0123456789abcdef/similar", status=404), 404, "id")
    api_error(app.get(f"/api/articles/{aid}/similar?limit=51", status=400), 400, "limit")
    api_error(app.get(f"/api/articles/{aid}/similar?limit=zero", status=400), 400, "limit")


def test_api_stats(app, web_archive):
    res = app.get("/api/stats")
    assert res.json == web_archive.stats().to_dict()
    assert res.json["articles"] == 44


def test_api_unknown_route_is_json(app):
    api_error(app.get("/api/nope", status=404), 404)
    api_error(app.get("/api", status=404), 404)
    api_error(app.get("/api/articles/", status=404), 404)


def test_openapi_is_served(app):
    spec = app.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) >= {"/api/search", "/api/articles/{id}", "/api/articles/{id}/similar", "/api/stats"}


def test_cors(cors_app, app):
    res = cors_app.get("/api/search?q=bridge")
    assert res.headers["Access-Control-Allow-Origin"] == "*"
    err = cors_app.get("/api/search?page=0", status=400)
    assert err.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in cors_app.get("/").headers
    pre = cors_app.options("/api/search", headers={"Origin": "https://x.example",
                                                  "Access-Control-Request-Method": "GET"}, status=204)  # fmt: skip
    assert "GET" in pre.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in app.get("/api/search").headers
    app.options("/api/search", status=405)


# -- failures inside the archive never leak --------------------------------------------------------


class _Exploding:
    """An archive whose every call fails with a message that must not reach the client."""

    def __getattr__(self, name):
        def fail(*a, **kw):
            raise RuntimeError("SECRET internal detail /etc/shadow")

        return fail


@pytest.mark.parametrize("path", ["/", "/search?q=x", "/articles/0123456789abcdef", "/api/search?q=x",
                                  "/api/articles/0123456789abcdef", "/api/stats",
                                  "/api/articles/0123456789abcdef/similar"])  # fmt: skip
def test_500s_leak_nothing(path):
    app = webtest.TestApp(make_app(_Exploding()))
    res = app.get(path, status=500, expect_errors=True)
    assert "SECRET" not in res.text and "Traceback" not in res.text and "RuntimeError" not in res.text
    assert res.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    if path.startswith("/api/"):
        assert "error has been logged" in api_error(res, 500)
    else:
        assert res.content_type == "text/html" and "Something went wrong" in res.text
    assert "SECRET" in res.errors  # ...but the server's log (wsgi.errors) has it


# -- request log ---------------------------------------------------------------------------------


def test_access_log_writes_one_line_per_request(web_archive, caplog):
    app = webtest.TestApp(access_log(make_app(web_archive)))
    with caplog.at_level(logging.INFO, logger="morgue.web.access"):
        app.get("/search?q=bridge")
        app.get("/api/nope", status=404)
        app.get("/search?q=a%0Ab", status=200)
    lines = [r.getMessage() for r in caplog.records if r.name == "morgue.web.access"]
    assert len(lines) == 3
    assert re.match(r'^\S+ "GET /search\?q=bridge" 200 \d+ [\d.]+ms$', lines[0])
    assert '"GET /api/nope" 404' in lines[1]
    assert all("\n" not in line for line in lines)


def test_server_main_reports_a_missing_index(tmp_path, capsys):
    from morgue.web.server import main

    assert main(["--index", str(tmp_path / "missing")]) == 1
    assert "error" in capsys.readouterr().err


# -- hostile input, generated ------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.text(max_size=80),
    page=st.one_of(st.none(), st.text(max_size=5), st.integers(-5, 2000).map(str)),
    date=st.one_of(st.none(), st.text(max_size=12), st.dates().map(str)),
    section=st.lists(st.text(max_size=20), max_size=3),
)
def test_generated_input_never_breaks_the_app(app, q, page, date, section):
    params = [("q", q)] + [("section", s) for s in section]
    if page is not None:
        params.append(("page", page))
    if date is not None:
        params.append(("from", date))
    for path in ("/api/search", "/search"):
        res = app.get(path, params, status="*")
        assert res.status_int in (200, 400), (path, params, res.text[:500])
        if path == "/api/search" and res.status_int == 400:
            api_error(res, 400, res.json["error"]["parameter"])
        if path == "/search" and q.strip():
            assert not SCRIPT.search(res.text)


def test_live_server_smoke(live_server):
    status, headers, body = live_server.get("/search?q=bridge")
    assert status == 200 and b"<mark>bridge</mark>" in body.lower()
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_serve_runs_waitress_with_the_logged_app(web_archive, monkeypatch):
    import inspect

    import waitress

    from morgue.web import server

    seen = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: seen.update(app=app, **kw))
    server.serve(web_archive, "127.0.0.1", 8099, 3, True)
    assert (seen["host"], seen["port"], seen["threads"]) == ("127.0.0.1", 8099, 3)
    res = webtest.TestApp(seen["app"]).get("/api/stats")
    assert res.headers["Access-Control-Allow-Origin"] == "*"  # cors was passed through
    assert inspect.signature(server.serve).parameters["host"].default == "127.0.0.1"


def test_web_never_imports_whoosh():
    from pathlib import Path

    import morgue.web

    for path in Path(morgue.web.__file__).parent.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+whoosh", path.read_text(), re.M), path


def test_templates_are_compiled_once_not_per_request(app, web_archive):
    """Memory stays flat under load: every page reuses the compiled templates."""
    import bottle

    for path in ("/", "/search?q=harbour", f"/articles/{first_id(web_archive)}", "/search?q=zzzz"):
        app.get(path)
    compiled = len(bottle.TEMPLATES)
    for _ in range(5):
        for path in ("/", "/search?q=harbour", f"/articles/{first_id(web_archive)}", "/search?q=zzzz"):
            app.get(path)
    assert len(bottle.TEMPLATES) == compiled


def test_a_repeated_search_is_sent_from_the_response_cache_until_the_index_changes(
        write_page, build_archive, index_dir):
    import time

    from morgue.indexer.writer import index_paths

    archive = build_archive([write_page("a", "Tram depot opens", url="https://t.test/a")])
    app = webtest.TestApp(make_app(archive))
    first = app.get("/api/search?q=tram")
    again = app.get("/api/search?q=tram")
    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("miss", "hit")
    assert again.body == first.body and again.content_type == "application/json"
    page = app.get("/search?q=tram")
    assert app.get("/search?q=tram").headers["X-Cache"] == "hit"
    assert app.get("/search?q=tram").content_type == "text/html" == page.content_type
    assert app.get("/api/search?q=tram&page=0", status=400).headers.get("X-Cache") is None

    index_paths([str(write_page("b", "Tram line extended", url="https://t.test/b"))], index_dir, jobs=1)
    time.sleep(0.6)  # searchers check for a new generation at most twice a second
    fresh = app.get("/api/search?q=tram")
    assert fresh.headers["X-Cache"] == "miss" and fresh.json["total"] == 2


def test_cache_size_zero_searches_every_time(write_page, build_archive, index_dir):
    from morgue.search import Archive

    build_archive([write_page("a", "Tram depot opens", url="https://t.test/a")])
    app = webtest.TestApp(make_app(Archive(index_dir, cache_size=0)))
    app.get("/api/search?q=tram")
    assert "X-Cache" not in app.get("/api/search?q=tram").headers

"""What the pages keep and show between clicks: the search behind "Back to results", every
facet value, both article counts, and the API's page for people."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import webtest

from morgue.web.app import make_app
from tests.web_fixtures import web_archive, web_index  # noqa: F401


@pytest.fixture(scope="module")
def app(web_archive):
    return webtest.TestApp(make_app(web_archive))


@pytest.fixture(scope="module")
def corpus_app(corpus_archive):
    return webtest.TestApp(make_app(corpus_archive))


def test_article_links_carry_the_search_back(app):
    search = {"q": "bridge", "sort": "newest", "source": "Harbour Gazette", "page": "2",
              "page_size": "2"}
    res = app.get("/search", search)
    link = res.html.select_one("li.hit h2 a")["href"]
    assert {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()} == search
    article = app.get(link)
    back = article.html.select_one(".back a")["href"]
    assert urlsplit(back).path == "/search"
    assert {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()} == search
    assert article.html.select("article.story mark")  # the words still highlighted


def test_facet_more_lists_every_value(corpus_app, corpus_archive):
    every = corpus_archive.search("", facet_size=1000).facets["section"]
    assert len(every) > 20
    home = corpus_app.get("/")
    section = home.html.select_one("#facet-section").find_parent("section")
    assert len(section.select("li")) == 20
    more = section.select_one(".more a")["href"]
    page = corpus_app.get(more)
    values = [li.select_one(".value").text for li in page.html.select("ul.facet-all li")]
    assert values == [fv.value for fv in every]
    last = page.html.select("ul.facet-all li a")[-1]["href"]
    narrowed = corpus_app.get(last)
    assert narrowed.html.select_one(".active-filters") is not None
    assert corpus_app.get("/facets/nope", status=404)


def test_home_names_stories_and_stored_articles(corpus_app):
    home = corpus_app.get("/")
    stored = corpus_app.get("/api/stats").json["articles"]
    assert f"{stored:,} stored articles" in home.html.select_one(".stored").text
    assert "stories" in home.html.select_one("#results-heading").text


def test_the_api_has_a_page_for_people(app):
    footer = app.get("/").html.select_one("footer a[href$='/docs/api']")
    assert footer is not None and footer.text == "JSON API"
    page = app.get("/docs/api")
    assert page.content_type == "text/html"
    assert page.html.select_one("h1").text == "The HTTP API"
    assert page.html.select("table td code")  # the endpoint table, rendered
    assert page.html.select_one("a[href$='/api/openapi.json']")
    openapi = app.get("/api/openapi.json").json
    assert "/docs/api" in openapi["info"]["description"]

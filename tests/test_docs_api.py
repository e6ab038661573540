"""Every example of docs/api.md, sent to the app serving the bundled corpus (see
tests/docs_examples.py for how shown answers are matched), and the doc's claims on headers."""

from __future__ import annotations

import json
import shlex
from urllib.parse import urlsplit

import pytest
import webtest

from conftest import ROOT
from morgue.search import Archive
from morgue.web.app import make_app
from tests.docs_examples import console_examples, json_matches

DOC = ROOT / "docs" / "api.md"


def _runs() -> list[tuple[dict, object]]:
    """(serve options in force, example) for each `$ curl` of the doc."""
    options: dict = {}
    out = []
    for example in console_examples(DOC):
        args = shlex.split(example.command)
        if args[:2] == ["morgue", "serve"]:
            options = {"cors": "--cors" in args}
            if "--cache-size" in args:
                options["cache_size"] = int(args[args.index("--cache-size") + 1])
            continue
        assert args[0] == "curl", example.command
        out.append((dict(options), example))
    return out


RUNS = _runs()


def test_the_doc_has_runnable_examples():
    assert len(RUNS) >= 6


@pytest.mark.parametrize("options, example", RUNS, ids=[e.command for _, e in RUNS])
def test_each_api_example_answers_what_the_doc_shows(corpus_archive, options, example):
    args = shlex.split(example.command)
    url = urlsplit(args[-1])
    archive = Archive(corpus_archive.path, cache_size=options.get("cache_size", 256))
    app = webtest.TestApp(make_app(archive, cors=options.get("cors", False)))
    res = app.get(url.path + (f"?{url.query}" if url.query else ""), expect_errors=True)
    shown = list(example.output)
    if "-si" in args or "-i" in args:
        status = shown.pop(0)
        assert status == f"HTTP/1.1 {res.status}", res.status
        while shown and shown[0].strip():
            name, _, value = shown.pop(0).partition(": ")
            assert res.headers.get(name) == value, (name, res.headers.get(name))
        shown = shown[1:]
    problems = json_matches(json.loads("\n".join(shown)), res.json)
    assert problems == [], problems


def test_x_cache_says_hit_or_miss_and_is_absent_without_a_cache(corpus_archive):
    app = webtest.TestApp(make_app(Archive(corpus_archive.path)))
    assert app.get("/api/search", {"q": "harbour seals"}).headers["X-Cache"] == "miss"
    assert app.get("/api/search", {"q": "harbour seals"}).headers["X-Cache"] == "hit"
    uncached = webtest.TestApp(make_app(Archive(corpus_archive.path, cache_size=0)))
    for _ in range(2):
        assert "X-Cache" not in uncached.get("/api/search", {"q": "harbour seals"}).headers


def test_unknown_api_addresses_are_404_with_and_without_cors(corpus_archive):
    for cors in (False, True):
        app = webtest.TestApp(make_app(corpus_archive, cors=cors))
        for path in ("/api/nope", "/api/articles", "/api/search/extra"):
            assert app.get(path, expect_errors=True).status_int == 404, (cors, path)
        # a method other than GET/HEAD on a real address is still a 405
        assert app.post("/api/search", expect_errors=True).status_int == 405
    preflight = webtest.TestApp(make_app(corpus_archive, cors=True))
    assert preflight.options("/api/articles/57d9e2ce3d08eb93/similar").status_int == 204


def test_facets_on_and_off_are_read_as_booleans(corpus_archive):
    app = webtest.TestApp(make_app(corpus_archive))
    for value, counted in (("on", True), ("off", False), ("yes", True), ("no", False),
                           ("1", True), ("0", False), ("true", True), ("false", False)):
        res = app.get("/api/search", {"q": "bridge", "facets": value}).json
        assert bool(res["facets"]) is counted and bool(res["histogram"]) is counted, value


def test_openapi_q_points_to_the_query_language_doc():
    from morgue.web import openapi

    text = json.dumps(openapi.spec())
    assert "docs/query-language.md" in text
    assert (ROOT / "docs" / "query-language.md").exists()


def test_the_matcher_of_shown_answers_can_fail():
    assert json_matches({"a": 1, "…": "…"}, {"a": 1, "b": 2}) == []
    assert json_matches({"a": 1}, {"a": 1, "b": 2})  # a field the doc does not show
    assert json_matches({"a": [1, "…"]}, {"a": [1, 2, 3]}) == []
    assert json_matches({"a": [1]}, {"a": [1, 2]})
    assert json_matches("The bridge …", "The bridge opened") == []
    assert json_matches("The bridge …", "A bridge")
    assert json_matches(0.0, 0) and json_matches(None, "x")

"""A snippet that matches nothing (the opening of the body) is escaped like one that matches."""

from __future__ import annotations

import webtest

from morgue.web.app import make_app

HOSTILE_BODY = [
    "<script>alert('snippet')</script> <img src=x onerror=alert(2)> Fees at the quay go up in May.",
    "Boat owners were told by letter.",
]


def test_a_snippet_without_a_match_is_escaped(write_page, build_archive):
    # "moorings" is in the headline only: the body does not match, so its snippet is the
    # body's opening, hostile markup included
    write_page("hostile", "Moorings cost more", HOSTILE_BODY, url="https://t.test/hostile")
    archive = build_archive()
    hit = archive.search("moorings").hits[0]
    assert "<mark>" not in hit.snippet_html  # the no-match snippet is the one under test
    assert "<script" not in hit.snippet_html and "<img" not in hit.snippet_html
    assert "&lt;script&gt;alert(&#x27;snippet&#x27;)&lt;/script&gt;" in hit.snippet_html
    app = webtest.TestApp(make_app(archive))
    page = app.get("/search", {"q": "moorings"})
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert" in page.text  # shown as text, not dropped
    api = app.get("/api/search", {"q": "moorings"}).json
    assert "<script" not in api["hits"][0]["snippet_html"]
    assert "<img" not in api["hits"][0]["snippet_html"]

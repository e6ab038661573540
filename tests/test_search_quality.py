"""Search that finds what people type: accents, names, long questions, honest messages, snippets.

Behaviour a reader notices (issue 15): `cafe` finds the café articles, a reporter's name finds
their stories, a pasted paragraph is searched (repeated words weighing more), an empty page says
why, and the snippet shows where the words matched.
"""

from __future__ import annotations

import pytest

import webtest
from click.testing import CliRunner

from morgue.cli import main as cli_main
from morgue.errors import InvalidParameter
from morgue.search.request import MAX_QUERY_LENGTH
from morgue.web.app import make_app
from tests.web_fixtures import web_archive, web_index  # noqa: F401
from tests.test_search import archive  # noqa: F401  (the small archive of test_search)


def ids(results) -> set[str]:
    return {h.id for h in results.hits}


def everything(archive, q: str, **kw) -> set[str]:
    return ids(archive.search(q, page_size=100, collapse_duplicates=False, **kw))


# -- diacritics -------------------------------------------------------------------------------


@pytest.mark.parametrize("plain, accented", [("cafe", "café"), ("zurich", "Zürich"),
                                             ("zoe", "Zoë"), ("ibanez", "Ibáñez")])
def test_folded_and_accented_spellings_find_the_same_articles(corpus_archive, plain, accented):
    found = everything(corpus_archive, plain)
    assert found, plain
    assert found == everything(corpus_archive, accented)
    assert everything(corpus_archive, plain.upper()) == found


def test_highlights_keep_the_archive_spelling(corpus_archive):
    hits = corpus_archive.search("cafe", page_size=100).hits
    marked = " ".join(h.headline_html + h.snippet_html + (h.caption_html or "") for h in hits)
    assert "<mark>café</mark>" in marked.lower()
    assert "<mark>cafe</mark>" not in marked.lower()
    hit = corpus_archive.search("zurich").hits[0]
    article = corpus_archive.get(hit.id, highlight="zurich")
    assert "<mark>Zurich</mark>" in " ".join(article.paragraphs_html) + article.headline_html


def test_filters_fold_diacritics(corpus_archive):
    by_name = everything(corpus_archive, "", bylines=["Zoë Hartmann"])
    assert by_name and by_name == everything(corpus_archive, "", bylines=["zoe hartmann"])
    assert everything(corpus_archive, 'author:"zoe hartmann"') == by_name


def test_no_respelling_when_the_folded_word_matches(corpus_archive):
    for q in ("zoe", "cafe", "zurich"):
        results = corpus_archive.search(q)
        assert results.total > 0 and results.suggestion is None, q


# -- bylines ----------------------------------------------------------------------------------


def test_a_reporters_name_finds_their_articles(corpus_archive):
    by = everything(corpus_archive, "", bylines=["Ingrid Solberg"])
    assert len(by) >= 5
    results = corpus_archive.search("ingrid solberg", page_size=100, collapse_duplicates=False)
    assert {h.id for h in results.hits[:len(by)]} == by  # her articles first
    assert everything(corpus_archive, "author:solberg") == by
    assert not everything(corpus_archive, "author:ingridd")  # author: stays exact


# -- long questions and repeated words --------------------------------------------------------


def test_a_1024_word_question_is_searched(archive):
    words = ("bridge repairs council budget river flood harbour tram " * 128).split()
    assert len(words) == 1024
    results = archive.search(" ".join(words))
    assert results.total >= 1 and results.notice is None and not results.partial
    distinct = "bridge " + " ".join(f"w{i}x" for i in range(1100))
    results = archive.search(distinct)
    assert "1024" in results.notice and results.total >= 1  # searched with its first words


def test_a_query_over_10000_characters_is_refused_naming_q(archive):
    with pytest.raises(InvalidParameter) as info:
        archive.search("x" * 10_001)
    assert info.value.parameter == "q" and str(MAX_QUERY_LENGTH) in str(info.value)


QUESTION = " ".join(["Which", "harbour", "ferry", "and", "tram", "plans", "did", "the", "council",
                     "debate", "after", "the", "flood", "of", "the", "river", "?"] * 61)[:9_999]


def test_a_1024_word_question_is_accepted_by_every_front_door(web_archive, web_index):
    assert len(QUESTION.split()) >= 1024 and len(QUESTION) < MAX_QUERY_LENGTH
    results = web_archive.search(QUESTION)
    assert results.total >= 1
    app = webtest.TestApp(make_app(web_archive))
    res = app.get("/api/search", {"q": QUESTION})
    assert res.json["total"] == results.total
    assert [h["id"] for h in res.json["hits"]] == [h.id for h in results.hits]
    page = app.get("/search", {"q": QUESTION})
    assert len(page.html.select("li.hit")) == min(10, results.total)
    assert "were searched" not in page.text  # nothing shortened
    out = CliRunner().invoke(cli_main, ["search", "--index", str(web_index), QUESTION])
    assert out.exit_code == 0, out.output
    assert results.hits[0].headline in out.output


def test_the_json_api_says_why_it_found_nothing(web_archive):
    app = webtest.TestApp(make_app(web_archive))
    assert "too common" in app.get("/api/search", {"q": "the of"}).json["notice"]
    error = app.get("/api/search", {"q": "date:2099-13"}, status=400).json["error"]
    assert error["parameter"] == "q" and "date:2099-13" in error["message"]


def test_a_repeated_word_weighs_more(write_page, build_archive):
    write_page("a", "Ferry timetable changes", ["The ferry crossing will run later; the harbour "
                                                "office said the ferry and the tram are busy."],
               url="https://t.test/a")
    write_page("b", "Harbour timetable changes", ["The harbour crossing will run later; the ferry "
                                                  "office said the harbour and the tram are busy."],
               url="https://t.test/b")
    archive = build_archive()
    first = {h.url for h in archive.search("ferry harbour harbour harbour").hits[:1]}
    assert first == {"https://t.test/b"}
    first = {h.url for h in archive.search("ferry ferry ferry harbour").hits[:1]}
    assert first == {"https://t.test/a"}


# -- honest messages --------------------------------------------------------------------------


def test_only_common_words_say_so(archive):
    results = archive.search("the")
    assert results.total == 0 and "too common" in results.notice and "“the”" in results.notice
    assert "too common" not in (archive.search("the bridge").notice or "")


def test_minus_word_alone_means_not_word(archive):
    negative = archive.search("-bridge", page_size=100)
    assert negative.total > 0
    assert negative.total == archive.search("NOT bridge").total
    assert ids(negative) == ids(archive.search("NOT bridge", page_size=100))
    assert archive.search("bridge").total + negative.total == archive.search("").total


def test_notices_quote_readable_words(archive):
    notice = archive.search("((((").notice
    assert "''" not in notice and "no words to search for" in notice
    notice = archive.search('"front street').notice
    assert "“front street”" in notice


def test_a_date_that_is_not_a_date_is_refused(archive):
    with pytest.raises(InvalidParameter) as info:
        archive.search("date:2099-13 bridge")
    assert info.value.parameter == "q"
    assert "date:2099-13" in str(info.value) and "YYYY-MM" in str(info.value)
    with pytest.raises(InvalidParameter):
        archive.matching_ids("date:2099-13")  # never widened to the whole archive


# -- snippets ---------------------------------------------------------------------------------


def test_snippet_comes_from_the_standfirst_or_caption_that_matched(write_page, build_archive):
    write_page("s", "Council meets on Tuesday", ["The council met to discuss the library."],
               standfirst="A zeppelin will fly over the town square at noon.", url="https://t.test/s")
    write_page("c", "Council meets on Wednesday", ["The council met to discuss the museum."],
               captions=(("The old lighthouse keeper at the quay.", "Photo: A. Lens"),),
               url="https://t.test/c")
    archive = build_archive()
    hit = archive.search("zeppelin").hits[0]
    assert hit.snippet_field == "standfirst"
    assert "<mark>zeppelin</mark>" in hit.snippet_html
    hit = archive.search("lighthouse").hits[0]
    assert hit.snippet_field == "captions"
    assert "<mark>lighthouse</mark>" in hit.caption_html
    assert archive.search("library").hits[0].snippet_field == "body"

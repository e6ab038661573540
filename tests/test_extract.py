"""The article extractor on small pages written for these tests (tests/fixtures/pages/)."""

from __future__ import annotations

import gzip
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from morgue.indexer.article import Caption
from morgue.indexer.captions import split_credit
from morgue.indexer.charset import decode
from morgue.indexer.dates import parse_iso, parse_text, url_date
from morgue.errors import ExtractionError
from morgue.indexer.extract import MAX_TAGS, extract, extract_file

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def paragraphs(body: str) -> list[str]:
    return body.split("\n\n")


# ----------------------------------------------------------------------------- metadata sources


def test_jsonld_graph_gives_headline_dates_authors_and_publisher():
    art = extract(page("jsonld_graph.html"))
    assert art.headline == "Harbour ferry returns after winter refit"
    assert art.published == "2021-03-02T07:45:00+00:00"
    assert art.modified == "2021-03-02T11:10:00+00:00"
    assert art.byline == ["Mara Quill", "Tobias Fenn"]
    assert art.source == "The Lantern Gazette"
    assert art.lang == "en"  # primary subtag of en-GB


def test_canonical_link_section_and_article_tags():
    art = extract(page("jsonld_graph.html"), url="https://lanterngazette.example/amp/ferry?utm_source=x")
    assert art.url == "https://lanterngazette.example/news/2021/03/02/harbour-ferry-returns"
    assert art.section == "Local"
    assert art.tags == ["ferries", "harbour"]


def test_opengraph_only_page():
    art = extract(page("opengraph_only.html"))
    assert art.headline == "Orchard cider festival draws record crowd"
    assert art.url == "https://valebrookecho.example/life/cider-festival-record-crowd"
    assert art.published == "2019-09-14T16:20:00+01:00"
    assert art.modified == "2019-09-15T09:05:00+01:00"
    assert art.byline == ["Ellis Marrow"]  # "By " dropped from <meta name="author">
    assert art.source == "Valebrook Echo"
    assert len(paragraphs(art.body)) == 3


def test_headline_never_has_the_site_name_glued_on():
    art = extract(page("opengraph_only.html").replace(
        b'<meta property="og:title" content="Orchard cider festival draws record crowd">', b""))
    assert art.headline == "Orchard cider festival draws record crowd"


def test_dublin_core_creator_date_and_publisher():
    art = extract(page("dublin_core.html"))
    assert art.headline == "Grain exports rise for third month"
    assert art.byline == ["Pia Lund"]
    assert art.published == "2016-05-03T14:00:00+00:00"
    assert art.source == "Northsea Wire"


def test_wire_dateline_stays_in_the_body():
    art = extract(page("dublin_core.html"))
    assert art.body.startswith("ROTTERDAM (NSW) — Grain exports")
    assert "By Pia Lund" not in art.body


def test_microdata_headline_author_date_section_and_article_body():
    art = extract(page("microdata.html"))
    assert art.headline == "La fromagerie du col rouvre ses portes"
    assert art.byline == ["Odile Brasier"]
    assert art.published == "2018-06-21T08:00:00+02:00"
    assert art.section == "Économie"
    assert art.lang == "fr"
    assert paragraphs(art.body)[1].startswith("« Nous avons reconstruit")


def test_wordpress_categories_tags_and_time_element():
    art = extract(page("wordpress.html"))
    assert art.headline == "Library extends Sunday opening"
    assert art.published == "2015-10-04T10:00:00-05:00"
    assert art.byline == ["Jo Nakamura"]
    assert art.section == "Town"
    assert art.tags == ["library", "volunteers"]


# ----------------------------------------------------------------------------- dates


def test_visible_published_and_updated_lines():
    art = extract(page("translation_notice.html"))
    assert art.published == "2022-01-12T18:30:00"  # no zone on the page: none invented
    assert art.modified == "2022-01-13T09:14:00"


def test_relative_date_is_resolved_against_the_capture_time():
    art = extract(page("relative_date.html"), captured=datetime(2022, 5, 6, 21, 0, tzinfo=timezone.utc))
    assert art.published == "2022-05-06T18:00:00+00:00"
    assert art.published_from == "relative"
    assert art.captured == "2022-05-06T21:00:00+00:00"


def test_relative_date_without_a_capture_time_leaves_the_article_undated():
    art = extract(page("relative_date.html"))
    assert art.published is None and art.published_from is None
    assert art.body  # still extracted: undated, not refused


def test_date_in_the_url_when_the_page_gives_none():
    art = extract(page("url_date.html"), url="https://parish.example/news/2014/07/09/playground")
    assert art.published == "2014-07-09"
    assert art.url == "https://parish.example/news/2014/07/09/playground"


def test_table_layout_visible_date_line_with_time():
    art = extract(page("table_cp1252_undeclared.html"))
    assert art.published == "2008-03-04T23:32:00"


@pytest.mark.parametrize("text, expected", [
    ("Updated: January 13, 2022, 9:14 AM", "2022-01-13T09:14:00"),
    ("Posted: Tuesday, March 4, 2008", "2008-03-04"),
    ("Posted: 03/04/2008 11:32 PM", "2008-03-04T23:32:00"),
    ("13. März 2019 um 14:30 Uhr", "2019-03-13T14:30:00"),
    ("Publié le 4 mars 2008", "2008-03-04"),
    ("Aktualisiert: 30.12.2016", "2016-12-30"),
    ("Jan. 5th, 2009 at 3:15 pm EST", "2009-01-05T15:15:00-05:00"),
    # 12 AM is the first hour of the day, 12 PM is noon
    ("Updated: January 13, 2022, 12:15 AM", "2022-01-13T00:15:00"),
    ("Updated: January 13, 2022, 12:15 PM", "2022-01-13T12:15:00"),
    ("Posted: 03/04/2008 12:05 a.m.", "2008-03-04T00:05:00"),
    ("Posted: 03/04/2008 12:05 p.m.", "2008-03-04T12:05:00"),
])
def test_date_line_formats(text, expected):
    assert parse_text(text) == expected


@pytest.mark.parametrize("value, expected", [
    ("2008-03-04", "2008-03-04"),
    ("2008-03-04T10:00:00Z", "2008-03-04T10:00:00+00:00"),
    ("2008-03-04T10:00:00.000+0100", "2008-03-04T10:00:00+01:00"),
    ("Tue, 04 Mar 2008 10:00:00 GMT", "2008-03-04T10:00:00+00:00"),
    ("20080304", "2008-03-04"),
    ("not a date", None),
    ("1234", None),
])
def test_machine_dates_keep_the_page_precision(value, expected):
    assert parse_iso(value) == expected


@pytest.mark.parametrize("url, expected", [
    ("https://x.example/2008/03/04/story", "2008-03-04"),
    ("https://x.example/news/20170302-vaccine.html", "2017-03-02"),
    ("https://x.example/news/story-12345.html", None),
])
def test_url_dates(url, expected):
    assert url_date(url) == expected


# ----------------------------------------------------------------------------- captions


def test_caption_credit_is_split_off_from_a_credit_element():
    art = extract(page("jsonld_graph.html"))
    assert art.captions == [Caption("The ferry leaves the slipway at Eastquay on Monday.", "Lantern Gazette/Ivo Penrose")]


def test_caption_credit_is_split_off_when_it_is_a_bare_agency_name():
    art = extract(page("translation_notice.html"))
    assert art.captions == [
        Caption("A freight train crosses the dunes near the inland depot.", "AP"),
        Caption("Workers check the couplings before departure.", "Reuters/Samir Haddad"),
    ]


def test_caption_credit_in_trailing_parentheses():
    art = extract(page("wordpress.html"))
    assert art.captions == [Caption("Volunteers sort returned books on Saturday.", "Millbrook Notes")]


def test_caption_of_a_2000s_photo_table_with_an_italic_credit():
    art = extract(page("table_cp1252_undeclared.html"))
    assert art.captions == [Caption("The new dryer stands beside the co-op’s old elevator.", "Herald photo/Ann Voss")]


@pytest.mark.parametrize("text, expected", [
    ("Troops leave Almaty, Kazakhstan. AP", ("Troops leave Almaty, Kazakhstan.", "AP")),
    ("The mayor speaks. (AP Photo/Jane Roe)", ("The mayor speaks.", "AP Photo/Jane Roe")),
    ("A flooded street. Photo: Lee Grant", ("A flooded street.", "Lee Grant")),
    ("Le col enneigé. © Marc Duval", ("Le col enneigé.", "Marc Duval")),
    ("The crowd at the final whistle.", ("The crowd at the final whistle.", None)),
])
def test_split_credit(text, expected):
    assert split_credit(text) == expected


def test_captions_are_not_in_the_body():
    art = extract(page("translation_notice.html"))
    assert "freight train crosses the dunes" not in art.body
    assert "Reuters/Samir Haddad" not in art.body


# ----------------------------------------------------------------------------- boilerplate


def test_cookie_banner_share_bar_and_newsletter_are_removed():
    body = extract(page("jsonld_graph.html")).body
    for junk in ("We use cookies", "Accept all", "Share on Facebook", "Sign up to our morning newsletter", "All rights reserved"):
        assert junk not in body


def test_related_list_inside_the_article_is_removed():
    body = extract(page("jsonld_graph.html")).body
    assert "Estuary bridge plan shelved again" not in body
    assert paragraphs(body)[-1] == "The council expects the refit to keep the vessel running until at least 2035."


def test_standfirst_is_separate_from_the_body():
    art = extract(page("jsonld_graph.html"))
    assert art.standfirst == "The blue-hulled ferry is back on the crossing with new engines and a wider car deck."
    assert art.standfirst not in art.body


def test_automated_translation_notice_is_not_extracted():
    art = extract(page("translation_notice.html"))
    assert "automated translation" not in art.body
    assert "Updated:" not in art.body
    assert art.standfirst == "First trains carry containers from the port to the inland depot in under four hours"
    assert len(paragraphs(art.body)) == 3


def test_wordpress_share_related_comments_and_sidebar_are_removed():
    body = extract(page("wordpress.html")).body
    for junk in ("Share this", "Book sale raises record sum", "Great news for working parents", "Town hall clock", "Posted in"):
        assert junk not in body
    assert len(paragraphs(body)) == 2


def test_table_layout_navigation_byline_and_print_links_are_removed():
    art = extract(page("table_cp1252_undeclared.html"))
    assert paragraphs(art.body) == [
        "The farmers’ co-operative opened its new grain dryer on Tuesday, doubling the amount of corn it can take in during the busiest weeks of the harvest.",
        "“We had trucks lined up to the highway last fall,” said manager René Ibáñez. “That should not happen again.”",
    ]
    assert art.byline == ["Walt Hensley"]
    assert art.source == "The Dale Herald"
    assert art.section == "Farm"
    assert art.lang is None  # the page does not say


def test_body_whitespace_is_normalised_inside_paragraphs():
    html = b"<html><body><article><h1>A headline here</h1><p>One   two\n\tthree four five six seven eight nine ten eleven twelve.</p></article></body></html>"
    art = extract(html)
    assert art.body == "One two three four five six seven eight nine ten eleven twelve."


# ----------------------------------------------------------------------------- charsets


def test_windows_1252_page_without_declaration_decodes():
    art = extract(page("table_cp1252_undeclared.html"))
    assert "René Ibáñez" in art.body
    assert "“We had trucks" in art.body


def test_http_equiv_latin1_declaration_is_honoured():
    art = extract(page("http_equiv_latin1.html"))
    assert art.headline == "Le marché de Noël s'installe place de l'Église"
    assert "décembre" in art.body


def test_utf8_byte_order_mark():
    art = extract(page("utf8_bom.html"))
    assert "€40m" in art.body and "Strømgade" in art.body


def test_content_type_header_charset_wins_over_detection():
    data = "<html><body><p>Caf\u00e9 cr\u00e8me \u2014 the name of the new bakery on the square, which opened on Monday morning.</p></body></html>"
    text, enc = decode(data.encode("utf-8"), content_type="text/html; charset=ISO-8859-1")
    assert enc == "cp1252"
    assert "CafÃ©" in text


def test_utf8_bytes_win_over_a_wrong_meta_declaration():
    data = '<html><head><meta charset="iso-8859-1"></head><body><p>Kosovo\u2019s future, said R\u00fccker, is a matter for the Council and nobody else.</p></body></html>'
    art = extract(data.encode("utf-8"))
    assert "Kosovo’s future, said Rücker" in art.body


def test_gzip_page_is_decompressed():
    art = extract(gzip.compress(page("jsonld_graph.html")))
    assert art.headline == "Harbour ferry returns after winter refit"


# ----------------------------------------------------------------------------- errors and hostile input


def test_empty_page_raises_a_clear_error():
    with pytest.raises(ExtractionError, match="empty"):
        extract(b"")
    with pytest.raises(ExtractionError, match="empty"):
        extract(b"  \n\t ")


def test_binary_data_named_html_raises():
    with pytest.raises(ExtractionError, match="binary.*PNG"):
        extract(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(ExtractionError, match="binary"):
        extract(bytes(range(256)) * 40)


def test_text_that_is_not_html_raises():
    with pytest.raises(ExtractionError, match="not HTML"):
        extract(b"Just a plain text note, with no markup at all.")
    with pytest.raises(ExtractionError, match="not HTML"):
        extract(b'{"headline": "json, not a page"}')


def test_broken_gzip_raises():
    with pytest.raises(ExtractionError, match="gzip"):
        extract(b"\x1f\x8b\x08\x00 this is not deflate data")


def test_all_script_page_raises_no_text():
    with pytest.raises(ExtractionError, match="no article text"):
        extract(b"<html><head><script>var a = 1;</script></head><body><script>" + b"x++;" * 5000 + b"</script></body></html>")


def test_nul_bytes_are_dropped():
    art = extract(b"<html><body><h1>Nul\x00 test</h1><p>Hello\x00 world, this paragraph carries a NUL byte in the middle of it.</p></body></html>")
    assert "\x00" not in art.body and "Hello world" in art.body


def test_ten_thousand_deep_nesting_does_not_blow_up():
    html = b"<html><body>" + b"<div>" * 10_000 + b"<p>A paragraph at the bottom of a very deep tree, long enough to count.</p>" + b"</div>" * 10_000 + b"</body></html>"
    art = extract(html)
    assert "bottom of a very deep tree" in art.body


def test_huge_page_is_bounded():
    html = b"<html><body>" + b"<p>word " * (MAX_TAGS * 3) + b"</body></html>"
    start = time.process_time()  # the work done, not the wall time of a loaded machine
    with pytest.raises(ExtractionError):
        extract(html)
    assert time.process_time() - start < 30


def test_extract_file_ignores_mtime_and_sets_path(tmp_path):
    p = tmp_path / "night.html"
    p.write_bytes(page("relative_date.html"))
    ts = datetime(2022, 5, 6, 21, 0, tzinfo=timezone.utc).timestamp()
    os.utime(p, (ts, ts))
    art = extract_file(p)
    assert art.path == str(p)
    assert art.published is None  # the mtime is not when the page was saved
    art = extract_file(p, captured=datetime(2022, 5, 6, 21, 0, tzinfo=timezone.utc))
    assert art.published == "2022-05-06T18:00:00+00:00"


def test_extract_file_missing_file_raises(tmp_path):
    with pytest.raises(ExtractionError, match="cannot read"):
        extract_file(tmp_path / "nope.html")

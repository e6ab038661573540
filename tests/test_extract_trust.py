"""Fields an archive can trust: where each date comes from, the capture time (and no date after
it), bylines that are names, sources that are site names. Pages written for the project
(tests/fixtures/pages) and real pages from ../shared (skipped when absent)."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from morgue.cli import main
from morgue.indexer.byline import clean_names
from morgue.indexer.dates import later_than, parse_captured
from morgue.indexer.extract import extract, extract_file
from morgue.indexer.source import looks_like_site_name, matches_host
from morgue.indexer.writer import index_paths

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction" / "l3s-gn1" / "html"
CAPTURED = datetime(2022, 5, 6, 21, 0, tzinfo=timezone.utc)


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


# ----------------------------------------------------------------------------- provenance


@pytest.mark.parametrize("name, url, published_from", [
    ("jsonld_graph.html", None, "json-ld"),
    ("opengraph_only.html", None, "meta"),
    ("url_date.html", "https://parish.example/news/2014/07/09/playground", "url"),
    ("translation_notice.html", None, "text"),
])
def test_each_date_records_where_it_was_read(name, url, published_from):
    art = extract(page(name), url=url)
    assert art.published
    assert art.published_from == published_from


def test_modified_date_has_its_own_source():
    art = extract(page("jsonld_graph.html"))
    assert (art.modified, art.modified_from) == ("2021-03-02T11:10:00+00:00", "json-ld")
    art = extract(page("translation_notice.html"))
    assert (art.modified, art.modified_from) == ("2022-01-13T09:14:00", "text")


def test_extract_json_shows_provenance_and_capture_time():
    result = CliRunner().invoke(main, ["extract", "--json", "--captured", "2022-05-06T21:00:00Z",
                                       str(PAGES / "relative_date.html")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["published"] == "2022-05-06T18:00:00+00:00"
    assert data["published_from"] == "relative"
    assert data["captured"] == "2022-05-06T21:00:00+00:00"


# ----------------------------------------------------------------------------- capture time


def test_relative_date_needs_a_capture_time_and_never_uses_the_mtime(tmp_path):
    p = tmp_path / "night.html"
    p.write_bytes(page("relative_date.html"))  # mtime: now
    assert extract_file(p).published is None
    result = CliRunner().invoke(main, ["extract", "--json", str(p)])
    assert json.loads(result.output)["published"] is None
    result = CliRunner().invoke(main, ["extract", "--json", "--captured", "2022-05-06", str(p)])
    assert json.loads(result.output)["published"] == "2022-05-06"  # a day-only capture: the day


def test_captured_option_refuses_a_non_date():
    result = CliRunner().invoke(main, ["extract", "--captured", "last week", str(PAGES / "relative_date.html")])
    assert result.exit_code == 2
    assert "--captured" in result.output


def test_capture_time_grammar():
    assert parse_captured("2008-03-04") > datetime(2008, 3, 4, 23, 59, tzinfo=timezone.utc)
    assert parse_captured("2008-03-04T10:00:00+02:00") == datetime(2008, 3, 4, 8, 0, tzinfo=timezone.utc)
    assert parse_captured("Tue, 04 Mar 2008 10:00:00 GMT") == datetime(2008, 3, 4, 10, 0, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        parse_captured("yesterday")


def test_no_date_after_the_capture_time():
    future = b"""<html><head><title>Harbour fair</title>
    <meta property="article:published_time" content="2030-01-02T10:00:00Z"></head>
    <body><h1>Harbour fair</h1><p>The harbour fair drew crowds to the quay on Saturday, with stalls,
    music and boat trips for children until late in the evening.</p></body></html>"""
    art = extract(future, captured=CAPTURED)
    assert art.published is None  # a date after the capture is not the publication date
    art = extract(future)  # capture unknown: nothing after now
    assert art.published is None
    assert not later_than("2022-05-06", CAPTURED) and later_than("2022-05-07", CAPTURED)


def _warc(path: Path, body: bytes, warc_date: str) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Date", "Fri, 01 Jan 2021 00:00:00 GMT")],
                                   protocol="HTTP/1.1")
        record = writer.create_warc_record("https://night.test/market", "response",
                                           payload=io.BytesIO(body), http_headers=headers,
                                           warc_headers_dict={"WARC-Date": warc_date})
        writer.write_record(record)


def test_warc_date_is_the_capture_time(tmp_path):
    from morgue.indexer.warc import iter_warc_pages

    warc = tmp_path / "crawl.warc.gz"
    _warc(warc, page("relative_date.html"), "2022-05-06T21:00:00Z")
    (record,) = list(iter_warc_pages(str(warc)))
    assert record.date == CAPTURED
    report = index_paths([str(warc)], tmp_path / "index", jobs=1)
    assert report.added == 1 and report.undated == 0


def test_http_date_then_last_modified_when_a_record_has_no_warc_date():
    from types import SimpleNamespace

    from warcio.statusandheaders import StatusAndHeaders

    from morgue.indexer.warc import _capture_time

    def record(warc: list, http: list) -> SimpleNamespace:
        return SimpleNamespace(rec_headers=StatusAndHeaders("WARC/1.0", warc),
                               http_headers=StatusAndHeaders("200 OK", http, protocol="HTTP/1.1"))

    both = [("Date", "Fri, 06 May 2022 21:00:00 GMT"), ("Last-Modified", "Thu, 05 May 2022 08:00:00 GMT")]
    assert _capture_time(record([], both)) == CAPTURED
    assert _capture_time(record([], both[1:])) == datetime(2022, 5, 5, 8, 0, tzinfo=timezone.utc)
    assert _capture_time(record([("WARC-Date", "2022-05-07T00:00:00Z")], both)).day == 7
    assert _capture_time(record([], [("Date", "not a date")])) is None


def test_index_counts_undated_articles_and_captured_dates_them(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(PAGES / "relative_date.html", folder / "night.html")
    shutil.copy(PAGES / "jsonld_graph.html", folder / "ferry.html")
    report = index_paths([str(folder)], tmp_path / "a", jobs=1)
    assert (report.added, report.undated) == (2, 1)
    assert report.to_dict()["undated"] == 1
    report = index_paths([str(folder)], tmp_path / "b", jobs=1, captured=CAPTURED)
    assert (report.added, report.undated) == (2, 0)
    result = CliRunner().invoke(main, ["index", "--index", str(tmp_path / "c"), "--jobs", "1", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 undated" in result.output
    result = CliRunner().invoke(main, ["index", "--index", str(tmp_path / "d"), "--jobs", "1",
                                       "--captured", "2022-05-06", "--json", str(folder)])
    assert json.loads(result.output)["undated"] == 0


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"real pages not present at {SHARED} (../shared is third-party)")
def test_real_pages_copied_today_are_never_dated_after_their_capture(tmp_path):
    """The 2008 L3S pages copied into a fresh folder (mtime = now), as a new user would."""
    folder = tmp_path / "copied"
    folder.mkdir()
    names = sorted(os.listdir(SHARED))[::3]
    for name in names:
        (folder / name.replace(".gz", "")).write_bytes(gzip.decompress((SHARED / name).read_bytes()))
    now = datetime.now(timezone.utc)
    dated = 0
    for path in sorted(folder.iterdir()):
        try:
            art = extract_file(path)
        except Exception:
            continue
        if art.published:
            dated += 1
            assert not later_than(art.published, now), (path.name, art.published)
            assert art.published[:4] < str(now.year - 1), (path.name, art.published, art.published_from)
            assert art.published_from != "relative"
    assert dated > len(names) // 2


# ----------------------------------------------------------------------------- bylines


@pytest.mark.parametrize("raw, names", [
    ("January 18", []),
    ("2007 11:14 AM", []),
    ("3 days ago", []),
    ("Published: January 09", []),
    ("Chuck Squatriglia January 10", ["Chuck Squatriglia"]),
    ("Associated Press Writer 2 hours", []),
    ("6:46 AM ET", []),
    ("Tony Romm, Updated 3 hours ago", ["Tony Romm"]),
    ("Jo Smith | Share", ["Jo Smith"]),
    ("Posted by Elinor Mills", ["Elinor Mills"]),
    ("By Jo Smith and Anna Beck", ["Jo Smith", "Anna Beck"]),
    ("Shareef Ali", ["Shareef Ali"]),
    ("Monday Okafor", ["Monday Okafor"]),
])
def test_bylines_are_names(raw, names):
    assert clean_names([raw]) == names


def test_visible_byline_with_a_date_keeps_the_name():
    html = b"""<html><head><title>Lock gates replaced</title></head><body><article>
    <h1>Lock gates replaced</h1><div class="byline">By Chuck Squatriglia January 10, 2008 | 6:46 AM ET</div>
    <p>The old lock gates on the canal were lifted out on Thursday after ninety years of service,
    and the new oak gates went in the same afternoon, ahead of the boating season.</p></article></body></html>"""
    assert extract(html).byline == ["Chuck Squatriglia"]


# ----------------------------------------------------------------------------- sources


@pytest.mark.parametrize("text", [
    "Ne(OAS_version >= 11) document.write('",
    "Football Transfer News, Football News, Fixtures, Results, Match Reports, Stats",
    "2gewinnt | Kabarett | Satire",
])
def test_script_text_and_taglines_are_not_site_names(text):
    assert not looks_like_site_name(text)


def test_site_names_are_judged_by_the_host():
    assert matches_host("Los Angeles Times", "http://www.latimes.com/news/x.html")
    assert matches_host("BBC News", "http://news.bbc.co.uk/2/hi/x.stm")
    assert not matches_host("John McHale, 86: Expos' first president", "http://www.cbc.ca/sports/x.html")


def _titled(title: str) -> bytes:
    return f"""<html><head><title>{title}</title></head><body><h1>Law professors sign brief</h1>
    <p>Dozens of law professors and several members of parliament signed a brief on Monday
    asking the court to hear the case again, the group said in a statement.</p></body></html>""".encode()


def test_title_part_is_a_source_only_when_it_is_the_sites():
    title = "Former attorney general among those asking judge - Law professors sign brief"
    assert extract(_titled(title), url="http://www.cbc.ca/world/story.html").source is None
    assert extract(_titled(title)).source is None  # sentence-like, no host to check against
    art = extract(_titled("CBC News - Law professors sign brief"), url="http://www.cbc.ca/world/story.html")
    assert art.source == "CBC News"
    assert extract(_titled("The Dale Herald - Law professors sign brief")).source == "The Dale Herald"


def test_capture_window_tolerates_a_zone_free_time_on_the_capture_day():
    assert not later_than("2022-05-06T23:30:00", CAPTURED)
    assert later_than("2022-05-06T23:30:00+00:00", CAPTURED)
    assert not later_than("2022-05-06T21:00:00+00:00", CAPTURED + timedelta(seconds=1))


# ----------------------------------------------------------------------------- headlines


def test_a_section_label_matching_the_title_is_not_the_headline():
    html = b"""<html><head><title>Ferry fares frozen for a year | STATE NEWS | Harbour Daily</title></head>
    <body><h2>STATE NEWS</h2><h2>Ferry fares frozen for a year</h2>
    <p>The ferry company said on Monday it would keep its fares at last year's level until next
    spring, after the council agreed to cover the rise in fuel costs.</p></body></html>"""
    assert extract(html).headline == "Ferry fares frozen for a year"


def test_a_title_that_names_only_the_site_gives_way_to_the_pages_h1():
    html = b"""<html><head><title>The Harbour Daily</title></head><body>
    <div class="logo">The Harbour Daily</div><h1>Ferry fares frozen for a year</h1>
    <p>The ferry company said on Monday it would keep its fares at last year's level until next
    spring, after the council agreed to cover the rise in fuel costs.</p></body></html>"""
    assert extract(html).headline == "Ferry fares frozen for a year"


def test_a_dateline_opening_a_later_body_paragraph_dates_the_article():
    html = """<html lang="de"><head><title>Erinnerung an die Verfolgten</title></head><body><article>
    <h1>Erinnerung an die Verfolgten</h1>
    <p>Zum Tag des Gedenkens an die Opfer des Nationalsozialismus erinnern mehrere Initiativen an
    verfolgte Frauen, deren Geschichten lange kaum erzählt worden sind.</p>
    <p>Von Claudia Lindner</p>
    <p>27.1.2022 - Bei der Erinnerung an die Verfolgten des NS-Regimes in Deutschland stehen heute
    auch Biografien im Mittelpunkt, die in den Archiven nur wenige Spuren hinterlassen haben.</p>
    <p>Um diese Erinnerungskultur auch lokal zu fördern, haben die Initiativen neue Stolpersteine
    verlegt und Lesungen in mehreren Städten organisiert.</p></article></body></html>""".encode()
    art = extract(html)
    assert (art.published, art.published_from) == ("2022-01-27", "text")

"""The `morgue` command as a user meets it: help, errors, output formats."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from morgue.cli import main

COMMANDS = ("extract", "index", "search", "show", "delete", "stats", "optimize", "check", "serve")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_help_lists_every_command_with_a_description():
    for flag in ("-h", "--help"):
        result = run(flag)
        assert result.exit_code == 0
        for command in COMMANDS:
            line = next(l for l in result.output.splitlines() if l.strip().startswith(command + " "))
            assert len(line.split(None, 1)[1]) > 10, line


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_has_an_example(command):
    result = run(command, "-h")
    assert result.exit_code == 0
    assert "Example" in result.output and f"morgue {command}" in result.output


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and "morgue" in result.output


def test_missing_index_is_a_one_line_error(tmp_path):
    result = run("search", "--index", str(tmp_path / "none"), "bridge")
    assert result.exit_code == 1
    assert "no Morgue index here" in result.stderr
    assert "Traceback" not in result.output


@pytest.fixture
def indexed(write_page, tmp_path, index_dir):
    write_page("a", "Harbour dredging plan approved", ["The harbour dredging plan was approved on Monday."],
               url="https://t.test/harbour", section="Local", published="2019-02-03T10:00:00+00:00")
    write_page("b", "Harbour festival returns", ["The harbour festival returns this summer with boats."],
               url="https://t.test/festival", section="Culture", published="2021-07-01T10:00:00+00:00")
    result = run("index", "--index", str(index_dir), "--jobs", "1", str(tmp_path / "pages"))
    assert result.exit_code == 0, result.output
    return index_dir


def test_search_prints_readable_results(indexed):
    result = run("search", "--index", str(indexed), "dredging")
    assert result.exit_code == 0
    assert "1 articles" in result.output
    assert "Harbour dredging plan approved" in result.output
    assert "https://t.test/harbour" in result.output
    assert "section: Local (1)" in result.output


def test_search_json_has_the_api_shape(indexed):
    result = run("search", "--index", str(indexed), "--json", "harbour", "--sort", "newest")
    data = json.loads(result.output)
    assert data["total"] == 2 and data["sort"] == "newest"
    assert [h["headline"] for h in data["hits"]] == ["Harbour festival returns", "Harbour dredging plan approved"]


def test_search_csv_and_ndjson(indexed):
    rows = list(csv.DictReader(io.StringIO(run("search", "--index", str(indexed), "--csv", "harbour").output)))
    assert {r["headline"] for r in rows} == {"Harbour festival returns", "Harbour dredging plan approved"}
    lines = run("search", "--index", str(indexed), "--ndjson", "festival").output.splitlines()
    assert [json.loads(l)["url"] for l in lines] == ["https://t.test/festival"]


def test_search_filters_from_the_command_line(indexed):
    result = run("search", "--index", str(indexed), "--json", "harbour", "--from", "2020")
    assert [h["headline"] for h in json.loads(result.output)["hits"]] == ["Harbour festival returns"]
    bad = run("search", "--index", str(indexed), "harbour", "--from", "last year")
    assert bad.exit_code == 2 and "--from" in bad.stderr


def test_show_and_delete(indexed):
    hit = json.loads(run("search", "--index", str(indexed), "--json", "festival").output)["hits"][0]
    shown = json.loads(run("show", "--index", str(indexed), "--json", hit["id"]).output)
    assert shown["headline"] == "Harbour festival returns"
    assert run("delete", "--index", str(indexed), hit["id"]).exit_code == 0
    assert json.loads(run("stats", "--index", str(indexed), "--json").output)["articles"] == 1
    missing = run("show", "--index", str(indexed), hit["id"])
    assert missing.exit_code == 1 and "no article with id" in missing.stderr


def test_delete_by_query(indexed):
    result = run("delete", "--index", str(indexed), "--query", "dredging", "--yes")
    assert result.exit_code == 0 and "1 deleted" in result.output
    assert json.loads(run("stats", "--index", str(indexed), "--json").output)["articles"] == 1


def test_optimize_merges_segments(indexed, write_page, tmp_path):
    write_page("c", "Harbour wall repaired", url="https://t.test/wall")
    run("index", "--index", str(indexed), "--jobs", "1", str(tmp_path / "pages"))
    result = run("optimize", "--index", str(indexed))
    assert result.exit_code == 0 and "merged into 1" in result.output
    assert json.loads(run("stats", "--index", str(indexed), "--json").output)["segments"] == 1


def test_extract_json_reports_failures_and_goes_on(write_page, tmp_path):
    good = write_page("good", "Harbour wall repaired", url="https://t.test/wall")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = run("extract", "--json", str(empty), str(good))
    assert result.exit_code == 1
    first, second = (json.loads(l) for l in result.output.splitlines())
    assert first["path"] == str(empty) and first["error"]
    assert second["headline"] == "Harbour wall repaired" and second["path"] == str(good)


def test_extract_reads_standard_input(write_page):
    page = write_page("good", "Harbour wall repaired", url="https://t.test/wall")
    result = run("extract", "--json", "-", input=page.read_text())
    assert result.exit_code == 0
    assert json.loads(result.output)["headline"] == "Harbour wall repaired"


def test_check_says_ok_on_a_sound_index_and_names_a_missing_one(indexed, tmp_path):
    result = run("check", "--index", str(indexed))
    assert result.exit_code == 0 and result.output.startswith("ok")
    missing = run("check", "--index", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1


def _crawl(tmp_path):
    """A WARC file: two article responses (no canonical URL, a relative date), an image."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from tests.conftest import news_page, paragraphs

    warc = tmp_path / "crawl.warc.gz"
    with open(warc, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, topic in enumerate(["lighthouse keepers", "salt marsh restoration"]):
            page = news_page(topic.title(), paragraphs(topic), url=None, published=None).replace(
                "<div class=\"byline\">", "<div class=\"byline\"><span class=\"updated\">Updated: 2 hours ago</span>")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://archive.test/story/{i}", "response", payload=io.BytesIO(page.encode()),
                http_headers=headers, warc_headers_dict={"WARC-Date": f"2015-03-0{i + 4}T12:00:00Z"}))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://archive.test/img.png", "response", payload=io.BytesIO(b"\x89PNG"),
            http_headers=headers))
    return warc


def test_extract_reads_a_warc_file_as_index_does(tmp_path, index_dir):
    warc = _crawl(tmp_path)
    result = run("extract", "--json", str(warc))
    assert result.exit_code == 0, result.output
    lines = [json.loads(l) for l in result.output.splitlines()]
    assert len(lines) == 2  # one per HTML response record; the image is not a page
    assert [l["url"] for l in lines] == ["https://archive.test/story/0", "https://archive.test/story/1"]
    assert [l["warc_record"]["date"][:10] for l in lines] == ["2015-03-04", "2015-03-05"]
    assert all(l["published"] and l["published"].startswith(l["warc_record"]["date"][:10]) for l in lines), lines
    assert all(l["path"].startswith(str(warc) + "#") for l in lines)

    assert run("index", "--index", str(index_dir), "--jobs", "1", str(warc)).exit_code == 0
    for line in lines:
        hit = json.loads(run("search", "--index", str(index_dir), "--json",
                             line["headline"]).output)["hits"][0]
        shown = json.loads(run("show", "--index", str(index_dir), "--json", hit["id"]).output)
        for field in ("url", "headline", "published", "body", "path"):
            assert shown[field] == line[field], field


def test_extract_names_an_unreadable_warc_and_goes_on(tmp_path, write_page):
    bad = tmp_path / "broken.warc.gz"
    bad.write_bytes(b"this is not a WARC file at all")
    good = write_page("good", "Harbour wall repaired", url="https://t.test/wall")
    result = run("extract", "--json", str(bad), str(good))
    assert result.exit_code == 1
    first, second = (json.loads(l) for l in result.output.splitlines())
    assert first["path"] == str(bad) and "WARC" in first["error"]
    assert second["headline"] == "Harbour wall repaired"

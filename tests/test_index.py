"""`morgue index`: incremental, idempotent, duplicates, failures, locking, crashes, WARC."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import news_page, paragraphs
from tests import midrun
from morgue.errors import IndexLocked
from morgue.indexer.lock import WriteLock
from morgue.indexer.writer import index_paths
from morgue.search import Archive
from morgue.cli import main


def test_reindexing_unchanged_files_adds_nothing(write_page, index_dir, tmp_path):
    for i in range(3):
        write_page(f"p{i}", f"Harbour dredging plan number {i}", url=f"https://t.test/{i}")
    first = index_paths([str(tmp_path / "pages")], index_dir, jobs=1)
    second = index_paths([str(tmp_path / "pages")], index_dir, jobs=1)
    assert (first.added, first.unchanged) == (3, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 3)
    assert Archive(index_dir).stats().articles == 3


def test_articles_the_manifest_lost_are_replaced_not_doubled(write_page, index_dir, tmp_path):
    """A run killed after Whoosh's commit but before the manifest's: the re-run must not add
    the same articles a second time."""
    from morgue.indexer.manifest import MANIFEST_NAME

    for i in range(3):
        write_page(f"p{i}", f"Harbour dredging plan number {i}", url=f"https://t.test/{i}")
    index_paths([str(tmp_path / "pages")], index_dir, jobs=1)
    (index_dir / MANIFEST_NAME).unlink()
    again = index_paths([str(tmp_path / "pages")], index_dir, jobs=1)
    assert again.added == 3
    archive = Archive(index_dir)
    assert archive.stats().articles == 3
    assert archive.search("harbour dredging").total == 3


def test_touched_but_identical_file_is_skipped_by_hash(write_page, index_dir):
    page = write_page("p", "Ferry timetable changes", url="https://t.test/ferry")
    index_paths([str(page)], index_dir, jobs=1)
    os.utime(page, (time.time() + 100, time.time() + 100))
    report = index_paths([str(page)], index_dir, jobs=1)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 1)


def test_changed_page_replaces_its_old_version(write_page, index_dir):
    page = write_page("p", "Ferry timetable changes", ["The old ferry timetable text."],
                      url="https://t.test/ferry")
    index_paths([str(page)], index_dir, jobs=1)
    write_page("p", "Ferry timetable changes again", ["The new ferry timetable text about lighthouses."],
               url="https://t.test/ferry")
    report = index_paths([str(page)], index_dir, jobs=1)
    assert report.updated == 1
    archive = Archive(index_dir)
    assert archive.stats().articles == 1
    assert archive.search("lighthouses").total == 1
    assert archive.search("headline:again").total == 1


def test_same_story_under_two_urls_is_stored_once_newest_wins(write_page, index_dir, tmp_path):
    write_page("a-old", "Storm closes coastal road", ["Old version of the storm story."],
               url="https://t.test/storm", modified="2021-03-04T11:00:00+00:00")
    write_page("b-new", "Storm closes coastal road", ["Updated storm story with evacuation details."],
               url="https://t.test/storm", modified="2021-03-05T09:00:00+00:00")
    write_page("c-copy", "Storm closes coastal road", ["Old version of the storm story."],
               url="https://t.test/storm", modified="2021-03-04T11:00:00+00:00")
    report = index_paths([str(tmp_path / "pages")], index_dir, jobs=1)
    archive = Archive(index_dir)
    assert archive.stats().articles == 1
    assert report.added + report.updated + report.duplicates == 3
    assert report.duplicates >= 1
    assert archive.search("evacuation").total == 1
    assert archive.search("old version").total == 0


def test_broken_files_are_reported_and_the_rest_indexed(write_page, tmp_path, index_dir):
    write_page("good", "Library reopens after repairs", url="https://t.test/library")
    (tmp_path / "pages" / "empty.html").write_bytes(b"")
    (tmp_path / "pages" / "binary.html").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "pages" / "broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    report = index_paths([str(tmp_path / "pages")], index_dir, jobs=2)
    failed = {Path(f.path).name: f.reason for f in report.failed}
    assert set(failed) == {"empty.html", "binary.html", "broken.html.gz"}
    assert all(reason for reason in failed.values())
    assert report.added == 1
    assert Archive(index_dir).search("library").total == 1


def test_cli_index_summary_errors_file_and_exit_status(write_page, tmp_path, index_dir):
    write_page("good", "Library reopens after repairs", url="https://t.test/library")
    (tmp_path / "pages" / "empty.html").write_bytes(b"")
    errors = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(main, ["index", "--index", str(index_dir), "--jobs", "1",
                                       "--errors", str(errors), str(tmp_path / "pages")])
    assert result.exit_code == 1
    assert "1 added" in result.output and "1 failed" in result.output
    assert "empty.html" in result.stderr
    assert "empty.html" in errors.read_text()
    again = CliRunner().invoke(main, ["index", "--index", str(index_dir), "--jobs", "1",
                                      str(tmp_path / "pages" / "good.html")])
    assert again.exit_code == 0, again.output
    assert "0 added" in again.output and "1 unchanged" in again.output


def test_paths_from_standard_input_and_globs(write_page, tmp_path, index_dir):
    a = write_page("a", "Tram line extension approved", url="https://t.test/tram")
    write_page("b", "Tram depot fire under control", url="https://t.test/depot")
    result = CliRunner().invoke(main, ["index", "--index", str(index_dir), "--jobs", "1", "-"],
                                input=f"{a}\n")
    assert result.exit_code == 0, result.output
    assert Archive(index_dir).stats().articles == 1
    result = CliRunner().invoke(main, ["index", "--index", str(index_dir), "--jobs", "1",
                                       str(tmp_path / "pages" / "*.html")])
    assert result.exit_code == 0, result.output
    assert Archive(index_dir).stats().articles == 2


def test_a_path_that_names_nothing_is_a_clear_error(tmp_path, index_dir):
    result = CliRunner().invoke(main, ["index", "--index", str(index_dir), str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "nope: no such file" in result.stderr


def test_gzipped_pages_are_indexed(tmp_path, index_dir):
    page = tmp_path / "pages" / "z.html.gz"
    page.parent.mkdir(parents=True)
    page.write_bytes(gzip.compress(news_page("Glacier survey finds retreat", paragraphs("glacier"),
                                             url="https://t.test/glacier").encode()))
    report = index_paths([str(tmp_path / "pages")], index_dir, jobs=1)
    assert report.added == 1
    assert Archive(index_dir).search("glacier").total == 1


def test_second_writer_gets_a_clear_message(write_page, index_dir, tmp_path):
    write_page("a", "Tram line extension approved", url="https://t.test/tram")
    index_dir.mkdir(parents=True)
    with WriteLock(index_dir, timeout=0):
        with pytest.raises(IndexLocked, match="another process .* is writing to this index"):
            index_paths([str(tmp_path / "pages")], index_dir, jobs=1, lock_timeout=0.3)
        result = CliRunner().invoke(main, ["index", "--index", str(index_dir), "--lock-timeout",
                                           "0.2", str(tmp_path / "pages")])
        assert result.exit_code == 1
        assert "another process" in result.stderr and "--lock-timeout" in result.stderr


def test_warc_responses_are_indexed_with_their_target_uri(tmp_path, index_dir):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "crawl.warc.gz"
    with open(warc, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, topic in enumerate(["lighthouse keepers", "salt marsh restoration"]):
            page = news_page(topic.title(), paragraphs(topic), url=None).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://archive.test/story/{i}", "response", payload=io.BytesIO(page),
                http_headers=headers))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://archive.test/img.png", "response", payload=io.BytesIO(b"\x89PNG"),
            http_headers=headers))
    report = index_paths([str(warc)], index_dir, jobs=1)
    assert report.added == 2 and not report.failed
    archive = Archive(index_dir)
    hit = archive.search("lighthouse").hits[0]
    assert hit.url == "https://archive.test/story/0"


def _pages(tmp_path: Path, n: int) -> Path:
    pages = tmp_path / "many"
    pages.mkdir()
    for i in range(n):
        (pages / f"p{i:04d}.html").write_text(
            news_page(f"Council minutes number {i}", paragraphs(f"item {i}"),
                      url=f"https://t.test/minutes/{i}"), encoding="utf-8")
    return pages


@pytest.mark.parametrize("delay", [0.0, 0.5])
def test_writer_killed_mid_run_leaves_an_index_that_a_rerun_completes(tmp_path, index_dir, delay):
    pages = _pages(tmp_path, 600)
    # One page is a named pipe nobody writes (tests/midrun.py): the run cannot finish, so a
    # kill after its first commit lands between the first commit and the last on any machine.
    held = midrun.hold_pages(pages, ["p0300.html"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "morgue", "index", "--index", str(index_dir), "--jobs", "2",
         str(pages)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "MORGUE_BATCH_SIZE": "50"},
    )
    try:
        midrun.wait_for_commits(index_dir, 50, proc)
        time.sleep(delay)
    finally:
        midrun.kill_group(proc)  # the writer and its cleaning processes
    before = Archive(index_dir).stats().articles  # opens, whatever was committed
    assert 50 <= before < 600 and before % 50 == 0, before
    midrun.restore(held)
    report = index_paths([str(pages)], index_dir, jobs=2)
    assert not report.failed
    archive = Archive(index_dir)
    assert archive.stats().articles == 600
    assert archive.search("council minutes", page_size=1).total == 600


def test_searches_keep_answering_while_the_index_is_written(tmp_path, index_dir):
    pages = _pages(tmp_path, 300)
    first = tmp_path / "first"
    first.mkdir()
    (first / "seed.html").write_text(news_page("Council minutes seed", paragraphs("seed"),
                                               url="https://t.test/seed"), encoding="utf-8")
    index_paths([str(first)], index_dir, jobs=1)
    archive = Archive(index_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "morgue", "index", "--index", str(index_dir), "--jobs", "1", str(pages)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "MORGUE_BATCH_SIZE": "25"},
    )
    totals = []
    while proc.poll() is None:
        totals.append(archive.search("council minutes", page_size=5).total)
        time.sleep(0.05)
    assert proc.returncode == 0
    time.sleep(0.6)
    totals.append(archive.search("council minutes", page_size=5).total)
    assert totals[0] >= 1 and totals[-1] == 301
    assert totals == sorted(totals)  # never goes back, never fails


def test_segments_are_written_exactly_as_whoosh_writes_them(write_page, tmp_path):
    # indexer.whoosh_internals.ArticleWriter reads field lengths its own way when it flushes a
    # segment and compresses only big blocks: what a reader gets back (terms, postings,
    # lengths) must match Whoosh's own SegmentWriter's.
    from whoosh.writing import SegmentWriter

    from morgue.indexer.documents import VOCABULARY_KEY, to_document
    from morgue.indexer.extract import extract
    from morgue.indexer.whoosh_internals import ArticleWriter
    from morgue.indexer.store import open_or_create

    docs = []
    for i in range(30):
        path = write_page(f"p{i}", f"Bridge report number {i}", paragraphs(f"bridge {i} council"),
                          url=f"https://t.test/{i}", byline=("Dana Whitlock",) if i % 2 else (),
                          published=None if i % 3 == 0 else f"2021-03-{i % 28 + 1:02d}T10:00:00+00:00")
        doc = to_document(extract(path.read_bytes(), path=str(path)), key=str(i), content_hash=str(i))
        doc.pop(VOCABULARY_KEY)
        docs.append(doc)
    readers = []
    for name, make in (("ours", ArticleWriter), ("whoosh", SegmentWriter)):
        ix = open_or_create(tmp_path / name)
        writer = make(ix)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        readers.append(ix.reader())
    ours, whoosh = readers
    # Segments name Whoosh's own codec, so the index opens without Morgue's classes.
    from whoosh.codec.whoosh3 import W3Codec
    from morgue.indexer.whoosh_internals import segments
    assert {type(s.codec()) for s in segments(open_or_create(tmp_path / "ours"))} == {W3Codec}
    terms = list(whoosh.all_terms())
    assert list(ours.all_terms()) == terms and len(terms) > 100
    def blocks(reader, field, text):  # postings, and the length bounds BM25 skipping uses
        m = reader.postings(field, text)
        return (list(reader.postings(field, text).items_as("weight")),
                m.block_min_length(), m.block_max_length())

    for field, text in terms:
        assert blocks(ours, field, text) == blocks(whoosh, field, text), (field, text)
    for field in whoosh.schema.scorable_names():
        assert [ours.doc_field_length(d, field) for d in range(30)] == \
            [whoosh.doc_field_length(d, field) for d in range(30)], field
    for r in readers:
        r.close()


def test_opening_an_index_does_not_copy_it_into_memory(tmp_path):
    # Whoosh's BufferFile copied every segment's postings and terms into the heap when a
    # reader opened (indexer/whoosh_internals.py): a server's memory grew with the index size.
    import tracemalloc

    from morgue.indexer.store import open_existing

    def open_and_measure(pages: int) -> tuple[int, int]:
        folder, index = tmp_path / f"pages{pages}", tmp_path / f"index{pages}"
        for i in range(pages):
            path = folder / f"p{i}.html"
            path.parent.mkdir(exist_ok=True)
            path.write_text(news_page(f"Harbour report {i}", paragraphs(f"harbour {i} ferry"),
                                      url=f"https://t.test/{i}"), encoding="utf-8")
        index_paths([str(folder)], index, jobs=1)
        ix = open_existing(index)
        tracemalloc.start()
        reader = ix.reader()
        assert len(list(reader.lexicon("id"))) == pages  # terms read through the stream
        copied, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        reader.close()
        return sum(p.stat().st_size for p in index.glob("*.seg")), copied

    small_size, small_copied = open_and_measure(20)
    big_size, big_copied = open_and_measure(400)
    assert big_size - small_size > 500_000
    assert big_copied - small_copied < (big_size - small_size) / 10, (big_copied, small_copied)


def test_the_zero_copy_stream_reads_like_bytesio():
    import io
    import pickle

    from morgue.indexer.whoosh_internals import ViewStream

    long_value = list(range(1000))  # a pickle longer than what peek() returns
    data = (pickle.dumps({"a": [1, 2, 3]}) + pickle.dumps(long_value)
            + b"line one\nline two\nrest")
    ours, theirs = ViewStream(memoryview(data)), io.BytesIO(data)
    assert pickle.load(ours) == pickle.load(theirs) == {"a": [1, 2, 3]}
    assert ours.tell() == theirs.tell()
    assert pickle.load(ours) == pickle.load(theirs) == long_value
    assert ours.tell() == theirs.tell()
    assert ours.readline() == theirs.readline() == b"line one\n"
    assert ours.read(4) == theirs.read(4)
    for args in ((3,), (-2, 2), (1, 1), (100,)):
        assert ours.seek(*args) == theirs.seek(*args)
        assert ours.read() == theirs.read()
    assert ours.read(5) == theirs.read(5) == b""

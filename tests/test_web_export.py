"""Exporting every hit over HTTP: a real server streaming chunk by chunk, and a client that leaves."""

from __future__ import annotations

import csv
import io
import itertools
import json
import socket
import threading
import time

import pytest
import webtest

from morgue.search.export import CSV_COLUMNS
from morgue.web.app import make_app
from tests.web_fixtures import LiveServer, web_archive, web_index  # noqa: F401


def raw_get(url: str, path: str) -> tuple[socket.socket, dict[str, str], io.BufferedReader]:
    """Send GET `path` on a plain socket; return it, the response headers and the body reader."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    reader = sock.makefile("rb")
    status = reader.readline()
    assert b" 200 " in status, status
    headers = {}
    for line in iter(reader.readline, b"\r\n"):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    return sock, headers, reader


def chunks(reader: io.BufferedReader):
    """The HTTP/1.1 chunks of a chunked body, one at a time, as they arrive."""
    while True:
        size = int(reader.readline().split(b";")[0], 16)
        if size == 0:
            reader.readline()
            return
        data = reader.read(size)
        reader.readline()
        yield data


@pytest.fixture
def small_chunks(monkeypatch):
    from morgue.web import api

    monkeypatch.setattr(api, "CHUNK_SIZE", 2048)


def test_all_hits_stream_chunk_by_chunk_from_a_real_server(web_archive, small_chunks):
    server = LiveServer(make_app(web_archive))
    try:
        sock, headers, reader = raw_get(server.url, "/api/search?q=bridge&format=csv&all=true")
        assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
        assert headers["content-type"].startswith("text/csv")
        assert headers["x-total-count"] == str(web_archive.search("bridge").total)
        received = list(chunks(reader))
        sock.close()
    finally:
        server.close()
    assert len(received) > 2
    assert received[0].decode().strip() == ",".join(CSV_COLUMNS)  # the header goes out first
    rows = list(csv.DictReader(io.StringIO(b"".join(received).decode())))
    assert [r["id"] for r in rows] == [h.id for h in web_archive.iter_hits("bridge")]


class _Gated:
    """The archive, but its export waits after the first hit until the test lets it go on,
    or streams without end: what the server does before the last hit exists, and after the
    client has gone."""

    def __init__(self, archive, endless: bool = False):
        self._archive = archive
        self.endless = endless
        self.release = threading.Event()
        self.produced = 0
        self.closed = threading.Event()

    def __getattr__(self, name):
        return getattr(self._archive, name)

    def iter_hits(self, query, **kwargs):
        real = list(self._archive.iter_hits(query, **kwargs))
        source = itertools.cycle(real) if self.endless else iter(real)

        def hits():
            try:
                for n, hit in enumerate(source):
                    if n == 1 and not self.endless:
                        assert self.release.wait(10)
                    self.produced += 1
                    yield hit
            finally:
                self.closed.set()

        stream = hits()
        return type("Stream", (), {"total": len(real), "__iter__": lambda s: stream,
                                   "__next__": lambda s: next(stream), "close": lambda s: stream.close()})()


def test_the_first_bytes_go_out_before_the_last_hit_is_found(web_archive):
    gated = _Gated(web_archive)
    server = LiveServer(make_app(gated))
    try:
        sock, headers, reader = raw_get(server.url, "/api/search?q=bridge&format=ndjson&all=true")
        first = next(chunks(reader))  # arrives while the export is held after its first hit
        assert not gated.release.is_set() and gated.produced == 1
        assert json.loads(first)["id"] == web_archive.search("bridge").hits[0].id
        gated.release.set()
        rest = b"".join(chunks(reader))
        sock.close()
    finally:
        gated.release.set()
        server.close()
    assert len((first + rest).splitlines()) == web_archive.search("bridge").total


def test_a_client_that_disconnects_stops_the_export(web_archive, small_chunks):
    endless = _Gated(web_archive, endless=True)
    server = LiveServer(make_app(endless))
    try:
        sock, headers, reader = raw_get(server.url, "/api/search?format=csv&all=true")
        for _ in itertools.islice(chunks(reader), 3):
            pass
        sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        assert endless.closed.wait(15), "the server went on producing after the client left"
        stopped_at = endless.produced
        time.sleep(0.5)
        assert endless.produced == stopped_at  # nothing more is made
    finally:
        server.close()


def test_export_is_the_pages_concatenated_over_the_api(web_archive):
    app = webtest.TestApp(make_app(web_archive))
    for query in ("", "bridge", "council harbour"):
        exported = app.get("/api/search", {"q": query, "format": "ndjson", "all": "true",
                                           "sort": "oldest"}).text.splitlines()
        paged, page = [], app.get("/api/search", {"q": query, "page_size": "7", "sort": "oldest"}).json
        while True:
            paged += page["hits"]
            if page["next"] is None:
                break
            page = app.get("/api/search", {"q": query, "page_size": "7", "sort": "oldest",
                                           "cursor": page["next"]}).json
        assert [json.loads(line) for line in exported] == paged


def test_the_search_page_offers_the_whole_result_set_as_csv(web_archive):
    app = webtest.TestApp(make_app(web_archive))
    page = app.get("/search", {"q": "bridge", "section": "Politics", "page": "2"})
    total = web_archive.search("bridge", sections=["Politics"]).total
    link = page.html.select_one("p.download a")
    assert link.text == f"Download all {total} results (CSV)"
    download = app.get(link["href"])
    assert download.content_type == "text/csv"
    assert len(list(csv.DictReader(io.StringIO(download.text)))) == total

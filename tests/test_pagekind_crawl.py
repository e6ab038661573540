"""A crawl of the corpus sites, the way an archivist captures a site: Debian's `wget -r
--warc-file` against a local HTTP server of corpus/. Indexing the WARC keeps only the
articles (and galleries): directory listings, home/section/tag/author/archive/search pages and
not-found pages are skipped and counted; non-HTML records (gzip files, robots.txt) are
skipped silently as before."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from morgue.indexer.pagekind import INDEXED_KINDS
from morgue.indexer.writer import index_paths

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

pytestmark = pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed (.ci/run installs it)")


class _Listing(http.server.SimpleHTTPRequestHandler):
    """Serves corpus/ with a directory listing for every folder (also where an index.html is:
    the pages link to their real sites, so the crawl walks the listings)."""

    def send_head(self):
        path = self.translate_path(self.path)
        if self.path.split("?", 1)[0].endswith("/") and Path(path).is_dir():
            return self.list_directory(path)
        return super().send_head()

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_wget_warc_crawl_indexes_only_articles(tmp_path):
    handler = functools.partial(_Listing, directory=str(CORPUS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    sites = ["riverbend", "meridian", "courier"]
    try:
        for site in sites:
            subprocess.run(
                ["wget", "-q", "-r", "-l", "inf", "--no-parent", "-e", "robots=off",
                 f"--warc-file={tmp_path / site}", "-P", str(tmp_path / "mirror"),
                 f"http://127.0.0.1:{port}/{site}/"],
                check=False, timeout=300, capture_output=True)
    finally:
        server.shutdown()
        server.server_close()
    warcs = sorted(str(p) for p in tmp_path.glob("*.warc.gz"))
    assert len(warcs) == len(sites)
    report = index_paths(warcs, tmp_path / "ix", jobs=1)
    assert not report.failed, report.failed

    articles = [r for r in _jsonl(CORPUS / "expected.jsonl")
                if r["layout"] in sites and not r["path"].endswith(".gz")]  # .gz is served as gzip, not HTML
    others = [r for r in _jsonl(CORPUS / "nonarticles.jsonl") if r["layout"] in sites]
    kept_others = [r for r in others if r["kind"] in INDEXED_KINDS]
    skipped_others = [r for r in others if r["kind"] not in INDEXED_KINDS]
    kept = report.added + report.updated + report.duplicates
    assert kept == len(articles) + len(kept_others)
    # every directory listing of the server (one per folder crawled) is skipped too
    dir_listings = sum(1 + sum(1 for d in (CORPUS / site).rglob("*") if d.is_dir()) for site in sites)
    assert len(report.skipped) == len(skipped_others) + dir_listings, [s.reason for s in report.skipped]

"""Checks on the bundled sample archive (corpus/) that its users rely on.

The corpus is produced by ``corpus/generate.py`` from ``corpus/src/*.json``; the
answers a cleaner must give are in ``corpus/expected.jsonl``. Set MORGUE_CORPUS_ROOT to
check a corpus rendered elsewhere (``generate.py --root DIR``).
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("MORGUE_CORPUS_ROOT", REPO))
EXPECTED = ROOT / "corpus" / "expected.jsonl"

KEYS = {"path", "url", "headline", "standfirst", "body", "captions", "byline", "section", "tags",
        "published", "modified", "lang", "source", "boilerplate", "layout", "variant"}
VARIANTS = {"original", "duplicate", "update", "wire_copy"}
DEFAULT_CHARSET = {"courier": "windows-1252"}  # courier pages may carry no declaration at all


def load_records() -> list[dict]:
    with open(EXPECTED, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


RECORDS = load_records() if EXPECTED.exists() else []


def raw_bytes(rec: dict) -> bytes:
    data = (ROOT / rec["path"]).read_bytes()
    if rec["path"].endswith(".gz"):
        data = gzip.decompress(data)
    return data


def declared_charset(data: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", data[:4096], re.I)
    return m.group(1).decode("ascii").lower() if m else None


def decoded(rec: dict) -> str:
    data = raw_bytes(rec)
    charset = declared_charset(data) or DEFAULT_CHARSET.get(rec["layout"], "utf-8")
    return data.decode(charset)


class _Visible(HTMLParser):
    """Text a browser would show: everything outside <script>, <style> and <head> metadata."""

    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)


def visible_chunks(text: str) -> list[str]:
    parser = _Visible()
    parser.feed(text)
    parser.close()
    return parser.chunks


def ids(rec):
    return rec["path"]


# --------------------------------------------------------------------------- corpus-wide

def test_expected_exists_and_is_sorted():
    assert RECORDS, f"{EXPECTED} missing or empty"
    paths = [r["path"] for r in RECORDS]
    assert paths == sorted(paths), "expected.jsonl is not in a stable (path) order"
    assert len(set(paths)) == len(paths), "duplicate paths in expected.jsonl"


def test_record_shape():
    for r in RECORDS:
        assert set(r) == KEYS, r["path"]
        assert r["variant"] in VARIANTS
        assert isinstance(r["captions"], list) and all(set(c) == {"text", "credit"} for c in r["captions"])
        assert isinstance(r["byline"], list) and isinstance(r["tags"], list)
        assert r["headline"] and r["body"] and r["source"]
        assert r["lang"] in (None, "en", "fr")


def test_every_path_exists():
    missing = [r["path"] for r in RECORDS if not (ROOT / r["path"]).is_file()]
    assert not missing


NONARTICLES = ROOT / "corpus" / "nonarticles.jsonl"


def nonarticle_paths() -> set[str]:
    """The sites' pages that are not articles (home, section, tag, ... pages: corpus/nonarticles.py)."""
    with open(NONARTICLES, encoding="utf-8") as fh:
        return {json.loads(line)["path"] for line in fh if line.strip()}


def test_no_unlisted_pages():
    listed = {r["path"] for r in RECORDS} | nonarticle_paths()
    layouts = {r["layout"] for r in RECORDS}
    on_disk = {p.relative_to(ROOT).as_posix()
               for lay in layouts for p in (ROOT / "corpus" / lay).rglob("*") if p.is_file()}
    assert on_disk == listed


def test_at_least_80_distinct_stories():
    stories = {r["headline"] for r in RECORDS}
    urls = {r["url"] for r in RECORDS if r["url"]}
    assert len(stories) >= 80, len(stories)
    assert len(urls) >= 60, len(urls)


def test_at_least_6_layouts():
    assert len({r["layout"] for r in RECORDS}) >= 6


def test_dates_span_15_years():
    years = [int(r["published"][:4]) for r in RECORDS]
    assert max(years) - min(years) >= 15, (min(years), max(years))


def test_dates_are_iso_8601():
    for r in RECORDS:
        for key in ("published", "modified"):
            value = r[key]
            if value is None:
                assert key == "modified", r["path"]
                continue
            datetime.fromisoformat(value)  # raises if malformed
            assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d([+-]\d\d:\d\d)?)?", value), (r["path"], value)
        if r["modified"] and len(r["modified"]) == len(r["published"]):
            assert datetime.fromisoformat(r["modified"]) >= datetime.fromisoformat(r["published"]), r["path"]


def test_precision_follows_the_markup():
    for r in RECORDS:
        if r["layout"] == "courier":
            assert r["url"] is None and r["lang"] is None and r["tags"] == []
            assert not re.search(r"[+-]\d\d:\d\d$", r["published"]), r["path"]
        else:
            assert r["url"] and r["url"].startswith("https://")
            assert re.search(r"([+-]\d\d:\d\d)$", r["published"]), r["path"]


def test_some_pages_are_not_utf8():
    not_utf8 = []
    for r in RECORDS:
        try:
            raw_bytes(r).decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.append(r)
    assert len(not_utf8) >= 5
    assert {"courier", "alpin"} <= {r["layout"] for r in not_utf8}


def test_courier_pages_without_charset_need_detection():
    bare = [r for r in RECORDS if r["layout"] == "courier" and declared_charset(raw_bytes(r)) is None]
    assert len(bare) >= 3
    for r in bare:
        data = raw_bytes(r)
        assert any(b > 127 for b in data), r["path"]
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")


def test_alpin_is_latin1_and_french():
    alpin = [r for r in RECORDS if r["layout"] == "alpin"]
    assert alpin
    for r in alpin:
        assert declared_charset(raw_bytes(r)) == "iso-8859-1"
    assert any(r["lang"] == "fr" for r in alpin)


def test_gzipped_pages_decompress():
    gz = [r for r in RECORDS if r["path"].endswith(".gz")]
    assert 8 <= len(gz) <= 14
    assert len({r["layout"] for r in gz}) >= 4
    for r in gz:
        assert (ROOT / r["path"]).read_bytes()[:2] == b"\x1f\x8b"
        assert b"</html>" in gzip.decompress((ROOT / r["path"]).read_bytes())


def test_duplicates_share_the_canonical_url():
    dups = [r for r in RECORDS if r["variant"] == "duplicate"]
    assert dups
    originals = {(r["layout"], r["headline"]): r for r in RECORDS if r["variant"] == "original"}
    for r in dups:
        o = originals[(r["layout"], r["headline"])]
        assert r["path"] != o["path"]
        assert r["url"] == o["url"] and r["body"] == o["body"]


def test_updates_are_later_and_longer():
    ups = [r for r in RECORDS if r["variant"] == "update"]
    assert ups
    originals = {(r["layout"], r["headline"]): r for r in RECORDS if r["variant"] == "original"}
    for r in ups:
        o = originals[(r["layout"], r["headline"])]
        assert r["url"] == o["url"] and r["path"] != o["path"]
        assert r["body"].startswith(o["body"]) and len(r["body"]) > len(o["body"])
        assert r["modified"] and r["modified"] != o["modified"]
        assert datetime.fromisoformat(r["modified"]) >= datetime.fromisoformat(r["published"])


def test_wire_copies():
    wires = [r for r in RECORDS if r["variant"] == "wire_copy"]
    assert wires
    cpa = {r["headline"]: r for r in RECORDS if r["layout"] == "cpa" and r["variant"] == "original"}
    for r in wires:
        assert r["layout"] != "cpa" and r["source"] != "Continental Press Agency"
        assert r["headline"] in cpa and r["body"] == cpa[r["headline"]]["body"]
        assert "CPA" in decoded(r)


# --------------------------------------------------------------------------- per page

@pytest.mark.parametrize("rec", RECORDS, ids=ids)
def test_story_text_is_on_the_page(rec):
    text = html.unescape(decoded(rec))
    visible = "\n".join(visible_chunks(decoded(rec)))
    assert rec["headline"] in text and rec["headline"] in visible
    if rec["standfirst"]:
        assert rec["standfirst"] in visible
    for para in rec["body"].split("\n\n"):
        assert para in text, para[:60]
        assert para in visible, para[:60]
    for cap in rec["captions"]:
        assert cap["text"] in visible
        if cap["credit"]:
            assert cap["credit"] in visible
    for name in rec["byline"]:
        assert name in visible


@pytest.mark.parametrize("rec", RECORDS, ids=ids)
def test_boilerplate_is_on_the_page_and_not_in_the_body(rec):
    bp = rec["boilerplate"]
    assert 3 <= len(bp) <= 6
    chunks = visible_chunks(decoded(rec))
    for s in bp:
        assert any(s in c for c in chunks), f"not visible: {s!r}"
        assert s not in rec["body"], f"in body: {s!r}"


@pytest.mark.parametrize("rec", [r for r in RECORDS if r["layout"] == "gulf"], ids=ids)
def test_gulf_translation_notice_is_boilerplate(rec):
    assert "Powered by automated translation" in decoded(rec)
    assert "automated translation" not in rec["body"]
    for cap in rec["captions"]:
        assert cap["text"] not in rec["body"]


def test_related_boxes_inside_article_somewhere():
    inside = 0
    for r in RECORDS:
        text = html.unescape(decoded(r))
        m = re.search(r"<article\b.*?</article>", text, re.S)
        if m and any(s in m.group(0) for s in r["boilerplate"]):
            inside += 1
    assert inside >= 10


# --------------------------------------------------------------------------- reproducible

def test_generator_is_deterministic(tmp_path):
    """generate.py renders exactly the committed corpus, byte for byte."""
    if ROOT != REPO:
        pytest.skip("checking a corpus rendered elsewhere")
    gen = REPO / "corpus" / "generate.py"
    subprocess.run([sys.executable, str(gen), "--src", str(REPO / "corpus" / "src"), "--root", str(tmp_path)],
                   check=True, capture_output=True)
    fresh = (tmp_path / "corpus" / "expected.jsonl").read_bytes()
    assert fresh == EXPECTED.read_bytes()
    for r in RECORDS:
        assert (tmp_path / r["path"]).read_bytes() == (REPO / r["path"]).read_bytes(), r["path"]
    assert (tmp_path / "corpus" / "nonarticles.jsonl").read_bytes() == NONARTICLES.read_bytes()
    for path in nonarticle_paths():
        assert (tmp_path / path).read_bytes() == (REPO / path).read_bytes(), path
    counts = Counter(r["layout"] for r in RECORDS)
    assert all(counts.values())

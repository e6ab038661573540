"""Hostile input: the nasty files, property-based tests and a short coverage-guided fuzz run.

Contract (docs/reliability.md): every page yields an `Article` or an `ExtractionError` with a
message, within `CPU_SECONDS_PER_FILE` and `PEAK_RSS_MB`, and a bad page never stops a batch;
`search.querylang.parse` never raises. MORGUE_STRESS=1 (or `-m slow`) runs the long versions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from morgue.errors import ExtractionError
from morgue.indexer.extract import extract
from morgue.indexer.schema import build_schema
from morgue.indexer.writer import index_paths
from morgue.search.querylang import parse
from tests.nasty.make_nasty import write_all

ROOT = Path(__file__).resolve().parents[1]
STRESS = os.environ.get("MORGUE_STRESS") == "1"
CPU_SECONDS_PER_FILE = 20.0  # CPU time, so a loaded machine does not fail it; a slow CI core
PEAK_RSS_MB = 1024  # the whole nasty set in one process; ~240 MB measured
EXAMPLES = 3000 if STRESS else 100
#: beyond the issue's list and slow (1-2 s each): only under MORGUE_STRESS=1
EXTRA_HEAVY = {"links-only.html", "nesting-blockquote-100k.html", "tags-500k.html"}
SCHEMA = build_schema()

#: inputs tried, summed by the tests in this module (printed in the terminal summary)
FIGURES: dict[str, int] = {}


def _count(key: str, n: int) -> None:
    FIGURES[key] = FIGURES.get(key, 0) + n


@pytest.fixture(scope="module")
def nasty(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    directory = tmp_path_factory.mktemp("nasty")
    return directory, write_all(directory, big=True)


def test_every_nasty_file_gives_an_article_or_a_clear_error_in_bounded_time_and_memory(nasty):
    directory, kinds = nasty
    kinds = {n: k for n, k in kinds.items() if STRESS or n not in EXTRA_HEAVY}
    # two processes (the machine has two cores), balanced by size
    halves: list[list[str]] = [[], []]
    load = [0, 0]
    for name in sorted(kinds, key=lambda n: -(directory / n).stat().st_size):
        i = load.index(min(load))
        halves[i].append(name)
        load[i] += (directory / name).stat().st_size + 200_000
    procs = [subprocess.Popen([sys.executable, "-m", "tests.nasty.make_nasty", "--check", str(directory), *half],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True) for half in halves]
    rows = []
    for proc in procs:
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0
        rows += [json.loads(line) for line in out.splitlines()]
    assert {r["name"] for r in rows} == set(kinds)
    _count("nasty files", len(rows))
    problems = []
    for r in rows:
        want = kinds[r["name"]]
        if r["outcome"] == "crash":
            problems.append(f"{r['name']}: crashed: {r['detail']}")
        elif want != "either" and r["outcome"] != want:
            problems.append(f"{r['name']}: wanted {want}, got {r['outcome']}: {r['detail']}")
        if r["outcome"] == "error" and len(r["detail"]) < 10:
            problems.append(f"{r['name']}: unclear error {r['detail']!r}")
        if r["cpu_seconds"] > CPU_SECONDS_PER_FILE:
            problems.append(f"{r['name']}: took {r['cpu_seconds']} s of CPU")
    assert not problems, "\n".join(problems)
    assert max(r["rss_mb"] for r in rows) < PEAK_RSS_MB


def test_nasty_files_never_stop_a_batch(nasty, tmp_path, write_page):
    directory, kinds = nasty
    heavy = {"huge-50mb.html", "gzip-bomb.html.gz", "tags-500k.html", "nesting-blockquote-100k.html",
             "links-only.html", "paragraph-5mb.html", "word-5mb.html", "entities-1m.html"}
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in kinds:
        if STRESS or name not in heavy:
            os.link(directory / name, batch / name)
    good = write_page("good", "Library reopens after repairs", url="https://t.test/library")
    os.link(good, batch / "good.html")
    report = index_paths([str(batch)], tmp_path / "index", jobs=2, batch_size=10)
    seen = (report.added + report.updated + report.duplicates + report.unchanged
            + len(report.failed) + len(report.skipped))
    assert seen == len(list(batch.iterdir()))
    skipped = {Path(f.path).name: f.reason for f in report.skipped}
    assert all(kinds.get(name) != "article" for name in skipped), skipped
    failed = {Path(f.path).name: f.reason for f in report.failed}
    assert "good.html" not in failed
    assert all(reason and "unexpected" not in reason for reason in failed.values()), failed
    for name, kind in kinds.items():
        if name in failed:
            assert kind != "article", f"{name}: {failed[name]}"
        elif name in os.listdir(batch):
            assert kind != "error", name
    from morgue.indexer.check import check_index

    assert check_index(tmp_path / "index").ok


# -- property-based ---------------------------------------------------------------------------

_TAGS = ["p", "div", "h1", "h2", "article", "main", "span", "a", "b", "script", "style", "title", "meta",
         "time", "figure", "figcaption", "table", "td", "li", "ul", "br", "html", "head", "body", "svg", "!--"]
_ATTRS = ['', ' class="byline"', ' class="article-body"', ' itemprop="datePublished" content="2021-13-45"',
          ' charset="rot13"', ' property="og:title" content="\x00"', ' datetime="9999-99-99"',
          ' type="application/ld+json"', ' href="javascript:alert(1)"', ' http-equiv="Content-Type" content="text/html; charset=utf-16"']


@st.composite
def html_soup(draw) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(_TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(st.sampled_from(_ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(st.text(max_size=80)))
        elif kind == 3:
            parts.append(draw(st.sampled_from(["[[[[{", '{"@type":"NewsArticle","headline":', "&#0;", "&#xD800;",
                                               "\ufeff", "\r", "3 hours ago", "Updated: 31/02/2021", "By "])))
        else:
            parts.append("<p>" + " ".join(draw(st.lists(st.sampled_from(
                ["harbour", "council", "Zoë", "日本", "the", "dredging", "—", "’"]), max_size=30))) + "</p>")
    encoding = draw(st.sampled_from(["utf-8", "cp1252", "utf-16", "shift_jis", "latin-1"]))
    data = "".join(parts).encode(encoding, "replace") if encoding != "latin-1" else \
        "".join(parts).encode("utf-8", "replace")
    if draw(st.booleans()):
        import gzip
        data = gzip.compress(data)
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]
    return data


def _extract_contract(data: bytes, content_type: str | None = None) -> None:
    try:
        art = extract(data, path="x.html", url="https://t.test/x", content_type=content_type)
    except ExtractionError as exc:
        assert str(exc)
        return
    assert art.headline or art.body
    texts = [art.headline, art.body, art.standfirst, art.section or "", art.source or "", *art.byline, *art.tags,
             *(c.text for c in art.captions)]
    for value in texts:
        assert isinstance(value, str) and "\x00" not in value
    json.dumps(art.to_dict())  # serialisable: what the index and the API store
    if art.published:
        assert art.published[:4].isdigit()


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=4096), st.sampled_from([None, "text/html", "text/html; charset=rot13",
                                                  "text/html; charset=utf-7", "text/html; charset=x-bogus"]))
def test_extract_on_random_bytes_returns_an_article_or_raises_extraction_error(data, content_type):
    _count("hypothesis inputs", 1)
    _extract_contract(data, content_type)


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(html_soup())
def test_extract_on_generated_tag_soup_returns_an_article_or_raises_extraction_error(data):
    _count("hypothesis inputs", 1)
    _extract_contract(data)


_QUERY_BITS = st.sampled_from(["AND", "OR", "NOT", "(", ")", '"', "*", "*a*", "?", "~", "~2", "+", "-", ":",
                               "title:", "author:", "date:", "date:[2001 TO", "date:>=", "]", "^", "\\", "/",
                               "bridge", "flood", "a", "é", "日本", " ", "  ", "\t", "\x00", "OR+", "TO"])


@settings(max_examples=EXAMPLES * 2, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(max_size=200), st.lists(_QUERY_BITS, max_size=30).map(" ".join),
                 st.lists(_QUERY_BITS, max_size=30).map("".join)))
def test_query_parser_never_raises(text):
    """parse() never fails: what it cannot read falls back to plain words."""
    _count("hypothesis queries", 1)
    parsed = parse(text, SCHEMA, lang_fields=("text_en",))
    # a query exactly when something is left once date clauses are taken out
    assert (parsed.query is None) == (parsed.text == ""), (text, parsed)
    assert parsed.query is None or str(parsed.query)  # printable (Whoosh repr of every part)
    assert all(isinstance(w, str) and w for w in parsed.words)


@pytest.mark.parametrize("text", ["NOT AND NOT d", "a \u00baOR+  b cRO NOT  AND NOT d",
                                  " OR ".join(f"w{i}" for i in range(1000))])
def test_query_parser_fallback_with_operator_words_does_not_raise(text):
    parsed = parse(text, SCHEMA)
    assert parsed.notice


@pytest.mark.parametrize("text", ["*a*", "(" * 500 + "x" + ")" * 500,
                                  "a" * 5000, "*" * 300, "~" * 300, '"' + "x " * 2000 + '"', "date:" * 200])
def test_query_bombs_parse_quickly_and_small(text):
    import time

    started = time.monotonic()
    parsed = parse(text, SCHEMA)
    assert time.monotonic() - started < 2.0
    if parsed.query is not None:
        assert len(list(parsed.query.all_terms())) <= 64 * 10


# -- coverage-guided fuzzing (atheris) --------------------------------------------------------


def test_short_fuzz_run_finds_nothing(tmp_path):
    pytest.importorskip("atheris", reason="atheris not installed: the hypothesis tests above cover this")
    from tests.fuzz.run import run_target

    seconds = 120 if STRESS else 3
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:  # one libFuzzer process per target, side by side
        results = list(pool.map(lambda n: run_target(n, seconds, tmp_path / n), ("extract", "query")))
    for result in results:
        _count("fuzz inputs", result["runs"] or 0)
        assert result["returncode"] == 0 and not result["artifacts"], result["tail"]


@pytest.mark.slow
@pytest.mark.skipif(not STRESS, reason="long version: MORGUE_STRESS=1")
def test_stress_all_nasty_files_long_hypothesis_and_long_fuzz(nasty, tmp_path, write_page):
    """`make stress`: every nasty file (the slow extras too), 3,000+ examples per property, 2 min fuzzing."""
    test_every_nasty_file_gives_an_article_or_a_clear_error_in_bounded_time_and_memory(nasty)
    test_nasty_files_never_stop_a_batch(nasty, tmp_path, write_page)
    test_extract_on_random_bytes_returns_an_article_or_raises_extraction_error()
    test_extract_on_generated_tag_soup_returns_an_article_or_raises_extraction_error()
    test_query_parser_never_raises()
    test_short_fuzz_run_finds_nothing(tmp_path / "fuzz")

"""Only articles are indexed: home pages, section fronts, tag, author, archive and search pages
and not-found pages are skipped and counted (issue 21), on every corpus layout and on a layout
the project has never seen (tests/fixtures/harbourlight)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from morgue.cli import main
from morgue.indexer.extract import extract_file
from morgue.indexer.pagekind import INDEXED_KINDS
from morgue.indexer.writer import index_paths

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
HARBOUR = ROOT / "tests" / "fixtures" / "harbourlight"


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


ARTICLES = _jsonl(CORPUS / "expected.jsonl")
OTHERS = _jsonl(CORPUS / "nonarticles.jsonl")
HARBOUR_KINDS = json.loads((HARBOUR / "kinds.json").read_text(encoding="utf-8"))


def test_every_layout_has_every_kind_of_non_article_page():
    pages = {(r["layout"], r["page"]) for r in OTHERS}
    layouts = {r["layout"] for r in ARTICLES}
    kinds = {"home", "section", "tag", "author", "archive", "search", "notfound", "gallery"}
    assert pages == {(lay, k) for lay in layouts for k in kinds}


@pytest.mark.parametrize("rec", OTHERS, ids=[r["path"].removeprefix("corpus/") for r in OTHERS])
def test_corpus_non_article_page_kind(rec):
    art = extract_file(ROOT / rec["path"])
    assert art.kind == rec["kind"], art.kind_reason
    if rec["kind"] != "article":
        assert art.kind_reason  # a reason a user can read


def test_corpus_articles_are_articles():
    wrong = {}
    for rec in ARTICLES:
        art = extract_file(ROOT / rec["path"])
        if art.kind != "article":
            wrong[rec["path"]] = art.kind_reason
    assert not wrong


@pytest.mark.parametrize("rel", sorted(HARBOUR_KINDS))
def test_unseen_layout_page_kind(rel):
    art = extract_file(HARBOUR / rel)
    want = HARBOUR_KINDS[rel]
    if want == "gallery":  # kept either way: a gallery with captions is indexed like an article
        assert art.kind in INDEXED_KINDS
    else:
        assert art.kind == want, art.kind_reason


def test_index_skips_exactly_the_pages_that_are_not_articles(tmp_path):
    report = index_paths([str(CORPUS)], tmp_path / "ix", jobs=1)
    assert not report.failed
    skipped = {Path(s.path).resolve() for s in report.skipped}
    want = {(ROOT / r["path"]).resolve() for r in OTHERS if r["kind"] not in INDEXED_KINDS}
    assert skipped == want
    kept = len(ARTICLES) + sum(r["kind"] in INDEXED_KINDS for r in OTHERS)
    assert report.added + report.updated + report.duplicates == kept
    assert all(s.reason.startswith("not an article") for s in report.skipped)


def test_cli_counts_skipped_pages_and_exits_0(tmp_path):
    runner = CliRunner()
    errors = tmp_path / "errors.jsonl"
    res = runner.invoke(main, ["index", "--index", str(tmp_path / "ix"), "--jobs", "1",
                               "--errors", str(errors), str(HARBOUR)])
    assert res.exit_code == 0, res.output
    n_skip = sum(k not in INDEXED_KINDS for k in HARBOUR_KINDS.values())
    assert f"{n_skip} skipped: not articles" in res.output
    listed = [json.loads(line) for line in errors.read_text().splitlines()]
    assert len([r for r in listed if "skipped" in r]) == n_skip
    res = runner.invoke(main, ["search", "--index", str(tmp_path / "ix"), "--json", "orca"])
    assert res.exit_code == 0 and "Orca pod" in res.output, res.output
    res = runner.invoke(main, ["index", "--index", str(tmp_path / "all"), "--jobs", "1", "--json",
                               "--all-pages", str(HARBOUR)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["skipped"] == [] and summary["added"] == len(HARBOUR_KINDS)


def test_extract_json_shows_kind_and_reason():
    res = CliRunner().invoke(main, ["extract", "--json", str(HARBOUR / "index.html")])
    got = json.loads(res.output)
    assert got["kind"] == "listing" and "teaser" in got["kind_reason"]
    res = CliRunner().invoke(main, ["extract", "--json", str(HARBOUR / "local/2021/ferry-timetable/index.html")])
    got = json.loads(res.output)
    assert got["kind"] == "article" and got["kind_reason"] == ""

"""The sample archive: every page of corpus/ must give exactly the fields in corpus/expected.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from morgue.indexer.extract import extract_file

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "corpus" / "expected.jsonl"
FIELDS = ["url", "headline", "standfirst", "body", "captions", "byline", "section", "tags",
          "published", "modified", "lang", "source"]


def _cases() -> list[dict]:
    if not EXPECTED.is_file():
        return []
    with open(EXPECTED, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


CASES = _cases()
pytestmark = pytest.mark.skipif(not CASES, reason="corpus/expected.jsonl is absent (run corpus/generate.py)")


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    return {c["path"]: extract_file(ROOT / c["path"]).to_dict() for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c["path"].removeprefix("corpus/") for c in CASES])
def test_corpus_page_matches_expected_fields(case: dict, extracted: dict) -> None:
    got = extracted[case["path"]]
    mismatches = {f: (case[f], got[f]) for f in FIELDS if got[f] != case[f]}
    assert not mismatches, "\n".join(f"{f}: expected {e!r}\n{' ' * len(f)}  got      {g!r}" for f, (e, g) in mismatches.items())


@pytest.mark.parametrize("case", CASES, ids=[c["path"].removeprefix("corpus/") for c in CASES])
def test_corpus_page_body_has_no_boilerplate(case: dict, extracted: dict) -> None:
    body = extracted[case["path"]]["body"]
    leaked = [b for b in case["boilerplate"] if b in body]
    assert not leaked, f"boilerplate in body: {leaked}"


def test_extract_file_sets_path_to_the_argument() -> None:
    case = CASES[0]
    art = extract_file(ROOT / case["path"])
    assert art.path == str(ROOT / case["path"])

"""The extractor on real saved pages (third-party data read in place from ../shared/data/).

These tests check robustness and a low quality floor only; the scores themselves are measured by
`python -m bench.extraction`, not asserted here.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from morgue.errors import ExtractionError
from morgue.indexer.extract import extract

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction"
L3S = DATA / "l3s-gn1"
TE = DATA / "trafilatura-eval"

pytestmark = pytest.mark.skipif(
    not (L3S / "truth.jsonl").is_file(),
    reason=f"real-page data not present at {DATA} (../shared/data is third-party and not part of the repo)",
)

_TOK = re.compile(r"\w+")


def _rows(folder: Path, every: int, limit: int) -> list[dict]:
    if not (folder / "truth.jsonl").is_file():
        return []
    with open(folder / "truth.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return rows[::every][:limit]


def _html(folder: Path, row: dict) -> bytes:
    return (folder / row["file"]).read_bytes()  # gzipped: the extractor unpacks it itself


def _f1(pred: str, truth: str) -> float:
    p, t = Counter(_TOK.findall(pred.lower())), Counter(_TOK.findall(truth.lower()))
    common = sum((p & t).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(t.values())
    return 2 * prec * rec / (prec + rec)


L3S_SAMPLE = _rows(L3S, every=13, limit=30)
TE_SAMPLE = _rows(TE, every=21, limit=30)


@pytest.fixture(scope="module")
def l3s_results() -> list[tuple[dict, object]]:
    return [(row, extract(_html(L3S, row), url=row["url"])) for row in L3S_SAMPLE]


def test_l3s_sample_pages_each_give_a_headline_and_a_body(l3s_results):
    assert len(l3s_results) == 30
    for row, art in l3s_results:
        assert art.headline, row["file"]
        assert len(art.body) > 200, row["file"]


def test_l3s_sample_body_word_f1_is_above_a_low_floor(l3s_results):
    scores = [(_f1(art.body, "\n".join(row["body"])), row["file"]) for row, art in l3s_results]
    low = [(round(f, 2), name) for f, name in scores if f < 0.3]
    assert not low, f"pages below the floor: {low}"
    assert sum(f for f, _ in scores) / len(scores) > 0.75


def test_l3s_sample_captions_are_never_in_the_body(l3s_results):
    for row, art in l3s_results:
        for cap in art.captions:
            if len(cap.text) > 40:
                assert cap.text not in art.body, row["file"]


def test_trafilatura_eval_sample_never_raises_anything_but_extraction_error():
    assert TE_SAMPLE, "trafilatura-eval data missing"
    for row in TE_SAMPLE:
        try:
            art = extract(gzip.decompress(_html(TE, row)), url=row["url"])
        except ExtractionError:
            continue
        assert isinstance(art.body, str)
        assert "\n\n\n" not in art.body
        assert all(p == " ".join(p.split()) for p in art.body.split("\n\n") if p)

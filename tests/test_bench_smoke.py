"""Smoke tests of the benchmark scripts in bench/: each runs on a tiny input and writes JSON.

They need the third-party data in ../shared/data (skipped without it) and, for the peers,
tantivy / trafilatura (skipped when not installed). Each takes a few seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def _need(*parts: str) -> None:
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"third-party benchmark data not found at {path} (../shared is absent)")


def _run(args: list[str], out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", *args, "--json", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "|---|" in proc.stdout  # a Markdown table was printed
    return json.loads(out.read_text())


def test_relevance_smoke(tmp_path: Path) -> None:
    _need("relevance", "time")
    res = _run(["bench.relevance", "--quick", "--limit", "40", "--limit-queries", "5"],
               tmp_path / "relevance.json")
    names = [e["engine"] for e in res["engines"]]
    assert names[0].startswith("Morgue") and any("FTS5" in n for n in names)
    for e in res["engines"]:
        assert 0.0 <= e["MAP"] <= 1.0
    assert res["variants"]  # the monkeypatched variants ran


def test_latency_smoke(tmp_path: Path) -> None:
    _need("corpora", "reuters21578.jsonl.gz")
    pytest.importorskip("tantivy", reason="tantivy (optional benchmark peer) is not installed")
    res = _run(["bench.latency", "--limit", "50", "--rounds", "1", "--work", str(tmp_path / "w")],
               tmp_path / "latency.json")
    engines = {r["engine"] for r in res["rows"]}
    assert engines == {"Morgue", "SQLite FTS5", "Tantivy"}
    assert all(r["p50_ms"] > 0 for r in res["rows"])


def test_indexing_smoke(tmp_path: Path) -> None:
    _need("corpora", "reuters21578.jsonl.gz")
    pytest.importorskip("trafilatura", reason="trafilatura (optional benchmark peer) is not installed")
    pytest.importorskip("psutil", reason="psutil is not installed")
    res = _run(["bench.indexing", "--limit", "30"], tmp_path / "indexing.json")
    first, rerun, peer = res["rows"]
    assert first["report"]["added"] + first["report"]["duplicates"] == 30
    assert rerun["report"]["unchanged"] == 30
    assert peer["report"]["ok"] > 0

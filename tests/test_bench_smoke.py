"""Smoke tests of the benchmark scripts in bench/: each runs on a tiny input and writes JSON.

They need the third-party data in ../shared/data (skipped without it) and the peers
tantivy / trafilatura, which `make test` installs (the `test` extra); the web load one needs
`wrk` (.ci/run installs it) and serves an index of corpus/; the report one renders a small fake suite file.
Each takes a few seconds.
"""

from __future__ import annotations

import json
import shutil
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
    res = _run(["bench.relevance", "--quick", "--limit", "40", "--limit-queries", "5",
                "--sets", "time"],
               tmp_path / "relevance.json")
    names = [e["engine"] for e in res["engines"]]
    assert names[0].startswith("Morgue") and any("FTS5" in n for n in names)
    for e in res["engines"]:
        assert 0.0 <= e["MAP"] <= 1.0
    assert res["variants"]  # the monkeypatched variants ran


def test_latency_smoke(tmp_path: Path) -> None:
    _need("corpora", "reuters21578.jsonl.gz")
    import tantivy  # noqa: F401  (installed by `make test`: a missing peer is a failure, not a skip)
    res = _run(["bench.latency", "--limit", "50", "--rounds", "1", "--work", str(tmp_path / "w")],
               tmp_path / "latency.json")
    engines = {r["engine"] for r in res["rows"]}
    assert engines == {"Morgue", "SQLite FTS5", "Tantivy"}
    assert all(r["p50_ms"] > 0 for r in res["rows"])


def test_indexing_smoke(tmp_path: Path) -> None:
    _need("corpora", "reuters21578.jsonl.gz")
    import psutil, trafilatura  # noqa: E401, F401  (installed by `make test`)
    res = _run(["bench.indexing", "--limit", "30", "--jobs", "2"], tmp_path / "indexing.json")
    first, rerun, peer = res["rows"]
    assert (first["jobs"], rerun["kind"], peer["jobs"]) == (2, "rerun", 2)
    assert first["report"]["added"] + first["report"]["duplicates"] == 30
    assert rerun["report"]["unchanged"] == 30
    assert peer["report"]["ok"] > 0


def test_web_load_smoke(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (Debian: apt-get install wrk)")
    index = tmp_path / "index"
    proc = subprocess.run([sys.executable, "-m", "morgue", "index", "--index", str(index),
                           str(ROOT / "corpus")], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = _run(["bench.web_load", "--index", str(index), "--duration", "1", "--warmup", "0",
                "--repeat", "1", "--threads", "2", "--connections", "2"],
               tmp_path / "web_load.json")
    rows = {r["route"]: r for r in res["rows"]}
    assert set(rows) == {"/healthz", "/api/search", "/search", "/api/search (cache off)",
                         "/search (cache off)"}
    assert all(r["requests"] > 0 and r["rps"] > 0 for r in rows.values())
    assert all(r["errors"] == 0 for r in rows.values())
    assert rows["/healthz"]["vs_healthz"] == 1.0


def _fake_suite() -> dict:
    machine = {"python": "3.11", "platform": "Linux", "cpus": 2}
    return {
        "suite": "morgue-bench", "quick": True, "when": "2026-01-02T03:04:05", "machine": machine,
        "steps": [{"name": n, "cmd": ["-m", f"bench.{n}"], "status": "ok", "seconds": 1.0}
                  for n in ("extraction", "indexing", "latency", "relevance", "web_load")]
        + [{"name": "broken", "cmd": ["-m", "bench.broken"], "status": "failed", "seconds": 0.1,
            "error": "Traceback ...\nRuntimeError: boom"}],
        "results": {
            "extraction": {"metrics": {
                e: {"l3s_body_f1": f, "l3s_headline_exact": 0.9, "te_with_found": 0.8,
                    "te_without_absent": 0.7, "pages_per_second": pps,
                    "pages_per_second_runs": [pps * 0.9, pps * 1.1], "pages": 10}
                for e, f, pps in (("morgue", 0.93, 30.0), ("trafilatura", 0.85, 20.0))}},
            "indexing": {"pages": 100, "layouts": ["modern"], "input_mb": 1.0, "repeat": 1,
                         "rows": [
                {"engine": "Morgue", "pipeline": f"morgue index --jobs {j}", "jobs": j,
                 "kind": "fresh", "pages_per_s": 10.0 * j, "runs_pages_per_s": [10.0 * j],
                 "seconds": 10.0 / j, "peak_rss_mb": 100.0, "index_mb": 1.0, "vs_peer": 0.5}
                for j in (1, 2)] + [
                {"engine": "trafilatura + SQLite FTS5", "pipeline": f"trafilatura (Pool {j})",
                 "jobs": j, "kind": "fresh", "pages_per_s": 20.0 * j, "seconds": 5.0 / j,
                 "peak_rss_mb": 90.0} for j in (1, 2)]},
            "latency": {"queries": [["oil", None]], "rounds": 2, "rows": [
                {"size": n, "engine": e, "p50_ms": ms * n / 1000, "p95_ms": 2 * ms * n / 1000,
                 "max_ms": 3 * ms * n / 1000, "round_p50_ms": [ms * n / 1000] * 2}
                for n in (1000, 2000) for e, ms in (("Morgue", 10.0), ("SQLite FTS5", 2.0),
                                                    ("Tantivy", 0.5))]},
            "relevance": {"docs": 10, "queries": 3, "variants": [], "engines": [
                {"engine": "Morgue (Archive.search)", "MAP": 0.5, "nDCG@10": 0.6, "P@10": 0.2,
                 "query_ms": 9.0},
                {"engine": "SQLite FTS5 (porter, bm25, OR)", "MAP": 0.6, "nDCG@10": 0.7,
                 "P@10": 0.3, "query_ms": 1.0}]},
            "web_load": {"index": "x", "size": 2000, "index_source": "fake", "threads": 4,
                         "connections": 8, "repeat": 1, "duration_s": 3.0, "goal_ratio": 0.5,
                         "goal_met": False, "rows": [
                {"route": r, "rps": rps, "rps_min": rps, "rps_max": rps, "runs": [{"rps": rps}],
                 "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0, "errors": 0,
                 "vs_healthz": rps / 1000.0}
                for r, rps in (("/healthz", 1000.0), ("/api/search", 100.0), ("/search", 50.0))]},
        },
    }


def test_report_smoke(tmp_path: Path) -> None:
    suite = tmp_path / "2026-01-02-quick.json"
    suite.write_text(json.dumps(_fake_suite()))
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nafter\n")
    docs = tmp_path / "docs"
    table = tmp_path / "README_TABLE.md"
    proc = subprocess.run([sys.executable, "-m", "bench.report", str(suite), "--docs", str(docs),
                           "--readme", str(readme), "--table", str(table)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    md = (docs / "benchmarks.md").read_text()
    for title in ("Extraction", "Indexing", "Query latency", "Relevance", "Web throughput"):
        assert f"## {title}" in md
    assert "|---|" in md and "broken" in md
    text = readme.read_text()
    assert text.startswith("# Title\n\n<!-- bench:start -->\n") and text.endswith(
        "<!-- bench:end -->\n\nafter\n")
    assert "old table" not in text
    assert table.read_text().strip() in text  # the README block is the snippet
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    for png in ("latency_vs_size", "indexing_vs_jobs", "extraction_f1", "web_throughput"):
        assert (docs / "benchmarks" / f"{png}.png").stat().st_size > 1000


def test_export_smoke(tmp_path: Path) -> None:
    _need("corpora", "reuters21578.jsonl.gz")
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 shell is not installed (Debian: apt-get install sqlite3)")
    res = _run(["bench.export", "--size", "120", "--work", str(tmp_path / "w")],
               tmp_path / "export.json")
    every, query = res["cases"]
    assert every["morgue"]["hits"] > 100 and every["sqlite3_fts5"]["rows"] == 120
    assert every["morgue"]["first_byte_s"] > 0 and every["morgue"]["hits_per_s"] > 0
    assert query["morgue"]["hits"] > 0 and query["sqlite3_fts5"]["rows"] > 0

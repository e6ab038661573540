"""Run every benchmark in bench/ in a fixed order, collect their JSON, render the report.

    python -m bench.run_all [--quick] [--only NAME,...] [--skip NAME,...] [--no-report]
                            [--readme README.md]

Each benchmark runs as a subprocess (``python -m bench.<name> ... --json FILE``), one after
the other, so that Morgue and its peers inside one benchmark share the machine's state.
Their JSON is collected into ``bench/results/<date>.json`` (``--quick``:
``bench/results/<date>-quick.json``), then ``bench.report`` writes ``docs/benchmarks.md``,
the plots in ``docs/benchmarks/``, ``bench/README_TABLE.md`` and, when README.md has the
``<!-- bench:start -->`` / ``<!-- bench:end -->`` markers, the block between them.

A benchmark that fails (or whose tool or data is missing) is recorded as such with the tail
of its stderr; the others still run. Exit status: 0 when every benchmark ran, 1 otherwise.

``--quick`` (about 5 minutes on 2 cores once the page caches exist): extraction on 60+60
pages with 2 timed passes; indexing of 400 pages at 1 and 2 jobs; latency at 1000 and 2000
articles (its own cache, ``bench/.work/latency-quick``); relevance without the variants; web
throughput 3 s per route on the largest cached index.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench._common import BENCH, RESULTS, WORK

# name -> (full-run arguments, quick-run arguments); the order is the run order. web_load
# comes after latency so that it serves the largest index latency has just built.
STEPS: dict[str, tuple[list[str], list[str]]] = {
    "extraction": (["--repeat", "3"], ["--limit", "60", "--repeat", "2"]),
    "indexing": (["--jobs", "1,2", "--repeat", "3"], ["--limit", "400", "--jobs", "1,2"]),
    "latency": (["--sizes", "20000,100000", "--per-kind", "60"],
                ["--sizes", "1000,2000", "--per-kind", "15", "--work",
                 str((WORK / "latency-quick").relative_to(BENCH.parent))]),
    "relevance": ([], ["--quick", "--no-variants"]),
    "web_load": (["--repeat", "3"], ["--quick"]),
    "export": (["--size", "100000"], ["--size", "2000"]),
}
QUICK_TIMEOUT = 600  # seconds per benchmark in --quick mode; the full run is not bounded


def run_step(name: str, args: list[str], out: Path, timeout: float | None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", f"bench.{name}", *args, "--json", str(out)]
    print(f"\n=== {name}: {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
    tail: deque[str] = deque(maxlen=40)
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stdout:
        proc = subprocess.Popen(cmd, cwd=str(BENCH.parent), stdout=stdout,
                                stderr=subprocess.PIPE, text=True, bufsize=1)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        assert proc.stderr is not None
        try:
            for line in proc.stderr:  # progress goes through as it comes
                sys.stderr.write(line)
                tail.append(line)
            proc.wait()
        finally:
            if timer:
                timer.cancel()
        stdout.seek(0)
        text = stdout.read()
    seconds = time.perf_counter() - t0
    step: dict[str, Any] = {"name": name, "cmd": cmd[1:], "returncode": proc.returncode,
                            "seconds": seconds, "stdout": text}
    if timed_out.is_set():
        step.update(status="failed", error=f"timed out after {timeout:.0f}s")
    elif proc.returncode != 0 or not out.exists():
        step.update(status="failed", error="".join(tail)[-3000:] or f"exit {proc.returncode}")
    else:
        step["status"] = "ok"
    print(text, file=sys.stderr)
    print(f"=== {name}: {step['status']} in {seconds:.0f}s", file=sys.stderr, flush=True)
    return step


def slim(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the suite file keeps of one benchmark's JSON (extraction's per-page rows go)."""
    if name == "extraction":
        return {k: v for k, v in data.items() if k != "pages"}
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the ~5-minute version")
    ap.add_argument("--only", default=None, help="comma-separated benchmark names")
    ap.add_argument("--skip", default="", help="comma-separated benchmark names")
    ap.add_argument("--out", default=None, help="suite JSON (default bench/results/<date>.json)")
    ap.add_argument("--no-report", action="store_true")
    ap.add_argument("--merge", action="store_true",
                    help="keep the other benchmarks' results already in the suite JSON")
    ap.add_argument("--docs", default=str(BENCH.parent / "docs"))
    ap.add_argument("--readme", default=str(BENCH.parent / "README.md"),
                    help="README whose <!-- bench:start/end --> block is updated")
    args = ap.parse_args(argv)

    names = [n for n in (args.only.split(",") if args.only else STEPS)
             if n and n not in args.skip.split(",")]
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(STEPS)}")

    suffix = "-quick" if args.quick else ""
    out = Path(args.out) if args.out else RESULTS / f"{date.today().isoformat()}{suffix}.json"
    suite: dict[str, Any] = {
        "suite": "morgue-bench", "quick": args.quick,
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "steps": [], "results": {},
    }
    if args.merge and out.exists():
        previous = json.loads(out.read_text(encoding="utf-8"))
        suite["results"] = {k: v for k, v in previous.get("results", {}).items() if k not in names}
        suite["steps"] = [st for st in previous.get("steps", []) if st.get("name") not in names]
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="morgue-bench-") as t:
        for name in names:
            full, quick = STEPS[name]
            path = Path(t) / f"{name}.json"
            step = run_step(name, quick if args.quick else full, path,
                            QUICK_TIMEOUT if args.quick else None)
            if step["status"] == "ok":
                suite["results"][name] = slim(name, json.loads(path.read_text(encoding="utf-8")))
            suite["steps"].append(step)
    suite["seconds"] = time.perf_counter() - t0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(suite, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nsuite results: {out} ({suite['seconds']:.0f}s)", file=sys.stderr)

    if not args.no_report:
        from bench.report import render_all

        written = render_all(suite, Path(args.docs), Path(args.readme))
        for p in written:
            print(f"wrote {p}", file=sys.stderr)
    failed = [s["name"] for s in suite["steps"] if s["status"] != "ok"]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Run both fuzz targets for a bounded time; what `make fuzz` (long) and the tests (short) call.

    python -m tests.fuzz.run [--seconds 300] [--workdir DIR]

The committed seeds (tests/fuzz/seeds*, never written to) are copied into a work corpus, so
libFuzzer's new inputs stay out of the source tree. Prints one JSON line per target
({"target", "runs", "seconds", "returncode", "artifacts"}) and exits 1 if a target found a
crash, a timeout or an out-of-memory input (kept in the work directory, named in the line).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TARGETS = {
    "extract": ("tests.fuzz.fuzz_extract", HERE / "seeds", ["-max_len=65536", "-timeout=20"]),
    "query": ("tests.fuzz.fuzz_query", HERE / "seeds-query", ["-max_len=2048", "-timeout=10"]),
}


def run_target(name: str, seconds: int, workdir: Path, runs: int | None = None) -> dict:
    module, seeds, flags = TARGETS[name]
    corpus = workdir / f"corpus-{name}"
    artifacts = workdir / f"artifacts-{name}"
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    for seed in seeds.iterdir():
        if seed.is_file():
            shutil.copy(seed, corpus / seed.name)
    args = [sys.executable, "-m", module, *flags, f"-max_total_time={seconds}",
            "-rss_limit_mb=2048", f"-artifact_prefix={artifacts}/", "-print_final_stats=1", str(corpus)]
    if runs is not None:
        args.insert(3, f"-runs={runs}")
    started = time.monotonic()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, errors="replace",
                          timeout=seconds + 120, env={**os.environ, "PYTHONHASHSEED": "0"})
    out = proc.stdout + proc.stderr
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", out) or re.search(r"Done (\d+) runs", out)
    found = sorted(p.name for p in artifacts.iterdir())
    return {"target": name, "runs": int(m.group(1)) if m else None,
            "seconds": round(time.monotonic() - started, 1), "returncode": proc.returncode,
            "artifacts": [str(artifacts / f) for f in found],
            "tail": out[-1500:] if proc.returncode or found else ""}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=300, help="per target")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--targets", default="extract,query")
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="morgue-fuzz-"))
    bad = False
    for name in args.targets.split(","):
        result = run_target(name, args.seconds, workdir)
        print(json.dumps(result), flush=True)
        bad = bad or result["returncode"] != 0 or bool(result["artifacts"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

"""A cluster started the way an operator starts one: `dask scheduler` and `dask worker`
commands as separate processes on 127.0.0.1. `morgue index --scheduler` runs on it while a
worker is killed; nothing is lost or duplicated, and the answers equal a single index's."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="needs Dask: pip install 'morgue[cluster]'")

from morgue.indexer.check import check_index  # noqa: E402
from morgue.indexer.writer import index_paths  # noqa: E402
from morgue.search import Archive  # noqa: E402
from shard_pages import QUERIES, assert_same_results, write_generated  # noqa: E402

BIN = Path(sys.executable).parent
DASK = shutil.which("dask", path=str(BIN)) or shutil.which("dask")
pytestmark = pytest.mark.skipif(DASK is None, reason="the `dask` command is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(20)


def _morgue(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "morgue"), *args], capture_output=True, text=True, timeout=600)


def test_dask_commands_index_through_a_worker_kill_and_answer_as_one_index(tmp_path):
    from distributed import Client

    pages = tmp_path / "pages"
    write_generated(pages, 420, seed=5)
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = [_start([DASK, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                     "--no-dashboard"], tmp_path / "scheduler.log")]
    try:
        for n in range(2):
            procs.append(_start([DASK, "worker", address, "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard", "--name", f"w{n}", "--death-timeout", "60"],
                                tmp_path / f"worker{n}.log"))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            pids = client.run(os.getpid)

        archive = tmp_path / "archive"
        run = subprocess.Popen([str(BIN / "morgue"), "index", "--scheduler", address, "--shards", "3",
                                "--index", str(archive), "--json", str(pages)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "MORGUE_BATCH_SIZE": "60"})
        # kill a worker once the first batch is in the shards: mid-run
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and run.poll() is None:
            if any(p.name.startswith("_MAIN_") and not p.name.endswith("_0.toc")
                   for d in archive.glob("shard-*") for p in d.iterdir()):
                break
            time.sleep(0.05)
        assert run.poll() is None, "the run ended before a worker could be killed"
        victim = sorted(pids)[0]
        os.kill(pids[victim], signal.SIGKILL)
        out, err = run.communicate(timeout=600)
        if run.returncode != 0:  # stopped with a clear error: a re-run completes the work
            assert "run `morgue index` again" in err, err
            again = _morgue("index", "--scheduler", address, "--index", str(archive), "--json", str(pages))
            assert again.returncode == 0, again.stderr
        else:
            assert json.loads(out)["failed"] == [], out
        print("index run after the kill:", "completed" if run.returncode == 0 else "stopped, re-run completed")

        single = tmp_path / "single"
        index_paths([str(pages)], single, jobs=1)
        report = check_index(archive)
        assert report.ok, report.problems  # no article twice, manifest and shards agree
        expected = Archive(single, cache_size=0, time_limit=60)
        assert report.articles == expected.stats().articles  # nothing lost
        # A write rerun after the kill replaced articles its first try had committed: their
        # old copies stay in the segments, marked deleted, until a merge; Whoosh counts them
        # in N and df (as it does after any update of a single index), so scores are compared
        # once `morgue optimize` has merged them away. Totals and facets need no merge.
        remote = Archive(archive, scheduler=address, cache_size=0, time_limit=60)
        try:
            for q in QUERIES[:6]:
                a, b = expected.search(q), remote.search(q)
                assert (a.total, a.facets, a.histogram) == (b.total, b.facets, b.histogram), q
        finally:
            remote.close()
        assert _morgue("optimize", "--index", str(archive)).returncode == 0
        remote = Archive(archive, scheduler=address, cache_size=0, time_limit=60)
        try:
            for q in QUERIES:
                if q.endswith(("*", "~")):
                    continue
                assert_same_results(expected.search(q), remote.search(q), label=q)
        finally:
            remote.close()
        cli = _morgue("search", "--scheduler", address, "--index", str(archive), "--json", "harbour")
        assert cli.returncode == 0, cli.stderr
        assert json.loads(cli.stdout)["total"] == expected.search("harbour").total
    finally:
        for proc in reversed(procs):
            _stop(proc)
